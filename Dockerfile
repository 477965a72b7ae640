# syntax=docker/dockerfile:1
# Centraal Meldpunt — one image for web (gunicorn), worker, beat and migrate.
# See docker-compose.yml for how it is run.

# --- Stage 1: the source tree without local state --------------------------
# Copies the build context and drops whatever a developer's checkout may hold
# (.venv, node_modules, .local, collected static files, caches), so the image
# never picks those up even without a .dockerignore.
FROM python:3.11-slim-bookworm AS source
WORKDIR /src
COPY . .
RUN rm -rf .git .venv node_modules .local staticfiles media htmlcov bench/results \
        .pytest_cache .ruff_cache .mypy_cache .hypothesis .coverage \
    && find . -name __pycache__ -type d -prune -exec rm -rf {} +

# --- Stage 2: runtime image ------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=meldpunt.settings.production

# Pango/HarfBuzz + a font for WeasyPrint (PDF), Node.js/npm for the front-end
# packages (NL Design System CSS, htmx).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        nodejs npm \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 meldpunt \
    && useradd --system --uid 10001 --gid meldpunt --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin meldpunt

WORKDIR /app

COPY requirements/ requirements/
RUN pip install -r requirements/base.txt

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --from=source /src/ /app/

# Static files are collected at build time (served by WhiteNoise). The
# production settings need these variables to import; the values below exist
# only during this RUN and never reach the running containers.
RUN DJANGO_SECRET_KEY=collectstatic-build-only-not-a-secret-0123456789abcdefghij \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    MELDPUNT_MASTER_KEYS=1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    MELDPUNT_BLIND_INDEX_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media \
    && chown meldpunt:meldpunt /app/media

USER meldpunt:meldpunt
EXPOSE 8000

CMD ["gunicorn", "meldpunt.wsgi:application", "--bind=0.0.0.0:8000", "--workers=3", "--timeout=60", "--access-logfile=-", "--error-logfile=-"]
