"""Destroying one dossier's personal data: the one code path of the sweep and of an erasure decision.

What is wiped is derived from the models, not listed by hand: every nullable encrypted (binary) column and
every reference to an encrypted file of every model that points at the dossier or at one of its meldingen
(so a module that adds an encrypted field is covered without changing this file). Then the identifying
plain columns of the dossier and its meldingen, the idempotency records, the object permissions, the
files of uploads that still hold its rows, and last the data key itself (crypto-shredding: blind indexes
and encrypted files under the key go with it). Runs inside the caller's transaction, on a locked dossier.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from meldingen.api.models import IdempotentVerzoek
from meldingen.dossiers.models import Dossier
from meldingen.intake.models import Melding
from meldingen.toestemming.models import DossierGebruikerRecht, DossierGroepRecht
from meldingen.toestemming.services import toestemmingen_beeindigen
from meldingen.upload.models import Bestandsupload
from meldingen.upload.verwerking import upload_opruimen
from meldpunt.core.models import User
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import datasleutel_vernietigen

from .workflow import achterstand_klasse


def versleutelde_kolommen() -> Iterator[tuple[type[models.Model], str, list[str], list[str]]]:
    """(model, path to the dossier, its nullable binary columns, its nullable file references)."""
    for model in apps.get_models():
        pad = ""
        for veld in model._meta.concrete_fields:
            if isinstance(veld, models.ForeignKey) and veld.related_model is Dossier:
                pad = veld.name
            elif isinstance(veld, models.ForeignKey) and veld.related_model is Melding and not pad:
                pad = f"{veld.name}__dossier"
        if not pad:
            continue
        binair = [v.attname for v in model._meta.concrete_fields if isinstance(v, models.BinaryField) and v.null]
        bestanden = [
            v.attname
            for v in model._meta.concrete_fields
            if isinstance(v, models.ForeignKey) and v.related_model is VersleuteldBestand and v.null
        ]
        if binair or bestanden:
            yield model, pad, binair, bestanden


def versleutelde_velden() -> dict[str, list[str]]:
    """Every encrypted column this destruction wipes, per model label (for the needle test and the docs)."""
    return {m._meta.label: [*b, *f] for m, _, b, f in versleutelde_kolommen()}


def dossier_wissen(*, dossier: Dossier, reden: str, door: User | None) -> dict[str, int]:
    """Wipe ``dossier`` (locked by the caller, not yet destroyed); returns {category: rows}."""
    categorieen: dict[str, int] = {}
    for model, pad, binair, bestanden in versleutelde_kolommen():
        kolommen = [*binair, *bestanden]
        gevuld = Q()
        for kolom in kolommen:
            gevuld |= Q(**{f"{kolom}__isnull": False})
        aantal = model._default_manager.filter(gevuld, **{pad: dossier}).update(**dict.fromkeys(kolommen))
        if aantal:
            categorieen[str(model._meta.verbose_name_plural)] = aantal

    melding_ids = list(Melding.objects.filter(dossier=dossier).values_list("pk", flat=True))
    IdempotentVerzoek.objects.filter(melding_id__in=melding_ids).delete()
    Melding.objects.filter(pk__in=melding_ids).update(
        referentie_index=None,
        inhoud_index=None,
        achterstand_bedrag=Decimal("0"),
        maandhuur=Decimal("0"),
        postcode_cijfers=0,
        vonnisdatum=None,
        ontruimingsdatum=None,
        minderjarige_kinderen=Case(When(minderjarige_kinderen__gt=0, then=Value(1)), default=Value(0)),
    )
    categorieen["meldingen"] = len(melding_ids)

    uploads = Bestandsupload.objects.filter(
        pk__in=Melding.objects.filter(pk__in=melding_ids, upload__isnull=False).values("upload_id"),
        sleutel__vernietigd_op__isnull=True,
    )
    aantal_uploads = sum(upload_opruimen(upload=upload, door=door) for upload in uploads)
    if aantal_uploads:
        categorieen["bestandsuploads"] = aantal_uploads

    beeindigd = toestemmingen_beeindigen(dossier=dossier, door=door)
    if beeindigd:
        categorieen["toestemmingen beëindigd"] = beeindigd
    rechten = DossierGroepRecht.objects.filter(content_object=dossier).delete()[0]
    rechten += DossierGebruikerRecht.objects.filter(content_object=dossier).delete()[0]
    if rechten:
        categorieen["objectrechten"] = rechten

    nu = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(
        referentie_index=None,
        achterstand_klasse=achterstand_klasse(dossier.achterstand_bedrag),
        achterstand_bedrag=Decimal("0"),
        postcode_cijfers=0,
        ontruimingsdatum=None,
        vernietigd_op=nu,
    )
    vernietiging = datasleutel_vernietigen(
        sleutel=dossier.sleutel,
        reden=reden,
        omschrijving=f"Persoonsgegevens van dossier {dossier.nummer}: " + ", ".join(sorted(categorieen)) + ".",
        door=door,
    )
    if vernietiging.aantal_bestanden:
        categorieen["versleutelde bestanden"] = vernietiging.aantal_bestanden
    if vernietiging.aantal_blinde_indexen:
        categorieen["blinde indexen"] = vernietiging.aantal_blinde_indexen
    categorieen["datasleutel"] = 1
    dossier.vernietigd_op = nu
    return categorieen
