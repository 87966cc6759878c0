"""``wiredesk ingest`` on backfill's engine: parser processes, one batched writer, a progress bar on a
terminal and silence otherwise, so a folder of 100k files ingests at backfill's rate (issue 17, item 3).

What stays ``wiredesk ingest``: no checkpoint and no resume; every document is parsed, including those
stored before (a repeated ingest reports them unchanged, it does not skip them); the summary line
(``IngestSummary.line``); a document that fails anywhere after it was read is quarantined with its raw
bytes and a one-line reason (a batch that fails is written again document by document); a file over the
size cap is quarantined from its first bytes. Archives named among the paths are read member by member.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from config.oneline import shown
from config.settings import Settings
from ingest.backfill.checkpoint import Checkpoint, new_run_id
from ingest.backfill.engine import Backfill, start_workers, warranted_workers
from ingest.backfill.options import BackfillOptions
from ingest.pipeline import IngestSummary
from storage.store import Store

DEFAULT_BATCH = 200
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """One parser process per core (at most four). The writer needs about a third of the CPU a document
    costs (bench/backfill.py --ingest: 1.4 ms writer, 2.8 ms parsing per document) and workers run niced,
    so the writer keeps its share; one worker on two cores left a core idle (108 against 228 docs/s)."""
    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    *,
    format_name: str | None = None,
    workers: int | None = None,
    batch: int = DEFAULT_BATCH,
    progress: bool | None = None,
    settings: Settings | None = None,
    problems: list[str] | None = None,
    named: Iterable[Path] | None = None,
) -> IngestSummary:
    """Parse and store the files and folders ``paths`` (folders: every non-hidden file below, sorted).

    ``workers``: parser processes (0 = in this process; default ``default_workers()``);
    ``batch``: documents per write transaction; ``progress``: show the bar (default: when stderr is a
    terminal); ``problems`` receives one line per file or archive member that could not be read
    (``cannot ingest PATH: REASON``, at most 1,000); ``named``: the paths the operator named when
    ``paths`` are the files found in them (only those may be pipes or devices; default ``paths``). Raises only for a store outage
    (``storage.errors.is_outage``), after committing every batch before it."""
    settings = settings or Settings.from_env()
    inputs = list(paths)
    options = BackfillOptions(paths=[str(p) for p in inputs], format=format_name)
    count = warranted_workers(default_workers() if workers is None else max(0, workers), inputs)
    show = sys.stderr.isatty() if progress is None else progress
    run = Backfill(
        store,
        options,
        Checkpoint(run_id=new_run_id(), options=asdict(options)),
        directory=None,
        workers=count,
        batch=batch,
        quiet=not show,
        settings=settings,
        executor=start_workers(count),
        skip_known=False,
        label="ingest",
        named=None if named is None else frozenset(named),
    )
    result = run.run()
    if problems is not None:
        problems += [f"cannot ingest {shown(origin)}: {why}" for origin, why in run.writer.refused]
    counts = result.counts
    return IngestSummary(
        documents=counts.documents - counts.refused,
        stored=counts.new,  # duplicates included: they are stored (``IngestSummary``)
        duplicates=counts.duplicates,
        unchanged=counts.unchanged + counts.updated,
        quarantined=counts.quarantined,
        empty=counts.empty,
        refused=counts.refused,
        interrupted=result.state == "interrupted",
    )
