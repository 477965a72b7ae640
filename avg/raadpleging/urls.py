"""Consultations of a participant."""

from django.urls import path

from . import views

app_name = "raadpleging"

urlpatterns = [
    path("", views.RaadplegingListView.as_view(), name="list"),
    path("<int:pk>/", views.RaadplegingDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/antwoorden/<int:antwoord_pk>/vervallen/",
        views.UitzonderingVervallenView.as_view(),
        name="vervallen",
    ),
]
