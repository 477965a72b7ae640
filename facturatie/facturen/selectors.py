"""Reads of invoices, scoped to the asking user's organisation first: anything else answers 404.

financien sees its Gemeente's invoices and statements; a Partner's partner_beheer the cofinancieringsfacturen
addressed to it; an Uitvoerder's teamleider the subsidie-afrekeningen addressed to it.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from meldpunt.core.models import Rol, User

from .models import Factuur, FactuurRegel, Opstelrun
from .workflow import FactuurSoort, FactuurStatus

#: The roles that see invoices at all (each its own part).
FACTUUR_ROLLEN = (Rol.FINANCIEN, Rol.PARTNER_BEHEER, Rol.TEAMLEIDER)


def _zichtbaar(user: User) -> Q:
    org = user.organisatie_id
    filter_ = Q(pk__in=[])
    if user.heeft_rol(Rol.FINANCIEN):
        filter_ |= Q(gemeente_id=org)
    if user.heeft_rol(Rol.PARTNER_BEHEER):
        filter_ |= Q(ontvanger_id=org, soort=FactuurSoort.COFINANCIERING)
    if user.heeft_rol(Rol.TEAMLEIDER):
        filter_ |= Q(ontvanger_id=org, soort=FactuurSoort.SUBSIDIE)
    return filter_


def factuur_list(*, user: User, jaar: int | None = None) -> QuerySet[Factuur]:
    qs = Factuur.objects.filter(_zichtbaar(user))
    if jaar is not None:
        qs = qs.filter(jaar=jaar)
    return qs.select_related("ontvanger", "convenant", "credit_van").annotate(aantal_regels=Count("regels"))


def factuur_get(*, user: User, pk: int) -> Factuur:
    factuur = (
        Factuur.objects.filter(_zichtbaar(user), pk=pk)
        .select_related("gemeente", "ontvanger", "convenant", "credit_van")
        .first()
    )
    if factuur is None:
        raise Http404("Geen factuur gevonden.")
    return factuur


def regel_get(*, user: User, pk: int) -> FactuurRegel:
    """A line of a visible invoice, or a line waiting (after a dispute) for the next invoice of a visible party."""
    regel = FactuurRegel.objects.filter(pk=pk).select_related("factuur", "convenant", "ontvanger").first()
    if regel is None:
        raise Http404("Geen factuurregel gevonden.")
    factuur = regel.factuur or Factuur(
        soort=regel.soort, gemeente_id=regel.convenant.gemeente_id, ontvanger_id=regel.ontvanger_id
    )
    if not mag_zien(user, factuur):
        raise Http404("Geen factuurregel gevonden.")
    return regel


def mag_zien(user: User, factuur: Factuur) -> bool:
    org = user.organisatie_id
    return (
        (user.heeft_rol(Rol.FINANCIEN) and factuur.gemeente_id == org)
        or (
            user.heeft_rol(Rol.PARTNER_BEHEER)
            and factuur.ontvanger_id == org
            and factuur.soort == FactuurSoort.COFINANCIERING
        )
        or (user.heeft_rol(Rol.TEAMLEIDER) and factuur.ontvanger_id == org and factuur.soort == FactuurSoort.SUBSIDIE)
    )


def wachtende_regels(*, user: User) -> QuerySet[FactuurRegel]:
    """Lines held out of an issued invoice by a dispute, waiting for the next one (the user's part)."""
    filter_ = Q(pk__in=[])
    org = user.organisatie_id
    if user.heeft_rol(Rol.FINANCIEN):
        filter_ |= Q(convenant__gemeente_id=org)
    if user.heeft_rol(Rol.PARTNER_BEHEER):
        filter_ |= Q(ontvanger_id=org, soort=FactuurSoort.COFINANCIERING)
    if user.heeft_rol(Rol.TEAMLEIDER):
        filter_ |= Q(ontvanger_id=org, soort=FactuurSoort.SUBSIDIE)
    return FactuurRegel.objects.filter(filter_, factuur__isnull=True).select_related("ontvanger")


def is_concept(factuur: Factuur) -> bool:
    return factuur.status == FactuurStatus.CONCEPT


def opstelrun_get(*, user: User, pk: int) -> Opstelrun:
    """A drafting run of financien's own Gemeente; another Gemeente's answers 404."""
    run = None
    if user.heeft_rol(Rol.FINANCIEN):
        run = Opstelrun.objects.filter(gemeente_id=user.organisatie_id, pk=pk).select_related("door").first()
    if run is None:
        raise Http404("Geen opstelrun gevonden.")
    return run


def opstelrun_laatste(*, user: User) -> Opstelrun | None:
    """The latest drafting run of financien's Gemeente (shown on the list page)."""
    if not user.heeft_rol(Rol.FINANCIEN):
        return None
    return Opstelrun.objects.filter(gemeente_id=user.organisatie_id).select_related("door").first()


def opstelrun_facturen(run: Opstelrun) -> QuerySet[Factuur]:
    """The drafts a run touched, for the links of its result."""
    return run.facturen.select_related("ontvanger", "convenant").order_by("convenant__naam", "soort", "ontvanger__naam")
