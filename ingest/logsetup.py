"""Logging with structured context: ``extra={...}`` fields are appended as ``key=value``.

Every formatted line -- message, context fields and traceback alike, from our code or a library's -- passes
``config.redact.redact`` last, so a password in a store URL, a credential in a query string or a registered
token never reaches the log, at any level."""

from __future__ import annotations

import logging
import sys

from config.logcontext import DocumentFilter
from config.oneline import shown
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
            line += " " + " ".join(f"{k}={shown(v)}" for k, v in context.items())
        return redact(line)


class _CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at emit time, not the stream current at set-up: a stream
    replaced and closed later (a daemon's redirected stderr, a test's capture) never turns a log line
    from a library's thread into a ``Logging error``."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def log_level(value: str) -> str:
    """``--log-level``: a level name in any case (``debug``, ``Info``), upper-cased; checked against
    ``LOG_LEVELS`` by argparse ``choices`` or :func:`log_level_problem`."""
    return value.strip().upper()


def log_level_problem(level: str) -> str | None:
    """The one-line refusal of a ``--log-level`` that is not a level name, or None."""
    if level in LOG_LEVELS:
        return None
    return f"--log-level is one of {', '.join(LOG_LEVELS)} (any case), not {level.lower()!r}"


def configure_logging(level: str = "INFO") -> None:
    """Route every logger to stderr through :class:`KeyValueFormatter` at ``level`` (a level name)."""
    handler = _CurrentStderrHandler()
    formatter = KeyValueFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s", "%Y-%m-%dT%H:%M:%S"
    )
    handler.setFormatter(formatter)
    handler.addFilter(DocumentFilter())  # lines logged while a document is read name it
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # APScheduler logs every job start and end at INFO, Alembic every migration step ("Context impl
    # SQLiteImpl", "Will assume transactional DDL", "Running upgrade"); our poll lines say what matters.
    for chatty in ("apscheduler", "alembic"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
