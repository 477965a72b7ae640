"""Objects for the permission matrix (tests/core/test_permission_matrix.py) of routes of the meldingen app added
after the matrix's own list."""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant
from tests.meldingen.helpers import maak_melding

#: The page that shows a new API key once sends the user on when the key is no longer in the session.
GET_REDIRECT = {"tokens:aangemaakt"}


def kwargs_for(name: str, own: Tenant, other: Tenant, acting: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if name == "rapportage:pdf_status":
        return {"dossier_id": maak_melding(own).dossier_id}, {"dossier_id": maak_melding(other).dossier_id}
    if name == "tokens:aangemaakt":
        from meldingen.tokens.services import api_token_create

        eigen, _ = api_token_create(organisatie=own.partner, naam="matrix")
        ander, _ = api_token_create(organisatie=other.partner, naam="matrix")
        return {"pk": eigen.pk}, {"pk": ander.pk}
    return None
