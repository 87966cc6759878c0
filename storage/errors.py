"""Which storage failures are the store's (retry later, stop the run) and which are one document's."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

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
