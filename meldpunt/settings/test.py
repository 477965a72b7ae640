"""Test suite: ``bin/test`` (real PostgreSQL, Redis, SMTP sink and Celery worker)."""

import os

from .base import *  # noqa: F403
from .env import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789abcdef")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
# Playwright drives the browser from the test thread while Django serves from a live server thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
MELDPUNT_DEMO_DATA_TOEGESTAAN = True

MELDPUNT_MASTER_KEYS = env("MELDPUNT_MASTER_KEYS", "1:CXK3zmQUMCvHSSqA2+8QrP2LPOnFLeR/P+HsNxCA13g=")
MELDPUNT_BLIND_INDEX_KEY = env("MELDPUNT_BLIND_INDEX_KEY", "Gug6UPLcoHXWWQ1C5BPbvw72SIa6xJLNJ9GaXgQjox4=")

# --- one isolated set of services per pytest-xdist worker ------------------------------------------
# bin/test runs the suite in parallel. pytest-django gives each worker its own database; here each also gets its
# own Redis database (broker, results and cache: a worker's Celery process never takes another's task), its own
# media folder, and a sender address of its own, by which its tests tell their mail in the shared SMTP sink.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER:
    _n = int(_XDIST_WORKER.removeprefix("gw")) + 1
    REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{_n}"  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    MEDIA_ROOT = BASE_DIR / "media" / f"test-{_XDIST_WORKER}"  # noqa: F405
    DEFAULT_FROM_EMAIL = f"Centraal Meldpunt <noreply+{_XDIST_WORKER}@centraalmeldpunt.nl>"
    SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A fixed test key for the Logboek's checkpoints (the worker process signs with the same one) and a store per
# test worker.
MELDPUNT_LOGBOEK_ANKER_SLEUTEL = env(
    "MELDPUNT_LOGBOEK_ANKER_SLEUTEL",
    '{"crv": "Ed25519", "x": "igdncX4ct851xBmd9WVkEY0QvMJdS_OmDFPzLgjolEQ", '
    '"d": "rvIRQroaWBRa4BIwQFpg0_5HDBmfrxYxo1VcTTov0eY", "kty": "OKP"}',
)
MELDPUNT_LOGBOEK_ANKER_OPSLAG = str(MEDIA_ROOT / "logboek-ankers")
