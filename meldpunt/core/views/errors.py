"""Error pages in Dutch. They never echo request data (no personal data in error pages)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def _pagina(request: HttpRequest, status: int, titel: str, tekst: str) -> HttpResponse:
    return render(request, "fout.html", {"status": status, "titel": titel, "tekst": tekst}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _pagina(request, 400, "Ongeldig verzoek", "Het verzoek kon niet worden verwerkt.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _pagina(request, 403, "Geen toegang", "Uw rol geeft geen toegang tot deze pagina.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _pagina(request, 404, "Pagina niet gevonden", "Deze pagina bestaat niet of u heeft er geen toegang toe.")


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: nothing that failed (database, session) is touched again.
    context = {"status": 500, "titel": "Er ging iets mis", "tekst": "Probeer het later opnieuw. De fout is vastgelegd."}
    return HttpResponse(render_to_string("fout.html", context), status=500)
