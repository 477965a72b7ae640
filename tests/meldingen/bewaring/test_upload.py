"""An uploaded file that still holds a destroyed dossier's row is shredded with it."""

from __future__ import annotations

import pytest

from meldingen.bewaring.services import dossier_vernietigen
from meldingen.intake.models import Melding
from tests.meldingen.upload.helpers import verwerkte_upload

pytestmark = pytest.mark.django_db


def test_the_upload_file_holding_its_row_is_destroyed_with_the_dossier(tenant_a):
    upload = verwerkte_upload(tenant_a)
    assert not upload.sleutel.vernietigd and upload.bestand_id
    dossier = Melding.objects.filter(upload=upload).get().dossier
    regel = dossier_vernietigen(dossier=dossier, reden="AVG-verzoek 9", door=tenant_a.gebruikers["contactpunt"])
    upload.refresh_from_db()
    assert upload.sleutel.vernietigd and upload.bestand_id is None
    assert regel.categorieen["bestandsuploads"] == 1
