"""Local development: ``bin/run``."""

from .base import *  # noqa: F403
from .env import env, env_bool

# Off by default, so that the application shows its own Dutch error pages as it does in production (Django's
# debug pages list every URL pattern, in English). DJANGO_DEBUG=true turns Django's debug pages on.
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Without DEBUG, runserver serves no static files: WhiteNoise does, straight from the finders.
WHITENOISE_USE_FINDERS = True
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-secret-key-not-for-production-use-0123456789abcdef")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MELDPUNT_DEMO_DATA_TOEGESTAAN = True

# Fixed keys for local development only.
MELDPUNT_MASTER_KEYS = env("MELDPUNT_MASTER_KEYS", "1:BoywRpfEY/ydt/MsjvCk/+srrRm2CFP8HPSEzEB0BWE=")
MELDPUNT_BLIND_INDEX_KEY = env("MELDPUNT_BLIND_INDEX_KEY", "xUrG3IhgRtvyfQBja1WsFjxgeFrYszAQDwpHJh/gCgA=")

# Development only: a fixed key for the Logboek's checkpoints (production sets its own, ADR 0011).
MELDPUNT_LOGBOEK_ANKER_SLEUTEL = env(
    "MELDPUNT_LOGBOEK_ANKER_SLEUTEL",
    '{"crv": "Ed25519", "x": "igdncX4ct851xBmd9WVkEY0QvMJdS_OmDFPzLgjolEQ", '
    '"d": "rvIRQroaWBRa4BIwQFpg0_5HDBmfrxYxo1VcTTov0eY", "kty": "OKP"}',
)
