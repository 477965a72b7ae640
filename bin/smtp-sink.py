#!/usr/bin/env python3
"""A tiny local SMTP sink for development and tests.

Every message received is written to ``--maildir`` as one ``.eml`` file (RFC 5322
bytes as received, with two extra headers prepended that record the SMTP
envelope: ``X-Envelope-From`` and ``X-Envelope-To``, so tests can also check
Bcc recipients). Files are written atomically (temporary name, then rename), so
a reader never sees half a message. File names sort in order of receipt:
``<unix time in ns>-<sequence>.eml``.

    python bin/smtp-sink.py --host 127.0.0.1 --port 10259 --maildir .local/mail

Nothing is relayed anywhere. Stops cleanly on SIGTERM / SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import itertools
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

_sequence = itertools.count(1)


def _header_line(name: str, value: str, newline: bytes) -> bytes:
    # Envelope addresses are plain ASCII (or UTF-8 with SMTPUTF8); never let
    # them break the header structure.
    clean = value.replace("\r", " ").replace("\n", " ")
    return name.encode("ascii") + b": " + clean.encode("utf-8", "replace") + newline


def store_message(maildir: Path, mail_from: str, rcpt_tos: list[str], content: bytes) -> Path:
    """Write one message to ``maildir`` atomically and return its path."""
    newline = b"\r\n" if b"\r\n" in content[:4096] else b"\n"
    data = (
        _header_line("X-Envelope-From", mail_from or "", newline)
        + _header_line("X-Envelope-To", ", ".join(rcpt_tos), newline)
        + content
    )
    name = f"{time.time_ns()}-{next(_sequence):06d}"
    tmp = maildir / f".{name}.tmp"
    final = maildir / f"{name}.eml"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    return final


class SinkHandler:
    """aiosmtpd handler: accept everything, store it."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    # aiosmtpd looks the hook up by this exact name.
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        path = store_message(self.maildir, envelope.mail_from, list(envelope.rcpt_tos), content)
        print(f"stored {path.name} from={envelope.mail_from} to={','.join(envelope.rcpt_tos)}", flush=True)
        return "250 Message accepted for delivery"


def serve_aiosmtpd(host: str, port: int, maildir: Path) -> None:
    from aiosmtpd.smtp import SMTP

    handler = SinkHandler(maildir)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, hostname="smtp-sink.local", enable_SMTPUTF8=True),
            host=host,
            port=port,
            reuse_address=True,
        )
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"smtp-sink (aiosmtpd) listening on {host}:{port}, writing to {maildir}", flush=True)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


def serve_stdlib(host: str, port: int, maildir: Path) -> None:
    """Fallback for a venv without aiosmtpd (Python <= 3.11 still ships smtpd)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import asyncore
        import smtpd

    class Sink(smtpd.SMTPServer):
        def process_message(
            self, peer: Any, mailfrom: str, rcpttos: list[str], data: bytes | str, **kwargs: Any
        ) -> None:
            if isinstance(data, str):
                data = data.encode("utf-8")
            path = store_message(maildir, mailfrom, list(rcpttos), data)
            print(f"stored {path.name} from={mailfrom} to={','.join(rcpttos)}", flush=True)

    Sink((host, port), None, decode_data=False)  # type: ignore[arg-type]  # smtpd: None = no relay

    def _stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    print(f"smtp-sink (stdlib smtpd) listening on {host}:{port}, writing to {maildir}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncore.loop(timeout=0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local SMTP sink writing .eml files.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=10259)
    parser.add_argument("--maildir", required=True, type=Path)
    parser.add_argument("--pidfile", type=Path, help="write the process id to this file")
    args = parser.parse_args(argv)

    maildir: Path = args.maildir.resolve()
    maildir.mkdir(parents=True, exist_ok=True)
    if args.pidfile:
        args.pidfile.write_text(f"{os.getpid()}\n")
    try:
        if importlib.util.find_spec("aiosmtpd") is None:
            print("aiosmtpd not installed; falling back to the stdlib smtpd module", file=sys.stderr)
            serve_stdlib(args.host, args.port, maildir)
        else:
            serve_aiosmtpd(args.host, args.port, maildir)
    finally:
        if args.pidfile:
            with contextlib.suppress(FileNotFoundError):
                args.pidfile.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
