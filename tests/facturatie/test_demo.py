from __future__ import annotations

import pytest

from facturatie.demo import demo_factuurgegevens_laden
from tests.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


def test_demo_details_are_filled_in_once():
    gemeente = OrganisatieFactory(gemeente=True, naam="Gemeente Diemen", slug="gemeente-diemen")
    assert demo_factuurgegevens_laden() == 1
    gemeente.refresh_from_db()
    assert gemeente.factuurgegevens_compleet and gemeente.iban == "NL91ABNA0417164300"
    assert demo_factuurgegevens_laden() == 0
