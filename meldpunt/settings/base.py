"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import everything from here and override.
Every environment variable is documented in docs/configuration.md.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from .env import database_from_url, env, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_celery_beat",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "meldpunt.core",
    "meldpunt.privacy",
    "meldpunt.audit",
    "convenants",
    "meldingen",
    "avg",
    "datalekken",
    "facturatie",
    "sequences",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "meldpunt.core.middleware.SessionTimeoutMiddleware",
    "meldpunt.core.middleware.VerifiedLoginRequiredMiddleware",
    "meldpunt.core.middleware.GeenOpslagMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meldpunt.urls"
FORM_RENDERER = "meldpunt.core.forms.MeldpuntFormRenderer"
WSGI_APPLICATION = "meldpunt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's own templates, and those of each capability of the meldingen app (meldingen/<capability>/
        # templates/; the app's own templates/ folder is found by APP_DIRS).
        "DIRS": [
            BASE_DIR / "templates",
            *sorted((BASE_DIR / "meldingen").glob("*/templates")),
            *sorted((BASE_DIR / "datalekken").glob("*/templates")),
            *sorted((BASE_DIR / "avg").glob("*/templates")),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meldpunt.core.context_processors.navigation",
            ],
            # Dutch formats on every page: |euro |getal |datum |datumtijd |naam (meldpunt/core/templatetags/nl.py).
            "builtins": ["meldpunt.core.templatetags.nl"],
        },
    },
]

DATABASES = {"default": database_from_url(env("DATABASE_URL", "postgres://postgres@127.0.0.1:54329/meldpunt"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# --- Sessions: idle timeout 15 minutes, absolute lifetime 12 hours -------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "meldpunt_sessie"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A password step that is not followed by a valid second factor within this time starts over.
LOGIN_SECOND_FACTOR_TIMEOUT = timedelta(minutes=5)

# --- Security headers ---------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Lockout (django-axes): 5 failed attempts (password or second factor) lock the account --
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Lockout is per account *and* client address: whoever knows a username cannot lock its owner out from
# elsewhere, and offices sharing one outgoing address do not lock each other out. Failed attempts per
# address are throttled separately (meldpunt/core/inlogrem.py). See docs/adr/0003-inloggen.md.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/geblokkeerd.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
#: failed logins from one client address within AXES_COOLOFF_TIME before that address is refused (429)
MELDPUNT_INLOG_MISLUKT_PER_ADRES = int(env("MELDPUNT_INLOG_MISLUKT_PER_ADRES", "50"))

# --- Second factor (django-otp) -------------------------------------------------------------
OTP_TOTP_ISSUER = "Centraal Meldpunt"
OTP_TOTP_THROTTLE_FACTOR = 0  # attempts are limited by django-axes instead

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
# Dutch for the messages Django and DRF ship untranslated (locale/nl/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files: NL Design System CSS and htmx come from npm (node_modules) ---------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "meldpunt.core.staticfinders.NpmFinder",
]
#: static path -> file under node_modules (installed by `npm ci` from package-lock.json)
MELDPUNT_NPM_STATIC_FILES = {
    "vendor/utrecht/index.css": "@utrecht/component-library-css/dist/index.css",
    "vendor/utrecht-tokens/theme.css": "@utrecht/design-tokens/dist/theme.css",
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"

# --- Cache and Celery (Redis) -------------------------------------------------------------
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:63799/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "meldpunt",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
#: Redis redelivers a task not acknowledged within this time. It fits the longest task (an upload at the
#: row limit, bounded by its time limit ``UPLOAD_TAAK_TIJDSLIMIET``); a crashed upload is resumed sooner by
#: the sweep ``uploads-hervatten`` (docs/security.md).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 20 * 60)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "hartslag": {"task": "meldpunt.core.tasks.heartbeat", "schedule": 60.0},
    # Sweep: sends each Uitvoerder's daily digest once, from 07:00 (a missed tick sends at the next).
    "dagoverzichten": {"task": "meldingen.notificaties.stuur_dagoverzichten", "schedule": 15 * 60.0},
    # Sweep: art. 14 reminders 7 days before and after the deadline, once each ("sent" flags).
    "informatieplicht-herinneringen": {
        "task": "meldingen.informatieplicht.stuur_informatieplicht_herinneringen",
        "schedule": 15 * 60.0,
    },
    # Sweep: crypto-shreds the files of uploads older than 30 days (meldingen.upload.verwerking).
    "uploads-opruimen": {"task": "meldingen.tasks.uploads_opruimen", "schedule": 60 * 60.0},
    # Sweep: breach reminders 12 h and 2 h before and after the 24 h / 72 h deadlines, once each ("sent" rows).
    "datalek-herinneringen": {"task": "datalekken.stuur_datalek_herinneringen", "schedule": 5 * 60.0},
    # Sweep: AVG request deadlines, overdue consultations, 3-monthly re-checks of exceptions ("sent" flags);
    # deletes expired answer packages.
    "avg-herinneringen": {"task": "avg.stuur_herinneringen", "schedule": 15 * 60.0},
    # Sweep: ends each party's access at its term and destroys what is due (meldingen/bewaring).
    "vernietigingsronde": {"task": "meldingen.bewaring.vernietigingsronde", "schedule": 15 * 60.0},
}
DJANGO_CELERY_BEAT_TZ_AWARE = True
#: A worker child that has grown past this (KiB) is replaced after its task (docs/security.md, uploads);
#: the compose file adds an OS limit on the whole worker container.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 1_000_000)

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 10259)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "false").lower() == "true"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Centraal Meldpunt <noreply@centraalmeldpunt.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST framework -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: no browsable API (it needs inline scripts, which the CSP forbids) and no form posts.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
#: requests per API key (or logged-in user) per window of seconds; past it 429 (meldingen/api/throttling.py)
MELDPUNT_API_VERZOEKEN = int(env("MELDPUNT_API_VERZOEKEN", "300"))
MELDPUNT_API_VENSTER = 60
SPECTACULAR_SETTINGS = {
    "TITLE": "Centraal Meldpunt — intake API",
    "DESCRIPTION": (
        "Meldingen van huurachterstand indienen en de status van de eigen meldingen volgen. "
        "Het bindende contract staat in API.md; zie ook docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "meldingen.api.schema.nabewerken",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SignaalstatusEnum": "meldingen.api.serializers.PARTNER_STATUSSEN",
        "EindresultaatEnum": "meldingen.ddas.Eindresultaat",
        "MeldingTypeEnum": "meldingen.dossiers.workflow.MeldingType",
    },
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "defaultModelsExpandDepth": 1, "persistAuthorization": False},
}

# --- Logging: structured, never personal data (ids only) -----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Application --------------------------------------------------------------------------
MELDPUNT_SITE_NAME = "Centraal Meldpunt"
# The address users reach the application at; used for links in e-mails.
MELDPUNT_BASE_URL = env("MELDPUNT_BASE_URL", "http://127.0.0.1:8000")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
MELDPUNT_WORKER_PING_TIMEOUT = 1.0
# Demo data and the totp_code helper are refused where this is false (production).
MELDPUNT_DEMO_DATA_TOEGESTAAN = False

# --- Privacy core: envelope encryption and blind indexes (docs/privacy.md) -------------------
# Master keys wrap the per-dossier data keys: "version:base64key,version:base64key". The first entry
# wraps new keys; the others only unwrap until `manage.py sleutels_roteren` has re-wrapped everything.
MELDPUNT_MASTER_KEYS = env("MELDPUNT_MASTER_KEYS", "")
# Key of the keyed HMAC behind the blind indexes. Must stay stable across master-key rotations.
MELDPUNT_BLIND_INDEX_KEY = env("MELDPUNT_BLIND_INDEX_KEY", "")

# --- Facturatie -----------------------------------------------------------------------------
# The day ("MM-DD") from which the beat sweep drafts the previous year's invoices (facturatie/facturen/tasks.py).
FACTURATIE_OPSTELDATUM = env("FACTURATIE_OPSTELDATUM", "01-15")
CELERY_BEAT_SCHEDULE["facturatie-jaarlijks-opstellen"] = {
    "task": "facturatie.jaarlijks_opstellen",
    "schedule": 60 * 60.0,
}
# --- Logboek anchors outside the database (docs/security.md, ADR 0011) ------------------------
# Private Ed25519 key (a JWK as JSON) that signs the daily checkpoint of the Logboek's hash chain.
MELDPUNT_LOGBOEK_ANKER_SLEUTEL = env("MELDPUNT_LOGBOEK_ANKER_SLEUTEL", "")
# The second store of the checkpoints: a folder outside the database's host and backups ("bestand:" adapter).
MELDPUNT_LOGBOEK_ANKER_OPSLAG = env("MELDPUNT_LOGBOEK_ANKER_OPSLAG", str(BASE_DIR / "logboek-ankers"))
CELERY_BEAT_SCHEDULE["logboek-anker"] = {"task": "meldpunt.audit.tasks.logboek_anker_zetten", "schedule": 60 * 60.0}
# Sweep: queues again an upload without progress for five minutes (a crashed worker), from its checkpoint.
CELERY_BEAT_SCHEDULE["uploads-hervatten"] = {"task": "meldingen.upload.uploads_hervatten", "schedule": 60.0}
#: Hard time limit (s) of processing one upload; below the broker's visibility timeout.
UPLOAD_TAAK_TIJDSLIMIET = 15 * 60
#: The reverse proxies in front of gunicorn (addresses or networks, comma-separated). Only from these is
#: ``X-Forwarded-For`` read for the Logboek's origin (meldpunt/audit/context.py) and, in production,
#: ``X-Forwarded-Proto`` trusted; empty: the direct peer is the client.
MELDPUNT_VERTROUWDE_PROXIES = env_list("MELDPUNT_VERTROUWDE_PROXIES")
