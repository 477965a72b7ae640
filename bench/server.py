"""Run the application with the production server (gunicorn) on a free loopback port, for benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(*, workers: int, secret_key: str) -> Iterator[int]:
    """Start gunicorn with the production settings (plain HTTP, SSL redirect off); yields the port."""
    from django.conf import settings

    poort = vrije_poort()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meldpunt.settings.production",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "MELDPUNT_MASTER_KEYS": settings.MELDPUNT_MASTER_KEYS,
        "MELDPUNT_BLIND_INDEX_KEY": settings.MELDPUNT_BLIND_INDEX_KEY,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    opdracht = [sys.executable, "-m", "gunicorn", "meldpunt.wsgi:application", "-b", f"127.0.0.1:{poort}"]
    server = subprocess.Popen([*opdracht, "-w", str(workers), "--log-level", "warning"], cwd=REPO, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", poort), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield poort
    finally:
        server.terminate()
        server.wait(timeout=20)
