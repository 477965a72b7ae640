"""The JSON shapes of API.md: the melding a Partner submits, what it gets back, and the list filters.

Parsing is strict about types and shape (the serializer) and leaves the rules of the domain (required
values, eligibility, plausible dates and amounts, the convenant) to
:func:`meldingen.validatie.valideer_melding`, which every channel shares. So that a client sees all its
mistakes at once, a serializer that fails keeps what *was* valid (:attr:`StriktObject.partieel`); the
view validates that part with the domain rules too and merges both error trees
(:func:`fouten_samenvoegen`), the serializer's message winning where both speak about one field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.fields import SkipField
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from meldingen.ddas import (
    NIET_OPGEPAKT_VOOR_PARTNER,
    PARTNER_STATUS_LABELS,
    ZICHTBAAR_VOOR_PARTNER,
    Eindresultaat,
    Signaalstatus,
)
from meldingen.dossiers.workflow import MeldingType
from meldingen.intake.validatie import MAX_LENGTE, MeldingInvoer

#: The signal statuses a Partner sees, in the order of API.md (a fixed order: the schema must be stable).
PARTNER_STATUSSEN = [(s.value, s.label) for s in Signaalstatus if s in ZICHTBAAR_VOOR_PARTNER] + [
    (NIET_OPGEPAKT_VOOR_PARTNER, PARTNER_STATUS_LABELS[NIET_OPGEPAKT_VOOR_PARTNER])
]
PARTNER_STATUS_CODES = [code for code, _ in PARTNER_STATUSSEN]
ONBEKEND_VELD = "Onbekend veld; dit veld hoort niet in een melding."
VERPLICHT = "Dit veld is verplicht."
NIET_NULL = "Dit veld mag niet null zijn."
_BEDRAG = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)
_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_POSTCODE = re.compile(r"[0-9]{4} ?[A-Za-z]{2}", re.ASCII)


# --- strict leaf fields -------------------------------------------------------------------------------
class TekstVeld(serializers.CharField):
    """A JSON string, nothing else (no numbers turned into text); no NUL or lone surrogate characters."""

    default_error_messages = {
        "required": VERPLICHT,
        "null": NIET_NULL,
        "invalid": "Vul tekst in (een JSON-string).",
        "blank": "Vul dit veld in.",
        "max_length": "Ten hoogste {max_length} tekens.",
        "min_length": "Ten minste {min_length} tekens.",
        "tekens": "Deze tekst bevat tekens die niet zijn toegestaan.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator)
        ]

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("tekens")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("tekens")
        return data


@extend_schema_field({"type": "string", "enum": list(MeldingType.values)})
class TypeVeld(TekstVeld):
    pass


@extend_schema_field({"type": "string", "pattern": r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", "example": "1111 AB"})
class PostcodeVeld(TekstVeld):
    default_error_messages = {"formaat": "Vul een postcode in zoals 1234 AB of 1234AB."}

    def to_internal_value(self, data: Any) -> str:
        waarde = super().to_internal_value(data)
        if not _POSTCODE.fullmatch(waarde.strip()):
            self.fail("formaat")
        return waarde


class GeheelGetalVeld(serializers.IntegerField):
    """A JSON integer (not a string, a fraction or a boolean)."""

    default_error_messages = {"required": VERPLICHT, "null": NIET_NULL, "invalid": "Vul een geheel getal in."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return data


class JaNeeVeld(serializers.BooleanField):
    """A JSON boolean: ``true`` or ``false``."""

    default_error_messages = {"required": VERPLICHT, "null": NIET_NULL, "invalid": "Vul true of false in."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class DatumVeld(serializers.DateField):
    """An ISO 8601 calendar date ``YYYY-MM-DD`` that exists (2026-02-31 does not)."""

    default_error_messages = {
        "required": VERPLICHT,
        "null": NIET_NULL,
        "invalid": "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2026-10-01.",
        "bestaat_niet": "Deze datum bestaat niet.",
    }

    def to_internal_value(self, value: Any) -> dt.date:
        if not isinstance(value, str) or not _DATUM.fullmatch(value):
            self.fail("invalid")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail("bestaat_niet")
        raise AssertionError("unreachable")  # pragma: no cover


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": r"^[0-9]{1,6}(\.[0-9]{1,2})?$", "example": "1300.00"},
            {"type": "number", "multipleOf": 0.01},
        ],
        "description": "Bedrag in euro: een decimale string (aanbevolen) of een JSON-getal; hooguit twee decimalen.",
    }
)
class BedragVeld(serializers.Field):
    default_error_messages = {
        "required": VERPLICHT,
        "null": NIET_NULL,
        "invalid": 'Vul een bedrag in euro in met een punt als decimaalteken, bijvoorbeeld "1300.00".',
        "decimalen": "Ten hoogste twee decimalen.",
    }

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str):
            tekst = data.strip()
            if len(tekst) > 20 or not _BEDRAG.fullmatch(tekst):
                self.fail("invalid")
            data = tekst
        elif isinstance(data, float):
            data = repr(data)
        elif not isinstance(data, int | Decimal):
            self.fail("invalid")
        try:
            waarde = Decimal(data)
        except (InvalidOperation, ValueError):
            self.fail("invalid")
        if not waarde.is_finite():
            self.fail("invalid")
        if waarde.as_tuple().exponent < -2:  # type: ignore[operator]  # finite here: exponent is an int
            self.fail("decimalen")
        return waarde

    def to_representation(self, value: Any) -> str:  # pragma: no cover - input only
        return str(value)


# --- strict objects -----------------------------------------------------------------------------------
class StriktObject(serializers.Serializer):
    """A JSON object with exactly the declared fields: unknown fields are an error on that field.

    After validation, :attr:`partieel` holds the values that were valid (recursively), also when others
    were not, so the domain rules can still be applied to them.
    """

    default_error_messages = {
        "required": VERPLICHT,
        "null": NIET_NULL,
        "invalid": "Verwacht een object (JSON-object met velden).",
    }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        self.partieel: dict[str, Any] = {}
        if not isinstance(data, Mapping):
            raise ValidationError([self.error_messages["invalid"]], code="invalid")
        waarden: dict[str, Any] = {}
        fouten: dict[str, Any] = {}
        for veld in self._writable_fields:
            naam = str(veld.field_name)
            try:
                waarde = veld.run_validation(veld.get_value(data))
            except ValidationError as exc:
                fouten[naam] = exc.detail
                if isinstance(veld, StriktObject) and getattr(veld, "partieel", None):
                    waarden[naam] = veld.partieel
            except SkipField:
                pass
            else:
                waarden[naam] = waarde
        for sleutel in data:
            if sleutel not in self.fields:
                fouten[str(sleutel)[:100]] = [ErrorDetail(ONBEKEND_VELD, code="onbekend")]
        self.partieel = waarden
        if fouten:
            raise ValidationError(fouten)
        return waarden


def _tekst(naam: str, *, verplicht: bool = True, null: bool = False, **kwargs: Any) -> TekstVeld:
    return TekstVeld(required=verplicht, allow_null=null, max_length=MAX_LENGTE.get(naam), **kwargs)


class HuurderInvoerSerializer(StriktObject):
    """De huurder. Telefoon en e-mail zijn niet verplicht; voornamen of voorletters (ten minste één)."""

    achternaam = _tekst("huurder.achternaam")
    voornamen = _tekst(
        "huurder.voornamen", verplicht=False, null=True, help_text="Voornamen of voorletters (ten minste één)."
    )
    voorletters = _tekst("huurder.voorletters", verplicht=False, null=True, help_text="Bijvoorbeeld P. of P.J.")
    geboortedatum = DatumVeld(help_text="De huurder is ten minste 18 en ten hoogste 120 jaar oud.")
    telefoon = _tekst(
        "huurder.telefoon", verplicht=False, null=True, help_text="Niet verplicht; bijvoorbeeld 0612345678."
    )
    email = _tekst("huurder.email", verplicht=False, null=True, help_text="Niet verplicht.")


class AdresInvoerSerializer(StriktObject):
    """Het adres van de gehuurde woning."""

    straat = _tekst("adres.straat")
    huisnummer = GeheelGetalVeld(help_text="1 tot en met 99999.")
    toevoeging = _tekst("adres.toevoeging", verplicht=False, null=True)
    postcode = PostcodeVeld(max_length=10, allow_blank=False, help_text="1234AB of 1234 AB; opgeslagen als 1234 AB.")
    woonplaats = _tekst("adres.woonplaats")


class HuishoudenInvoerSerializer(StriktObject):
    """Het huishouden (meldingen met minderjarige kinderen krijgen voorrang)."""

    minderjarige_kinderen = GeheelGetalVeld(
        help_text="Aantal minderjarige kinderen in het huishouden, 0 tot en met 20."
    )


class AchterstandInvoerSerializer(StriktObject):
    """De huurachterstand: ten minste 2 maanden, of 1 maand bij herhaalde achterstand (per convenant)."""

    bedrag = BedragVeld(help_text="De huurachterstand in euro.")
    maanden = GeheelGetalVeld(help_text="Aantal maanden achterstand (1 tot en met 120).")
    herhaald = JaNeeVeld(required=False, default=False, help_text="Herhaalde achterstand (standaard false).")
    maandhuur = BedragVeld(help_text="De maandhuur in euro.")


class VoortrajectInvoerSerializer(StriktObject):
    """Wat de partner al deed: herinnering, contactpoging en het informeren van de huurder."""

    herinnering_op = DatumVeld(help_text="Datum van de schriftelijke herinnering.")
    contactpoging_op = DatumVeld(help_text="Datum van de poging tot persoonlijk contact.")
    informatie_doorgifte_op = DatumVeld(
        help_text="Datum waarop de huurder is verteld dat zijn gegevens worden doorgegeven."
    )


class EoInvoerSerializer(StriktObject):
    """Alleen bij type EO: het vonnis en de geplande ontruiming."""

    vonnisdatum = DatumVeld(help_text="Datum van het vonnis (niet in de toekomst).")
    ontruimingsdatum = DatumVeld(help_text="Geplande ontruiming (niet in het verleden, na de vonnisdatum).")


class NieuweMeldingSerializer(StriktObject):
    """Een melding van huurachterstand (API.md). Onbekende velden worden op elk niveau geweigerd."""

    convenant = TekstVeld(
        max_length=60, help_text="De korte naam (slug) van een actief convenant waarin u partner bent."
    )
    type = TypeVeld(help_text="VEO (Vroeg Eropaf) of EO (Eropaf, na vonnis).")
    referentie = _tekst("referentie", help_text="Uw eigen kenmerk van de huurrelatie (contractnummer).")
    huurder = HuurderInvoerSerializer()
    adres = AdresInvoerSerializer()
    huishouden = HuishoudenInvoerSerializer()
    achterstand = AchterstandInvoerSerializer()
    voortraject = VoortrajectInvoerSerializer()
    eo = EoInvoerSerializer(
        required=False, allow_null=True, help_text="Verplicht bij type EO, niet toegestaan bij VEO."
    )


def invoer_uit(waarden: Mapping[str, Any]) -> MeldingInvoer:
    """The (possibly partial) parsed body as :class:`MeldingInvoer`; what is missing stays empty."""

    def deel(naam: str) -> Mapping[str, Any]:
        waarde = waarden.get(naam)
        return waarde if isinstance(waarde, Mapping) else {}

    h, a, hh, ach, vt, eo = (deel(n) for n in ("huurder", "adres", "huishouden", "achterstand", "voortraject", "eo"))
    return MeldingInvoer(
        convenant=waarden.get("convenant") or "",
        type=waarden.get("type") or "",
        referentie=waarden.get("referentie") or "",
        achternaam=h.get("achternaam") or "",
        voornamen=h.get("voornamen") or "",
        voorletters=h.get("voorletters") or "",
        geboortedatum=h.get("geboortedatum"),
        telefoon=h.get("telefoon") or "",
        email=h.get("email") or "",
        straat=a.get("straat") or "",
        huisnummer=a.get("huisnummer"),
        toevoeging=a.get("toevoeging") or "",
        postcode=a.get("postcode") or "",
        woonplaats=a.get("woonplaats") or "",
        minderjarige_kinderen=hh.get("minderjarige_kinderen", 0),
        bedrag=ach.get("bedrag"),
        maanden=ach.get("maanden"),
        herhaald=bool(ach.get("herhaald", False)),
        maandhuur=ach.get("maandhuur"),
        herinnering_op=vt.get("herinnering_op"),
        contactpoging_op=vt.get("contactpoging_op"),
        informatie_doorgifte_op=vt.get("informatie_doorgifte_op"),
        vonnisdatum=eo.get("vonnisdatum"),
        ontruimingsdatum=eo.get("ontruimingsdatum"),
        eo_opgegeven=waarden.get("eo") is not None,
    )


def platte_fouten(detail: Any) -> Any:
    """DRF's ErrorDetail tree as plain lists, dicts and strings."""
    if isinstance(detail, Mapping):
        return {str(k): platte_fouten(v) for k, v in detail.items()}
    if isinstance(detail, list | tuple):
        return [platte_fouten(v) for v in detail]
    return str(detail)


def fouten_samenvoegen(serializer_fouten: Mapping[str, Any], domein_fouten: Mapping[str, list[str]]) -> dict[str, Any]:
    """Merge the serializer's error tree with the domain's dotted errors.

    A domain error is dropped where the serializer already refused that field, or one of its parents
    (a field of an object that was missing or not an object has nothing more to say).
    """
    uit: dict[str, Any] = platte_fouten(serializer_fouten)
    for pad, berichten in domein_fouten.items():
        *ouders, blad = pad.split(".")
        doel: Any = uit
        for ouder in ouders:
            bestaand = doel.get(ouder)
            if bestaand is None:
                bestaand = doel[ouder] = {}
            if not isinstance(bestaand, dict):
                break
            doel = bestaand
        else:
            if blad not in doel:
                doel[blad] = list(berichten)
    return uit


# --- responses ----------------------------------------------------------------------------------------
class MeldingOntvangenSerializer(serializers.Serializer):
    """De ontvangen melding (antwoord op POST)."""

    id = serializers.UUIDField(help_text="Het kenmerk van de melding bij het Centraal Meldpunt.")
    referentie = serializers.CharField(help_text="Uw referentie, zoals ontvangen.")
    status = serializers.ChoiceField(choices=PARTNER_STATUSSEN, help_text="De signaalstatus (zie GET).")
    ontvangen_op = serializers.DateTimeField()
    vervolgmelding = serializers.BooleanField(
        help_text="true: de huurrelatie had al een open dossier; de melding is daaraan toegevoegd."
    )


class HuurderSerializer(serializers.Serializer):
    achternaam = serializers.CharField()
    voornamen = serializers.CharField(allow_blank=True)
    voorletters = serializers.CharField(allow_blank=True)
    geboortedatum = serializers.DateField()
    telefoon = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class AdresSerializer(serializers.Serializer):
    straat = serializers.CharField()
    huisnummer = serializers.IntegerField()
    toevoeging = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(help_text="Genormaliseerd: 1234 AB.")
    woonplaats = serializers.CharField()


class HuishoudenSerializer(serializers.Serializer):
    minderjarige_kinderen = serializers.IntegerField()


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^[0-9]+\.[0-9]{2}$", "example": "1300.00"})
class BedragUitVeld(serializers.CharField):
    pass


class AchterstandSerializer(serializers.Serializer):
    bedrag = BedragUitVeld()
    maanden = serializers.IntegerField()
    herhaald = serializers.BooleanField()
    maandhuur = BedragUitVeld()


class VoortrajectSerializer(serializers.Serializer):
    herinnering_op = serializers.DateField()
    contactpoging_op = serializers.DateField()
    informatie_doorgifte_op = serializers.DateField()


class EoSerializer(serializers.Serializer):
    vonnisdatum = serializers.DateField()
    ontruimingsdatum = serializers.DateField()


class MeldingSerializer(serializers.Serializer):
    """Een eigen melding: wat is ingediend, plus de terugkoppeling die de partner mag zien."""

    id = serializers.UUIDField()
    convenant = serializers.CharField()
    type = serializers.ChoiceField(choices=MeldingType.choices)
    referentie = serializers.CharField()
    huurder = HuurderSerializer()
    adres = AdresSerializer()
    huishouden = HuishoudenSerializer()
    achterstand = AchterstandSerializer()
    voortraject = VoortrajectSerializer()
    eo = EoSerializer(allow_null=True)
    ontvangen_op = serializers.DateTimeField()
    vervolgmelding = serializers.BooleanField()
    status = serializers.ChoiceField(
        choices=PARTNER_STATUSSEN,
        help_text="De signaalstatus. Elke andere reden van niet oppakken dan onterecht signaal of herhaalde "
        "melding zegt iets over de huurder en verschijnt daarom alleen als niet_opgepakt.",
    )
    eindresultaat = serializers.ChoiceField(
        choices=Eindresultaat.choices,
        allow_null=True,
        help_text="Het eindresultaat van het dossier (DDAS), alleen als de huurder toestemming gaf voor "
        "terugkoppeling aan de partner; anders null.",
    )
    afgesloten_op = serializers.DateTimeField(
        allow_null=True, help_text="Wanneer het dossier is afgesloten; alleen met toestemming, anders null."
    )


class MeldingFilterSerializer(serializers.Serializer):
    referentie = TekstVeld(required=False, max_length=100, help_text="Exact uw referentie (hoofdletterongevoelig).")
    status = serializers.ChoiceField(
        choices=PARTNER_STATUSSEN,
        required=False,
        error_messages={"invalid_choice": "Kies een van: " + ", ".join(PARTNER_STATUS_CODES) + "."},
    )


class FoutSerializer(serializers.Serializer):
    """Een fout die het verzoek als geheel betreft."""

    detail = serializers.CharField(help_text="Uitleg in het Nederlands.")


#: The 400 body (a component appended to the schema, see SPECTACULAR_SETTINGS["APPEND_COMPONENTS"]).
VALIDATIEFOUT_SCHEMA = {
    "type": "object",
    "description": "Per veld (genest zoals het verzoek) een lijst met Nederlandse meldingen; of `detail` als het "
    "verzoek als geheel niet te lezen is (geen JSON, geen object, te groot).",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        ]
    },
    "example": {
        "referentie": ["Vul de referentie (contractnummer) in."],
        "huurder": {"geboortedatum": ["De huurder moet ten minste 18 jaar oud zijn."]},
    },
}
