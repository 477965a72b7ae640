"""The official SI-UBL 2.0 validation stylesheet, compiled once per test session (it takes seconds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

STANDAARD = Path(__file__).resolve().parents[2] / "standards" / "si-ubl-2.0"
SVRL = "http://purl.oclc.org/dsdl/svrl"


@pytest.fixture(scope="session")
def si_ubl_validatie() -> Iterator[Callable[[bytes], tuple[list[str], list[str]]]]:
    """``valideer(xml) -> (fatal, warnings)``: the texts of the failed assertions of the SVRL report."""
    from saxonche import PySaxonProcessor

    with PySaxonProcessor(license=False) as processor:
        xslt = processor.new_xslt30_processor()
        stylesheet = xslt.compile_stylesheet(stylesheet_file=str(STANDAARD / "si-ubl-2.0.xsl"))

        def valideer(xml: bytes) -> tuple[list[str], list[str]]:
            document = processor.parse_xml(xml_text=xml.decode("utf-8"))
            rapport = etree.fromstring(stylesheet.transform_to_string(xdm_node=document).encode("utf-8"))
            fataal, waarschuwing = [], []
            for fout in rapport.iter(f"{{{SVRL}}}failed-assert"):
                tekst = f"{fout.get('id')}: {' '.join(''.join(fout.itertext()).split())}"
                (fataal if fout.get("flag") == "fatal" else waarschuwing).append(tekst)
            return fataal, waarschuwing

        yield valideer
