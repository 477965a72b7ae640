"""Models of the facturatie app, one module per capability (registered here for Django)."""

from facturatie.bespreking.models import Opmerking
from facturatie.facturen.models import Factuur, FactuurRegel, Opstelronde, Opstelrun

__all__ = ["Factuur", "FactuurRegel", "Opmerking", "Opstelronde", "Opstelrun"]
