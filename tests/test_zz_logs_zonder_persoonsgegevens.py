"""Runs last: no personal data in any log line, exception trace or task argument of the whole run.

Every test that handles personal data uses the fictitious values of ``tests/persoonsgegevens.py``;
this test scans what the run logged in-process, what the real Celery workers logged, and every task
message the run enqueued. ``bin/test`` runs the suite in parallel (pytest-xdist) and then this file on its
own: every process writes what it captured to files (``MELDPUNT_TEST_OPNAME_DIR``), which this test reads.
"""

from __future__ import annotations

import logging

from tests.conftest import LOG_OPNAME, TAAK_OPNAME, worker_log_paden
from tests.persoonsgegevens import VERBODEN_IN_LOGS


def _treffers(teksten: list[str]) -> list[tuple[str, str]]:
    return [(waarde, tekst[:200]) for tekst in teksten for waarde in VERBODEN_IN_LOGS if waarde in tekst]


def test_the_scanner_finds_personal_data_when_it_is_logged():
    bestand, LOG_OPNAME.bestand = LOG_OPNAME.bestand, None  # the planted line stays out of the run's record
    voor = len(LOG_OPNAME.regels)
    try:
        logging.getLogger("meldpunt.proef").warning("huurder %s", VERBODEN_IN_LOGS[0])
        gevonden = {waarde for waarde, _ in _treffers(LOG_OPNAME.regels[voor:])}
        assert VERBODEN_IN_LOGS[0] in gevonden
    finally:
        del LOG_OPNAME.regels[voor:]
        LOG_OPNAME.bestand = bestand


def test_no_personal_data_in_logs_or_task_arguments():
    worker_regels = [r for pad in worker_log_paden() for r in pad.read_text(errors="replace").splitlines()]
    assert _treffers(LOG_OPNAME.alle_regels()) == []
    assert _treffers(worker_regels) == []
    assert _treffers(TAAK_OPNAME.alle_regels()) == []
