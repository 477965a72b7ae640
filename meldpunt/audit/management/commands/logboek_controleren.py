"""Check the log's hash chain: exit 0 with "Keten intact: N regels", or exit 1 naming the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldpunt.audit.controle import ankers_controleren, keten_controleren


class Command(BaseCommand):
    help = (
        "Controleer de hashketen van het logboek: herbereken elke hash en elke koppeling, in volgorde van id, "
        "zonder ontbrekende ids, en vergelijk de keten met de ondertekende controlepunten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="Aantal regels per databasequery.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch moet ten minste 1 zijn.")
        uitslag = keten_controleren(batch_grootte=options["batch"])
        if uitslag.breuk is not None:
            breuk = uitslag.breuk
            raise CommandError(
                f"Keten verbroken bij regel {breuk.id} ({uitslag.aantal} regels daarvoor intact): "
                f"{breuk.veld} verwacht {breuk.verwacht}, opgeslagen {breuk.opgeslagen}",
                returncode=1,
            )
        problemen = ankers_controleren()
        if problemen:
            raise CommandError(
                "Keten klopt niet met de ondertekende controlepunten: " + " ".join(problemen), returncode=1
            )
        self.stdout.write(f"Keten intact: {uitslag.aantal} regels")
