"""The discussion of a disputed invoice line ("in bespreking") between Gemeente, Partner and Uitvoerder."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from facturatie.facturen.models import FactuurRegel
from meldpunt.core.models import Organisatie


class Opmerking(models.Model):
    """One message on a line: a dispute's reason, a reply, or the resolution. References and the text only."""

    class Soort(models.TextChoices):
        BETWISTING = "betwisting", "Betwist"
        REACTIE = "reactie", "Reactie"
        OPLOSSING = "oplossing", "Opgelost"

    regel = models.ForeignKey(FactuurRegel, on_delete=models.CASCADE, related_name="opmerkingen")
    soort = models.CharField(max_length=20, choices=Soort.choices)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+")
    tekst = models.TextField(max_length=2000)
    tijdstip = models.DateTimeField()

    class Meta:
        verbose_name = "opmerking"
        verbose_name_plural = "opmerkingen"
        ordering = ["tijdstip", "pk"]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} op regel {self.regel_id}"
