"""Concurrency (short version of ``bench/concurrency.py``): backfill with 2 workers + the live service +
20 API readers on one SQLite file. Zero lock errors; every reader's cursor sees every article exactly once."""

from __future__ import annotations

from pathlib import Path

from bench.concurrency import run


def test_backfill_service_and_twenty_cursor_readers_share_one_sqlite_file(tmp_path: Path) -> None:
    result = run(tmp_path, seconds=8, readers=20, backfill_batch=80)
    assert result.backfill_runs >= 1 and not result.backfill_failures, result.backfill_failures
    assert not result.lock_errors, result.lock_errors[:5]
    assert not result.reader_errors, result.reader_errors[:5]
    assert result.articles == result.live_documents + result.backfill_documents
    assert result.readers_exact == 20, result.reader_problems
