"""The worker runs with a memory ceiling per child and an OS limit in the compose file."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings

from meldpunt.celery import app


def test_the_worker_replaces_a_child_that_grew_past_the_ceiling():
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD == 1_000_000
    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD


def test_the_compose_file_limits_the_worker_container():
    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    worker = compose["services"]["worker"]
    assert "mem_limit" in worker and "--max-memory-per-child=1000000" in worker["command"]
