"""URL configuration. Every view declares its roles (see meldpunt.core.permissions)."""

from django.urls import include, path

urlpatterns = [
    path("", include("meldpunt.core.urls")),
    path("convenanten/", include("convenants.urls")),
    path("logboek/", include("meldpunt.audit.urls")),
    path("meldingen/bestand/", include("meldingen.upload.urls")),
    path("meldingen/", include("meldingen.urls")),
    path("rapportages/", include("meldingen.rapportage.urls")),
    path("informatieplicht/", include("meldingen.informatieplicht.urls")),
    path("toestemmingen/", include("meldingen.toestemming.urls")),
    path("gemeente/", include("meldingen.gemeente.urls")),
    path("afscherming/", include("meldingen.afscherming.urls")),
    path("api/v1/", include("meldingen.api.urls")),
    path("api-sleutels/", include("meldingen.tokens.urls")),
    path("datalekken/", include("datalekken.urls")),
    path("facturen/", include("facturatie.urls")),
    path("avg/", include("avg.urls")),
    path("bewaring/", include("meldingen.bewaring.urls")),
]

handler400 = "meldpunt.core.views.errors.bad_request"
handler403 = "meldpunt.core.views.errors.permission_denied"
handler404 = "meldpunt.core.views.errors.page_not_found"
handler500 = "meldpunt.core.views.errors.server_error"
