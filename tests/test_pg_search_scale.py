"""PostgreSQL search at archive scale (issue 19 item 2): migration 0009 and the plans the query layer gets.

Plans, never timings: on a small archive with fresh statistics, a rare name must be found through the GIN
index, a word in every article by walking the primary key newest-first (the shape that used to force the
GIN index for every word cost a sort of every hit of a common word), and the tsquery the planner sees must
be one constant, each configuration's form once. Skipped without ``WIREDESK_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text

from storage.search import ArticleQuery, build_select, postgres_tsquery, search_page
from storage.store import Store, articles
from tests.conftest import postgres_database

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ARTICLES = 4000
RARE_EVERY = 1000  # "Lawrow" in 4 of 4,000 articles; "Wetter" in all of them


@pytest.fixture(scope="module")
def pg_store() -> Iterator[Store]:
    with postgres_database() as url:
        store = Store.open(url)
        try:
            with store.transaction() as conn:
                conn.execute(insert(articles), [_row(number) for number in range(1, ARTICLES + 1)])
            # VACUUM also moves the rows from the GIN index's pending list (fastupdate) into the index:
            # the planner prices a search by that list's length, and a settled archive's list is short.
            with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE articles"))
            yield store
        finally:
            store.close()


def _row(number: int) -> dict[str, Any]:
    rare = number % RARE_EVERY == 0
    body = [
        f"Das Wetter in Hamburg bleibt wechselhaft, Meldung {number}.",
        "Der Außenminister Sergej Lawrow reiste nach Genf." if rare else "Keine weiteren Angaben.",
    ]
    return {
        "story_key": "dpa",
        "guid": f"scale:{number}",
        "version": 1,
        "source_format": "ninjs",
        "agencies": ["dpa"],
        "agency_tags": "|dpa|",
        "headline": f"Wetterbericht {number}",
        "body": body,
        "body_text": "\n\n".join(body),
        "related": [],
        "language": "de",
        "status": "usable",
        "received_at": NOW - timedelta(minutes=ARTICLES - number),
        "subjects": [],
        "keywords": [],
        "content_hash": f"{number:032x}",
    }


def _plan(store: Store, query: ArticleQuery) -> str:
    """EXPLAIN (no ANALYZE) of the statement ``search_page`` runs, with sequential scans priced out (a
    small table would otherwise be read whole whatever the shape)."""
    with store.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        compiled = build_select(store, query, NOW, conn).compile(dialect=store.engine.dialect)
        lines = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars().all()
        conn.rollback()
    return "\n".join(lines)


def test_migration_raises_the_search_vector_statistics_target(pg_store: Store) -> None:
    with pg_store.engine.connect() as conn:
        target = conn.execute(
            text(
                "SELECT attstattarget FROM pg_attribute "
                "WHERE attrelid = 'articles'::regclass AND attname = 'search_vector'"
            )
        ).scalar_one()
        method = conn.execute(
            text(
                "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
                "WHERE c.relname = 'ix_articles_search_vector'"
            )
        ).scalar_one()
    assert target == 1000
    assert method == "gin"


def test_rare_name_is_found_through_the_gin_index(pg_store: Store) -> None:
    query = ArticleQuery(text="Lawrow", limit=100)
    plan = _plan(pg_store, query)
    assert "ix_articles_search_vector" in plan, plan
    hits = search_page(pg_store, query, NOW).hits
    assert [hit.id for hit in hits] == [4000, 3000, 2000, 1000]


def test_word_in_every_article_walks_the_primary_key_newest_first(pg_store: Store) -> None:
    query = ArticleQuery(text="Wetter", limit=100)
    plan = _plan(pg_store, query)
    assert "Index Scan Backward using articles_pkey" in plan, plan
    assert "ix_articles_search_vector" not in plan, plan
    hits = search_page(pg_store, query, NOW).hits
    assert [hit.id for hit in hits] == list(range(4000, 3900, -1))


def test_tsquery_is_one_constant_with_each_form_once(pg_store: Store) -> None:
    with pg_store.engine.connect() as conn:
        assert postgres_tsquery(conn, "Lawrow", None) == "'lawrow':*"  # same in all four configs
        both = postgres_tsquery(conn, "Außenminister Lawrow ", "de")
        only_excluded = postgres_tsquery(conn, "-Lawrow", None)
    assert both == "( 'aussenminister' & 'lawrow' ) | ( 'aussenminist' & 'lawrow' )"
    assert only_excluded is None
    plan = _plan(pg_store, ArticleQuery(text="Lawrow", limit=100))
    assert "@@ '''lawrow'':*'::tsquery" in plan and "to_tsquery" not in plan, plan
