"""Shared fixtures: a fresh store per test, paths to the shared corpus and seed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'wiredesk.db'}")
    yield opened
    opened.close()


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it is present in CI)")
    return CORPUS


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seeds not found at {SEEDS} (they are present in CI)")
    return SEEDS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the corpus match table whenever the corpus test ran."""
    from tests import corpus_check

    if corpus_check.LAST_TABLE:
        terminalreporter.section("corpus: expected.jsonl field matches per format")
        for row in corpus_check.LAST_TABLE:
            terminalreporter.write_line(row)
