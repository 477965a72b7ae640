"""References without a database constraint still never dangle.

The tables intake fills in bulk refer to reference data (convenant, organisation, user, API token,
upload) without a foreign-key constraint in the database (docs/adr/0008-intake-tabellen.md). Django's
``on_delete`` then is what keeps them whole: every such reference must refuse (PROTECT) or clear
(SET_NULL) on deletion, and does.

Between the tables that hold personal data (melding → dossier → data key ← blind index) the database
checks the reference when the referred row is deleted, not per inserted row
(docs/adr/0009-intake-tienduizend-per-seconde.md): a DELETE of a dossier or key that is still referred
to fails in the database itself, whoever issues it.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
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
#: References to rows that are never deleted: an invoice line names the dossier's anonymous record, which
#: retention keeps (it destroys the personal data, not the row), and an issued line cannot change (a trigger).
NAAR_BLIJVENDE_RIJEN = {("facturatie.FactuurRegel", "dossier")}
#: Foreign keys between tables with personal data: checked by a trigger when the referred row is deleted.
BIJ_VERWIJDEREN_GECONTROLEERD = {
    ("meldingen.Melding", "dossier"),
    ("meldingen.Dossier", "sleutel"),
    ("privacy.BlindeIndex", "sleutel"),
}


def _zonder_databasecontrole() -> set[tuple[str, str]]:
    return {
        (model._meta.label, veld.name)
        for model in apps.get_models()
        for veld in model._meta.concrete_fields
        if veld.is_relation and not veld.db_constraint
    }


def test_only_the_listed_references_go_without_a_database_constraint():
    assert _zonder_databasecontrole() == ZONDER_DATABASECONTROLE | BIJ_VERWIJDEREN_GECONTROLEERD | NAAR_BLIJVENDE_RIJEN


def test_each_reference_between_personal_data_tables_has_its_delete_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgfoid = 'verwijzing_bij_verwijderen'::regproc"
        )
        triggers = cursor.fetchall()
    for label, naam in BIJ_VERWIJDEREN_GECONTROLEERD:
        veld = apps.get_model(label)._meta.get_field(naam)
        verwijzend, kolom = veld.model._meta.db_table, veld.column
        assert any(
            tabel == veld.related_model._meta.db_table
            and "BEFORE DELETE" in definitie
            and f"('{verwijzend}', '{kolom}')" in definitie
            for tabel, definitie in triggers
        ), (label, naam)


def test_the_database_refuses_to_delete_a_dossier_or_key_that_is_referred_to(tenant_a):
    from meldpunt.privacy.models import BlindeIndex

    melding = maak_melding(tenant_a)
    dossier = melding.dossier
    assert BlindeIndex.objects.filter(sleutel_id=dossier.sleutel_id).exists()
    for tabel, pk in (
        ("meldingen_dossier", dossier.pk),  # its meldingen refer to it
        ("privacy_datasleutel", dossier.sleutel_id),  # its dossier and blind indexes refer to it
    ):
        with (
            pytest.raises(IntegrityError, match="kan niet worden verwijderd"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {tabel} WHERE id = %s", [pk])  # noqa: S608 - fixed table names
    # The key's blind indexes alone also keep it (the dossier's reference is the first one checked).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM meldingen_melding WHERE dossier_id = %s", [dossier.pk])
            cursor.execute("DELETE FROM meldingen_dossier WHERE id = %s", [dossier.pk])
        with (
            pytest.raises(IntegrityError, match="privacy_blindeindex"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM privacy_datasleutel WHERE id = %s", [dossier.sleutel_id])
        transaction.set_rollback(True)
    assert Melding.objects.filter(pk=melding.pk).exists()
    # Through the ORM, Django's on_delete refuses first.
    with pytest.raises(ProtectedError), transaction.atomic():
        dossier.delete()


def test_each_of_them_refuses_or_clears_on_deletion_and_points_at_reference_data():
    for label, naam in NAAR_BLIJVENDE_RIJEN:
        assert apps.get_model(label)._meta.get_field(naam).remote_field.on_delete is models.PROTECT, (label, naam)
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
    from meldingen.upload.services import upload_create
    from meldingen.upload.verwerking import upload_verwerken
    from tests.meldingen.upload.helpers import csv_bytes, rij

    upload = upload_create(
        bestand_bytes=csv_bytes([rij(referentie="R-1")]), bestandsnaam="m.csv", door=tenant_a.gebruikers["melder"]
    )
    upload_verwerken(upload_id=upload.pk)
    melding = Melding.objects.get()
    assert melding.upload_id == upload.pk
    upload.delete()
    melding.refresh_from_db()
    assert melding.upload_id is None
