"""The API-key pages of a Partner's partner_beheer, mounted at /api-sleutels/."""

from django.urls import path

from . import tokens_views

app_name = "tokens"

urlpatterns = [
    path("", tokens_views.ApiTokenListView.as_view(), name="list"),
    path("nieuw/", tokens_views.ApiTokenCreateView.as_view(), name="create"),
    path("<int:pk>/", tokens_views.ApiTokenDetailView.as_view(), name="detail"),
    path("<int:pk>/intrekken/", tokens_views.ApiTokenIntrekkenView.as_view(), name="intrekken"),
]
