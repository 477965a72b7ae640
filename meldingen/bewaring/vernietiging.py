"""Destroying one dossier's personal data: the one code path of the sweep and of an erasure decision.

What is wiped is derived from the models, not listed by hand: every nullable encrypted (binary) column and
every reference to an encrypted file of every model that points at the dossier or at one of its meldingen
(so a module that adds an encrypted field is covered without changing this file). Then the identifying
plain columns of the dossier and its meldingen, the idempotency records, the object permissions, the
files of uploads that still hold its rows, and last the data key itself (crypto-shredding: blind indexes
and encrypted files under the key go with it). Runs inside the caller's transaction, on a locked dossier.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from meldingen.api.models import IdempotentVerzoek
from meldingen.dossiers.models import Dossier
from meldingen.intake.models import Melding
from meldingen.toestemming.models import DossierGebruikerRecht, DossierGroepRecht, Toestemming
from meldingen.toestemming.services import toestemmingen_beeindigen
from meldingen.upload.models import Bestandsupload
from meldingen.upload.verwerking import upload_opruimen
from meldpunt.core.models import User
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import datasleutels_vernietigen

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


@functools.cache
def _wisplan() -> list[tuple[type[models.Model], str, str, list[str], Q]]:
    """Derived once per process: (model, path to the dossier, category, columns to wipe, "any of them set")."""
    plan = []
    for model, pad, binair, bestanden in versleutelde_kolommen():
        kolommen = [*binair, *bestanden]
        gevuld = Q()
        for kolom in kolommen:
            gevuld |= Q(**{f"{kolom}__isnull": False})
        plan.append((model, pad, str(model._meta.verbose_name_plural), kolommen, gevuld))
    return plan


def _per_dossier(qs: QuerySet[Any], pad: str) -> dict[Any, int]:
    return dict(qs.order_by().values_list(pad).annotate(n=Count("pk")))


def dossier_wissen(*, dossier: Dossier, reden: str, door: User | None) -> dict[str, int]:
    """Wipe ``dossier`` (locked by the caller, not yet destroyed); returns {category: rows}."""
    return dossiers_wissen(dossiers=[dossier], reden=reden, door=door)[dossier.pk]


def dossiers_wissen(*, dossiers: Sequence[Dossier], reden: str, door: User | None) -> dict[Any, dict[str, int]]:
    """Wipe ``dossiers`` (locked by the caller, not yet destroyed, ``sleutel`` loaded) with one statement
    per table for all of them; returns {dossier id: {category: rows}}. All or nothing with the caller's
    transaction; the data keys go last."""
    ids = [d.pk for d in dossiers]
    categorieen: dict[Any, dict[str, int]] = {pk: {} for pk in ids}

    def tellen(aantallen: dict[Any, int], categorie: str) -> None:
        for dossier_id, aantal in aantallen.items():
            if aantal:
                categorieen[dossier_id][categorie] = categorieen[dossier_id].get(categorie, 0) + aantal

    for model, pad, categorie, kolommen, gevuld in _wisplan():
        qs = model._default_manager.filter(gevuld, **{f"{pad}__in": ids})
        aantallen = _per_dossier(qs, pad)
        if aantallen:
            qs.update(**dict.fromkeys(kolommen))
            tellen(aantallen, categorie)

    meldingen = list(Melding.objects.filter(dossier_id__in=ids).order_by().values_list("pk", "dossier_id", "upload_id"))
    melding_ids = [pk for pk, _, _ in meldingen]
    if melding_ids:
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
    for dossier_id in ids:
        categorieen[dossier_id]["meldingen"] = 0
    for _, dossier_id, _ in meldingen:
        categorieen[dossier_id]["meldingen"] += 1

    # An upload can hold meldingen of several dossiers: it counts for the first of them in this batch.
    upload_dossier: dict[Any, Any] = {}
    for dossier_id in ids:
        for _, van, upload_id in meldingen:
            if van == dossier_id and upload_id is not None:
                upload_dossier.setdefault(upload_id, dossier_id)
    if upload_dossier:
        for upload in Bestandsupload.objects.filter(pk__in=upload_dossier, sleutel__vernietigd_op__isnull=True):
            tellen({upload_dossier[upload.pk]: int(upload_opruimen(upload=upload, door=door))}, "bestandsuploads")

    met_toestemming = set(
        Toestemming.objects.filter(dossier_id__in=ids, beeindigd_op__isnull=True).values_list("dossier_id", flat=True)
    )
    for dossier in dossiers:
        if dossier.pk in met_toestemming:
            tellen({dossier.pk: toestemmingen_beeindigen(dossier=dossier, door=door)}, "toestemmingen beëindigd")
    for recht_model in (DossierGroepRecht, DossierGebruikerRecht):
        rechten = recht_model.objects.filter(content_object_id__in=ids)
        aantallen = _per_dossier(rechten, "content_object_id")
        if aantallen:
            rechten.delete()
            tellen(aantallen, "objectrechten")

    nu = timezone.now()
    per_klasse: dict[str, list[Any]] = {}
    for dossier in dossiers:
        per_klasse.setdefault(achterstand_klasse(dossier.achterstand_bedrag), []).append(dossier.pk)
    for klasse, klasse_ids in per_klasse.items():
        Dossier.objects.filter(pk__in=klasse_ids).update(
            referentie_index=None,
            achterstand_klasse=klasse,
            achterstand_bedrag=Decimal("0"),
            postcode_cijfers=0,
            ontruimingsdatum=None,
            vernietigd_op=nu,
        )
    vernietigingen = datasleutels_vernietigen(
        omschrijvingen={
            d.sleutel_id: f"Persoonsgegevens van dossier {d.nummer}: " + ", ".join(sorted(categorieen[d.pk])) + "."
            for d in dossiers
        },
        reden=reden,
        door=door,
    )
    for dossier in dossiers:
        vernietiging = vernietigingen[dossier.sleutel_id]
        tellen({dossier.pk: vernietiging.aantal_bestanden}, "versleutelde bestanden")
        tellen({dossier.pk: vernietiging.aantal_blinde_indexen}, "blinde indexen")
        categorieen[dossier.pk]["datasleutel"] = 1
        dossier.vernietigd_op = nu
    return categorieen
