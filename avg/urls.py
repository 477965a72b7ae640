"""URL conf of the avg app: one include per capability."""

from django.urls import include, path

urlpatterns = [
    path("verzoeken/", include("avg.verzoeken.urls")),
    path("besluiten/", include("avg.besluiten.urls")),
    path("raadplegingen/", include("avg.raadpleging.urls")),
    path("bezwaren/", include("avg.bezwaren.urls")),
    path("rectificatie/", include("avg.rectificatie.urls")),
]
