"""Fuzzing every parser (short, deterministic CI run of ``bench/fuzz.py``).

Every corpus file (skipped when ``../shared/corpus`` is absent) and fixture is mutated by hypothesis and parsed
sniffed and with every format forced: the only acceptable outcomes are items or ``ParseError``, each call
within ``HANG_SECONDS``. Reproducers of bugs found by long runs live in ``tests/fixtures/fuzz/`` and are
replayed here. ``.venv/bin/python bench/fuzz.py --minutes N`` is the long version.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bench.fuzz import CORPUS, HANG_SECONDS, Stats, check_one, load_seeds, mutations, seed_paths
from parsers import ParseError, parse_document
from parsers.registry import format_names

REPRODUCERS = Path(__file__).parent / "fixtures" / "fuzz"
SEEDS = load_seeds()


def _describe(stats: Stats) -> str:
    return "\n".join(
        f"{f.kind} [{f.fmt}] {f.detail} input={f.data[:200]!r}" for f in stats.failures
    )


def test_every_seed_through_every_parser_is_items_or_parse_error() -> None:
    """Unmutated: each corpus file and fixture, forced through each format (wrong format included)."""
    stats = Stats()
    for data in SEEDS:
        check_one(data, stats)
    assert stats.inputs == len(SEEDS) > 50
    assert not stats.failures, _describe(stats)
    assert stats.slowest < HANG_SECONDS


@settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(mutations(SEEDS))
def test_mutated_documents_never_crash_or_hang(data: bytes) -> None:
    stats = Stats()
    check_one(data, stats)
    assert not stats.failures, _describe(stats)


def test_corpus_is_part_of_the_seeds() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it is present in CI)")
    assert any(CORPUS in path.parents for path in seed_paths())


@pytest.mark.parametrize(
    "path",
    sorted(p for p in REPRODUCERS.glob("*") if p.suffix != ".txt"),
    ids=lambda p: p.name,
)
def test_fuzz_reproducers_stay_fixed(path: Path) -> None:
    data = path.read_bytes()
    for fmt in [None, *format_names()]:
        started = time.perf_counter()
        with contextlib.suppress(ParseError):
            parse_document(data, fmt)
        assert time.perf_counter() - started < HANG_SECONDS, f"{path.name} [{fmt}] is slow"


def test_hostile_shapes_are_parse_errors_or_items_quickly() -> None:
    """Hand-made worst cases: deep nesting, huge attribute, many tiny items, NULs, lone surrogates."""
    shapes = [
        b"<rss><channel>" + b"<item><title>t</title></item>" * 6000 + b"</channel></rss>",
        b"<a>" * 100_000 + b"</a>" * 100_000,
        b'<?xml version="1.0"?><x a="' + b"A" * 5_000_000 + b'"/>',
        b"\x00" * 100_000,
        b"\x16\x01" + b"\r\n" * 200_000,
        b"[" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "<p>\ud800</p>".encode("utf-8", "surrogatepass"),
        b"<html><body>" + b"<div>" * 50_000 + b"x",
    ]
    stats = Stats()
    for data in shapes:
        check_one(data, stats)
    assert not stats.failures, _describe(stats)
