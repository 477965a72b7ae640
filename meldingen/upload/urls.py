"""Pages of the file upload, under /meldingen/bestand/."""

from django.urls import path

from . import views

app_name = "upload"

urlpatterns = [
    path("", views.UploadView.as_view(), name="nieuw"),
    path("voorbeeld.csv", views.VoorbeeldView.as_view(), name="voorbeeld"),
    path("<uuid:pk>/", views.UploadDetailView.as_view(), name="detail"),
    path("<uuid:pk>/voortgang/", views.UploadVoortgangView.as_view(), name="voortgang"),
    path("<uuid:pk>/afgewezen-rijen/", views.AfgewezenRijenView.as_view(), name="afgewezen"),
]
