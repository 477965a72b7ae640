"""The OpenAPI schema and its docs page (public, strict CSP), and Schemathesis against the live app."""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from .conftest import sleutel_voor

SCHEMA_URL = "/api/v1/schema/"


def _schema(client) -> dict:
    response = client.get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_schema_is_public_and_follows_api_md(client):
    schema = _schema(client)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {"/api/v1/meldingen/", "/api/v1/meldingen/{id}/"}
    post = schema["paths"]["/api/v1/meldingen/"]["post"]
    assert set(post["responses"]) >= {"200", "201", "400", "401", "403", "409"}
    verzoek = post["requestBody"]["content"]["application/json"]["schema"]
    assert verzoek == {"$ref": "#/components/schemas/NieuweMelding"}
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"])
    assert {"tokenAuth": []} in post["security"]
    lijst = schema["paths"]["/api/v1/meldingen/"]["get"]
    assert {p["name"] for p in lijst["parameters"]} >= {"referentie", "status", "page"}
    detail = schema["paths"]["/api/v1/meldingen/{id}/"]["get"]
    assert set(detail["responses"]) >= {"200", "401", "404"}

    componenten = schema["components"]["schemas"]
    melding = componenten["NieuweMelding"]
    assert set(melding["properties"]) == {
        "convenant", "type", "referentie", "huurder", "adres", "huishouden", "achterstand", "voortraject", "eo"
    }  # fmt: skip
    assert melding["additionalProperties"] is False
    assert set(componenten["HuurderInvoer"]["properties"]) == {
        "achternaam", "voornamen", "voorletters", "geboortedatum", "telefoon", "email"
    }  # fmt: skip
    assert set(componenten["HuurderInvoer"]["required"]) == {"achternaam", "geboortedatum"}
    assert set(componenten["AchterstandInvoer"]["properties"]) == {"bedrag", "maanden", "herhaald", "maandhuur"}
    assert set(componenten["VoortrajectInvoer"]["properties"]) == {
        "herinnering_op", "contactpoging_op", "informatie_doorgifte_op"
    }  # fmt: skip
    assert set(componenten["EoInvoer"]["properties"]) == {"vonnisdatum", "ontruimingsdatum"}
    assert set(componenten["MeldingOntvangen"]["properties"]) == {
        "id", "referentie", "status", "ontvangen_op", "vervolgmelding"
    }  # fmt: skip
    assert {"status", "eindresultaat", "afgesloten_op"} <= set(componenten["Melding"]["properties"])
    assert componenten["SignaalstatusEnum"]["enum"] == [
        "nog_niet_opgepakt",
        "opgepakt",
        "niet_opgepakt_onterecht_signaal",
        "niet_opgepakt_herhaalde_melding",
        "niet_opgepakt",
    ]
    assert "ValidatieFout" in componenten and "Fout" in componenten
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }


@pytest.mark.django_db
def test_the_schema_is_also_served_as_yaml(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert "NieuweMelding" in yaml.safe_load(response.content)["components"]["schemas"]


@pytest.mark.django_db
def test_the_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    for bron in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert bron.startswith("/"), bron
        assert client.get(bron.replace("&amp;", "&")).status_code == 200, bron
    start = client.get("/api/v1/docs/?script=")
    assert start["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in start.content.decode()


@pytest.mark.django_db
def test_only_the_listed_swagger_files_are_served(client):
    assert client.get("/api/v1/docs/bestanden/swagger-ui.css")["Content-Type"].startswith("text/css")
    assert client.get("/api/v1/docs/bestanden/LICENSE").status_code == 404
    assert client.get("/api/v1/docs/bestanden/..%2F..%2Fsettings.py").status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
def test_the_docs_render_in_chromium_without_csp_violations(live_server, page):
    fouten: list[str] = []
    page.on("console", lambda msg: fouten.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: fouten.append(str(exc)))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.get_by_text("/api/v1/meldingen/{id}/").first.wait_for(timeout=20_000)
    assert page.get_by_role("button", name="Authorize").is_visible()
    assert fouten == []


# --- Schemathesis: generated requests against the app, with a valid key ------------------------------
#: Loaded from the app itself at collection (the schema view touches no database). WSGIHandler rather
#: than get_wsgi_application(): that would run django.setup() again, which resets the logging config
#: and so unhooks the personal-data log scan of tests/conftest.py.
gegenereerd = schemathesis.openapi.from_wsgi(SCHEMA_URL, WSGIHandler())
gegenereerd.config.generation.update(modes=["positive", "negative"], max_examples=50)


@pytest.fixture
def verbinding_blijft_open(db):
    """Like Django's test client: keep the request signals from closing the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def sleutel(tenant_a) -> str:
    return sleutel_voor(tenant_a)[1]


@gegenereerd.parametrize()
@settings(max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_cause_a_server_error(case, sleutel, tenant_a, verbinding_blijft_open):
    if isinstance(case.body, dict) and "convenant" in case.body:
        case.body["convenant"] = tenant_a.convenant.slug  # get past the convenant to the other rules
    response = case.call(headers={"Authorization": f"Token {sleutel}"})
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
