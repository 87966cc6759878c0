"""The ``wiredesk`` console script: a launcher that imports the CLI only when it runs.

Backfill's parser processes re-import the main module of the process that started them (multiprocessing's
forkserver does so for every worker); with this launcher as that module they import nothing heavy, so each
worker holds parsers and normalizers only, not SQLAlchemy, Alembic, APScheduler and FastAPI.
"""

from __future__ import annotations


def main() -> int:
    from ingest.cli import main as run

    return run()
