"""Shared fixtures: tenants, verified logins, the real Celery worker, the SMTP sink and the browser."""

from __future__ import annotations

import email
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from convenants.models import Convenant
from meldpunt.core.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from meldpunt.core.models import ROLLEN_PER_TYPE, Organisatie, OrganisatieType, User

from .factories import ConvenantFactory, OrganisatieFactory, TOTPDeviceFactory, UserFactory

REPO = Path(__file__).resolve().parent.parent


# --- everything the run logs or enqueues, scanned for personal data by the last test ------------
#: The pytest-xdist worker this process is (``gw0``, …), or empty when the suite runs in one process.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
#: Where every process of the run also writes what it captured (set by bin/test), so that the last test, run
#: after the parallel run, scans all of it.
OPNAME_DIR = os.environ.get("MELDPUNT_TEST_OPNAME_DIR", "")


class _Opname(logging.Handler):
    def __init__(self, soort: str) -> None:
        super().__init__(level=logging.DEBUG)
        self.regels: list[str] = []
        self.bestand = Path(OPNAME_DIR) / f"{soort}-{XDIST_WORKER or 'main'}.log" if OPNAME_DIR else None

    def noteer(self, tekst: str) -> None:
        self.regels.append(tekst)
        if self.bestand is not None:
            with self.bestand.open("a", encoding="utf-8") as f:
                f.write(tekst.replace("\n", "\\n") + "\n")

    def emit(self, record: logging.LogRecord) -> None:
        tekst = record.getMessage()
        if record.exc_info:
            tekst += "\n" + logging.Formatter().formatException(record.exc_info)
        self.noteer(tekst)

    def alle_regels(self) -> list[str]:
        """What every process of the run captured (the files of bin/test's run), else this process's own."""
        if self.bestand is None:
            return list(self.regels)
        soort = self.bestand.name.split("-")[0]
        regels = []
        for pad in sorted(Path(OPNAME_DIR).glob(f"{soort}-*.log")):
            regels += pad.read_text(encoding="utf-8", errors="replace").splitlines()
        return regels


LOG_OPNAME = _Opname("logs")
TAAK_OPNAME = _Opname("taken")
LAATSTE_TEST = "test_zz_logs_zonder_persoonsgegevens.py"


def pytest_configure(config: pytest.Config) -> None:
    logging.getLogger().addHandler(LOG_OPNAME)
    from celery.signals import before_task_publish

    def _noteer(body: object = None, **kwargs: object) -> None:
        TAAK_OPNAME.noteer(repr(body))

    before_task_publish.connect(_noteer, weak=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The personal-data scan runs after every other test."""
    items.sort(key=lambda item: item.path.name == LAATSTE_TEST)


#: A test split into parts that may run on different pytest-xdist workers carries this in its id
#: (``[deel0]``, ``[deel1]``, …); everything else stays together per file (``--dist loadfile``).
DEEL = "[deel"


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, except that the parts of a split test are scheduled one by one: the one long
    test (every page of every role in the browser) no longer holds a worker for the whole run."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PerBestand(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if DEEL in nodeid else nodeid.split("::", 1)[0]

    return PerBestand(config, log)


def worker_log_pad() -> Path:
    """The log of this process's real Celery worker (one per pytest-xdist worker)."""
    return Path(os.environ.get("MELDPUNT_TEST_MAILDIR", "/tmp")).parent / f"celery-worker{XDIST_WORKER}.log"


def worker_log_paden() -> list[Path]:
    """The logs of every real Celery worker of the run."""
    return sorted(worker_log_pad().parent.glob("celery-worker*.log"))


def login_verified(client: Client, user: User) -> Client:
    """Log ``user`` in as if both factors were passed (password + TOTP)."""
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_LOGIN_AT] = session[SESSION_LAST_SEEN] = timezone.now().timestamp()
    session.save()
    return client


@pytest.fixture
def inloggen(client: Client) -> Callable[[User], Client]:
    return lambda user: login_verified(client, user)


@dataclass
class Tenant:
    """One convenant with its gemeente, partner and uitvoerder and one user per role."""

    convenant: Convenant
    gemeente: Organisatie
    partner: Organisatie
    uitvoerder: Organisatie
    gebruikers: dict[str, User]

    def organisatie_van(self, rol: str) -> Organisatie:
        for org in (self.gemeente, self.partner, self.uitvoerder):
            if rol in ROLLEN_PER_TYPE[org.type]:
                return org
        raise KeyError(rol)


def maak_tenant(naam: str) -> Tenant:
    gemeente = OrganisatieFactory(gemeente=True, naam=f"Gemeente {naam}", slug=f"gemeente-{naam}")
    partner = OrganisatieFactory(partner=True, naam=f"Corporatie {naam}", slug=f"corporatie-{naam}")
    uitvoerder = OrganisatieFactory(uitvoerder=True, naam=f"Uitvoerder {naam}", slug=f"uitvoerder-{naam}")
    convenant = ConvenantFactory(
        slug=naam, naam=f"Convenant {naam}", gemeente=gemeente, uitvoerder=uitvoerder, partners=[partner]
    )
    gebruikers = {}
    for org in (gemeente, partner, uitvoerder):
        for rol in ROLLEN_PER_TYPE[org.type]:
            gebruikers[rol] = UserFactory(username=f"{rol}.{naam}", organisatie=org, rollen=[rol])
    return Tenant(convenant, gemeente, partner, uitvoerder, gebruikers)


@pytest.fixture
def tenant_a(db: None) -> Tenant:
    return maak_tenant("alfa")


@pytest.fixture
def tenant_b(db: None) -> Tenant:
    return maak_tenant("beta")


@pytest.fixture
def platformbeheerder(db: None) -> User:
    org = OrganisatieFactory(platform=True, naam="Platformbeheer", slug="platform")
    return UserFactory(username="beheer", organisatie=org, rollen=["platformbeheer"])


# --- the append-only log (meldpunt.audit) ------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def _flush_leegt_ook_het_logboek() -> Iterator[None]:
    """Let Django's flush after a transactional test empty the log table too.

    The flush is one TRUNCATE of every table, and the log refuses TRUNCATE by trigger
    (docs/adr/0006-logboek.md). On the throwaway test database the flush therefore runs in replica
    mode, in which user triggers do not fire (the test database user is a superuser).
    """
    from unittest import mock

    from django.db.backends.postgresql.operations import DatabaseOperations

    origineel = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        origineel(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    with mock.patch.object(DatabaseOperations, "execute_sql_flush", execute_sql_flush):
        yield


# --- SMTP sink (started by bin/test) --------------------------------------------------------
class Mailbox:
    """The messages this process's tests sent. One SMTP sink serves the whole run; with pytest-xdist each worker
    sends from an address of its own (``meldpunt.settings.test``), so it reads and clears only its own mail."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _eigen(self) -> list[tuple[Path, Message]]:
        uit = []
        for pad in sorted(self.directory.glob("*.eml")):
            bericht = email.message_from_bytes(pad.read_bytes())
            if not XDIST_WORKER or f"+{XDIST_WORKER}@" in (bericht["From"] or ""):
                uit.append((pad, bericht))
        return uit

    def clear(self) -> None:
        for pad, _ in self._eigen():
            pad.unlink(missing_ok=True)

    def messages(self) -> list[Message]:
        return [bericht for _, bericht in self._eigen()]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages()
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"expected {count} message(s) in the SMTP sink, found {len(self.messages())}")


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    directory = os.environ.get("MELDPUNT_TEST_MAILDIR")
    if not directory:
        pytest.fail("MELDPUNT_TEST_MAILDIR is not set: run the suite with bin/test (it starts the SMTP sink)")
    box = Mailbox(Path(directory))
    box.clear()
    yield box
    box.clear()


# --- the real Celery worker --------------------------------------------------------------------
@pytest.fixture(scope="session")
def celery_worker(django_db_setup: None, django_db_blocker: object) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process on the test database and the test Redis."""
    from django.db import connection

    settings_dict = connection.settings_dict
    user = settings_dict["USER"] or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "meldpunt.settings.test"}
    with open(worker_log_pad(), "ab") as log:
        yield from _run_worker(env, log)


def _run_worker(env: dict[str, str], log: object) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "meldpunt", "worker", "--pool", "solo", "-l", "info"),
            *("-n", f"test{XDIST_WORKER}@%h"),
        ],
        cwd=REPO,
        env=env,
        stdout=log,  # type: ignore[arg-type]
        stderr=subprocess.STDOUT,
    )
    from meldpunt.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            break
        if proc.poll() is not None:
            raise RuntimeError("the Celery worker exited during start-up")
    else:
        proc.terminate()
        raise RuntimeError("the Celery worker did not answer within 60 seconds")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- browser ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--lang=nl-NL",  # Dutch formats in the browser's own controls (the date picker: dd-mm-jjjj)
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


__all__ = ["OrganisatieType", "Tenant", "login_verified"]
