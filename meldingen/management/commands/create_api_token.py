"""Create an API key for a Partner organisation and print it (API.md "Authentication").

    python manage.py create_api_token <organisation-slug> [--naam "ERP koppeling"]

Prints the new key on stdout and nothing else, so it can be piped into a secret store. The key is not
stored and cannot be shown again; errors go to stderr with a non-zero exit status.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldingen.tokens.services import api_token_create
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Organisatie

STANDAARD_NAAM = "Aangemaakt met create_api_token"


class Command(BaseCommand):
    help = "Maak een API-sleutel voor een partnerorganisatie en toon haar eenmalig (alleen de sleutel, op stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisatie", help="De korte naam (slug) van de partnerorganisatie.")
        parser.add_argument(
            "--naam", default=STANDAARD_NAAM, help="Omschrijving van de sleutel (ten hoogste 100 tekens)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisatie = Organisatie.objects.filter(slug=options["organisatie"]).first()
        if organisatie is None:
            raise CommandError("Deze organisatie bestaat niet.")
        try:
            _, sleutel = api_token_create(organisatie=organisatie, naam=options["naam"], door=None)
        except ApplicationError as exc:
            details = " ".join(m for berichten in exc.field_errors().values() for m in berichten)
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self.stdout.write(sleutel)
