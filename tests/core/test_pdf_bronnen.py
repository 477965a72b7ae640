"""Issue 15 item 13: a PDF fetches nothing outside the project's static files."""

from __future__ import annotations

import ast
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from avg.besluiten.pakket import pdf as avg_pdf
from meldingen.informatieplicht.brief import informatiebrief_pdf
from meldpunt.core.pdf import BronGeweigerd, pdf_render, statisch_bestand

# A 1x1 PNG: if WeasyPrint embeds it, the PDF contains an image XObject.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@pytest.fixture
def server():
    """A local HTTP server that counts what is asked of it (the internal address an attacker names)."""
    verzoeken: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            verzoeken.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    draad = threading.Thread(target=httpd.serve_forever, daemon=True)
    draad.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", verzoeken
    httpd.shutdown()


def _aanval(tmp_path: Path, basis: str) -> str:
    plaatje = tmp_path / "geheim.png"
    plaatje.write_bytes(PNG)
    return (
        f'<html><head><link rel="stylesheet" href="{basis}/stijl.css">'
        f"<style>@import url('{basis}/import.css'); body {{ background: url('file://{plaatje}') }}</style>"
        f'</head><body><img src="file://{plaatje}"><img src="file:///etc/passwd">'
        f'<img src="{basis}/plaatje.png"><img src="data:image/png;base64,iVBORw0KGgo=">'
        f'<img src="/static/../../../../etc/passwd"><p>Brief</p></body></html>'
    )


@pytest.mark.parametrize("render", [pdf_render, informatiebrief_pdf, avg_pdf], ids=["core", "brief", "avg"])
def test_geen_bestand_en_geen_netwerk(render, server, tmp_path):
    basis, verzoeken = server
    pdf = render(_aanval(tmp_path, basis))
    assert pdf.startswith(b"%PDF")
    assert verzoeken == []  # nothing was asked of the internal address
    assert b"/Image" not in pdf  # the local file was not embedded


def test_statische_bestanden_wel():
    inhoud, mime = statisch_bestand(f"https://statisch.meldpunt.invalid{settings.STATIC_URL}vendor/htmx/htmx.min.js")
    assert inhoud and "javascript" in mime
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "data:image/png;base64,AAAA",
        f"https://statisch.meldpunt.invalid{settings.STATIC_URL}../settings.py",
        f"https://statisch.meldpunt.invalid{settings.STATIC_URL}%2e%2e/%2e%2e/etc/passwd",
        f"https://andere.host{settings.STATIC_URL}vendor/htmx/htmx.min.js",
        f"https://statisch.meldpunt.invalid{settings.STATIC_URL}bestaat/niet.png",
    ):
        with pytest.raises(BronGeweigerd):
            statisch_bestand(url)


def test_een_statisch_plaatje_komt_in_de_pdf(tmp_path, settings):
    map_ = tmp_path / "statisch"
    map_.mkdir()
    (map_ / "logo.png").write_bytes(PNG)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, map_]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()
    try:
        assert b"/Image" in pdf_render('<img src="/static/logo.png">')
    finally:
        finders.get_finder.cache_clear()


def test_alleen_meldpunt_core_roept_weasyprint_aan():
    """Every PDF goes through meldpunt.core.pdf: no other module imports WeasyPrint."""
    wortel = Path(settings.BASE_DIR)
    overtreders = []
    for bestand in wortel.rglob("*.py"):
        deel = bestand.relative_to(wortel).parts
        if deel[0] in {".venv", "node_modules", "tests", "bench"} or (
            bestand.name == "pdf.py"
            and deel[:2]
            == (
                "meldpunt",
                "core",
            )
        ):
            continue
        for knoop in ast.walk(ast.parse(bestand.read_text())):
            if isinstance(knoop, ast.ImportFrom) and (knoop.module or "").startswith("weasyprint"):
                overtreders.append(str(bestand.relative_to(wortel)))
            if isinstance(knoop, ast.Import) and any(n.name.startswith("weasyprint") for n in knoop.names):
                overtreders.append(str(bestand.relative_to(wortel)))
    assert overtreders == []
