"""What the intake API keeps of its own: the first answer to a request with an ``Idempotency-Key``."""

from __future__ import annotations

from django.db import models

from meldingen.intake.models import Melding
from meldpunt.core.models import Organisatie


class IdempotentVerzoek(models.Model):
    """A POST carrying an Idempotency-Key: the same key and body return the first response again."""

    organisatie = models.ForeignKey(Organisatie, on_delete=models.CASCADE, related_name="+")
    sleutel = models.CharField(max_length=255)
    verzoek_hash = models.CharField(max_length=64)
    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="+")
    status_code = models.PositiveSmallIntegerField()
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "idempotent verzoek"
        verbose_name_plural = "idempotente verzoeken"
        constraints = [models.UniqueConstraint(fields=["organisatie", "sleutel"], name="idempotentie_sleutel_uniek")]

    def __str__(self) -> str:
        return f"verzoek {self.pk}"
