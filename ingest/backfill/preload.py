"""Imported by backfill's forkserver only (``set_forkserver_preload``): the worker module, warmed up.

The writer process never imports this, so it does not hold the language profiles it never uses. The
forkserver is started by the writer, so its parent is the writer: it ends when the writer does, even when
the writer was killed (``ingest.backfill.lifeline``).
"""

import os

from ingest.backfill import lifeline
from ingest.backfill.worker import preload

lifeline.watch(os.getppid())
preload()
