"""References without a database constraint (docs/adr/0008-intake-tabellen.md) still never dangle.

The tables intake fills in bulk refer to reference data (convenant, organisation, user, API token,
upload) without a foreign-key constraint in the database. Django's ``on_delete`` then is what keeps
them whole: every such reference must refuse (PROTECT) or clear (SET_NULL) on deletion, and does.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import ProtectedError

from meldingen.models import Melding
from meldpunt.audit.models import LogRegel
from tests.meldingen.helpers import maak_melding

pytestmark = pytest.mark.django_db

#: Every foreign key without a database constraint, as (model label, field): the list of the ADR.
ZONDER_DATABASECONTROLE = {
    ("meldingen.Dossier", "convenant"),
    ("meldingen.Dossier", "partner"),
    ("meldingen.Melding", "convenant"),
    ("meldingen.Melding", "partner"),
    ("meldingen.Melding", "ingediend_door"),
    ("meldingen.Melding", "api_token"),
    ("meldingen.Melding", "upload"),
    ("meldingen.StatusWijziging", "door"),
    ("audit.LogRegel", "gebruiker"),
    ("audit.LogRegel", "organisatie"),
    ("audit.LogRegel", "convenant"),
}


def _zonder_databasecontrole() -> set[tuple[str, str]]:
    return {
        (model._meta.label, veld.name)
        for model in apps.get_models()
        for veld in model._meta.concrete_fields
        if veld.is_relation and not veld.db_constraint
    }


def test_only_the_listed_references_go_without_a_database_constraint():
    assert _zonder_databasecontrole() == ZONDER_DATABASECONTROLE


def test_each_of_them_refuses_or_clears_on_deletion_and_points_at_reference_data():
    for label, naam in ZONDER_DATABASECONTROLE:
        veld = apps.get_model(label)._meta.get_field(naam)
        assert veld.remote_field.on_delete in (models.PROTECT, models.SET_NULL), (label, naam)
        assert veld.related_model._meta.label in {
            "convenants.Convenant",
            "core.Organisatie",
            "core.User",
            "meldingen.ApiToken",
            "meldingen.Bestandsupload",
        }, (label, naam)


def test_reference_data_named_by_a_melding_cannot_be_deleted(tenant_a):
    melding = maak_melding(tenant_a)
    assert LogRegel.objects.filter(object_id=str(melding.pk)).exists()
    for obj in (tenant_a.partner, tenant_a.convenant, tenant_a.gebruikers["melder"]):
        with pytest.raises(ProtectedError), transaction.atomic():
            obj.delete()
    melding.refresh_from_db()
    assert (melding.partner_id, melding.convenant_id, melding.ingediend_door_id) == (
        tenant_a.partner.pk,
        tenant_a.convenant.pk,
        tenant_a.gebruikers["melder"].pk,
    )


def test_deleting_an_upload_clears_the_reference_of_its_meldingen(tenant_a):
    from meldingen.upload.services import upload_create, upload_verwerken
    from tests.upload.helpers import csv_bytes, rij

    upload = upload_create(
        bestand_bytes=csv_bytes([rij(referentie="R-1")]), bestandsnaam="m.csv", door=tenant_a.gebruikers["melder"]
    )
    upload_verwerken(upload_id=upload.pk)
    melding = Melding.objects.get()
    assert melding.upload_id == upload.pk
    upload.delete()
    melding.refresh_from_db()
    assert melding.upload_id is None
