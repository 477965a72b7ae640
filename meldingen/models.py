"""The models of the meldingen app, one module per capability (docs/architecture.md).

Django loads an app's models from ``<app>.models``: this module imports each capability's models so that
they are registered under the app label ``meldingen`` (table names and migrations as before). Code of the
project imports a model from its own capability (``meldingen.dossiers.models``), not from here.
"""

from __future__ import annotations

from .afscherming.models import Afscherming, AfschermingSoort
from .api.models import IdempotentVerzoek
from .bewaring.models import Bewaarblokkade, VernietigingsRegel, Vernietigingsverklaring
from .dossiers.models import BehandelaarWijziging, Contactpoging, Dagoverzicht, Dossier, StatusWijziging, Werkbak
from .informatieplicht.models import Informatieplicht, InformatieplichtUitzondering
from .intake.models import Kanaal, Melding
from .rapportage.models import Rapportage
from .rectificatie.models import Rectificatie
from .toestemming.models import (
    DossierGebruikerRecht,
    DossierGroepRecht,
    Toestemming,
    ToestemmingEinde,
    ToestemmingOntvanger,
    ToestemmingScope,
    ToestemmingWijze,
)
from .tokens.models import ApiToken
from .upload.models import Bestandsupload, UploadStatus

__all__ = [
    "Afscherming",
    "AfschermingSoort",
    "ApiToken",
    "BehandelaarWijziging",
    "Bestandsupload",
    "Bewaarblokkade",
    "Contactpoging",
    "Dagoverzicht",
    "Dossier",
    "DossierGebruikerRecht",
    "DossierGroepRecht",
    "IdempotentVerzoek",
    "Informatieplicht",
    "InformatieplichtUitzondering",
    "Kanaal",
    "Melding",
    "Rapportage",
    "Rectificatie",
    "StatusWijziging",
    "Toestemming",
    "ToestemmingEinde",
    "ToestemmingOntvanger",
    "ToestemmingScope",
    "ToestemmingWijze",
    "UploadStatus",
    "VernietigingsRegel",
    "Vernietigingsverklaring",
    "Werkbak",
]
