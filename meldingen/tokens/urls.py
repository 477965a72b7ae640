"""The API-key pages of a Partner's partner_beheer, mounted at /api-sleutels/."""

from django.urls import path

from . import views

app_name = "tokens"

urlpatterns = [
    path("", views.ApiTokenListView.as_view(), name="list"),
    path("nieuw/", views.ApiTokenCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ApiTokenDetailView.as_view(), name="detail"),
    path("<int:pk>/nieuw/", views.ApiTokenAangemaaktView.as_view(), name="aangemaakt"),
    path("<int:pk>/intrekken/", views.ApiTokenIntrekkenView.as_view(), name="intrekken"),
]
