"""The Uitvoerder's consent pages."""

from django.urls import path

from . import views

app_name = "toestemming"

urlpatterns = [
    path("dossier/<uuid:dossier_id>/", views.ToestemmingView.as_view(), name="dossier"),
    path("<uuid:pk>/intrekken/", views.ToestemmingIntrekkenView.as_view(), name="intrekken"),
    path("<uuid:pk>/formulier/", views.ToestemmingFormulierView.as_view(), name="formulier"),
]
