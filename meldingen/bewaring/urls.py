"""Retention: the vernietigingslijst, holds, destruction reports, destroyed dossiers."""

from django.urls import path

from . import views

app_name = "bewaring"

urlpatterns = [
    path("", views.VernietigingslijstView.as_view(), name="lijst"),
    path("blokkades/nieuw/", views.BlokkadeCreateView.as_view(), name="blokkade_create"),
    path("blokkades/<int:pk>/opheffen/", views.BlokkadeOpheffenView.as_view(), name="blokkade_opheffen"),
    path("verklaringen/", views.VerklaringListView.as_view(), name="verklaringen"),
    path("verklaringen/<int:pk>/", views.VerklaringDetailView.as_view(), name="verklaring"),
    path(
        "verklaringen/<int:pk>/verklaring.pdf",
        views.VerklaringDownloadView.as_view(),
        {"soort": "pdf"},
        name="verklaring_pdf",
    ),
    path(
        "verklaringen/<int:pk>/verklaring.xlsx",
        views.VerklaringDownloadView.as_view(),
        {"soort": "xlsx"},
        name="verklaring_xlsx",
    ),
    path("dossiers/<uuid:pk>/", views.AnoniemDossierView.as_view(), name="dossier"),
]
