"""The Celery tasks of the datalekken app (found by autodiscovery through this module)."""

from .register.tasks import maak_datalekbrieven, stuur_datalek_registratie
from .termijnen.herinneringen import stuur_datalek_herinneringen

__all__ = ["maak_datalekbrieven", "stuur_datalek_herinneringen", "stuur_datalek_registratie"]
