"""Consent: the registry, the object permissions it grants and revokes, restriction overriding them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_group_perms

from meldingen.afscherming.services import afscherming_instellen, afscherming_opheffen
from meldingen.dossiers.selectors import dossier_list_voor_uitvoerder, mijn_dossiers
from meldingen.dossiers.services import contactpoging_create, dossier_afsluiten, dossier_claim, dossier_toewijzen
from meldingen.gemeente.selectors import dossier_list_voor_gemeente
from meldingen.informatieplicht.services import informatieplicht_verstuurd
from meldingen.intake.selectors import melding_list_voor_partner
from meldingen.models import Afscherming, DossierGroepRecht, Toestemming
from meldingen.rapportage.services import rapportage_opslaan
from meldingen.toestemming.services import toestemming_create, toestemming_intrekken, toestemmingen_beeindigen
from meldpunt.audit.models import LogRegel
from meldpunt.core.exceptions import ApplicationError
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_lezen
from tests.conftest import login_verified
from tests.meldingen.helpers import geclaimd_dossier, geef_toestemming, maak_melding, scherm_af, trek_in
from tests.persoonsgegevens import ACHTERNAAM

pytestmark = pytest.mark.django_db

BEWIJS = "Huurder belde terug en gaf akkoord om met de wijkcoach te delen"
PDF = b"%PDF-1.4\n% ondertekend formulier\n"


def rechten(organisatie, dossier) -> set[str]:
    return set(get_group_perms(organisatie.groep, dossier).values_list("codename", flat=True))


# --- granting and revoking ---------------------------------------------------------------------------


def test_consent_for_the_gemeente_grants_its_group_exactly_the_scope(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    geef_toestemming(tenant_a, dossier, "gemeente", "status")
    assert rechten(tenant_a.gemeente, dossier) == {"dossier_status_inzien"}
    assert rechten(tenant_a.partner, dossier) == set()
    geef_toestemming(tenant_a, dossier, "gemeente", "rapportage")
    assert rechten(tenant_a.gemeente, dossier) == {"dossier_status_inzien", "dossier_rapportage_inzien"}
    # Direct-foreign-key permission rows only; guardian's generic tables stay empty.
    assert DossierGroepRecht.objects.filter(content_object=dossier, group=tenant_a.gemeente.groep).count() == 2
    assert GroupObjectPermission.objects.count() == 0 and UserObjectPermission.objects.count() == 0


def test_a_user_of_the_gemeente_holds_the_permission_through_the_group(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    medewerker = tenant_a.gebruikers["gemeente_medewerker"]
    assert not medewerker.has_perm("meldingen.dossier_status_inzien", dossier)
    geef_toestemming(tenant_a, dossier, "gemeente", "status")
    medewerker = type(medewerker).objects.get(pk=medewerker.pk)  # fresh permission cache
    assert medewerker.has_perm("meldingen.dossier_status_inzien", dossier)
    assert not medewerker.has_perm("meldingen.dossier_rapportage_inzien", dossier)
    assert not tenant_a.gebruikers["melder"].has_perm("meldingen.dossier_status_inzien", dossier)


def test_consent_for_the_partner_grants_status_only(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    toestemming = geef_toestemming(tenant_a, dossier, "partner", "status")
    assert toestemming.ontvanger == tenant_a.partner
    assert rechten(tenant_a.partner, dossier) == {"dossier_status_inzien"}
    assert rechten(tenant_a.gemeente, dossier) == set()


def test_withdrawal_takes_away_only_what_no_other_valid_consent_still_grants(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    status = geef_toestemming(tenant_a, dossier, "gemeente", "status")
    rapportage = geef_toestemming(tenant_a, dossier, "gemeente", "rapportage")
    trek_in(tenant_a, rapportage)
    assert rechten(tenant_a.gemeente, dossier) == {"dossier_status_inzien"}
    trek_in(tenant_a, status)
    assert rechten(tenant_a.gemeente, dossier) == set()
    status.refresh_from_db()
    assert status.einde == "ingetrokken" and status.beeindigd_door == tenant_a.gebruikers["teamleider"]
    assert status.beeindigd_op == timezone.localdate()


def test_a_withdrawn_consent_cannot_be_withdrawn_again_and_a_new_one_can_be_given(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    toestemming = geef_toestemming(tenant_a, dossier, "gemeente", "status")
    trek_in(tenant_a, toestemming)
    with pytest.raises(ApplicationError, match="al beëindigd"):
        trek_in(tenant_a, toestemming)
    geef_toestemming(tenant_a, dossier, "gemeente", "status")
    assert rechten(tenant_a.gemeente, dossier) == {"dossier_status_inzien"}


def test_the_withdrawal_date_is_checked(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    toestemming = geef_toestemming(tenant_a, dossier, "gemeente", "status")
    for datum, bericht in (
        (timezone.localdate() + dt.timedelta(days=1), "toekomst"),
        (toestemming.gegeven_op - dt.timedelta(days=1), "vóór de datum"),
    ):
        with pytest.raises(ApplicationError) as exc:
            toestemming_intrekken(toestemming=toestemming, door=tenant_a.gebruikers["teamleider"], ingetrokken_op=datum)
        assert bericht in exc.value.extra["ingetrokken_op"][0]
    assert rechten(tenant_a.gemeente, dossier) == {"dossier_status_inzien"}


def test_the_grant_is_in_the_same_transaction_as_the_consent(tenant_a):
    """If granting fails, no consent remains (and no audit entry); nothing half-stored."""
    dossier = geclaimd_dossier(tenant_a)
    voor = LogRegel.objects.count()
    with (
        mock.patch("meldingen.toestemming.rechten.assign_perm", side_effect=RuntimeError("database weg")),
        pytest.raises(RuntimeError),
    ):
        geef_toestemming(tenant_a, dossier, "gemeente", "status", formulier=PDF)
    assert not Toestemming.objects.exists()
    assert not VersleuteldBestand.objects.filter(soort="toestemmingsformulier").exists()
    assert LogRegel.objects.count() == voor


def test_the_revocation_is_in_the_same_transaction_as_the_withdrawal(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    toestemming = geef_toestemming(tenant_a, dossier, "gemeente", "status")
    with (
        mock.patch("meldingen.toestemming.rechten.remove_perm", side_effect=RuntimeError("database weg")),
        pytest.raises(RuntimeError),
    ):
        trek_in(tenant_a, toestemming)
    toestemming.refresh_from_db()
    assert toestemming.geldig
    assert rechten(tenant_a.gemeente, dossier) == {"dossier_status_inzien"}


def test_no_other_code_grants_or_revokes_object_permissions():
    """Only the consent services call guardian's assign/remove (DOMAIN.md rule 2: 'not by hand')."""
    root = Path(__file__).resolve().parents[3]
    gevonden = []
    for pad in root.rglob("*.py"):
        relatief = pad.relative_to(root).as_posix()
        if relatief.startswith((".venv/", "node_modules/", "tests/", "bench/")) or "/migrations/" in relatief:
            continue
        tekst = pad.read_text(encoding="utf-8")
        for naam in (
            "assign_perm",
            "remove_perm",
            "bulk_assign_perm",
            "bulk_remove_perm",
            "DossierGroepRecht.objects.create",
        ):
            if naam in tekst:
                gevonden.append((relatief, naam))
    assert {p for p, _ in gevonden} == {"meldingen/toestemming/rechten.py"}


def test_consent_ends_with_the_dossiers_retention(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    geef_toestemming(tenant_a, dossier, "gemeente", "rapportage")
    geef_toestemming(tenant_a, dossier, "partner", "status")
    assert toestemmingen_beeindigen(dossier=dossier) == 2
    assert rechten(tenant_a.gemeente, dossier) == set() and rechten(tenant_a.partner, dossier) == set()
    assert set(Toestemming.objects.values_list("einde", flat=True)) == {"bewaartermijn"}
    assert toestemmingen_beeindigen(dossier=dossier) == 0


# --- validation ----------------------------------------------------------------------------------------


def fouten_bij(tenant, dossier, **velden):
    gegevens = {
        "ontvanger_soort": "gemeente",
        "scope": "status",
        "gegeven_op": timezone.localdate(),
        "wijze": "mondeling",
        "bewijs": BEWIJS,
        **velden,
    }
    with pytest.raises(ApplicationError) as exc:
        toestemming_create(dossier=dossier, door=tenant.gebruikers["teamleider"], **gegevens)
    return exc.value.extra


@pytest.mark.parametrize(
    ("velden", "veld", "tekst"),
    [
        ({"ontvanger_soort": "partner", "scope": "rapportage"}, "scope", "nooit met de woningcorporatie"),
        ({"ontvanger_soort": "bkr"}, "ontvanger_soort", "Kies aan wie"),
        ({"scope": "alles"}, "scope", "Kies waarvoor"),
        ({"wijze": "telepathie"}, "wijze", "Kies hoe"),
        ({"gegeven_op": dt.date(2099, 1, 1)}, "gegeven_op", "toekomst"),
        ({"gegeven_op": dt.date(2000, 1, 1)}, "gegeven_op", "vóór de melding"),
        ({"bewijs": ""}, "bewijs", "Beschrijf hoe"),
        ({"bewijs": "x" * 2001}, "bewijs", "2000 tekens"),
        ({"formulier": b"MZ\x90\x00 geen pdf"}, "formulier", "PDF, PNG of JPEG"),
        ({"formulier": b""}, "formulier", "leeg"),
        ({"formulier": b"%PDF-" + b"0" * (5 * 1024 * 1024)}, "formulier", "5 MB"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_stored(tenant_a, velden, veld, tekst):
    dossier = geclaimd_dossier(tenant_a)
    fouten = fouten_bij(tenant_a, dossier, **velden)
    assert tekst in " ".join(fouten[veld])
    assert not Toestemming.objects.exists() and not DossierGroepRecht.objects.exists()


def test_the_same_valid_consent_twice_is_refused(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    geef_toestemming(tenant_a, dossier, "gemeente", "status")
    assert "al een geldige toestemming" in fouten_bij(tenant_a, dossier)["scope"][0]


def test_only_the_behandelaar_or_a_teamleider_of_the_uitvoerder_records_consent(tenant_a, tenant_b):
    dossier = geclaimd_dossier(tenant_a)
    gegevens = {"ontvanger_soort": "gemeente", "scope": "status", "gegeven_op": timezone.localdate()}
    gegevens |= {"wijze": "digitaal", "bewijs": BEWIJS}
    from tests.factories import UserFactory

    collega = UserFactory(organisatie=tenant_a.uitvoerder, rollen=["hulpverlener"])
    for door in (collega, tenant_a.gebruikers["melder"], tenant_a.gebruikers["gemeente_medewerker"]):
        with pytest.raises(ApplicationError):
            toestemming_create(dossier=dossier, door=door, **gegevens)
    with pytest.raises(ApplicationError):
        toestemming_create(dossier=dossier, door=tenant_b.gebruikers["teamleider"], **gegevens)
    toestemming_create(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], **gegevens)


def test_an_unclaimed_dossier_takes_no_consent(tenant_a):
    dossier = maak_melding(tenant_a).dossier
    with pytest.raises(ApplicationError, match="eerst op"):
        geef_toestemming(tenant_a, dossier)


def test_evidence_and_signed_form_are_stored_encrypted_and_audited(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    toestemming = geef_toestemming(tenant_a, dossier, "gemeente", "status", bewijs=BEWIJS, formulier=PDF)
    toestemming.refresh_from_db()
    assert BEWIJS.encode() not in bytes(toestemming.bewijs)
    assert PDF not in bytes(toestemming.formulier.inhoud)
    assert toestemming.formulier.sleutel_id == dossier.sleutel_id  # ends with the dossier's key
    assert versleuteld_bestand_lezen(toestemming.formulier)[1] == PDF
    regel = LogRegel.objects.get(object_type="meldingen.toestemming", object_id=str(toestemming.pk), actie="aanmaken")
    assert regel.convenant_id == dossier.convenant_id and regel.gebruiker == tenant_a.gebruikers["teamleider"]


# --- restriction and objection override every grant --------------------------------------------------


def test_restriction_hides_the_dossier_from_everyone_whatever_the_consent(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    geef_toestemming(tenant_a, dossier, "gemeente", "rapportage")
    geef_toestemming(tenant_a, dossier, "partner", "status")
    medewerker = tenant_a.gebruikers["gemeente_medewerker"]
    assert list(dossier_list_voor_gemeente(user=medewerker)) == [dossier]

    afscherming = scherm_af(tenant_a, dossier, "bezwaar")
    assert list(dossier_list_voor_gemeente(user=medewerker)) == []
    assert not dossier_list_voor_uitvoerder(user=tenant_a.gebruikers["hulpverlener"]).exists()
    assert not mijn_dossiers(user=tenant_a.gebruikers["hulpverlener"]).exists()
    assert not melding_list_voor_partner(organisatie=tenant_a.partner).exists()
    # The permissions stay, unused: lifting restores exactly what was consented.
    assert rechten(tenant_a.gemeente, dossier) == {"dossier_status_inzien", "dossier_rapportage_inzien"}
    afscherming_opheffen(afscherming=afscherming, door=tenant_a.gebruikers["contactpunt"])
    assert list(dossier_list_voor_gemeente(user=medewerker)) == [dossier]
    assert melding_list_voor_partner(organisatie=tenant_a.partner).count() == 1


def test_a_restricted_dossier_cannot_be_changed(tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    toestemming = geef_toestemming(tenant_a, dossier, "gemeente", "status")
    scherm_af(tenant_a, dossier)
    hulpverlener, teamleider = tenant_a.gebruikers["hulpverlener"], tenant_a.gebruikers["teamleider"]
    pogingen = [
        lambda: contactpoging_create(
            dossier=dossier,
            door=hulpverlener,
            soort="Telefoon",
            datum=timezone.localdate(),
            dagdeel="Ochtend",
            bereikt=True,
        ),
        lambda: dossier_afsluiten(dossier=dossier, door=hulpverlener, eindresultaat="(Budget)advies en/of quick fix"),
        lambda: rapportage_opslaan(dossier=dossier, door=hulpverlener, inhoud={}),
        lambda: geef_toestemming(tenant_a, dossier, "partner", "status"),
        lambda: toestemming_intrekken(toestemming=toestemming, door=teamleider, ingetrokken_op=timezone.localdate()),
        lambda: informatieplicht_verstuurd(dossier=dossier, door=hulpverlener, verstuurd_op=timezone.localdate()),
        lambda: dossier_toewijzen(dossier=dossier, behandelaar=hulpverlener, door=teamleider),
    ]
    for poging in pogingen:
        with pytest.raises(ApplicationError, match="afgeschermd"):
            poging()
    nieuw = maak_melding(tenant_a, "RC-ANDER").dossier
    scherm_af(tenant_a, nieuw)
    with pytest.raises(ApplicationError, match="niet \\(meer\\) beschikbaar"):
        dossier_claim(dossier_id=nieuw.pk, door=hulpverlener)


def test_only_the_contactpunt_of_the_convenants_gemeente_restricts(tenant_a, tenant_b):
    dossier = geclaimd_dossier(tenant_a)
    for door in (tenant_a.gebruikers["fg"], tenant_a.gebruikers["teamleider"], tenant_b.gebruikers["contactpunt"]):
        with pytest.raises(ApplicationError, match="Alleen het contactpunt"):
            afscherming_instellen(dossier=dossier, door=door, soort="beperking", reden="verzoek")
    with pytest.raises(ApplicationError) as exc:
        afscherming_instellen(dossier=dossier, door=tenant_a.gebruikers["contactpunt"], soort="beperking", reden=" ")
    assert "reden" in exc.value.extra
    scherm_af(tenant_a, dossier, "beperking")
    with pytest.raises(ApplicationError) as exc:
        scherm_af(tenant_a, dossier, "beperking")
    assert "loopt dit al" in exc.value.extra["soort"][0]
    scherm_af(tenant_a, dossier, "bezwaar")
    beperking, bezwaar = Afscherming.objects.order_by("ingesteld_op")
    afscherming_opheffen(afscherming=beperking, door=tenant_a.gebruikers["contactpunt"])
    dossier.refresh_from_db()
    assert dossier.afgeschermd_sinds == bezwaar.ingesteld_op  # still hidden while the objection runs
    afscherming_opheffen(afscherming=bezwaar, door=tenant_a.gebruikers["contactpunt"])
    dossier.refresh_from_db()
    assert dossier.afgeschermd_sinds is None


# --- the Gemeente's pages ------------------------------------------------------------------------------


def test_the_gemeente_list_shows_exactly_the_consented_dossiers(client, tenant_a, tenant_b):
    met = geclaimd_dossier(tenant_a, "RC-MET")
    zonder = geclaimd_dossier(tenant_a, "RC-ZONDER")
    ingetrokken = geclaimd_dossier(tenant_a, "RC-INGETROKKEN")
    partner = geclaimd_dossier(tenant_a, "RC-PARTNER")
    ander = geclaimd_dossier(tenant_b, "RC-ANDER")
    geef_toestemming(tenant_a, met, "gemeente", "status")
    trek_in(tenant_a, geef_toestemming(tenant_a, ingetrokken, "gemeente", "rapportage"))
    geef_toestemming(tenant_a, partner, "partner", "status")
    geef_toestemming(tenant_b, ander, "gemeente", "rapportage")
    login_verified(client, tenant_a.gebruikers["gemeente_medewerker"])
    body = client.get(reverse("gemeente:list")).content.decode()
    assert met.nummer in body and ACHTERNAAM in body
    for niet in (zonder, ingetrokken, partner, ander):
        assert niet.nummer not in body
    assert 'data-aantal="1"' in body
    # Rule 6: the read is logged, for the shown dossier only, with the Gemeente's purpose.
    gelezen = LogRegel.objects.filter(actie="bekijken", gebruiker=tenant_a.gebruikers["gemeente_medewerker"])
    assert list(gelezen.values_list("object_id", "doel", "convenant_id")) == [
        (str(met.pk), "inzage gemeente met toestemming van de huurder", tenant_a.convenant.pk)
    ]


def test_the_gemeente_detail_shows_the_rapportage_only_within_scope_and_never_notes(client, tenant_a):
    from tests.meldingen.rapportage.test_rapportage import SCHULDEISER, VOLLEDIG

    dossier = geclaimd_dossier(tenant_a)
    notitie = "Huurder vertelde over ruzie met de buren"
    contactpoging_create(
        dossier=dossier,
        door=tenant_a.gebruikers["hulpverlener"],
        soort="Telefoon",
        datum=timezone.localdate(),
        dagdeel="Ochtend",
        bereikt=True,
        notitie=notitie,
    )
    rapportage_opslaan(dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], inhoud=VOLLEDIG)
    status = geef_toestemming(tenant_a, dossier, "gemeente", "status")
    login_verified(client, tenant_a.gebruikers["gemeente_medewerker"])
    url = reverse("gemeente:detail", args=[dossier.pk])
    body = client.get(url).content.decode()
    assert "In contact" in body and ACHTERNAAM in body
    assert SCHULDEISER not in body and notitie not in body and "data-rapportage" not in body
    assert client.get(reverse("gemeente:rapportage_pdf", args=[dossier.pk])).status_code == 404

    geef_toestemming(tenant_a, dossier, "gemeente", "rapportage")
    body = client.get(url).content.decode()
    assert SCHULDEISER in body and "data-rapportage" in body
    assert notitie not in body
    assert LogRegel.objects.filter(object_type="meldingen.rapportage", actie="bekijken").exists()
    trek_in(tenant_a, status)
    assert client.get(url).status_code == 200  # the rapportage consent still holds


def test_an_unconsented_dossier_is_404_for_the_gemeente_and_logged(client, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    medewerker = tenant_a.gebruikers["gemeente_medewerker"]
    login_verified(client, medewerker)
    response = client.get(reverse("gemeente:detail", args=[dossier.pk]))
    assert response.status_code == 404 and ACHTERNAAM not in response.content.decode()
    regel = LogRegel.objects.get(actie="autorisatie_geweigerd", gebruiker=medewerker)
    assert regel.object_type == "url:gemeente:detail" and regel.object_id == str(dossier.pk)


def test_the_gemeente_list_uses_a_constant_number_of_queries(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["gemeente_medewerker"])

    def aantal_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("gemeente:list")).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        geef_toestemming(tenant_a, geclaimd_dossier(tenant_a, f"RC-A{n}"), "gemeente", "status")
    weinig = aantal_queries()
    for n in range(23):
        geef_toestemming(tenant_a, geclaimd_dossier(tenant_a, f"RC-B{n}"), "gemeente", "rapportage")
    assert aantal_queries() == weinig


def test_the_partner_list_shows_the_result_only_with_consent_in_a_constant_number_of_queries(client, tenant_a):
    login_verified(client, tenant_a.gebruikers["melder"])
    dossiers = [geclaimd_dossier(tenant_a, f"RC-{n}") for n in range(4)]
    for dossier in dossiers:
        dossier_afsluiten(
            dossier=dossier, door=tenant_a.gebruikers["hulpverlener"], eindresultaat="Geen reactie na eerder contact"
        )
    with CaptureQueriesContext(connection) as zonder_ctx:
        body = client.get(reverse("meldingen:list")).content.decode()
    assert "Geen reactie na eerder contact" not in body
    for dossier in dossiers[:3]:
        geef_toestemming(tenant_a, dossier, "partner", "status")
    with CaptureQueriesContext(connection) as met_ctx:
        body = client.get(reverse("meldingen:list")).content.decode()
    assert body.count("Geen reactie na eerder contact") == 3
    assert len(met_ctx.captured_queries) == len(zonder_ctx.captured_queries)


def test_the_uitvoerder_records_and_withdraws_consent_in_the_browser_forms(client, tenant_a):
    dossier = geclaimd_dossier(tenant_a)
    login_verified(client, tenant_a.gebruikers["hulpverlener"])
    url = reverse("toestemming:dossier", args=[dossier.pk])
    vandaag = timezone.localdate().isoformat()
    fout = client.post(
        url, {"ontvanger_soort": "partner", "scope": "rapportage", "gegeven_op": vandaag, "wijze": "mondeling"}
    )
    assert fout.status_code == 400
    body = fout.content.decode()
    assert "nooit met de woningcorporatie" in body and 'aria-invalid="true"' in body
    from django.core.files.uploadedfile import SimpleUploadedFile

    formulier = SimpleUploadedFile("toestemming.pdf", PDF, content_type="application/pdf")
    goed = client.post(
        url,
        {
            "ontvanger_soort": "gemeente",
            "scope": "rapportage",
            "gegeven_op": vandaag,
            "wijze": "schriftelijk",
            "formulier": formulier,
        },
    )
    assert goed.status_code == 302
    toestemming = Toestemming.objects.get()
    download = client.get(reverse("toestemming:formulier", args=[toestemming.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    client.post(reverse("toestemming:intrekken", args=[toestemming.pk]), {"ingetrokken_op": vandaag})
    toestemming.refresh_from_db()
    assert not toestemming.geldig and rechten(tenant_a.gemeente, dossier) == set()


def test_the_gemeente_pages_render_without_tenant_data(rf, tenant_a):
    """A dossier whose tenant data lacks fields (or has no melding) still renders instead of failing."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    from meldingen.gemeente.selectors import GemeenteWeergave

    dossier = geclaimd_dossier(tenant_a)
    weergave = GemeenteWeergave(dossier, {}, {}, frozenset({"dossier_status_inzien"}))
    request = rf.get("/")
    request.user = tenant_a.gebruikers["gemeente_medewerker"]
    html = render_to_string(
        "meldingen/gemeente/list.html",
        {"weergaven": [weergave], "pagina": Paginator([dossier], 25).get_page(1), "aantal": 1},
        request=request,
    )
    assert dossier.nummer in html
