"""Data-subject requests (contactpunt, FG)."""

from django.urls import path

from . import views

app_name = "verzoeken"

urlpatterns = [
    path("", views.VerzoekListView.as_view(), name="list"),
    path("nieuw/", views.VerzoekCreateView.as_view(), name="create"),
    path("jaarcijfers.csv", views.JaarcijfersView.as_view(), name="jaarcijfers"),
    path("<int:pk>/", views.VerzoekDetailView.as_view(), name="detail"),
    path("<int:pk>/verlengingsbrief/", views.VerlengingsbriefDownloadView.as_view(), name="verlengingsbrief"),
    path(
        "<int:pk>/verlengingsbrief/stand/",
        views.VerlengingsbriefStatusView.as_view(),
        name="verlengingsbrief_status",
    ),
    path("<int:pk>/dossiers/<uuid:dossier_id>/bevestigen/", views.DossierBevestigenView.as_view(), name="bevestigen"),
    path("<int:pk>/dossiers/<uuid:dossier_id>/verklaring/", views.VerklaringView.as_view(), name="verklaring"),
]
