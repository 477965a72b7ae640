"""The Gemeente's pages: dossiers shared with the tenant's consent."""

from django.urls import path

from . import views

app_name = "gemeente"

urlpatterns = [
    path("dossiers/", views.GemeenteDossierListView.as_view(), name="list"),
    path("dossiers/<uuid:pk>/", views.GemeenteDossierDetailView.as_view(), name="detail"),
    path("dossiers/<uuid:pk>/rapportage.pdf", views.GemeenteRapportagePdfView.as_view(), name="rapportage_pdf"),
]
