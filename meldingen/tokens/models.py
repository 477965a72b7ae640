"""API keys of Partner organisations for the intake API."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meldpunt.core.models import Organisatie


class ApiToken(models.Model):
    """A machine client's key for the intake API. Only a hash is stored; the key is shown once."""

    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="api_tokens")
    naam = models.CharField("omschrijving", max_length=100)
    prefix = models.CharField(max_length=8, help_text="De eerste tekens van de sleutel, om haar te herkennen.")
    sleutel_hash = models.CharField(max_length=64, unique=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    ingetrokken_op = models.DateTimeField(null=True, blank=True)
    laatst_gebruikt_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API-sleutel"
        verbose_name_plural = "API-sleutels"
        ordering = ["-aangemaakt_op"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.prefix}…)"

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None
