"""Reads of the Partner's own meldingen, scoped to its organisation first; every read of personal data is audited.

What the Partner sees of its own melding follows DOMAIN.md "Feedback to the Partner": its submission as
submitted, the signal status in the Partner's vocabulary, and the dossier's result and closure only with the
tenant's consent for feedback to the Partner (:func:`meldingen.toestemming.selectors.partner_terugkoppeling_dossiers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meldingen.ddas import (
    NIET_OPGEPAKT_VOOR_PARTNER,
    PARTNER_STATUS_LABELS,
    ZICHTBAAR_VOOR_PARTNER,
    status_voor_partner,
)
from meldingen.toestemming.selectors import partner_terugkoppeling_dossiers
from meldpunt.audit.services import logregels_voor_objecten
from meldpunt.core.models import Organisatie, OrganisatieType, User
from meldpunt.privacy.kluis import Kluis

from .models import Melding
from .voorbereiding import referentie_indexen


def melding_list_voor_partner(*, organisatie: Organisatie, referentie: str = "", status: str = "") -> QuerySet[Melding]:
    """The Partner's own meldingen, newest first; filter by referentie (exact) and partner-visible status."""
    if organisatie.type != OrganisatieType.PARTNER:
        return Melding.objects.none()
    # A dossier under restriction or objection is hidden from the Partner too (DOMAIN.md rule 4).
    # The Partner's access ends at its own term (meldingen/bewaring), and with the destruction at the latest.
    qs = (
        Melding.objects.filter(partner=organisatie, dossier__afgeschermd_sinds__isnull=True)
        .filter(dossier__vernietigd_op__isnull=True)
        .exclude(dossier__toegang_partner_tot__lte=timezone.localdate())
        .select_related("dossier__sleutel", "convenant")
    )
    if referentie:
        convenant_ids = organisatie.convenant_deelnames.values_list("convenant_id", flat=True)
        qs = qs.filter(referentie_index__in={i for cid in convenant_ids for i in referentie_indexen(cid, referentie)})
    if status:
        if status == NIET_OPGEPAKT_VOOR_PARTNER:
            qs = qs.exclude(status__in=[s.value for s in ZICHTBAAR_VOOR_PARTNER])
        else:
            qs = qs.filter(status=status)
    return qs.order_by("-ontvangen_op", "-pk")


def melding_get_voor_partner(*, organisatie: Organisatie, pk: Any) -> Melding:
    try:
        return melding_list_voor_partner(organisatie=organisatie).get(pk=pk)
    except (Melding.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class PartnerWeergave:
    """What the Partner may see of its own melding (DOMAIN.md "Feedback to the Partner")."""

    melding: Melding
    gegevens: dict[str, Any]
    status: str
    eindresultaat: str | None
    afgesloten_op: Any

    @property
    def status_label(self) -> str:
        return PARTNER_STATUS_LABELS[self.status]


def partner_weergaven(
    *, meldingen: list[Melding], gebruiker: User | None, organisatie: Organisatie, herkomst: str, doel: str
) -> list[PartnerWeergave]:
    """Decrypt the Partner's own submissions for display and log each read (one log append per page)."""
    # DOMAIN.md rule 3: the result only with the tenant's consent for feedback to the Partner.
    met_toestemming = partner_terugkoppeling_dossiers(
        partner=organisatie, dossier_ids=list({m.dossier_id for m in meldingen})
    )
    uit = []
    for melding in meldingen:
        gegevens = Kluis(melding.dossier.sleutel).ontsleutel(melding.gegevens, context=melding.context)
        resultaat = melding.dossier_id in met_toestemming
        uit.append(
            PartnerWeergave(
                melding=melding,
                gegevens=gegevens,
                status=status_voor_partner(melding.status),
                eindresultaat=(melding.dossier.eindresultaat or None) if resultaat else None,
                afgesloten_op=melding.dossier.afgesloten_op if resultaat else None,
            )
        )
    logregels_voor_objecten(
        actie="bekijken",
        object_type="meldingen.melding",
        objecten=[(str(melding.pk), melding.convenant_id) for melding in meldingen],
        gebruiker=gebruiker,
        organisatie=organisatie,
        herkomst=herkomst,
        doel=doel,
    )
    return uit
