"""Objects for the permission matrix (tests/core/test_permission_matrix.py) of core routes added after the
matrix's own list: the account changes that wait for the organisation's beheerder."""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant

POST_ONLY = {"core:accountwijziging_beoordelen"}


def _aanvraag(tenant: Tenant, acting: Any, aanvrager: Any) -> int:
    from meldpunt.core.accountwijziging import accountwijziging_aanvragen

    gebruiker = next(
        (u for u in tenant.gebruikers.values() if u.organisatie_id == acting.organisatie_id and u.pk != acting.pk),
        tenant.gebruikers["melder"],
    )
    return accountwijziging_aanvragen(gebruiker=gebruiker, door=aanvrager, soort="tweede_factor").pk


def kwargs_for(name: str, own: Tenant, other: Tenant, acting: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if name == "core:accountwijziging_beoordelen":
        from tests.factories import OrganisatieFactory, UserFactory

        aanvrager = (
            acting
            if acting.heeft_rol("platformbeheer")
            else UserFactory(organisatie=OrganisatieFactory(platform=True), rollen=["platformbeheer"])
        )
        return (
            {"pk": _aanvraag(own, acting, aanvrager), "actie": "afwijzen"},
            {"pk": _aanvraag(other, other.gebruikers["melder"], aanvrager), "actie": "afwijzen"},
        )
    return None
