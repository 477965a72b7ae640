"""The answer's documents."""

from django.urls import path

from . import views

app_name = "besluiten"

urlpatterns = [
    path("<int:pk>/pakket/", views.PakketDownloadView.as_view(), name="pakket"),
    path("<int:pk>/brief/", views.BriefDownloadView.as_view(), name="brief"),
    path("<int:pk>/pakket/stand/", views.PakketStatusView.as_view(), name="pakket_status"),
]
