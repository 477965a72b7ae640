"""Issue 15 item 12: the referentie never appears in a URL, an access log line or a page title."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .test_formulier import maak_melding

pytestmark = pytest.mark.django_db

LIJST = reverse("meldingen:list")


def test_search_by_referentie_is_posted_and_the_url_carries_only_a_token(client, inloggen, tenant_a):
    maak_melding(tenant_a, referentie="RC-GEHEIM-1")
    maak_melding(tenant_a, referentie="RC-ANDER-2")
    inloggen(tenant_a.gebruikers["melder"])
    pagina = client.get(LIJST).content.decode()
    formulier = re.search(r'<form method="(\w+)" role="search"', pagina)
    assert formulier and formulier.group(1) == "post"

    response = client.post(LIJST, {"referentie": "rc-geheim-1", "status": ""})
    assert response.status_code == 302
    locatie = response["Location"]
    assert "geheim" not in locatie.lower() and "referentie" not in locatie
    html = client.get(locatie).content.decode()
    assert "RC-GEHEIM-1" in html and "RC-ANDER-2" not in html
    # The result's pagination links carry the token, never the referentie.
    assert all("geheim" not in href.lower() for href in re.findall(r'href="([^"]*)"', html))

    # The referentie in the query string is ignored (it no longer filters, so nobody puts it there).
    html = client.get(LIJST, {"referentie": "RC-GEHEIM-1"}).content.decode()
    assert "RC-ANDER-2" in html


def test_a_token_of_another_session_finds_nothing(client, inloggen, tenant_a):
    maak_melding(tenant_a, referentie="RC-GEHEIM-1")
    maak_melding(tenant_a, referentie="RC-ANDER-2")
    inloggen(tenant_a.gebruikers["melder"])
    locatie = client.post(LIJST, {"referentie": "RC-GEHEIM-1"})["Location"]
    client.logout()
    inloggen(tenant_a.gebruikers["melder"])
    html = client.get(locatie).content.decode()
    assert "RC-ANDER-2" in html  # an unknown token is no filter at all


def test_the_detail_page_title_has_no_referentie(client, inloggen, tenant_a):
    melding = maak_melding(tenant_a, referentie="RC-TITEL-9")
    inloggen(tenant_a.gebruikers["melder"])
    html = client.get(reverse("meldingen:detail", args=[melding.pk])).content.decode()
    titel = re.search(r"<title>(.*?)</title>", html, re.S)
    assert titel and "RC-TITEL-9" not in titel.group(1)
