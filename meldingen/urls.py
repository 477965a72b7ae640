"""Pages under ``/meldingen/`` (namespace ``meldingen``): the Partner's intake and the Uitvoerder's caseload.

Each capability keeps its own URL patterns; they share this prefix and namespace.
"""

from meldingen.dossiers.urls import urlpatterns as dossier_urls
from meldingen.intake.urls import urlpatterns as intake_urls

app_name = "meldingen"

urlpatterns = [*dossier_urls, *intake_urls]
