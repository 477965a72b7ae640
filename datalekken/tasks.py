"""The Celery tasks of the datalekken app (found by autodiscovery through this module)."""

from .register.tasks import stuur_datalek_registratie
from .termijnen.herinneringen import stuur_datalek_herinneringen

__all__ = ["stuur_datalek_herinneringen", "stuur_datalek_registratie"]
