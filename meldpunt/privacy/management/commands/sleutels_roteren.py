"""Re-wrap all live data keys with the current master key (the first in MELDPUNT_MASTER_KEYS)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from meldpunt.privacy.keys import sleutelbos
from meldpunt.privacy.services import datasleutels_herverpakken, sleutelstatus


class Command(BaseCommand):
    help = "Verpak alle levende datasleutels opnieuw met de huidige hoofdsleutel (zonder onderbreking)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--status", action="store_true", help="Toon alleen het aantal sleutels per versie.")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: object, **options: object) -> None:
        bos = sleutelbos()
        if not options["status"]:
            aantal = datasleutels_herverpakken(batch=int(options["batch"]))  # type: ignore[call-overload]  # options are untyped
            self.stdout.write(f"{aantal} datasleutel(s) opnieuw verpakt met hoofdsleutel versie {bos.huidige_versie}.")
        status = sleutelstatus()
        for versie in sorted(status):
            self.stdout.write(f"versie {versie}: {status[versie]} levende datasleutel(s)")
        oud = [v for v in bos.sleutels if v != bos.huidige_versie]
        ongebruikt = [v for v in oud if not status.get(v)]
        if ongebruikt:
            lijst = ", ".join(str(v) for v in sorted(ongebruikt))
            self.stdout.write(
                f"Hoofdsleutel versie {lijst} wordt niet meer gebruikt: verwijder die uit MELDPUNT_MASTER_KEYS "
                "en vernietig haar, dan zijn ook back-ups van vóór de rotatie niet meer te ontsleutelen."
            )
