"""The Uitvoerder's pages (under ``/meldingen/``, namespace ``meldingen``): queue, caseload, dossier."""

from django.urls import path

from . import views

urlpatterns = [
    path("wachtrij/", views.WachtrijView.as_view(), name="wachtrij"),
    path("dossiers/mijn/", views.MijnDossiersView.as_view(), name="mijn_dossiers"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("dossiers/zoeken/", views.ZoekView.as_view(), name="zoeken"),
    path("werkbakken/nieuw/", views.WerkbakCreateView.as_view(), name="werkbak_create"),
    path("werkbakken/<int:pk>/verwijderen/", views.WerkbakVerwijderView.as_view(), name="werkbak_verwijderen"),
    path("dossiers/<uuid:pk>/", views.DossierDetailView.as_view(), name="dossier"),
    path("dossiers/<uuid:pk>/oppakken/", views.DossierClaimView.as_view(), name="dossier_claim"),
]
