"""Which of two threads of one bulk job runs Python first: the one that keeps the database busy.

Python runs one thread at a time. A bulk job (processing an uploaded file) has a storing thread, whose
Python work stands between the database and its next statement, and a checking thread that prepares the
next block meanwhile. Without priority both get the interpreter in turns, and every stretch of the
storing thread's own work takes twice as long while the database waits. So the storing thread marks its
stretches of pure Python work with :func:`voorrang`, and the checking thread, between two rows, waits
for them to end (:func:`wacht_op_voorrang`). Outside a bulk job nobody waits, and marking costs next to
nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_vrij = threading.Event()
_vrij.set()


@contextmanager
def voorrang() -> Iterator[None]:
    """A stretch of Python work that the database is waiting for: background preparation pauses."""
    _vrij.clear()
    try:
        yield
    finally:
        _vrij.set()


def wacht_op_voorrang() -> None:
    """Called by background preparation between items: waits while a stretch of :func:`voorrang` runs."""
    if not _vrij.is_set():
        _vrij.wait()
