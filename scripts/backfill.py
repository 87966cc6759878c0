#!/usr/bin/env python3
"""Operators' entry point: ``scripts/backfill.py ARGS`` is ``wiredesk backfill ARGS``.

Runnable from a checkout without activating anything: started by a Python outside a virtual environment,
it re-executes itself with the project's ``.venv`` when there is one, and it puts the repository root on
``sys.path``. See ``ingest/backfill/`` for what a run does and the README's "Backfill" section.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

if sys.prefix == sys.base_prefix and VENV_PYTHON.exists():
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])
sys.path.insert(0, str(ROOT))

if __name__ == "__main__":
    # Imported here, not at the top: parser processes re-import this file as ``__mp_main__`` and must not
    # load the writer's SQLAlchemy and Alembic (about 35 MB per worker) for nothing.
    from ingest.backfill import main

    sys.exit(main())
