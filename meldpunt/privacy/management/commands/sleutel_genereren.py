"""Print a new random 32-byte key in base64 (for MELDPUNT_MASTER_KEYS or MELDPUNT_BLIND_INDEX_KEY)."""

from __future__ import annotations

import base64
import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Genereer een nieuwe willekeurige sleutel (base64, 32 bytes)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(base64.b64encode(os.urandom(32)).decode())
