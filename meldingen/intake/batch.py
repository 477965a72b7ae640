"""The objects of one batch that intake is storing: a dossier it opens, a melding it stores, and the model
instances made of them only when a caller asks (:func:`meldingen.intake.services.meldingen_bulk_create`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from convenants.models import Convenant
from meldingen.dossiers.models import Dossier
from meldingen.dossiers.workflow import DossierStatus
from meldpunt.core.bulk import B_NULL, b_bool, b_numeric, b_tekst, b_uuid
from meldpunt.core.models import Organisatie
from meldpunt.privacy.kluis import Kluis
from meldpunt.privacy.models import DataSleutel

from .models import Melding
from .rijen import B_NIEUW, dossier_regel
from .voorbereiding import Voorbereid


def als_opgeslagen(obj: Any) -> Any:
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


class NieuwDossier:
    """A dossier opened by this batch (by its row ``i``): later rows of the same tenancy may still change it.

    Its values are those of the melding that opens it; they are only read from its voorbereiding when
    needed: for a previous dossier, a later row of the batch, or a model instance.
    """

    __slots__ = (
        "_instantie",
        "aangemaakt_op",
        "achterstand_bedrag",
        "batch",
        "convenant",
        "gewijzigd",
        "heeft_minderjarigen",
        "herhaald",
        "i",
        "indexen",
        "nummer",
        "ontruimingsdatum",
        "partner",
        "pk",
        "postcode_cijfers",
        "status",
        "type",
        "vorig_dossier_id",
    )
    # Set by waarden(), from the melding that opens it.
    convenant: Convenant
    type: str
    heeft_minderjarigen: bool
    achterstand_bedrag: Decimal
    postcode_cijfers: int
    ontruimingsdatum: dt.date | None
    herhaald: bool
    indexen: tuple[tuple[str, str], ...]

    def __init__(
        self,
        batch: Voorbereid,
        i: int,
        partner: Organisatie,
        vorig_dossier_id: uuid.UUID | str | None,
        aangemaakt_op: dt.datetime,
    ) -> None:
        self.batch = batch
        self.i = i
        self.pk = batch.dossier_ids[i]
        self.partner = partner
        self.vorig_dossier_id = vorig_dossier_id
        self.aangemaakt_op = aangemaakt_op
        self.nummer = ""
        self.status = DossierStatus.NIEUW
        #: True once a later row of the batch changed it: its row is then made from its values.
        self.gewijzigd = False
        self._instantie: Dossier | None = None
        if vorig_dossier_id is not None:
            self.waarden()

    def waarden(self) -> NieuwDossier:
        """Its values from the melding that opens it (read once)."""
        if not hasattr(self, "type"):
            v = self.batch.voorbereiding(self.i)
            invoer = v.uitkomst.invoer
            assert v.uitkomst.convenant is not None and invoer.bedrag is not None  # a valid melding
            self.convenant = v.uitkomst.convenant
            self.type = invoer.type
            self.heeft_minderjarigen = bool(invoer.minderjarige_kinderen)
            self.achterstand_bedrag = invoer.bedrag
            self.postcode_cijfers = int(invoer.postcode[:4])
            self.ontruimingsdatum = invoer.ontruimingsdatum
            self.herhaald = invoer.herhaald or self.vorig_dossier_id is not None
            #: The blind indexes (kind, value) it has: those of its first melding, and of vervolgmeldingen.
            self.indexen = v.blinde_indexen
        return self

    @property
    def kluis(self) -> Kluis:
        kluis = self.batch.voorbereiding(self.i).kluis
        assert kluis is not None
        return kluis

    @property
    def referentie_index(self) -> str:
        return self.batch.referentie_indexen[self.i]

    @property
    def sleutel_id(self) -> str:
        return str(self.kluis.sleutel_id)

    def regel(self, nu: bytes) -> bytes:
        """Its row (:data:`DOSSIER_KOLOMMEN`), once :attr:`nummer` is set: as made in advance, unless a
        previous dossier or a later row of the batch changed it."""
        if self.gewijzigd or self.vorig_dossier_id is not None:
            begin = dossier_regel(
                b_uuid(self.pk),
                b_uuid(self.sleutel_id),
                self.convenant.id,
                self.partner.id,
                self.heeft_minderjarigen,
                self.postcode_cijfers,
                b_numeric(self.achterstand_bedrag),
                self.type,
                self.referentie_index,
                self.ontruimingsdatum,
            )
            vorig = B_NULL if self.vorig_dossier_id is None else b_uuid(self.vorig_dossier_id)
            begin = begin + b_bool(self.herhaald) + vorig
        else:
            begin = self.batch.dossier_regels[self.i]
        return begin + b_tekst(self.nummer) + B_NIEUW + nu

    def instantie(self) -> Dossier:
        """The stored dossier as a model instance (with its convenant, partner and data key attached)."""
        if self._instantie is None:
            self.waarden()
            kluis = self.kluis
            sleutel = als_opgeslagen(
                DataSleutel(
                    id=uuid.UUID(self.sleutel_id),
                    doel="dossier",
                    verpakte_sleutel=kluis.verpakte_sleutel,
                    master_versie=kluis.master_versie,
                    aangemaakt_op=self.aangemaakt_op,
                )
            )
            dossier = Dossier(
                id=uuid.UUID(self.pk),
                nummer=self.nummer,
                convenant=self.convenant,
                partner=self.partner,
                sleutel=sleutel,
                referentie_index=self.referentie_index,
                type=self.type,
                status=self.status,
                vorig_dossier_id=self.vorig_dossier_id,
                heeft_minderjarigen=self.heeft_minderjarigen,
                achterstand_bedrag=self.achterstand_bedrag,
                postcode_cijfers=self.postcode_cijfers,
                ontruimingsdatum=self.ontruimingsdatum,
                herhaald=self.herhaald,
                aangemaakt_op=self.aangemaakt_op,
            )
            self._instantie = als_opgeslagen(dossier)
        return self._instantie


@dataclass(slots=True)
class OpgeslagenMelding:
    """A melding this batch stores: its row ``i`` of the batch, its id and dossier, status and encrypted data
    (what :func:`bouw_melding` needs to show it)."""

    batch: Voorbereid
    i: int
    melding_id: str
    dossier: Dossier | NieuwDossier
    status: str
    vervolgmelding: bool
    #: Encrypted under its dossier's key, for a vervolgmelding (a melding opening a dossier: made in advance).
    gegevens: bytes | None = None


def laad_melding(melding_id: uuid.UUID | str) -> Melding:
    return Melding.objects.select_related("dossier").get(pk=melding_id)


def bouw_melding(opgeslagen: OpgeslagenMelding, nu: dt.datetime, kanaal: str, relaties: dict[str, Any]) -> Melding:
    """The stored melding as a model instance, with its relations."""
    v = opgeslagen.batch.voorbereiding(opgeslagen.i)
    invoer = v.uitkomst.invoer
    assert invoer.bedrag is not None and invoer.maanden is not None and invoer.maandhuur is not None  # valid
    melding = Melding(
        id=uuid.UUID(opgeslagen.melding_id),
        convenant=v.uitkomst.convenant,
        kanaal=kanaal,
        ontvangen_op=nu,
        type=invoer.type,
        status=opgeslagen.status,
        vervolgmelding=opgeslagen.vervolgmelding,
        achterstand_bedrag=invoer.bedrag,
        achterstand_maanden=invoer.maanden,
        herhaald=invoer.herhaald,
        maandhuur=invoer.maandhuur,
        minderjarige_kinderen=invoer.minderjarige_kinderen or 0,
        postcode_cijfers=int(invoer.postcode[:4]),
        vonnisdatum=invoer.vonnisdatum,
        ontruimingsdatum=invoer.ontruimingsdatum,
        referentie_index=v.referentie_index,
        inhoud_index=v.inhoud_index,
        gegevens=opgeslagen.gegevens if opgeslagen.gegevens is not None else v.gegevens,
        **relaties,
    )
    dossier = opgeslagen.dossier
    melding.dossier = dossier.instantie() if isinstance(dossier, NieuwDossier) else dossier
    return als_opgeslagen(melding)
