"""Crash test (short version of ``bench/crash.py``): SIGKILL ``wiredesk run`` while it ingests a stream.

The real service runs as a subprocess on a drop folder that a feeder fills; it is killed with SIGKILL three
times at random moments after it started, restarted each time, and finally stopped with SIGTERM. The store
must then hold every good document exactly once, whole, and every broken document exactly once in quarantine.
"""

from __future__ import annotations

import random
from pathlib import Path

from bench.crash import make_documents, run_with_kills, verify


def test_sigkill_loses_nothing_duplicates_nothing_and_keeps_the_quarantine(tmp_path: Path) -> None:
    documents = make_documents(48, broken_every=8, seed=3)
    run = run_with_kills(tmp_path, documents, kills=3, rng=random.Random(3), per_second=12.0)
    verdict = verify(tmp_path, documents)
    log = (tmp_path / "service.log").read_text(errors="replace")[-3000:]
    assert len(run.kills) == 3
    assert run.final_returncode == 0, log
    assert verdict.sent_good == 42 and verdict.sent_broken == 6
    assert not verdict.missing, f"lost: {verdict.missing}"
    assert not verdict.duplicated, f"stored twice: {verdict.duplicated}"
    assert not verdict.unexpected, verdict.unexpected
    assert not verdict.half_written, f"half-written: {verdict.half_written}"
    assert verdict.articles == 42
    assert verdict.quarantine_open == 6 and not verdict.quarantine_problems, verdict
    assert not verdict.files_left and not verdict.files_misplaced, verdict
