"""Restriction and objection on dossiers (contactpunt, FG)."""

from django.urls import path

from . import views

app_name = "afscherming"

urlpatterns = [
    path("", views.AfschermingListView.as_view(), name="list"),
    path("nieuw/", views.AfschermingCreateView.as_view(), name="create"),
    path("<int:pk>/opheffen/", views.AfschermingOpheffenView.as_view(), name="opheffen"),
]
