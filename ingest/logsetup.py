"""Logging with structured context: ``extra={...}`` fields are appended as ``key=value``.

Every formatted line -- message, context fields and traceback alike, from our code or a library's -- passes
``config.redact.redact`` last, so a password in a store URL, a credential in a query string or a registered
token never reaches the log, at any level."""

from __future__ import annotations

import logging
import sys

from config.redact import redact

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",  # uvicorn duplicates its message with ANSI colours
}


class KeyValueFormatter(logging.Formatter):
    """``2026-11-27T10:00:00Z INFO ingest.pipeline document ingested origin=... new=1``."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = {k: v for k, v in record.__dict__.items() if k not in _STANDARD and v is not None}
        if context:
            line += " " + " ".join(f"{k}={_quote(v)}" for k, v in context.items())
        return redact(line)


def _quote(value: object) -> str:
    text = str(value)
    return f'"{text}"' if (" " in text or not text) else text


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    formatter = KeyValueFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s", "%Y-%m-%dT%H:%M:%S"
    )
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # APScheduler logs every job start and end at INFO; our poll line says what matters.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
