"""URLs of the rapportage (Uitvoerder), included at ``/rapportages/``."""

from django.urls import path

from . import views

app_name = "rapportage"

urlpatterns = [
    path("<uuid:dossier_id>/", views.RapportageView.as_view(), name="detail"),
    path("<uuid:dossier_id>/pdf/", views.RapportagePdfView.as_view(), name="pdf"),
    path("<uuid:dossier_id>/pdf/status/", views.RapportagePdfStatusView.as_view(), name="pdf_status"),
]
