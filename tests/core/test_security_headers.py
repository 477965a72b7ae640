"""Strict CSP, frame and content-type headers on every page; production hardening settings."""

from __future__ import annotations

import importlib
import os

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url_name", ["core:login", "core:home"])
def test_strict_csp_and_headers(client, inloggen, tenant_a, url_name):
    inloggen(tenant_a.gebruikers["melder"])
    response = client.get(reverse(url_name))
    csp = _csp(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert csp["default-src"] == "default-src 'none'"
    assert csp["script-src"] == "script-src 'self'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client, inloggen, platformbeheerder, tenant_a):
    inloggen(platformbeheerder)
    for url in [reverse("core:home"), reverse("convenanten:detail", args=[tenant_a.convenant.slug])]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_production_settings_are_hardened(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("MELDPUNT_MASTER_KEYS", "1:" + "A" * 43 + "=")
    monkeypatch.setenv("MELDPUNT_BLIND_INDEX_KEY", "A" * 43 + "=")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "meldpunt.example.nl")
    module = importlib.import_module("meldpunt.settings.production")
    module = importlib.reload(module)
    assert module.DEBUG is False
    assert module.SECURE_HSTS_SECONDS >= 31536000 and module.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert module.SESSION_COOKIE_SECURE and module.CSRF_COOKIE_SECURE and module.SECURE_SSL_REDIRECT
    assert module.SESSION_COOKIE_HTTPONLY
    assert os.environ["DJANGO_SECRET_KEY"] == module.SECRET_KEY


def test_production_requires_a_secret_key(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(importlib.import_module("meldpunt.settings.production"))
