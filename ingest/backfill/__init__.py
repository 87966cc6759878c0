"""Backfill: re-ingest archives, directory trees, stored raw documents or the quarantine, in parallel.

``wiredesk backfill ...`` and ``scripts/backfill.py ...`` are ``main``; ``ingest_paths`` is
``wiredesk ingest`` on the same engine. Modules:

- ``options``: what a run does (kept in its checkpoint), its command-line arguments;
- ``sources``: files, folders and archives streamed member by member;
- ``worker`` (+ ``preload``): the parser processes, which import parsers and normalizers only;
- ``writer``: the one batched writer; ``engine``: sources -> workers -> writer, in source order;
- ``checkpoint``, ``progress``: resume state and the progress display; ``command``: the entry point;
- ``ingest``: ``ingest_paths``; ``lifeline``: helper processes end with the run;
- ``samples``: synthetic wire documents for tests and benchmarks.

The names below are loaded when first used (PEP 562), never when the package is imported: parser processes
import ``ingest.backfill.worker``, which imports this package first, and must not load SQLAlchemy, Alembic
and the writer for nothing (about 35 MB per worker).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.backfill.command import build_parser, main, run_backfill
    from ingest.backfill.ingest import ingest_paths
    from ingest.backfill.options import BackfillOptions, add_arguments, parse_when

__all__ = [
    "BackfillOptions",
    "add_arguments",
    "build_parser",
    "ingest_paths",
    "main",
    "parse_when",
    "run_backfill",
]
_HOMES = {
    "BackfillOptions": "options",
    "add_arguments": "options",
    "parse_when": "options",
    "build_parser": "command",
    "main": "command",
    "run_backfill": "command",
    "ingest_paths": "ingest",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
