"""Rectification from an AVG request."""

from django.urls import path

from . import views

app_name = "rectificatie"

urlpatterns = [
    path("<int:pk>/dossiers/<uuid:dossier_id>/", views.RectificatieView.as_view(), name="corrigeren"),
]
