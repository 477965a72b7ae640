"""Behind the reverse proxy the Logboek names the client, not the proxy; nobody else can choose the address
(issue 15, item 7)."""

from __future__ import annotations

import importlib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from meldpunt.audit.context import client_adres
from meldpunt.audit.models import Actie
from tests.audit.hulp import regels
from tests.factories import WACHTWOORD

LOGIN = reverse("core:login")
PROXY = "172.30.0.2"


@pytest.fixture
def achter_proxy(settings):
    settings.MELDPUNT_VERTROUWDE_PROXIES = ["172.30.0.0/24", "::1"]


@pytest.mark.django_db
def test_the_logboek_names_the_client_the_proxy_forwarded(client, tenant_a, achter_proxy):
    melder = tenant_a.gebruikers["melder"]
    client.post(
        LOGIN,
        {"username": melder.username, "password": "fout"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    (regel,) = regels()
    assert regel.actie == Actie.INLOGGEN_MISLUKT and regel.herkomst == "203.0.113.9"


@pytest.mark.django_db
def test_without_a_trusted_proxy_setting_the_proxy_address_is_the_origin(client, tenant_a, settings):
    settings.MELDPUNT_VERTROUWDE_PROXIES = []
    melder = tenant_a.gebruikers["melder"]
    client.post(
        LOGIN,
        {"username": melder.username, "password": WACHTWOORD + "x"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert regels()[0].herkomst == PROXY


@pytest.mark.django_db
def test_a_client_that_bypasses_the_proxy_cannot_choose_its_address(client, tenant_a, achter_proxy):
    melder = tenant_a.gebruikers["melder"]
    client.post(
        LOGIN,
        {"username": melder.username, "password": "fout"},
        REMOTE_ADDR="198.51.100.4",
        HTTP_X_FORWARDED_FOR="10.0.0.1",
    )
    assert regels()[0].herkomst == "198.51.100.4"


@pytest.mark.parametrize(
    ("meta", "verwacht"),
    [
        # A client's own X-Forwarded-For entry stays to the left of what the proxy appended: not read.
        ({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.9"}, "203.0.113.9"),
        # Two trusted proxies in a row.
        ({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9, 172.30.0.3"}, "203.0.113.9"),
        # A malformed hop: the last good trusted address, never free text.
        ({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "<script>, 172.30.0.3"}, "172.30.0.3"),
        ({"REMOTE_ADDR": PROXY}, PROXY),
        ({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
        ({"REMOTE_ADDR": "geen adres", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, ""),
    ],
)
def test_client_address_from_the_forwarded_chain(achter_proxy, meta, verwacht):
    assert client_adres(meta) == verwacht


def test_production_believes_x_forwarded_proto_only_behind_the_configured_proxy(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("MELDPUNT_MASTER_KEYS", "1:" + "A" * 43 + "=")
    monkeypatch.setenv("MELDPUNT_BLIND_INDEX_KEY", "A" * 43 + "=")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "meldpunt.example.nl")
    monkeypatch.delenv("MELDPUNT_VERTROUWDE_PROXIES", raising=False)
    module = importlib.reload(importlib.import_module("meldpunt.settings.production"))
    assert not hasattr(module, "SECURE_PROXY_SSL_HEADER") or module.SECURE_PROXY_SSL_HEADER is None
    monkeypatch.setenv("MELDPUNT_VERTROUWDE_PROXIES", "172.30.0.0/24")
    module = importlib.reload(importlib.import_module("meldpunt.settings.production"))
    assert module.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert module.MELDPUNT_VERTROUWDE_PROXIES == ["172.30.0.0/24"]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="bin/test installs docker-compose")
def test_the_compose_file_puts_the_proxy_in_front_and_publishes_no_gunicorn_port():
    compose = Path(__file__).resolve().parents[2] / "docker-compose.yml"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "dummy",
        "POSTGRES_PASSWORD": "dummy",
        "MELDPUNT_MASTER_KEYS": "1:dummy",
        "MELDPUNT_BLIND_INDEX_KEY": "dummy",
        "MELDPUNT_APP_DB_PASSWORD": "dummy",
        "MELDPUNT_LOGBOEK_ANKER_SLEUTEL": "{}",
    }
    uit = subprocess.run(
        ["docker-compose", "-f", str(compose), "config"], env=env, capture_output=True, text=True, check=True
    ).stdout
    services = yaml.safe_load(uit)["services"]
    assert "ports" not in services["web"]
    assert set(services["web"]["networks"]) == {"proxy", "intern"}
    assert services["proxy"]["ports"] and set(services["proxy"]["networks"]) == {"proxy", "buiten"}
    assert yaml.safe_load(uit)["networks"]["proxy"]["internal"] is True
    subnet = yaml.safe_load(uit)["networks"]["proxy"]["ipam"]["config"][0]["subnet"]
    assert services["web"]["environment"]["MELDPUNT_VERTROUWDE_PROXIES"] == subnet
    # Every other service is off the proxy's network: only the proxy reaches gunicorn.
    assert all("proxy" not in s.get("networks", {}) for naam, s in services.items() if naam not in ("web", "proxy"))
