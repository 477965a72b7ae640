"""Breaches: reporting, the register and the FG's desk."""

from django.urls import path

from .loket import views as loket
from .register import views as register

app_name = "datalekken"

urlpatterns = [
    path("", loket.RegisterView.as_view(), name="register"),
    path("melden/", register.DatalekMeldenView.as_view(), name="melden"),
    path("export/", loket.RegisterExportView.as_view(), name="export"),
    path("<int:pk>/", register.DatalekDetailView.as_view(), name="detail"),
    path("<int:pk>/aanvullen/", register.DatalekAanvullenView.as_view(), name="aanvullen"),
    path("<int:pk>/brief/<int:koppeling>/", register.DatalekBriefView.as_view(), name="brief"),
    path("<int:pk>/brieven/stand/", register.DatalekBrievenStandView.as_view(), name="brieven_stand"),
    path("<int:pk>/rapport.pdf", loket.RapportPdfView.as_view(), name="rapport"),
    path("<int:pk>/ap-concept/", loket.ApConceptView.as_view(), name="ap_concept"),
]
