"""Objects for the permission matrix (tests/core/test_permission_matrix.py) of the facturatie routes.

The teamleider's own object is a subsidie-afrekening (it sees only those), everyone else's a
cofinancieringsfactuur; the other tenant's is the same kind of the other Gemeente."""

from __future__ import annotations

from typing import Any

from meldpunt.core.models import Rol
from tests.conftest import Tenant

POST_ONLY = {"facturatie:uitgeven"}

_FACTUUR_ROUTES = {"facturatie:detail", "facturatie:pdf", "facturatie:csv", "facturatie:xlsx", "facturatie:crediteren"}


def _factuur(tenant: Tenant, soort: str, *, uitgegeven: bool = False) -> Any:
    from facturatie.facturen.models import Factuur
    from facturatie.facturen.opstellen import facturen_opstellen
    from facturatie.facturen.services import factuur_uitgeven
    from facturatie.facturen.workflow import FactuurStatus
    from tests.facturatie.helpers import bereikt_dossier, factuurgegevens_invullen

    if not Factuur.objects.filter(convenant=tenant.convenant).exists():
        factuurgegevens_invullen(tenant)
        bereikt_dossier(tenant)
        facturen_opstellen(jaar=2025, door=tenant.gebruikers["financien"])
    factuur = Factuur.objects.filter(convenant=tenant.convenant, soort=soort).order_by("pk").first()
    if uitgegeven and factuur.status == FactuurStatus.CONCEPT:
        factuur = factuur_uitgeven(factuur=factuur, door=tenant.gebruikers["financien"])
    return factuur


def _opstelrun(tenant: Tenant) -> Any:
    from facturatie.facturen.models import Opstelrun

    return Opstelrun.objects.create(gemeente=tenant.gemeente, jaar=2025, door=tenant.gebruikers["financien"])


def kwargs_for(name: str, own: Tenant, other: Tenant, acting: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if not name.startswith("facturatie:") or name in {
        "facturatie:list",
        "facturatie:overzicht_csv",
        "facturatie:overzicht_xlsx",
    }:
        return None
    soort = "subsidie" if acting.heeft_rol(Rol.TEAMLEIDER) else "cofinanciering"
    if name == "facturatie:ubl":
        return {"pk": _factuur(own, "cofinanciering", uitgegeven=True).pk}, {
            "pk": _factuur(other, "cofinanciering", uitgegeven=True).pk
        }
    if name in _FACTUUR_ROUTES or name == "facturatie:uitgeven":
        return {"pk": _factuur(own, soort).pk}, {"pk": _factuur(other, soort).pk}
    if name == "facturatie:opstelrun_stand":
        return {"pk": _opstelrun(own).pk}, {"pk": _opstelrun(other).pk}
    if name == "facturatie:regel":
        return {"pk": _factuur(own, soort).regels.first().pk}, {"pk": _factuur(other, soort).regels.first().pk}
    return None
