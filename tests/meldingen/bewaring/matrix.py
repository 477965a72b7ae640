"""Objects for the permission matrix (tests/core/test_permission_matrix.py) of the retention routes."""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant
from tests.meldingen.helpers import maak_melding

POST_ONLY = {"bewaring:blokkade_opheffen"}


def _vernietigd(tenant: Tenant) -> Any:
    from meldingen.bewaring.services import dossier_vernietigen

    dossier = maak_melding(tenant, referentie="RC-MATRIX-BEWARING").dossier
    return dossier_vernietigen(dossier=dossier, reden="matrix", door=None)


def _blokkade(tenant: Tenant) -> Any:
    from meldingen.bewaring.services import bewaarblokkade_instellen

    return bewaarblokkade_instellen(dossier=maak_melding(tenant).dossier, grond="rechtszaak", door=None)


def kwargs_for(name: str, own: Tenant, other: Tenant, acting: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if name == "bewaring:blokkade_opheffen":
        return {"pk": _blokkade(own).pk}, {"pk": _blokkade(other).pk}
    if name in {"bewaring:verklaring", "bewaring:verklaring_pdf", "bewaring:verklaring_xlsx"}:
        return {"pk": _vernietigd(own).verklaring_id}, {"pk": _vernietigd(other).verklaring_id}
    if name == "bewaring:dossier":
        return {"pk": _vernietigd(own).dossier_id}, {"pk": _vernietigd(other).dossier_id}
    return None
