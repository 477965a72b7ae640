"""An uploaded file of meldingen and its processing state."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from meldpunt.core.models import Organisatie
from meldpunt.privacy.models import DataSleutel


class UploadStatus(models.TextChoices):
    WACHTRIJ = "wachtrij", "In de wachtrij"
    BEZIG = "bezig", "Wordt verwerkt"
    KLAAR = "klaar", "Verwerkt"
    MISLUKT = "mislukt", "Mislukt"


class Bestandsupload(models.Model):
    """An uploaded CSV/XLSX of meldingen, processed in the background with visible progress.

    The file itself and the file of rejected rows hold personal data: both are stored encrypted under
    the upload's own data key, which is destroyed when the upload is cleaned up.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="uploads")
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sleutel = models.OneToOneField(DataSleutel, on_delete=models.PROTECT, related_name="upload")
    bestand = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    afgewezen_bestand = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.WACHTRIJ)
    totaal_rijen = models.PositiveIntegerField(default=0)
    verwerkt_rijen = models.PositiveIntegerField(default=0, help_text="Controlepunt: rijen tot hier zijn verwerkt.")
    opgeslagen = models.PositiveIntegerField(default=0)
    vervolgmeldingen = models.PositiveIntegerField(default=0)
    al_ontvangen = models.PositiveIntegerField(default=0)
    afgewezen = models.PositiveIntegerField(default=0)
    fouten = models.JSONField(default=list, help_text="[{rij, veld, bericht}] zonder persoonsgegevens.")
    foutmelding = models.CharField(max_length=500, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gestart_op = models.DateTimeField(null=True, blank=True)
    klaar_op = models.DateTimeField(null=True, blank=True)
    voortgang_op = models.DateTimeField(
        null=True, blank=True, help_text="Laatste voortgang (start, blok, hervatting); de hervatronde kijkt hiernaar."
    )

    class Meta:
        verbose_name = "bestandsupload"
        verbose_name_plural = "bestandsuploads"
        ordering = ["-aangemaakt_op"]

    def __str__(self) -> str:
        return f"upload {self.pk}"

    @property
    def voortgang(self) -> int:
        if not self.totaal_rijen:  # not yet counted by the worker (or an empty result)
            return 100 if self.status == UploadStatus.KLAAR else 0
        return round(100 * self.verwerkt_rijen / self.totaal_rijen)
