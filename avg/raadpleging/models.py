"""Consultation of the participants (art. 2.6 of the contactpunt's duties): every organisation that supplied
or received the requester's data answers, per category of data, whether an exception of art. 41 UAVG applies.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from meldpunt.core.models import Organisatie

from ..verzoeken.models import Verzoek


class Categorie(models.TextChoices):
    MELDING = "melding", "Gegevens uit de melding (huurder, adres, huishouden, achterstand, voortraject)"
    DOSSIER = "dossier", "Dossier: contactpogingen, statusgeschiedenis, informatieplicht"
    RAPPORTAGE = "rapportage", "Rapportage"
    TOESTEMMING = "toestemming", "Toestemmingen, beperkingen en bezwaren"


class Art41Grond(models.TextChoices):
    """The grounds of art. 41 lid 1 UAVG (jo. art. 23 AVG)."""

    NATIONALE_VEILIGHEID = "a", "a. de nationale veiligheid"
    LANDSVERDEDIGING = "b", "b. landsverdediging"
    OPENBARE_VEILIGHEID = "c", "c. de openbare veiligheid"
    STRAFBARE_FEITEN = "d", "d. voorkomen, onderzoek, opsporing en vervolging van strafbare feiten"
    ALGEMEEN_BELANG = "e", "e. andere belangrijke doelstellingen van algemeen belang"
    RECHTERLIJKE_ONAFHANKELIJKHEID = "f", "f. de bescherming van de onafhankelijkheid van de rechter"
    BEROEPSCODES = "g", "g. toezicht op de naleving van beroepscodes"
    TOEZICHT = "h", "h. toezicht, inspectie of regelgeving door het openbaar gezag"
    RECHTEN_ANDEREN = "i", "i. de bescherming van de betrokkene of van de rechten en vrijheden van anderen"
    CIVIELE_VORDERINGEN = "j", "j. de inning van civielrechtelijke vorderingen"


class Rol(models.TextChoices):
    VERSTREKT = "verstrekt", "Heeft de gegevens verstrekt"
    ONTVANGEN = "ontvangen", "Heeft de gegevens ontvangen"


class Raadpleging(models.Model):
    verzoek = models.ForeignKey(Verzoek, on_delete=models.PROTECT, related_name="raadplegingen")
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="avg_raadplegingen")
    rol = models.CharField(max_length=10, choices=Rol.choices)
    categorieen = ArrayField(models.CharField(max_length=20, choices=Categorie.choices))
    gevraagd_op = models.DateTimeField()
    gevraagd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    termijn_op = models.DateField("antwoord uiterlijk op")
    beantwoord_op = models.DateTimeField(null=True, blank=True)
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "Sent" flag of the reminder sweep: one reminder when the term has passed without an answer.
    herinnering_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "raadpleging"
        verbose_name_plural = "raadplegingen"
        ordering = ["verzoek", "organisatie__naam"]
        constraints = [
            models.UniqueConstraint(fields=["verzoek", "organisatie"], name="avg_raadpleging_uniek"),
        ]

    def __str__(self) -> str:
        return f"raadpleging {self.pk}"

    def categorie_labels(self) -> list[str]:
        return [Categorie(c).label for c in self.categorieen]


class Antwoord(models.Model):
    """A participant's answer for one category: no objection, or an exception of art. 41 UAVG."""

    raadpleging = models.ForeignKey(Raadpleging, on_delete=models.PROTECT, related_name="antwoorden")
    categorie = models.CharField(max_length=20, choices=Categorie.choices)
    uitzondering = models.CharField(max_length=1, choices=Art41Grond.choices, blank=True)
    # Context "avg.antwoord:<id>:motivering", under the request's key.
    motivering = models.BinaryField(null=True, editable=False)
    # An invoked exception is re-checked periodically: the next re-check date, and its "sent" flag.
    herbeoordeling_op = models.DateField(null=True, blank=True)
    herbeoordeling_herinnerd_op = models.DateTimeField(null=True, blank=True)
    vervallen_op = models.DateField("uitzondering vervallen op", null=True, blank=True)

    class Meta:
        verbose_name = "antwoord op een raadpleging"
        verbose_name_plural = "antwoorden op raadplegingen"
        constraints = [
            models.UniqueConstraint(fields=["raadpleging", "categorie"], name="avg_antwoord_uniek"),
        ]

    def __str__(self) -> str:
        return f"antwoord {self.pk}"

    @property
    def motivering_context(self) -> str:
        return f"avg.antwoord:{self.pk}:motivering"

    @property
    def uitzondering_geldt(self) -> bool:
        return bool(self.uitzondering) and self.vervallen_op is None
