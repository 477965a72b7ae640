"""The rules every melding must meet, whatever the channel (form, file, API).

Each channel first parses its own input into a :class:`MeldingInvoer` of Python values (the API with
its serializer, the file with the Dutch formats of API.md, the form with Django fields) and then calls
:func:`valideer_melding`, which applies DOMAIN.md "Melding: what a Partner submits": eligibility per the
convenant's parameters, the voortraject dates, EO versus VEO, plausible dates and amounts, an active
convenant the organisation is a Partner in. Errors are keyed by dotted path (``achterstand.maanden``),
with Dutch messages, so each channel can show them per field (API), per column (file) or per input
(form).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from convenants.models import Convenant, ConvenantParameters
from convenants.selectors import actief_filter
from meldingen.dossiers.workflow import MeldingType
from meldpunt.core.invoercontrole import tekst_fout
from meldpunt.core.models import Organisatie
from meldpunt.privacy.blind import normaliseer_postcode

MAX_BEDRAG = Decimal("100000.00")
MAX_MAANDHUUR = Decimal("10000.00")
MAX_LENGTE = {
    "referentie": 100,
    "huurder.achternaam": 200,
    "huurder.voornamen": 200,
    "huurder.voorletters": 20,
    "huurder.telefoon": 20,
    "huurder.email": 254,
    "adres.straat": 200,
    "adres.toevoeging": 10,
    "adres.woonplaats": 100,
}
#: (path, attribute, maximum length) of :data:`MAX_LENGTE`.
_LENGTES = tuple((pad, pad.split(".")[-1], lengte) for pad, lengte in MAX_LENGTE.items())
_VERPLICHT = (
    ("referentie", "referentie", "Vul de referentie (contractnummer) in."),
    ("huurder.achternaam", "achternaam", "Vul de achternaam in."),
    ("adres.straat", "straat", "Vul de straat in."),
    ("adres.woonplaats", "woonplaats", "Vul de woonplaats in."),
)
#: The text fields of :class:`MeldingInvoer`, stripped before validation.
_TEKSTVELDEN = (
    "convenant",
    "type",
    "referentie",
    "achternaam",
    "voornamen",
    "voorletters",
    "telefoon",
    "email",
    "straat",
    "toevoeging",
    "postcode",
    "woonplaats",
)
#: (path, attribute) of every free text checked for control and invisible characters.
_HYGIENE = (*((pad, naam) for pad, naam, _ in _LENGTES), ("adres.postcode", "postcode"))
_TYPES = frozenset(MeldingType.values)
_TELEFOON = re.compile(r"^(\+31|0031|0)[1-9][0-9]{8}$")
_TELEFOON_SCHEIDING = re.compile(r"[\s\-()]")
_VOORLETTERS = re.compile(r"^([A-Za-zÀ-ÿ]{1,3}\.?\s?)+$")

Fouten = dict[str, list[str]]


@dataclass
class MeldingInvoer:
    convenant: str = ""
    type: str = ""
    referentie: str = ""
    achternaam: str = ""
    voornamen: str = ""
    voorletters: str = ""
    geboortedatum: dt.date | None = None
    telefoon: str = ""
    email: str = ""
    straat: str = ""
    huisnummer: int | None = None
    toevoeging: str = ""
    postcode: str = ""
    woonplaats: str = ""
    minderjarige_kinderen: int | None = 0
    bedrag: Decimal | None = None
    maanden: int | None = None
    herhaald: bool = False
    maandhuur: Decimal | None = None
    herinnering_op: dt.date | None = None
    contactpoging_op: dt.date | None = None
    informatie_doorgifte_op: dt.date | None = None
    vonnisdatum: dt.date | None = None
    ontruimingsdatum: dt.date | None = None
    eo_opgegeven: bool = False

    def gegevens(self) -> dict[str, object]:
        """The submitted data in the API's nested shape (what gets encrypted and shown back)."""
        d = lambda v: v.isoformat() if v else None  # noqa: E731
        return {
            "convenant": self.convenant,
            "type": self.type,
            "referentie": self.referentie,
            "huurder": {
                "achternaam": self.achternaam,
                "voornamen": self.voornamen,
                "voorletters": self.voorletters,
                "geboortedatum": d(self.geboortedatum),
                "telefoon": self.telefoon,
                "email": self.email,
            },
            "adres": {
                "straat": self.straat,
                "huisnummer": self.huisnummer,
                "toevoeging": self.toevoeging,
                "postcode": self.postcode,
                "woonplaats": self.woonplaats,
            },
            "huishouden": {"minderjarige_kinderen": self.minderjarige_kinderen},
            "achterstand": {
                "bedrag": f"{self.bedrag:.2f}" if self.bedrag is not None else None,
                "maanden": self.maanden,
                "herhaald": self.herhaald,
                "maandhuur": f"{self.maandhuur:.2f}" if self.maandhuur is not None else None,
            },
            "voortraject": {
                "herinnering_op": d(self.herinnering_op),
                "contactpoging_op": d(self.contactpoging_op),
                "informatie_doorgifte_op": d(self.informatie_doorgifte_op),
            },
            "eo": {"vonnisdatum": d(self.vonnisdatum), "ontruimingsdatum": d(self.ontruimingsdatum)}
            if self.type == MeldingType.EO
            else None,
        }

    @classmethod
    def uit_gegevens(cls, gegevens: Mapping[str, Any]) -> MeldingInvoer:
        """The invoer whose :meth:`gegevens` these are (of a valid melding: amounts with two decimals)."""
        d = lambda v: dt.date.fromisoformat(v) if v else None  # noqa: E731
        b = lambda v: Decimal(v) if v is not None else None  # noqa: E731
        h, a, ach, vt = gegevens["huurder"], gegevens["adres"], gegevens["achterstand"], gegevens["voortraject"]
        eo = gegevens["eo"] or {}
        return cls(
            convenant=gegevens["convenant"],
            type=gegevens["type"],
            referentie=gegevens["referentie"],
            achternaam=h["achternaam"],
            voornamen=h["voornamen"],
            voorletters=h["voorletters"],
            geboortedatum=d(h["geboortedatum"]),
            telefoon=h["telefoon"],
            email=h["email"],
            straat=a["straat"],
            huisnummer=a["huisnummer"],
            toevoeging=a["toevoeging"],
            postcode=a["postcode"],
            woonplaats=a["woonplaats"],
            minderjarige_kinderen=gegevens["huishouden"]["minderjarige_kinderen"],
            bedrag=b(ach["bedrag"]),
            maanden=ach["maanden"],
            herhaald=ach["herhaald"],
            maandhuur=b(ach["maandhuur"]),
            herinnering_op=d(vt["herinnering_op"]),
            contactpoging_op=d(vt["contactpoging_op"]),
            informatie_doorgifte_op=d(vt["informatie_doorgifte_op"]),
            vonnisdatum=d(eo.get("vonnisdatum")),
            ontruimingsdatum=d(eo.get("ontruimingsdatum")),
            eo_opgegeven=gegevens["eo"] is not None,
        )

    def canoniek(self) -> str:
        """:meth:`gegevens` as canonical JSON: exactly ``json.dumps(self.gegevens(), sort_keys=True,
        ensure_ascii=False, separators=(",", ":"))``, written out directly (keys in sorted order).

        What is encrypted and what the content index covers, for every melding of every channel; bulk
        intake makes one per row, and this is several times cheaper than building the dict and encoding
        it. The text fields are text (as after ``valideer_melding``). ``tests/meldingen/test_canoniek.py``
        checks the equality for arbitrary values.
        """
        t, w, d = encode_basestring, _json_waarde, _json_datum
        bedrag = "null" if self.bedrag is None else f'"{self.bedrag:.2f}"'
        maandhuur = "null" if self.maandhuur is None else f'"{self.maandhuur:.2f}"'
        eo = (
            f'{{"ontruimingsdatum":{d(self.ontruimingsdatum)},"vonnisdatum":{d(self.vonnisdatum)}}}'
            if self.type == MeldingType.EO
            else "null"
        )
        return (
            f'{{"achterstand":{{"bedrag":{bedrag},"herhaald":{w(self.herhaald)},"maanden":{w(self.maanden)},'
            f'"maandhuur":{maandhuur}}},'
            f'"adres":{{"huisnummer":{w(self.huisnummer)},"postcode":{t(self.postcode)},"straat":{t(self.straat)},'
            f'"toevoeging":{t(self.toevoeging)},"woonplaats":{t(self.woonplaats)}}},'
            f'"convenant":{t(self.convenant)},"eo":{eo},'
            f'"huishouden":{{"minderjarige_kinderen":{w(self.minderjarige_kinderen)}}},'
            f'"huurder":{{"achternaam":{t(self.achternaam)},"email":{t(self.email)},'
            f'"geboortedatum":{d(self.geboortedatum)},"telefoon":{t(self.telefoon)},'
            f'"voorletters":{t(self.voorletters)},"voornamen":{t(self.voornamen)}}},'
            f'"referentie":{t(self.referentie)},"type":{t(self.type)},'
            f'"voortraject":{{"contactpoging_op":{d(self.contactpoging_op)},"herinnering_op":{d(self.herinnering_op)},'
            f'"informatie_doorgifte_op":{d(self.informatie_doorgifte_op)}}}}}'
        )


def _json_datum(waarde: dt.date | None) -> str:
    """A date field as :meth:`MeldingInvoer.gegevens` has it in JSON: ``"2026-10-01"`` or ``null``."""
    return f'"{waarde.isoformat()}"' if waarde else "null"


def _json_waarde(waarde: object) -> str:
    """A value as ``json.dumps(waarde, ensure_ascii=False)`` gives it, with the usual types done directly."""
    if waarde is None:
        return "null"
    if waarde is True:
        return "true"
    if waarde is False:
        return "false"
    if type(waarde) is int:
        return int.__repr__(waarde)
    return json.dumps(waarde, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Uitkomst:
    """The result of validation: clean input and its convenant, or errors."""

    invoer: MeldingInvoer
    convenant: Convenant | None = None
    fouten: Fouten = field(default_factory=dict)
    #: True when the convenant exists but the organisation is not a Partner in it (API: 403).
    geen_partner: bool = False

    @property
    def geldig(self) -> bool:
        return not self.fouten


def euro(bedrag: Decimal) -> str:
    """Dutch notation without the sign: 100000 → 100.000,00."""
    return f"{bedrag:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _fout(fouten: Fouten, pad: str, bericht: str) -> None:
    fouten.setdefault(pad, []).append(bericht)


def _verleden(fouten: Fouten, pad: str, datum: dt.date | None, vandaag: dt.date, naam: str, verplicht: bool) -> None:
    if datum is None:
        if verplicht:
            _fout(fouten, pad, f"Vul de datum in: {naam}.")
        return
    if datum > vandaag:
        _fout(fouten, pad, f"De datum ({naam}) ligt in de toekomst.")
    elif datum < _vijf_jaar_terug(vandaag):
        _fout(fouten, pad, f"De datum ({naam}) ligt meer dan vijf jaar terug.")


@lru_cache(maxsize=8)
def _vijf_jaar_terug(vandaag: dt.date) -> dt.date:
    return vandaag - relativedelta(years=5)


def leeftijd(vandaag: dt.date, geboortedatum: dt.date) -> int:
    """Whole years from ``geboortedatum`` to ``vandaag`` (not before it), as ``relativedelta(...).years``.

    Like relativedelta, someone born on 29 February has a birthday on 28 February in other years.
    """
    jaren = vandaag.year - geboortedatum.year
    if vandaag.month < geboortedatum.month or (
        vandaag.month == geboortedatum.month
        and min(geboortedatum.day, calendar.monthrange(vandaag.year, vandaag.month)[1]) > vandaag.day
    ):
        jaren -= 1
    return jaren


@dataclass(frozen=True)
class ConvenantStand:
    """What validation needs to know of one convenant for one Partner on one day (cacheable per batch)."""

    convenant: Convenant | None
    is_partner: bool
    actief: bool
    parameters: ConvenantParameters | None


def convenant_stand(slug: str, partner: Organisatie, vandaag: dt.date) -> ConvenantStand:
    convenant = Convenant.objects.filter(slug=slug).first()
    if convenant is None:
        return ConvenantStand(None, False, False, None)
    return ConvenantStand(
        convenant=convenant,
        is_partner=convenant.deelnames.filter(partner=partner).exists(),
        actief=Convenant.objects.filter(actief_filter(vandaag), pk=convenant.pk).exists(),
        parameters=convenant.parameters_voor(vandaag.year),
    )


def _convenant(invoer: MeldingInvoer, stand: ConvenantStand, uitkomst: Uitkomst) -> None:
    if not invoer.convenant:
        _fout(uitkomst.fouten, "convenant", "Kies het convenant.")
    elif stand.convenant is None:
        _fout(uitkomst.fouten, "convenant", "Dit convenant bestaat niet.")
    elif not stand.is_partner:
        uitkomst.geen_partner = True
        _fout(uitkomst.fouten, "convenant", "Uw organisatie is geen partner in dit convenant.")
    elif not stand.actief:
        _fout(uitkomst.fouten, "convenant", "Dit convenant is niet actief; meldingen zijn niet mogelijk.")
    else:
        uitkomst.convenant = stand.convenant


def valideer_melding(
    invoer: MeldingInvoer,
    *,
    partner: Organisatie,
    vandaag: dt.date,
    standen: dict[str, ConvenantStand] | None = None,
    overnemen: bool = False,
) -> Uitkomst:
    """Apply every rule; ``standen`` caches convenant lookups across the rows of one batch.

    Works on a copy of ``invoer`` with its texts stripped, so the caller's invoer is left as it is. A
    caller that made ``invoer`` for this call only, with stripped texts (the file parser), passes
    ``overnemen=True``: the invoer itself is then validated and completed, without a copy.
    """
    if overnemen:
        velden = invoer.__dict__
    else:
        velden = dict(invoer.__dict__)
        for naam in _TEKSTVELDEN:
            velden[naam] = velden[naam].strip()
        invoer = object.__new__(MeldingInvoer)
        invoer.__dict__.update(velden)
    uitkomst = Uitkomst(invoer=invoer)
    f = uitkomst.fouten
    standen = {} if standen is None else standen
    if invoer.convenant not in standen:
        standen[invoer.convenant] = convenant_stand(invoer.convenant, partner, vandaag)
    stand = standen[invoer.convenant]
    _convenant(invoer, stand, uitkomst)

    for pad, naam, lengte in _LENGTES:
        if len(velden[naam]) > lengte:
            _fout(f, pad, f"Ten hoogste {lengte} tekens.")
    for pad, naam in _HYGIENE:
        if velden[naam] and (bericht := tekst_fout(velden[naam])):
            _fout(f, pad, bericht)
    for pad, naam, bericht in _VERPLICHT:
        if not velden[naam] and pad not in f:
            _fout(f, pad, bericht)
    if not invoer.voornamen and not invoer.voorletters:
        _fout(f, "huurder.voornamen", "Vul de voornamen of de voorletters in.")
    if invoer.voorletters and "huurder.voorletters" not in f and not _VOORLETTERS.match(invoer.voorletters):
        _fout(f, "huurder.voorletters", "Voorletters zoals P. of P.J.")

    if invoer.type not in _TYPES:
        _fout(f, "type", "Kies VEO of EO.")

    # Huurder
    if invoer.geboortedatum is None:
        _fout(f, "huurder.geboortedatum", "Vul de geboortedatum in.")
    else:
        if invoer.geboortedatum > vandaag:
            _fout(f, "huurder.geboortedatum", "De geboortedatum ligt in de toekomst.")
        elif (jaren := leeftijd(vandaag, invoer.geboortedatum)) < 18:
            _fout(f, "huurder.geboortedatum", "De huurder moet ten minste 18 jaar oud zijn.")
        elif jaren > 120:
            _fout(f, "huurder.geboortedatum", "Deze geboortedatum is niet mogelijk (ouder dan 120 jaar).")
    if invoer.telefoon and "huurder.telefoon" not in f:
        nummer = _TELEFOON_SCHEIDING.sub("", invoer.telefoon)
        if not _TELEFOON.match(nummer):
            _fout(f, "huurder.telefoon", "Vul een Nederlands telefoonnummer in, bijvoorbeeld 0612345678.")
        else:
            invoer.telefoon = nummer
    if invoer.email and "huurder.email" not in f:
        try:
            validate_email(invoer.email)
        except ValidationError:
            _fout(f, "huurder.email", "Vul een geldig e-mailadres in.")

    # Adres
    if invoer.huisnummer is None:
        _fout(f, "adres.huisnummer", "Vul het huisnummer in.")
    elif not 1 <= invoer.huisnummer <= 99999:
        _fout(f, "adres.huisnummer", "Een huisnummer ligt tussen 1 en 99999.")
    postcode = normaliseer_postcode(invoer.postcode)
    if postcode is None:
        _fout(f, "adres.postcode", "Vul een postcode in zoals 1234 AB.")
    else:
        invoer.postcode = f"{postcode[:4]} {postcode[4:]}"

    # Huishouden
    if invoer.minderjarige_kinderen is None:
        invoer.minderjarige_kinderen = 0
    elif not 0 <= invoer.minderjarige_kinderen <= 20:
        _fout(f, "huishouden.minderjarige_kinderen", "Vul een aantal van 0 tot en met 20 in.")

    # Achterstand
    for pad, waarde, maximum, naam in (
        ("achterstand.bedrag", invoer.bedrag, MAX_BEDRAG, "Het achterstandsbedrag"),
        ("achterstand.maandhuur", invoer.maandhuur, MAX_MAANDHUUR, "De maandhuur"),
    ):
        if waarde is None:
            _fout(f, pad, f"{naam} is verplicht.")
        elif not waarde.is_finite() or waarde <= 0 or waarde > maximum:
            _fout(f, pad, f"{naam} ligt tussen € 0,01 en € {euro(maximum)}.")
        elif waarde.as_tuple().exponent < -2:  # type: ignore[operator]  # finite here: exponent is an int
            _fout(f, pad, f"{naam} heeft ten hoogste twee decimalen.")
    if invoer.maanden is None:
        _fout(f, "achterstand.maanden", "Vul het aantal maanden achterstand in.")
    elif not 1 <= invoer.maanden <= 120:
        _fout(f, "achterstand.maanden", "Het aantal maanden achterstand ligt tussen 1 en 120.")
    elif uitkomst.convenant is not None:
        parameters = stand.parameters
        if parameters is not None:
            minimum = (
                parameters.min_achterstand_maanden_herhaald if invoer.herhaald else parameters.min_achterstand_maanden
            )
            if invoer.maanden < minimum:
                _fout(
                    f,
                    "achterstand.maanden",
                    f"Te weinig achterstand voor een melding: ten minste {parameters.min_achterstand_maanden} maanden, "
                    f"of {parameters.min_achterstand_maanden_herhaald} maand bij herhaalde achterstand.",
                )

    # Voortraject (informatieplicht van de partner, art. 6 en 8.6)
    _verleden(f, "voortraject.herinnering_op", invoer.herinnering_op, vandaag, "schriftelijke herinnering", True)
    _verleden(
        f, "voortraject.contactpoging_op", invoer.contactpoging_op, vandaag, "poging tot persoonlijk contact", True
    )
    _verleden(
        f, "voortraject.informatie_doorgifte_op", invoer.informatie_doorgifte_op, vandaag, "huurder geïnformeerd", True
    )

    # EO versus VEO
    if invoer.type == MeldingType.VEO and (invoer.eo_opgegeven or invoer.vonnisdatum or invoer.ontruimingsdatum):
        _fout(f, "eo", "Een VEO-melding heeft geen vonnis- en ontruimingsdatum.")
    elif invoer.type == MeldingType.EO:
        if invoer.vonnisdatum is None:
            _fout(f, "eo.vonnisdatum", "Vul de datum van het vonnis in.")
        elif invoer.vonnisdatum > vandaag:
            _fout(f, "eo.vonnisdatum", "De vonnisdatum ligt in de toekomst.")
        if invoer.ontruimingsdatum is None:
            _fout(f, "eo.ontruimingsdatum", "Vul de ontruimingsdatum in.")
        elif invoer.ontruimingsdatum < vandaag:
            _fout(f, "eo.ontruimingsdatum", "De ontruimingsdatum ligt in het verleden.")
        elif invoer.vonnisdatum and invoer.ontruimingsdatum <= invoer.vonnisdatum:
            _fout(f, "eo.ontruimingsdatum", "De ontruimingsdatum ligt na de vonnisdatum.")
    return uitkomst


def genest(fouten: Fouten) -> dict[str, object]:
    """Dotted error paths to the API's nested shape: {"huurder": {"geboortedatum": [...]}}."""
    uit: dict[str, object] = {}
    for pad, berichten in fouten.items():
        doel = uit
        *ouders, blad = pad.split(".")
        for ouder in ouders:
            doel = doel.setdefault(ouder, {})  # type: ignore[assignment]  # nested dicts of errors
        doel[blad] = berichten
    return uit


#: Dotted path -> flat name (file column and form field).
PLAT = {
    "huishouden.minderjarige_kinderen": "minderjarige_kinderen",
    "achterstand.bedrag": "achterstand_bedrag",
    "achterstand.maanden": "achterstand_maanden",
    "achterstand.herhaald": "herhaald",
    "achterstand.maandhuur": "maandhuur",
    "eo": "vonnisdatum",
}


def plat(pad: str) -> str:
    return PLAT.get(pad, pad.split(".")[-1])
