"""The tenant's consent and the object permissions it grants."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from meldingen.dossiers.models import Dossier
from meldpunt.core.models import Organisatie


class ToestemmingOntvanger(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente"
    PARTNER = "partner", "Partner (woningcorporatie)"


class ToestemmingScope(models.TextChoices):
    STATUS = "status", "Status en resultaat van het traject"
    RAPPORTAGE = "rapportage", "Status, resultaat en rapportage"


class ToestemmingWijze(models.TextChoices):
    SCHRIFTELIJK = "schriftelijk", "Schriftelijk"
    MONDELING = "mondeling", "Mondeling"
    DIGITAAL = "digitaal", "Digitaal"


class ToestemmingEinde(models.TextChoices):
    INGETROKKEN = "ingetrokken", "Ingetrokken door de huurder"
    BEWAARTERMIJN = "bewaartermijn", "Vervallen met de bewaartermijn van het dossier"


class Toestemming(models.Model):
    """The tenant's consent to share dossier information with one other organisation, per scope.

    Recorded and withdrawn only through ``meldingen.toestemming.services``; those services grant and revoke
    the matching object permissions (:class:`DossierGroepRecht`) in the same transaction. The evidence
    note and the signed form are encrypted under the dossier's key, so they end with the dossier.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="toestemmingen")
    ontvanger_soort = models.CharField(max_length=10, choices=ToestemmingOntvanger.choices)
    ontvanger = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="ontvangen_toestemmingen")
    scope = models.CharField(max_length=10, choices=ToestemmingScope.choices)
    gegeven_op = models.DateField()
    wijze = models.CharField(max_length=12, choices=ToestemmingWijze.choices)
    # Context "meldingen.toestemming:<id>:bewijs".
    bewijs = models.BinaryField(null=True, editable=False)
    formulier = models.ForeignKey(
        "privacy.VersleuteldBestand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vastgelegd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    vastgelegd_op = models.DateTimeField(auto_now_add=True)
    beeindigd_op = models.DateField(null=True, blank=True, help_text="Datum van intrekking of verval.")
    einde = models.CharField(max_length=15, choices=ToestemmingEinde.choices, blank=True)
    beeindigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    beeindiging_vastgelegd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        ordering = ["-gegeven_op", "-vastgelegd_op"]
        indexes = [models.Index(fields=["dossier", "ontvanger"], name="toestemming_dossier_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(ontvanger_soort="partner") & Q(scope="rapportage")),
                name="toestemming_partner_nooit_rapportage",
            ),
            models.CheckConstraint(
                condition=Q(beeindigd_op__isnull=True, einde="") | Q(beeindigd_op__isnull=False) & ~Q(einde=""),
                name="toestemming_einde_volledig",
            ),
        ]

    def __str__(self) -> str:
        return f"toestemming {self.pk}"

    @property
    def geldig(self) -> bool:
        return self.beeindigd_op is None

    @property
    def bewijs_context(self) -> str:
        return f"meldingen.toestemming:{self.pk}:bewijs"


class DossierGroepRecht(GroupObjectPermissionBase):
    """django-guardian object permission on a dossier for an organisation's group (direct foreign key)."""

    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="groeprechten")

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        verbose_name = "objectrecht (groep) op dossier"
        verbose_name_plural = "objectrechten (groep) op dossiers"


class DossierGebruikerRecht(UserObjectPermissionBase):
    """The per-user counterpart; never granted (consent is given to organisations), kept so that guardian's
    checks on dossiers use direct tables only."""

    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="gebruikerrechten")

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False
        verbose_name = "objectrecht (gebruiker) op dossier"
        verbose_name_plural = "objectrechten (gebruiker) op dossiers"
