"""Local development: ``bin/run``."""

from .base import *  # noqa: F403
from .env import env

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-secret-key-not-for-production-use-0123456789abcdef")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MELDPUNT_DEMO_DATA_TOEGESTAAN = True

# Fixed keys for local development only.
MELDPUNT_MASTER_KEYS = env("MELDPUNT_MASTER_KEYS", "1:BoywRpfEY/ydt/MsjvCk/+srrRm2CFP8HPSEzEB0BWE=")
MELDPUNT_BLIND_INDEX_KEY = env("MELDPUNT_BLIND_INDEX_KEY", "xUrG3IhgRtvyfQBja1WsFjxgeFrYszAQDwpHJh/gCgA=")
