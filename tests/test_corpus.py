"""The real agency corpus (``../shared/corpus``): nothing crashes, and hand-checked values match.

Targets: at least 99.5% of checked fields overall (issue 15; issue 3 asked 97%), no format below 95%. The per-format table is
printed at the end of the test run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import parse_records
from parsers import ParseError
from tests import corpus_check
from tests.conftest import CORPUS

# Issue 15's target (the figure reached: 780/782 = 99.74%). The two misses are deliberate: an AFP sign-off
# (``asl/tib/pid/cac``) is not counted as a paragraph (sign-offs are not body), and a one-word feed body
# (``don't``) is too short to name a language (null rather than a guess).
OVERALL_TARGET = 0.995
FORMAT_TARGET = 0.95

FILES = corpus_check.corpus_files(CORPUS) if CORPUS.is_dir() else []


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_file_parses_or_raises_parse_error(path: Path) -> None:
    try:
        records = parse_records(path.read_bytes(), str(path))
    except ParseError as exc:
        assert exc.reason.strip(), "a ParseError must say why"
        return
    for record in records:
        assert record.to_json()


@pytest.mark.corpus
def test_expected_values_match(corpus_dir: Path) -> None:
    tallies = corpus_check.evaluate(corpus_dir)
    corpus_check.LAST_TABLE[:] = corpus_check.table(tallies)
    checked = sum(t.checked for t in tallies.values())
    matched = sum(t.matched for t in tallies.values())
    mismatches = [m for t in tallies.values() for m in t.mismatches]
    report = "\n".join([*corpus_check.LAST_TABLE, "", *mismatches])
    assert checked > 0
    assert matched / checked >= OVERALL_TARGET, report
    for fmt, tally in tallies.items():
        if tally.checked:
            assert tally.matched / tally.checked >= FORMAT_TARGET, f"{fmt}\n{report}"
