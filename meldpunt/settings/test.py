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
