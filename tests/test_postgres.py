"""PostgreSQL as the production store, tested against a real server (issue 8).

- Alembic: upgrade to head, downgrade to base and back up, on SQLite and PostgreSQL.
- Two OS processes storing the same item at the same moment store it once.
- Near-duplicate lookup under concurrent writers: every duplicate points at a root, no chains, no cycles.

The PostgreSQL half needs ``WIREDESK_TEST_POSTGRES_URL`` (``.ci/run`` sets it; locally
``eval "$(scripts/pg-test-server.sh start)"``) and skips with a clear reason otherwise. The ``wiredesk run``
two-worker tests are in ``tests/test_pg_workers.py``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from ingest.backfill.samples import document
from ingest.pipeline import ingest_document
from normalizers.record import ArticleRecord
from storage.db import code_revision, downgrade, make_engine, migrate
from storage.store import Store, articles, raw_documents
from tests.conftest import postgres_database

TABLES = {"articles", "raw_documents", "quarantine", "feed_state", "article_bands"}
# Processes are forked: each opens its own engine after the fork (nothing is shared but the URL).
FORK = multiprocessing.get_context("fork")
ROUNDS = 12
PAIRS = 40
JOIN_TIMEOUT = 60


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL (nothing migrated yet), on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    with postgres_database() as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (skips without a server)."""
    with postgres_database() as url:
        Store.open(url).close()
        yield url


# -- migrations ------------------------------------------------------------------------------------


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_upgrade_downgrade_and_upgrade_again(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        assert _tables(db_url) >= TABLES
        migrate(engine)  # idempotent at head
        downgrade(engine, "base")
        assert _tables(db_url) <= {"alembic_version"}, "downgrade to base left tables behind"
        migrate(engine)
        assert _tables(db_url) >= TABLES
        if engine.dialect.name == "postgresql":
            columns = {c["name"] for c in inspect(engine).get_columns("articles")}
            assert "search_vector" in columns
            indexes = {i["name"] for i in inspect(engine).get_indexes("articles")}
            assert "ix_articles_search_vector" in indexes
    finally:
        engine.dispose()
    # and the store works on the re-created schema
    store = Store.open(db_url)
    try:
        result = ingest_document(store, document(1)[1], "doc-1")
        assert result.stored == 1 and not result.error
    finally:
        store.close()


def test_step_by_step_downgrade_on_postgresql(pg_url: str) -> None:
    """Every revision downgrades one step at a time (head .. 0001) and comes back to the head."""
    engine = make_engine(pg_url)
    try:
        for revision in ("0005", "0004", "0003", "0002", "0001"):
            downgrade(engine, revision)
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                    revision
                )
        migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                code_revision()
            )
    finally:
        engine.dispose()


# -- the same item from two processes at once -----------------------------------------------------


def _record(n: int, body: list[str], guid: str | None = None) -> ArticleRecord:
    return ArticleRecord(
        guid=guid or f"urn:pgtest:{n}",
        source_format="newsmlg2",
        version=1,
        agencies=["dpa"],
        headline=f"Meldung {n}",
        body=body,
        language="de",
        content_hash=hashlib.sha256("\n".join(body).encode()).hexdigest(),
        published_at=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
    )


def _body(seed: int, words: int = 80) -> list[str]:
    rng = random.Random(seed)
    vocabulary = [f"wort{i}" for i in range(5000)]
    return [" ".join(rng.choice(vocabulary) for _ in range(words))]


def _same_item_worker(url: str, barrier: Any, results: Any, mode: str) -> None:
    store = Store.open(url)
    try:
        for n in range(ROUNDS):
            barrier.wait(timeout=JOIN_TIMEOUT)
            try:
                if mode == "pipeline":
                    result = ingest_document(store, document(n)[1], f"doc-{n}")
                    results.put((n, "stored" if result.stored else "unchanged", result.error))
                else:
                    with store.transaction() as conn:
                        outcome = store.save_article(conn, _record(n, _body(n)))
                    results.put((n, outcome.result, None))
            except Exception as exc:  # reported to the test, never hidden
                results.put((n, "error", f"{type(exc).__name__}: {exc}"))
    finally:
        store.close()


def _run_two(url: str, mode: str) -> list[tuple[int, str, str | None]]:
    barrier = FORK.Barrier(2)
    results = FORK.Queue()
    workers = [
        FORK.Process(target=_same_item_worker, args=(url, barrier, results, mode)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=JOIN_TIMEOUT) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(JOIN_TIMEOUT)
        assert worker.exitcode == 0
    return collected


def test_two_processes_saving_the_same_article_store_it_once(pg_url: str) -> None:
    outcomes = _run_two(pg_url, "save_article")
    errors = [o for o in outcomes if o[1] == "error"]
    assert not errors, errors
    for n in range(ROUNDS):
        mine = sorted(result for m, result, _ in outcomes if m == n)
        assert mine == ["stored", "unchanged"], (n, mine)
    store = Store.open(pg_url)
    try:
        with store.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            per_item = conn.execute(
                select(articles.c.guid, func.count())
                .group_by(articles.c.story_key, articles.c.guid, articles.c.version)
                .having(func.count() > 1)
            ).all()
        assert count == ROUNDS and not per_item
    finally:
        store.close()


def test_two_processes_ingesting_the_same_document_store_it_once(pg_url: str) -> None:
    """The whole pipeline (raw bytes + articles) from two processes at the same moment."""
    outcomes = _run_two(pg_url, "pipeline")
    errors = [o for o in outcomes if o[1] == "error" or o[2]]
    assert not errors, errors
    for n in range(ROUNDS):
        mine = sorted(result for m, result, _ in outcomes if m == n)
        assert mine == ["stored", "unchanged"], (n, mine)
    store = Store.open(pg_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(articles)).scalar_one() == ROUNDS
            raw = conn.execute(select(func.count()).select_from(raw_documents)).scalar_one()
            assert raw == ROUNDS
    finally:
        store.close()


# -- near duplicates under concurrent inserts -----------------------------------------------------


def _near_duplicate_worker(url: str, barrier: Any, side: int) -> None:
    """Writer ``side`` stores its variant of pair i while the other writer stores the other variant."""
    store = Store.open(url)
    try:
        for i in range(PAIRS):
            body = _body(10_000 + i)
            if side == 1:  # one word changed: estimated Jaccard ~0.95, far above the threshold
                body = [body[0].rsplit(" ", 1)[0] + " anders"]
            record = _record(i, body, guid=f"urn:pgtest:pair-{i}-{side}")
            barrier.wait(timeout=JOIN_TIMEOUT)
            with store.transaction() as conn:
                store.save_article(conn, record)
    finally:
        store.close()


def _check_duplicate_links(url: str) -> list[str]:
    """Problems with the duplicate links: unlinked pairs, links to non-roots, cycles."""
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.guid, articles.c.duplicate_of)
            ).all()
    finally:
        store.close()
    parent = {row.id: row.duplicate_of for row in rows}
    problems = []
    for row in rows:
        if row.duplicate_of is None:
            continue
        if parent.get(row.duplicate_of) is not None:
            problems.append(f"#{row.id} points at #{row.duplicate_of}, which is not a root")
        if row.duplicate_of >= row.id:
            problems.append(f"#{row.id} points forward at #{row.duplicate_of}")
    pairs: dict[str, list[Any]] = {}
    for row in rows:
        pairs.setdefault(row.guid.rsplit("-", 1)[0], []).append(row)
    for name, members in sorted(pairs.items()):
        roots = [m for m in members if m.duplicate_of is None]
        if len(members) != 2 or len(roots) != 1:
            problems.append(f"{name}: {len(members)} stored, {len(roots)} roots (want 2 and 1)")
        elif any(m.duplicate_of not in (None, roots[0].id) for m in members):
            problems.append(f"{name}: duplicate not linked to its root")
    return problems


def test_near_duplicates_from_two_writers_are_linked_to_one_root(pg_url: str) -> None:
    barrier = FORK.Barrier(2)
    writers = [
        FORK.Process(target=_near_duplicate_worker, args=(pg_url, barrier, side)) for side in (0, 1)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(JOIN_TIMEOUT)
        assert writer.exitcode == 0
    problems = _check_duplicate_links(pg_url)
    assert not problems, f"{len(problems)} problems, e.g. {problems[:5]}"


def test_near_duplicates_from_one_writer_are_linked_to_one_root(pg_url: str) -> None:
    """The control: the same pairs stored one after the other are all linked."""
    store = Store.open(pg_url)
    try:
        for i in range(PAIRS):
            for side in (0, 1):
                body = _body(10_000 + i)
                if side == 1:
                    body = [body[0].rsplit(" ", 1)[0] + " anders"]
                with store.transaction() as conn:
                    store.save_article(conn, _record(i, body, guid=f"urn:pgtest:pair-{i}-{side}"))
    finally:
        store.close()
    assert _check_duplicate_links(pg_url) == []


# -- read-only stores and newer schemas (issue 16, finding 11) --------------------------------------


def test_read_only_open_and_a_newer_schema_on_both_stores(db_url: str) -> None:
    from storage.errors import SchemaMismatch, StoreReadOnly
    from storage.search import ArticleQuery, search

    store = Store.open(db_url)
    name, data = document(3)
    ingest_document(store, data, name)
    store.close()
    reader = Store.open(db_url, readonly=True)
    try:
        assert reader.readonly and len(search(reader, ArticleQuery(include_all=True))) == 1
        with pytest.raises(StoreReadOnly):
            ingest_document(reader, document(4)[1], "other.xml")
        with pytest.raises(DBAPIError, match=r"read-only|readonly"), reader.engine.begin() as conn:
            conn.execute(text("DELETE FROM articles"))  # refused by the database itself
    finally:
        reader.close()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaMismatch, match=r"store schema 9999 is newer than this wiredesk"):
        Store.open(db_url)
