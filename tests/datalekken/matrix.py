"""Objects for the permission matrix (tests/core/test_permission_matrix.py) of the datalekken routes.

A breach of the acting user's own tenant is reported by the acting user (so each role that may report sees it;
the FG of the convenant sees it anyway); the other tenant's breach is reported there, so it answers 404.
"""

from __future__ import annotations

from typing import Any

from datalekken.register.models import Datalek
from datalekken.register.toegang import MELDERS
from tests.conftest import Tenant
from tests.datalekken.helpers import maak_datalek
from tests.meldingen.helpers import maak_melding


def _datalek(tenant: Tenant, acting: Any) -> Datalek:
    if acting.organisatie_id in (tenant.gemeente.pk, tenant.partner.pk, tenant.uitvoerder.pk) and any(
        rol in MELDERS for rol in acting.rollen
    ):
        return maak_datalek(tenant, door=acting)
    return maak_datalek(tenant)


def _met_brief(tenant: Tenant) -> tuple[Datalek, Any]:
    from datalekken.register.models import DatalekDossier
    from meldpunt.privacy.services import versleuteld_bestand_create

    datalek = maak_datalek(tenant)
    dossier = maak_melding(tenant, referentie=f"DL-{datalek.pk}").dossier
    brief = versleuteld_bestand_create(
        sleutel=dossier.sleutel, soort="datalekbrief", naam="brief.pdf", mime="application/pdf", inhoud=b"%PDF-"
    )
    koppeling = DatalekDossier.objects.create(
        datalek=datalek, dossier=dossier, gekoppeld_op=datalek.gemeld_op, gekoppeld_door=datalek.melder, brief=brief
    )
    return datalek, koppeling


def kwargs_for(name: str, own: Tenant, other: Tenant, acting: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if name in {"datalekken:detail", "datalekken:aanvullen", "datalekken:rapport", "datalekken:ap_concept"}:
        return {"pk": _datalek(own, acting).pk}, {"pk": maak_datalek(other).pk}
    if name == "datalekken:brieven_stand":
        return {"pk": _met_brief(own)[0].pk}, {"pk": _met_brief(other)[0].pk}
    if name == "datalekken:brief":
        eigen, eigen_koppeling = _met_brief(own)
        ander, ander_koppeling = _met_brief(other)
        return {"pk": eigen.pk, "koppeling": eigen_koppeling.pk}, {"pk": ander.pk, "koppeling": ander_koppeling.pk}
    return None
