"""The stored files of the requester's dossiers in the answer package (art. 15 lid 3 AVG: a copy of the data,
documents included): the signed consent form, the rapportage PDFs, the information letter, …

Which files belong to a dossier is derived from the models — every reference to a stored file
(:class:`~meldpunt.privacy.models.VersleuteldBestand`) from a model that belongs to a dossier, through the same
derivation the destruction of a dossier uses (:func:`meldingen.bewaring.vernietiging.versleutelde_kolommen`),
so what is shredded and what is handed over agree — plus every other file stored under the dossier's key.
:data:`BESTANDSVELDEN` only names each reference's categories (for the partial decisions) and description; a
test fails when a model gains a reference that is not named here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.db import models
from django.utils import timezone

from meldingen.bewaring.vernietiging import versleutelde_kolommen
from meldingen.dossiers.models import Dossier
from meldingen.informatieplicht.selectors import BRIEF_SOORT as INFORMATIEBRIEF_SOORT
from meldpunt.privacy.models import VersleuteldBestand
from meldpunt.privacy.services import versleuteld_bestand_lezen

from ..raadpleging.models import Categorie


@dataclass(frozen=True)
class Bestandssoort:
    #: Withheld when any of these categories is refused (the full rapportage PDF also shows the contact attempts).
    categorieen: tuple[str, ...]
    omschrijving: str
    #: Added to the file's name in the ZIP, to tell versions of one document apart (``rapportage-…-gemeente.pdf``).
    toevoeging: str = ""


#: Every reference to a stored file from a model of a dossier, as ``app_label.model.field``.
BESTANDSVELDEN: dict[str, Bestandssoort] = {
    "meldingen.toestemming.formulier": Bestandssoort((Categorie.TOESTEMMING,), "Ondertekend toestemmingsformulier"),
    "meldingen.rapportage.pdf": Bestandssoort((Categorie.RAPPORTAGE, Categorie.DOSSIER), "Rapportage (PDF)"),
    "meldingen.rapportage.pdf_gemeente": Bestandssoort(
        (Categorie.RAPPORTAGE,),
        "Rapportage zoals de gemeente die met uw toestemming inziet (PDF, zonder notities)",
        toevoeging="gemeente",
    ),
    "datalekken.datalekdossier.brief": Bestandssoort(
        (Categorie.DOSSIER,), "Brief aan u over een inbreuk in verband met persoonsgegevens (art. 34 AVG)"
    ),
}
#: Files stored under the dossier's key that no model refers to, by their kind.
LOSSE_SOORTEN: dict[str, Bestandssoort] = {
    INFORMATIEBRIEF_SOORT: Bestandssoort((Categorie.DOSSIER,), "Informatiebrief over de verwerking (art. 14 AVG)"),
}
ONBEKEND = Bestandssoort((Categorie.DOSSIER,), "Document uit het dossier")


def bestandsverwijzingen() -> list[tuple[type[models.Model], str, models.ForeignKey[Any, Any]]]:
    """(model, path to the dossier, the reference) for every file reference of a model of a dossier."""
    uit = []
    for model, pad, _binair, bestanden in versleutelde_kolommen():
        for veld in model._meta.concrete_fields:
            if isinstance(veld, models.ForeignKey) and veld.attname in bestanden:
                uit.append((model, pad, veld))
    return uit


def verwijzing_naam(model: type[models.Model], veld: models.Field[Any, Any]) -> str:
    return f"{model._meta.label_lower}.{veld.name}"


@dataclass(frozen=True)
class Bijlage:
    """One stored file of a dossier, decrypted, with where it goes in the ZIP."""

    pad: str
    naam: str
    omschrijving: str
    mime: str
    aangemaakt_op: dt.datetime
    inhoud: bytes

    def als_dict(self) -> dict[str, Any]:
        return {
            "naam": self.naam,
            "soort": self.omschrijving,
            "datum": timezone.localtime(self.aangemaakt_op).isoformat(),
            "type": self.mime,
            "grootte": len(self.inhoud),
            "pad": self.pad,
        }


def _veilige_naam(naam: str, toevoeging: str = "") -> str:
    schoon = PurePosixPath(naam.replace("\\", "/")).name.strip().lstrip(".") or "bestand"
    if toevoeging:
        pad = PurePosixPath(schoon)
        schoon = f"{pad.stem}-{toevoeging}{pad.suffix}"
    return schoon


def _uniek(naam: str, gebruikt: set[str]) -> str:
    if naam not in gebruikt:
        return naam
    pad = PurePosixPath(naam)
    nummer = 2
    while f"{pad.stem} ({nummer}){pad.suffix}" in gebruikt:
        nummer += 1
    return f"{pad.stem} ({nummer}){pad.suffix}"


def dossier_map(dossier: Dossier) -> str:
    return f"dossier-{dossier.nummer}"


def dossier_bijlagen(dossier: Dossier, *, geweigerd: set[str]) -> list[Bijlage]:
    """Every stored file of the dossier whose categories are all granted, decrypted, oldest first; each under
    ``dossier-<nummer>/`` with a unique name."""
    if dossier.sleutel.vernietigd:
        return []
    soorten: dict[Any, Bestandssoort] = {}
    for model, pad, veld in bestandsverwijzingen():
        soort = BESTANDSVELDEN.get(verwijzing_naam(model, veld), ONBEKEND)
        ids = model._default_manager.filter(**{pad: dossier, f"{veld.attname}__isnull": False}).values_list(
            veld.attname, flat=True
        )
        for bestand_id in ids:
            soorten[bestand_id] = soort
    bestanden = (
        VersleuteldBestand.objects.filter(models.Q(pk__in=list(soorten)) | models.Q(sleutel_id=dossier.sleutel_id))
        .select_related("sleutel")
        .defer("inhoud")
    )
    uit: list[Bijlage] = []
    gebruikt: set[str] = set()
    for bestand in bestanden.order_by("aangemaakt_op", "pk"):
        soort = soorten.get(bestand.pk) or LOSSE_SOORTEN.get(bestand.soort, ONBEKEND)
        if geweigerd & set(soort.categorieen):
            continue
        naam, inhoud = versleuteld_bestand_lezen(bestand)
        naam = _uniek(_veilige_naam(naam, soort.toevoeging), gebruikt)
        gebruikt.add(naam)
        uit.append(
            Bijlage(
                pad=f"{dossier_map(dossier)}/{naam}",
                naam=naam,
                omschrijving=soort.omschrijving,
                mime=bestand.mime,
                aangemaakt_op=bestand.aangemaakt_op,
                inhoud=inhoud,
            )
        )
    return uit
