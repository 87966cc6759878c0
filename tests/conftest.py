"""Shared fixtures: a fresh store per test, paths to the shared corpus and seed."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from storage.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"


POSTGRES_ENV = "WIREDESK_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Tests that run a command in-process configure the root logger; put it back afterwards so a later
    test's server threads never log through an earlier test's handlers or levels."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in ("apscheduler", "asyncssh")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the server named by ``WIREDESK_TEST_POSTGRES_URL``, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL half skipped: {POSTGRES_ENV} is not set (.ci/run starts a server)")
    name = f"wd_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL half skipped: no server at {POSTGRES_ENV} ({exc.orig})")
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_store(kind: str, folder: Path, name: str = "wiredesk.db") -> Iterator[Store]:
    """A new, empty store: a SQLite file ``folder/name``, or a fresh PostgreSQL database."""
    if kind == "sqlite":
        opened = Store.open(f"sqlite:///{folder / name}")
        yield opened
        opened.close()
        return
    with postgres_database() as url:
        opened = Store.open(url)
        yield opened
        opened.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The store under test, once on SQLite and once on PostgreSQL (each test in its own database)."""
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


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
