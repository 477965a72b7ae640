"""The FG's log screen and export: scoping to its own gemeente, filters, paging, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from meldpunt.audit.models import Actie, Doel, LogRegel
from meldpunt.audit.selectors import logregel_list
from meldpunt.audit.services import logregel_create
from meldpunt.audit.views import neutraliseer
from meldpunt.core.models import Rol
from tests.audit.hulp import regels
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIJST = reverse("audit:list")
EXPORT = reverse("audit:export")


def _objecten(qs) -> set[tuple[str, str]]:
    return {(r.object_type, r.object_id) for r in qs}


@pytest.fixture
def gelogd(tenant_a, tenant_b):
    """Entries of both tenants: in the convenant, about the gemeente's users, and elsewhere."""
    for tenant, nummer in ((tenant_a, "1"), (tenant_b, "2")):
        logregel_create(
            actie=Actie.BEKIJKEN,
            object_type="meldingen.dossier",
            object_id=f"{nummer}01",
            gebruiker=tenant.gebruikers["hulpverlener"],
            convenant=tenant.convenant,
            doel=Doel.UITVOERING_CONVENANT,
        )
        logregel_create(actie=Actie.INLOGGEN, gebruiker=tenant.gebruikers["contactpunt"], object_id=f"{nummer}02")
        logregel_create(
            actie=Actie.WIJZIGEN,
            object_type="core.user",
            object_id=str(tenant.gebruikers["financien"].pk),
            doel=Doel.GEBRUIKERSBEHEER,
        )
        # Not about the gemeente: a partner user logging in, outside any convenant.
        logregel_create(actie=Actie.INLOGGEN, gebruiker=tenant.gebruikers["melder"], object_id=f"{nummer}04")


def test_the_fg_sees_its_own_convenants_and_organisation_only(tenant_a, tenant_b, gelogd):
    fg_a = tenant_a.gebruikers["fg"]
    gezien = _objecten(logregel_list(user=fg_a))
    assert gezien == {
        ("meldingen.dossier", "101"),
        ("", "102"),
        ("core.user", str(tenant_a.gebruikers["financien"].pk)),
    }
    assert _objecten(logregel_list(user=tenant_b.gebruikers["fg"])) == {
        ("meldingen.dossier", "201"),
        ("", "202"),
        ("core.user", str(tenant_b.gebruikers["financien"].pk)),
    }
    assert not any(r.convenant_id == tenant_b.convenant.pk for r in logregel_list(user=fg_a))


def test_no_other_role_reads_the_log(tenant_a, platformbeheerder, gelogd):
    for rol in Rol.values:
        if rol == Rol.FG:
            continue
        user = platformbeheerder if rol == Rol.PLATFORMBEHEER else tenant_a.gebruikers[rol]
        assert not logregel_list(user=user).exists()


@pytest.mark.parametrize("url", [LIJST, EXPORT])
def test_other_roles_get_403(client, inloggen, tenant_a, platformbeheerder, url):
    for rol in Rol.values:
        if rol == Rol.FG:
            continue
        inloggen(platformbeheerder if rol == Rol.PLATFORMBEHEER else tenant_a.gebruikers[rol])
        assert client.get(url).status_code == 403, rol
    assert not LogRegel.objects.filter(actie__in=[Actie.BEKIJKEN, Actie.EXPORTEREN]).exists()


def test_the_screen_lists_newest_first_and_logs_each_view(client, inloggen, tenant_a, tenant_b, gelogd):
    fg = tenant_a.gebruikers["fg"]
    inloggen(fg)
    response = client.get(LIJST)
    assert response.status_code == 200
    html = response.content.decode()
    # Kinds of object by their Dutch name; an id the log cannot name otherwise stays as it is.
    assert "Logboek dataverwerkingen" in html and "Dossier 101" in html
    assert "meldingen.dossier 201" not in html and tenant_b.convenant.naam not in html
    pagina = list(response.context["pagina"])
    assert pagina[0].actie == Actie.BEKIJKEN and pagina[0].gebruiker_id == fg.pk  # this very view
    assert [r.id for r in pagina] == sorted((r.id for r in pagina), reverse=True)

    client.get(LIJST)
    bekeken = regels(actie=Actie.BEKIJKEN, gebruiker=fg)
    assert len(bekeken) == 2
    assert {(r.object_type, r.object_id, r.doel, r.convenant_id) for r in bekeken} == {
        ("audit.logregel", "", Doel.TOEZICHT, None)
    }


def test_the_menu_shows_the_log_to_the_fg_only(client, inloggen, tenant_a):
    inloggen(tenant_a.gebruikers["fg"])
    assert f'href="{LIJST}"' in client.get(reverse("core:home")).content.decode()
    inloggen(tenant_a.gebruikers["contactpunt"])
    assert f'href="{LIJST}"' not in client.get(reverse("core:home")).content.decode()


def test_filters(client, inloggen, tenant_a, gelogd):
    fg = tenant_a.gebruikers["fg"]
    oud = logregel_create(actie=Actie.EXPORTEREN, object_type="meldingen.melding", convenant=tenant_a.convenant)
    # Backdating needs replica mode: entries cannot be changed otherwise.
    from tests.audit.hulp import zonder_triggers

    with zonder_triggers():
        LogRegel.objects.filter(pk=oud.pk).update(tijdstip=timezone.now() - dt.timedelta(days=40))

    assert _objecten(logregel_list(user=fg, actie=Actie.WIJZIGEN)) == {
        ("core.user", str(tenant_a.gebruikers["financien"].pk))
    }
    assert _objecten(logregel_list(user=fg, object_type="meldingen.dossier")) == {("meldingen.dossier", "101")}
    vandaag = timezone.localdate()
    assert oud.pk not in {r.pk for r in logregel_list(user=fg, van=vandaag - dt.timedelta(days=1))}
    assert [r.pk for r in logregel_list(user=fg, tot=vandaag - dt.timedelta(days=30))] == [oud.pk]

    inloggen(fg)
    response = client.get(LIJST, {"actie": Actie.WIJZIGEN, "object_type": "core.user"})
    assert [r.actie for r in response.context["pagina"]] == [Actie.WIJZIGEN]
    fout = client.get(LIJST, {"van": "2026-02-01", "tot": "2026-01-01"})
    assert fout.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in fout.content.decode()
    assert client.get(LIJST, {"object_type": "iets.anders"}).status_code == 400


def test_paging_by_fifty(client, inloggen, tenant_a):
    for i in range(60):
        logregel_create(actie=Actie.BEKIJKEN, object_id=str(i), convenant=tenant_a.convenant)
    inloggen(tenant_a.gebruikers["fg"])
    eerste = client.get(LIJST)
    assert len(eerste.context["pagina"]) == 50
    assert "Pagina 1 van 2" in eerste.content.decode()
    tweede = client.get(LIJST, {"pagina": 2, "actie": Actie.BEKIJKEN})
    assert len(tweede.context["pagina"]) == 62 - 50  # 60 + the two views of this screen
    assert "actie=bekijken" in tweede.content.decode()  # the filter stays in the paging links


def _csv(response) -> tuple[str, list[list[str]]]:
    inhoud = b"".join(response.streaming_content).decode("utf-8")
    return inhoud, list(csv.reader(io.StringIO(inhoud.removeprefix("\ufeff")), delimiter=";"))


def test_the_export_holds_the_filtered_selection(client, inloggen, tenant_a, tenant_b, gelogd):
    fg = tenant_a.gebruikers["fg"]
    inloggen(fg)
    response = client.get(EXPORT, {"object_type": "meldingen.dossier"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="logboek-')
    inhoud, rijen = _csv(response)
    assert inhoud.startswith("\ufeffid;tijdstip;actie;")
    kop, *data = rijen
    assert kop[:4] == ["id", "tijdstip", "actie", "resultaat"]
    assert [(r[kop.index("object_type")], r[kop.index("object_id")]) for r in data] == [("meldingen.dossier", "101")]
    assert data[0][kop.index("convenant")] == tenant_a.convenant.slug
    assert data[0][kop.index("gebruikersnaam")] == tenant_a.gebruikers["hulpverlener"].username
    assert tenant_b.convenant.slug not in inhoud
    (export,) = regels(actie=Actie.EXPORTEREN)
    assert (export.gebruiker_id, export.object_type, export.doel) == (fg.pk, "audit.logregel", Doel.TOEZICHT)

    alles = _csv(client.get(EXPORT))[1][1:]
    assert {r[0] for r in alles} == {str(r.pk) for r in logregel_list(user=fg)}


def test_the_export_neutralises_formulas(client, inloggen, tenant_a):
    kwaadaardig = UserFactory(username='=HYPERLINK("http://x.example")', organisatie=tenant_a.gemeente, rollen=["fg"])
    inloggen(kwaadaardig)
    client.get(LIJST)
    _, rijen = _csv(client.get(EXPORT))
    kop, *data = rijen
    namen = {r[kop.index("gebruikersnaam")] for r in data}
    assert namen == {'\'=HYPERLINK("http://x.example")'}


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("gewoon", "gewoon"),
        (12, "12"),
        (None, ""),
        ("a=b", "a=b"),
    ],
)
def test_neutraliseer(waarde, verwacht):
    assert neutraliseer(waarde) == verwacht
