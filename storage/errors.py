"""Which storage failures are the store's (retry later, stop the run) and which are one document's."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

from config.redact import redact

# The database is unreachable, locked or gone: no document is at fault, so none is quarantined for it.
_OUTAGES = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
    sa_exc.ResourceClosedError,
)


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says the store itself failed (connection, lock, read-only file), not the data.

    Everything else raised while saving one document (a value out of range, text the driver cannot encode,
    a constraint) is that document's failure: it is quarantined and the run goes on."""
    return isinstance(exc, _OUTAGES)


def outage_line(exc: BaseException) -> str:
    """The driver's own first line of an outage (``server closed the connection unexpectedly``), without
    SQLAlchemy's statement, parameters and background link; redacted."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return redact(f"{type(original).__name__}: {lines[0] if lines else 'connection lost'}")


class StoreError(Exception):
    """The store cannot be used as asked; ``str()`` is one line for the operator (no traceback, no SQL).

    Raised by ``Store.open``; the ``wiredesk`` entry point prints it as ``wiredesk: MESSAGE`` (exit 2)."""


class StoreReadOnly(StoreError):
    """The store refuses writes (file or directory permissions, ``mode=ro``, a read-only database role)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (server down, wrong host or port, authentication refused)."""


class SchemaMismatch(StoreError):
    """The store's schema revision is not one this code can use as it is."""


# SQLite's and PostgreSQL's words for a write refused because the database is read-only.
_READ_ONLY_WORDS = ("readonly database", "read-only", "unable to open database file")
_READ_ONLY_SQLSTATE = "25006"  # read_only_sql_transaction


def is_read_only(exc: BaseException) -> bool:
    """True when ``exc`` is the database refusing a write because it (or the session) is read-only."""
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if getattr(exc.orig, "sqlstate", None) == _READ_ONLY_SQLSTATE:
        return True
    message = str(exc.orig).lower()
    return any(words in message for words in _READ_ONLY_WORDS)
