"""URL configuration. Every view declares its roles (see meldpunt.core.permissions)."""

from django.urls import include, path

urlpatterns = [
    path("", include("meldpunt.core.urls")),
    path("convenanten/", include("convenants.urls")),
]

handler400 = "meldpunt.core.views.errors.bad_request"
handler403 = "meldpunt.core.views.errors.permission_denied"
handler404 = "meldpunt.core.views.errors.page_not_found"
handler500 = "meldpunt.core.views.errors.server_error"
