"""The ``wiredesk`` console script: a launcher that imports the CLI only when it runs.

Backfill's parser processes re-import the main module of the process that started them (multiprocessing's
forkserver does so for every worker); with this launcher as that module they import nothing heavy, so each
worker holds parsers and normalizers only, not SQLAlchemy, Alembic, APScheduler and FastAPI.

A store that cannot be used as asked (read-only, unreachable, a schema newer than this code) or that goes
away mid-run is one line on stderr and exit status 2, never a traceback (issue 16, finding 11).
"""

from __future__ import annotations

import sys


def main() -> int:
    from ingest.cli import main as run

    try:
        return run()
    except Exception as exc:
        # storage.errors (and SQLAlchemy under it) is not imported for a command that never opened a
        # store (``--help``, ``parse``): if it is not loaded, ``exc`` cannot be one of its errors.
        errors = sys.modules.get("storage.errors")
        if errors is not None and isinstance(exc, errors.StoreError):
            print(f"wiredesk: {exc}", file=sys.stderr)
            return 2
        if errors is not None and errors.is_outage(exc):
            # The database went away mid-run (server stopped, connection cut): what was committed
            # stays; say so in one line, never the statement or a document's fields.
            print(f"wiredesk: lost the store: {errors.outage_line(exc)}", file=sys.stderr)
            return 2
        raise
