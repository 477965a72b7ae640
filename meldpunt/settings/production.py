"""Production: gunicorn behind a TLS-terminating proxy (see docker-compose.yml)."""

from .base import *  # noqa: F403
from .env import env, env_bool, env_int, env_list

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
# Links in e-mail: the public address, by default the first allowed host over HTTPS.
MELDPUNT_BASE_URL = env("MELDPUNT_BASE_URL", f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else None)

# Only behind the proxy of the compose file (gunicorn reachable from it alone) is X-Forwarded-Proto believed.
MELDPUNT_VERTROUWDE_PROXIES = env_list("MELDPUNT_VERTROUWDE_PROXIES")
if MELDPUNT_VERTROUWDE_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-meldpunt_sessie"
CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING["formatters"]["plain"]["format"] = (  # type: ignore[index]  # noqa: F405  (a dict in base.py)
    '{"time": "%(asctime)s", "level": "%(levelname)s", "logger": "%(name)s", "message": "%(message)s"}'
)

MELDPUNT_MASTER_KEYS = env("MELDPUNT_MASTER_KEYS")
MELDPUNT_BLIND_INDEX_KEY = env("MELDPUNT_BLIND_INDEX_KEY")
