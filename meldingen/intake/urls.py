"""The Partner's pages (under ``/meldingen/``, namespace ``meldingen``): the form, the list and one melding."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.MeldingListView.as_view(), name="list"),
    path("nieuw/", views.MeldingCreateView.as_view(), name="create"),
    path("<uuid:pk>/", views.MeldingDetailView.as_view(), name="detail"),
]
