"""Error pages in Dutch. They never echo request data (no personal data in error pages).

A 403, and a 404 that a view raised for a logged-in user (probing for another organisation's
objects), is logged as ``autorisatie_geweigerd``: the view's URL name and an integer or UUID object id
from the URL (pseudonymous identifiers), never the path itself. A URL that matches no view at all
(``/favicon.ico``) is not logged. A failure to log never changes the error page; the 500 page touches no
database at all.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from meldpunt.audit.models import Actie, Doel, Resultaat
from meldpunt.audit.services import herkomst_van, logregel_create

logger = logging.getLogger(__name__)


def _pagina(request: HttpRequest, status: int, titel: str, tekst: str) -> HttpResponse:
    return render(request, "fout.html", {"status": status, "titel": titel, "tekst": tekst}, status=status)


def _log_geweigerd(request: HttpRequest, *, niet_gevonden: bool = False) -> None:
    try:
        user = getattr(request, "user", None)
        ingelogd = user is not None and user.is_authenticated
        match = getattr(request, "resolver_match", None)
        if niet_gevonden and (not ingelogd or match is None):
            return
        object_id = (
            next((str(v) for v in match.kwargs.values() if isinstance(v, (int, uuid.UUID))), "") if match else ""
        )
        with transaction.atomic():  # a savepoint: a failure here never spoils a surrounding transaction
            logregel_create(
                actie=Actie.AUTORISATIE_GEWEIGERD,
                resultaat=Resultaat.GEWEIGERD,
                gebruiker=user if ingelogd else None,
                object_type=f"url:{match.view_name}"[:100] if match else "",
                object_id=object_id,
                herkomst=herkomst_van(request),
                doel=Doel.BEVEILIGING,
            )
    except Exception:
        logger.exception("Weigering niet in het logboek vastgelegd")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _pagina(request, 400, "Ongeldig verzoek", "Het verzoek kon niet worden verwerkt.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _log_geweigerd(request)
    return _pagina(request, 403, "Geen toegang", "Uw rol geeft geen toegang tot deze pagina.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _log_geweigerd(request, niet_gevonden=True)
    return _pagina(request, 404, "Pagina niet gevonden", "Deze pagina bestaat niet of u heeft er geen toegang toe.")


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: nothing that failed (database, session) is touched again.
    context = {"status": 500, "titel": "Er ging iets mis", "tekst": "Probeer het later opnieuw. De fout is vastgelegd."}
    return HttpResponse(render_to_string("fout.html", context), status=500)
