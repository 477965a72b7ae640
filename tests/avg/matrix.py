"""Objects for the permission matrix (tests/core/test_permission_matrix.py) of the avg app's routes."""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant

POST_ONLY = {"verzoeken:bevestigen", "verzoeken:verklaring", "raadpleging:vervallen"}


def _verzoek_met_dossier(tenant: Tenant) -> tuple[Any, Any]:
    from tests.avg.helpers import met_dossier

    return met_dossier(tenant, ["inzage", "rectificatie"])


def _met_pakket(tenant: Tenant) -> Any:
    """A decided request with its documents stored (small stand-ins for the PDF and ZIP: no rendering)."""
    from django.utils import timezone

    from avg.besluiten.models import Pakket
    from meldpunt.privacy.services import versleuteld_bestand_create

    verzoek, _ = _verzoek_met_dossier(tenant)
    verzoek.besloten_op = timezone.localdate()
    verzoek.save(update_fields=["besloten_op"])
    nu = timezone.now()
    maak = lambda soort, naam: versleuteld_bestand_create(  # noqa: E731
        sleutel=verzoek.sleutel, soort=soort, naam=naam, mime="application/octet-stream", inhoud=b"%PDF-1.7 matrix"
    )
    Pakket.objects.create(
        verzoek=verzoek,
        aangevraagd_op=nu,
        gemaakt_op=nu,
        verloopt_op=nu + timezone.timedelta(days=30),
        brief=maak("avg_besluitbrief", "besluit.pdf"),
        bestand=maak("avg_antwoordpakket", "antwoord.zip"),
    )
    return verzoek


def _met_verlengingsbrief(tenant: Tenant) -> Any:
    """A request with its extension recorded and the letter stored (a small stand-in for the PDF: no rendering)."""
    from django.utils import timezone

    from avg.verzoeken.models import Verlengingsbrief
    from meldpunt.privacy.services import versleuteld_bestand_create

    verzoek, _ = _verzoek_met_dossier(tenant)
    verzoek.verlengd_tot = verzoek.termijn_op + timezone.timedelta(days=30)
    verzoek.save(update_fields=["verlengd_tot"])
    Verlengingsbrief.objects.create(
        verzoek=verzoek,
        datum=timezone.localdate(),
        aangevraagd_op=timezone.now(),
        gemaakt_op=timezone.now(),
        bestand=versleuteld_bestand_create(
            sleutel=verzoek.sleutel,
            soort="avg_verlengingsbrief",
            naam="verlenging.pdf",
            mime="application/pdf",
            inhoud=b"%PDF-1.7 matrix",
        ),
    )
    return verzoek


def _raadpleging(tenant: Tenant, organisatie: Any) -> Any:
    from django.utils import timezone

    from avg.raadpleging.models import Raadpleging

    verzoek, _ = _verzoek_met_dossier(tenant)
    return Raadpleging.objects.create(
        verzoek=verzoek,
        organisatie=organisatie,
        rol="verstrekt",
        categorieen=["melding"],
        gevraagd_op=timezone.now(),
        gevraagd_door=tenant.gebruikers["contactpunt"],
        termijn_op=timezone.localdate(),
    )


def _bezwaar(tenant: Tenant) -> Any:
    from django.utils import timezone

    from avg.bezwaren.models import Bezwaar

    verzoek, _ = _verzoek_met_dossier(tenant)
    verzoek.besloten_op = timezone.localdate()
    verzoek.save(update_fields=["besloten_op"])
    return Bezwaar.objects.create(
        verzoek=verzoek,
        ontvangen_op=timezone.localdate(),
        binnen_termijn=True,
        geregistreerd_door=tenant.gebruikers["contactpunt"],
        geregistreerd_op=timezone.now(),
    )


def _belanghebbende(tenant: Tenant, organisatie: Any) -> Any:
    from django.utils import timezone

    from avg.bezwaren.models import Belanghebbende

    return Belanghebbende.objects.create(
        bezwaar=_bezwaar(tenant), organisatie=organisatie, geinformeerd_op=timezone.now()
    )


def _antwoord_met_uitzondering(tenant: Tenant, organisatie: Any) -> Any:
    from django.utils import timezone

    from avg.raadpleging.models import Antwoord

    raadpleging = _raadpleging(tenant, organisatie)
    raadpleging.verzoek.besloten_op = timezone.localdate()
    raadpleging.verzoek.save(update_fields=["besloten_op"])
    return Antwoord.objects.create(raadpleging=raadpleging, categorie="melding", uitzondering="d")


def _eigen_en_ander_org(own: Tenant, other: Tenant, acting: Any) -> tuple[Any, Any]:
    eigen_org = acting.organisatie if acting.organisatie in (own.partner, own.uitvoerder, own.gemeente) else own.partner
    ander_org = next(o for o in (other.partner, other.uitvoerder, other.gemeente) if o.type == eigen_org.type)
    return eigen_org, ander_org


def kwargs_for(name: str, own: Tenant, other: Tenant, acting: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if name in {"verzoeken:detail"}:
        return {"pk": _verzoek_met_dossier(own)[0].pk}, {"pk": _verzoek_met_dossier(other)[0].pk}
    if name in {"verzoeken:bevestigen", "verzoeken:verklaring"}:
        from tests.avg.helpers import in_behandeling
        from tests.meldingen.helpers import maak_melding

        if name == "verzoeken:verklaring":
            eigen, eigen_dossier = _verzoek_met_dossier(own)
            ander, ander_dossier = _verzoek_met_dossier(other)
        else:
            eigen, eigen_dossier = in_behandeling(own), maak_melding(own).dossier
            ander, ander_dossier = in_behandeling(other), maak_melding(other).dossier
        return {"pk": eigen.pk, "dossier_id": eigen_dossier.pk}, {"pk": ander.pk, "dossier_id": ander_dossier.pk}
    if name in {"verzoeken:verlengingsbrief", "verzoeken:verlengingsbrief_status"}:
        return {"pk": _met_verlengingsbrief(own).pk}, {"pk": _met_verlengingsbrief(other).pk}
    if name in {"besluiten:pakket", "besluiten:brief", "besluiten:pakket_status"}:
        return {"pk": _met_pakket(own).pk}, {"pk": _met_pakket(other).pk}
    if name == "rectificatie:corrigeren":
        eigen, eigen_dossier = _verzoek_met_dossier(own)
        ander, ander_dossier = _verzoek_met_dossier(other)
        return {"pk": eigen.pk, "dossier_id": eigen_dossier.pk}, {"pk": ander.pk, "dossier_id": ander_dossier.pk}
    if name == "bezwaren:detail":
        return {"pk": _bezwaar(own).pk}, {"pk": _bezwaar(other).pk}
    if name == "bezwaren:reactie":
        eigen_org, ander_org = _eigen_en_ander_org(own, other, acting)
        return {"pk": _belanghebbende(own, eigen_org).pk}, {"pk": _belanghebbende(other, ander_org).pk}
    if name == "raadpleging:vervallen":
        eigen_org, ander_org = _eigen_en_ander_org(own, other, acting)
        eigen, ander = _antwoord_met_uitzondering(own, eigen_org), _antwoord_met_uitzondering(other, ander_org)
        return (
            {"pk": eigen.raadpleging_id, "antwoord_pk": eigen.pk},
            {"pk": ander.raadpleging_id, "antwoord_pk": ander.pk},
        )
    if name == "raadpleging:detail":
        eigen_org = (
            acting.organisatie if acting.organisatie in (own.partner, own.uitvoerder, own.gemeente) else own.partner
        )
        ander_org = next(o for o in (other.partner, other.uitvoerder, other.gemeente) if o.type == eigen_org.type)
        return {"pk": _raadpleging(own, eigen_org).pk}, {"pk": _raadpleging(other, ander_org).pk}
    return None
