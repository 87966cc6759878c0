"""Imported by backfill's forkserver only (``set_forkserver_preload``): the worker module, warmed up.

The writer process never imports this, so it does not hold the language profiles it never uses.
"""

from ingest.backfill.worker import preload

preload()
