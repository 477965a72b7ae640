"""The information duty (art. 14 AVG) of a dossier: the Uitvoerder's page and the letter download."""

from django.urls import path

from . import views

app_name = "informatieplicht"

urlpatterns = [
    path("<uuid:dossier_id>/", views.InformatieplichtView.as_view(), name="detail"),
    path("<uuid:dossier_id>/brief/", views.InformatiebriefDownloadView.as_view(), name="brief"),
]
