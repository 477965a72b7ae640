"""What the answer to a request contains: the art. 15 information and the copy of the personal data.

:data:`VERSLEUTELDE_VELDEN` lists every encrypted field that holds data of a dossier, with the category a
participant answers for and the associated data it was encrypted under. A test derives the encrypted fields
from the models themselves and fails when one is missing here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Min, Q

from meldingen.dossiers.models import Dossier
from meldingen.toestemming.models import Toestemming
from meldpunt.audit.models import LogRegel
from meldpunt.core.models import Organisatie
from meldpunt.privacy.kluis import Kluis

from ..raadpleging.models import Categorie


@dataclass(frozen=True)
class VersleuteldVeld:
    model: str  # app_label.modelname
    veld: str
    categorie: str
    context: Callable[[Any], str]
    omschrijving: str


VERSLEUTELDE_VELDEN: tuple[VersleuteldVeld, ...] = (
    VersleuteldVeld(
        "meldingen.melding", "gegevens", Categorie.MELDING, lambda o: o.context, "Melding van de corporatie"
    ),
    VersleuteldVeld(
        "meldingen.statuswijziging",
        "reden",
        Categorie.DOSSIER,
        lambda o: f"meldingen.statuswijziging:{o.dossier_id}",
        "Reden van een statuswijziging",
    ),
    VersleuteldVeld(
        "meldingen.contactpoging",
        "notitie",
        Categorie.DOSSIER,
        lambda o: f"meldingen.contactpoging:{o.pk}",
        "Notitie bij een contactpoging",
    ),
    VersleuteldVeld(
        "meldingen.informatieplicht",
        "toelichting",
        Categorie.DOSSIER,
        lambda o: o.toelichting_context,
        "Informatieplicht",
    ),
    VersleuteldVeld("meldingen.rapportage", "inhoud", Categorie.RAPPORTAGE, lambda o: o.inhoud_context, "Rapportage"),
    VersleuteldVeld(
        "meldingen.toestemming", "bewijs", Categorie.TOESTEMMING, lambda o: o.bewijs_context, "Bewijs van toestemming"
    ),
    VersleuteldVeld(
        "meldingen.afscherming",
        "reden",
        Categorie.TOESTEMMING,
        lambda o: o.reden_context,
        "Reden van beperking of bezwaar",
    ),
    VersleuteldVeld(
        "avg.verzoekdossier", "verklaring", Categorie.DOSSIER, lambda o: o.verklaring_context, "Uw eigen verklaring"
    ),
)


def kopie_persoonsgegevens(dossier: Dossier, *, geweigerd: set[str]) -> dict[str, Any]:
    """Every encrypted value of the dossier, decrypted, per model; categories in ``geweigerd`` are left out
    (an exception of art. 41 UAVG applies to them) and named as withheld."""
    kluis = Kluis(dossier.sleutel)
    uit: dict[str, Any] = {}
    for veld in VERSLEUTELDE_VELDEN:
        if veld.categorie in geweigerd:
            continue
        model = apps.get_model(veld.model)
        waarden = []
        for obj in model._default_manager.filter(dossier=dossier).order_by("pk"):
            blob = getattr(obj, veld.veld)
            if blob:
                waarden.append(kluis.ontsleutel(bytes(blob), context=veld.context(obj)))
        if waarden:
            uit[f"{veld.model}.{veld.veld}"] = {"omschrijving": veld.omschrijving, "waarden": waarden}
    return uit


def ontvangers_uit_logboek(dossier: Dossier) -> list[dict[str, Any]]:
    """Which organisations processed (read, exported, changed) the dossier's data and when (art. 15 lid 1 sub c),
    from the Logboek."""
    melding_ids = [str(pk) for pk in dossier.meldingen.values_list("pk", flat=True)]
    rijen = (
        LogRegel.objects.filter(
            Q(object_type="meldingen.dossier", object_id=str(dossier.pk))
            | Q(object_type="meldingen.melding", object_id__in=melding_ids),
            organisatie__isnull=False,
            resultaat="gelukt",
        )
        .exclude(actie="autorisatie_geweigerd")
        .values("organisatie_id")
        .annotate(eerste=Min("tijdstip"), laatste=Max("tijdstip"), aantal=Count("id"))
        .order_by("eerste")
    )
    namen = dict(Organisatie.objects.filter(pk__in=[r["organisatie_id"] for r in rijen]).values_list("pk", "naam"))
    return [
        {
            "organisatie": namen.get(r["organisatie_id"], ""),
            "eerste": r["eerste"].isoformat(),
            "laatste": r["laatste"].isoformat(),
            "aantal": r["aantal"],
        }
        for r in rijen
    ]


def toestemmingsgeschiedenis(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "ontvanger": t.ontvanger.naam,
            "scope": t.get_scope_display(),
            "gegeven_op": t.gegeven_op.isoformat(),
            "wijze": t.get_wijze_display(),
            "beeindigd_op": t.beeindigd_op.isoformat() if t.beeindigd_op else None,
            "einde": t.get_einde_display() if t.einde else "",
        }
        for t in Toestemming.objects.filter(dossier=dossier).select_related("ontvanger").order_by("gegeven_op", "pk")
    ]


DOELEN = [
    "Vroegsignalering van huurachterstanden: de huurder vroeg hulp aanbieden, om schulden en huisuitzetting "
    "te voorkomen.",
    "Uitvoering van het convenant door gemeente, corporatie en uitvoerder (gezamenlijke verwerking).",
]
RECHTEN = [
    "Inzage (art. 15 AVG)",
    "Rectificatie (art. 16 AVG)",
    "Wissing (art. 17 AVG)",
    "Beperking van de verwerking (art. 18 AVG)",
    "Overdraagbaarheid (art. 20 AVG)",
    "Bezwaar (art. 21 AVG)",
    "Intrekken van toestemming (art. 7 lid 3 AVG)",
    "Een klacht indienen bij de Autoriteit Persoonsgegevens",
]


def artikel15_informatie(dossier: Dossier) -> dict[str, Any]:
    convenant = dossier.convenant
    parameters = convenant.parameters_voor(dt.date.today().year)
    bewaar = getattr(parameters, "bewaartermijn_uitvoerder_maanden", 12)
    return {
        "dossier": dossier.nummer,
        "convenant": convenant.naam,
        "verwerkingsverantwoordelijken": [convenant.gemeente.naam, dossier.partner.naam],
        "verwerker": convenant.uitvoerder.naam,
        "doelen": DOELEN,
        "grondslagen": [
            f"{convenant.gemeente.naam}: art. 6 lid 1 sub e AVG (taak van algemeen belang)",
            f"{dossier.partner.naam}: art. 6 lid 1 sub f AVG (gerechtvaardigd belang)",
        ],
        "categorieen": [c.label for c in Categorie],
        "bron": f"{dossier.partner.naam} (melding van een huurachterstand)",
        "ontvangers": ontvangers_uit_logboek(dossier),
        "bewaartermijn": f"{bewaar} maanden na afsluiting van het traject",
        "rechten": RECHTEN,
        "toestemmingen": toestemmingsgeschiedenis(dossier),
    }
