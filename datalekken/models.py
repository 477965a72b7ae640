"""Models of the datalekken app, one module per capability (Django registers them from here)."""

from __future__ import annotations

from .register.models import ApMelding, Datalek, DatalekDossier, Herinnering, Voortgang

__all__ = ["ApMelding", "Datalek", "DatalekDossier", "Herinnering", "Voortgang"]
