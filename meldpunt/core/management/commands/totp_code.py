"""Print the current TOTP code of a user's authenticator (for demo and local development only)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def huidige_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "Toon de huidige code van de authenticator van een gebruiker (alleen demo/ontwikkeling)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gebruikersnaam")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.MELDPUNT_DEMO_DATA_TOEGESTAAN:
            raise CommandError("Niet beschikbaar in deze omgeving.")
        device = TOTPDevice.objects.filter(user__username=options["gebruikersnaam"], confirmed=True).first()
        if device is None:
            raise CommandError("Geen gekoppelde authenticator voor deze gebruiker.")
        self.stdout.write(huidige_code(device))
