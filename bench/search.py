"""Search latency at 100k and 1M stored articles on SQLite or PostgreSQL: p50/p95 of typical desk queries.

Run from the repository root: ``.venv/bin/python bench/search.py [--sizes 100000,1000000] [--runs 40]
[--store postgresql [--pg-url URL] [--reuse PREFIX]]``. Synthetic articles (German/English/French-like text
from a Zipf vocabulary, with planted names at known rates) are bulk-loaded with the search index's upkeep
off and the index filled once afterwards, so the schema afterwards is exactly the migrated one. SQLite:
Core inserts while the FTS5 triggers are dropped, one ``INSERT ... SELECT`` (``storage.search.fts_fill_sql``),
triggers put back. PostgreSQL: ``COPY`` into an unlogged staging table, ``INSERT ... SELECT`` computing the
vectors with the trigger's expression (``storage.pgsearch.search_vector_sql``) while user triggers are off
and secondary indexes dropped, indexes re-created from their definitions, ``VACUUM ANALYZE``. PostgreSQL
databases are ``PREFIX_100k``/``PREFIX_1m`` on the server; with ``--reuse`` they are kept and an existing
one is searched as it is (as of its newest ``received_at``), else they are dropped at the end. Every query
goes through ``storage.search.search_page``, the code the desk and the API run, with the desk's page size
(100). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import JSON, insert, make_url, text  # noqa: E402

from storage.search import (  # noqa: E402
    FTS_TRIGGERS,
    ArticleQuery,
    fts_fill_sql,
    fts_trigger_sql,
    search_page,
)
from storage.store import Store, articles  # noqa: E402

SEED = 20261128
CHUNK = 5_000
STAGING = "bench_articles_load"  # unlogged PostgreSQL staging table, dropped after each load
PARAGRAPH_POOL = 60_000
# name -> share of articles that mention it (planted into the body, sometimes the headline)
PLANTED = {
    "Berlin": 0.06,
    "Syrien": 0.02,
    "Außenminister": 0.015,
    "Aleppo": 0.004,
    "Lawrow": 0.002,
}
AGENCIES = [["dpa"], ["AFP"], ["Reuters"], ["AP"], ["dpa", "AFP"]]
LANGUAGES = ["de"] * 6 + ["en"] * 3 + ["fr"]


def queries(now: datetime) -> list[tuple[str, ArticleQuery]]:
    """Three typical desk searches, and the plain filtered incoming list for comparison."""
    return [
        ("rare name, newest first: Lawrow", ArticleQuery(text="Lawrow", limit=100)),
        (
            "two words + language, ranked: Außenminister Syrien lang=de",
            ArticleQuery(text="Außenminister Syrien", language="de", order="relevance", limit=100),
        ),
        (
            "common word + agency, newest, no dups: Berlin agency=dpa",
            ArticleQuery(text="Berlin", agency="dpa", duplicates=False, limit=100),
        ),
        (
            "no text: agency=AFP lang=de last 24h",
            ArticleQuery(agency="AFP", language="de", since=now - timedelta(hours=24), limit=100),
        ),
    ]


def _vocabulary(rng: random.Random, size: int = 40_000) -> tuple[list[str], list[float]]:
    syllables = [
        "ba",
        "ver",
        "ung",
        "ter",
        "ka",
        "mi",
        "sch",
        "lo",
        "ra",
        "en",
        "ti",
        "de",
        "fo",
        "zu",
    ]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(size * 2)})
    rng.shuffle(words)
    words = words[:size]
    weights = [1.0 / (rank + 1) for rank in range(len(words))]  # Zipf
    return words, list(_cumulative(weights))


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _rows(
    start_id: int,
    count: int,
    target: int,
    rng: random.Random,
    pool: list[str],
    words: list[str],
    cum: list[float],
    now: datetime,
) -> Iterator[dict[str, Any]]:
    """Articles ``start_id`` ... ``start_id + count - 1``, about 2.6 s apart with the last one now."""
    for offset in range(count):
        number = start_id + offset
        paragraphs = rng.sample(pool, 3)
        headline_words = rng.choices(words, cum_weights=cum, k=6)
        for name, share in PLANTED.items():
            if rng.random() < share:
                index = rng.randrange(3)
                paragraphs[index] = f"{paragraphs[index]} {name} {rng.choice(words)}."
                if rng.random() < 0.3:
                    headline_words.insert(rng.randrange(len(headline_words)), name)
        agencies = rng.choice(AGENCIES)
        embargoed = rng.random() < 0.01
        roll = rng.random()
        status = "withheld" if roll < 0.01 else "canceled" if roll < 0.03 else "usable"
        received = now - timedelta(seconds=(target - number) * 2.6)
        yield {
            "story_key": agencies[0],
            "id": number,
            "guid": f"bench:{number}",
            "version": 1,
            "is_current": rng.random() > 0.05,
            "source_format": "newsmlg2",
            "feed": f"feed-{number % 7}",
            "agencies": agencies,
            "agency_tags": "".join(f"|{a}" for a in agencies) + "|",
            "kicker": " ".join(rng.choices(words, cum_weights=cum, k=2)).title(),
            "headline": " ".join(headline_words).capitalize(),
            "caption": None,
            "dateline": {"place": "Berlin", "date": None, "agencies": agencies},
            "byline": None,
            "body": paragraphs,
            "body_text": "\n\n".join(paragraphs),
            "related": [],
            "language": rng.choice(LANGUAGES),
            "urgency": rng.choice([1, 2, 3, 4, 4, 5, 5, 5, 6, 6]),
            "status": status,
            "embargo_until": now + timedelta(hours=2) if embargoed else None,
            "published_at": received,
            "updated_at": None,
            "received_at": received,
            "subjects": [],
            "keywords": [],
            "content_hash": f"{number:032x}",
            "duplicate_of": rng.randint(1, number - 1)
            if number > 10 and rng.random() < 0.03
            else None,
            "raw_document_id": None,
            "signals": ["correction"] if rng.random() < 0.02 else [],
            "ednotes": [],
        }


def grow(store: Store, target: int, rng: random.Random, now: datetime) -> float:
    """Bulk-load articles until the store holds ``target``; returns seconds spent."""
    started = time.perf_counter()
    with store.engine.connect() as conn:
        have = int(conn.execute(text("SELECT coalesce(max(id), 0) FROM articles")).scalar_one())
    if have >= target:
        return 0.0
    words, cum = _vocabulary(rng)
    pool = [
        " ".join(rng.choices(words, cum_weights=cum, k=rng.randint(20, 40))).capitalize() + "."
        for _ in range(PARAGRAPH_POOL)
    ]
    if store.engine.dialect.name == "postgresql":
        _grow_postgres(
            store, have, target, _rows(have + 1, target - have, target, rng, pool, words, cum, now)
        )
        elapsed = time.perf_counter() - started
        print(f"\r  {target:,} articles stored and indexed in {elapsed:.0f} s" + " " * 20)
        return elapsed
    # SQLite: FTS5 triggers off during the load, one INSERT ... SELECT after.
    with store.transaction() as conn:
        for name in FTS_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    next_id = have + 1
    while next_id <= target:
        count = min(CHUNK, target - next_id + 1)
        with store.transaction() as conn:
            conn.execute(
                insert(articles), list(_rows(next_id, count, target, rng, pool, words, cum, now))
            )
        next_id += count
        print(f"\r  {next_id - 1:>9,} articles", end="", flush=True)
    print("\r  indexing (FTS INSERT ... SELECT) ...", end="", flush=True)
    with store.transaction() as conn:
        conn.execute(text(fts_fill_sql(have)))
        for statement in fts_trigger_sql():
            conn.execute(text(statement))
    with store.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    elapsed = time.perf_counter() - started
    print(f"\r  {target:,} articles stored and indexed in {elapsed:.0f} s" + " " * 20)
    return elapsed


def _grow_postgres(store: Store, have: int, target: int, rows: Iterator[dict[str, Any]]) -> None:
    """COPY the new articles into an unlogged staging table, then move them into ``articles`` with one
    ``INSERT ... SELECT`` per chunk that computes the vectors (``storage.pgsearch.search_vector_sql``, the
    trigger's own expression) while the user triggers are off and the secondary indexes are dropped; the
    indexes are re-created from their own definitions and the triggers put back in the same transaction,
    so the schema afterwards is exactly the migrated one (an interrupted load rolls back whole)."""
    from storage.pgsearch import search_vector_sql

    first = next(rows, None)
    if first is None:
        return
    names = list(first)
    json_columns = {name for name in names if isinstance(articles.c[name].type, JSON)}
    column_list = ", ".join(names)
    with store.engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {STAGING}"))
        conn.execute(text(f"CREATE UNLOGGED TABLE {STAGING} (LIKE articles INCLUDING DEFAULTS)"))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {STAGING} ({column_list}) FROM STDIN") as copy:
            for count, row in enumerate(itertools.chain([first], rows), start=have + 1):
                copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])
                if count % CHUNK == 0:
                    print(f"\r  {count:>9,} articles copied", end="", flush=True)
    with store.engine.begin() as conn:
        indexes = conn.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'articles' "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
            )
        ).all()
        for index in indexes:
            conn.execute(text(f'DROP INDEX "{index.indexname}"'))
        conn.execute(text("ALTER TABLE articles DISABLE TRIGGER USER"))
        vector = search_vector_sql("s.", "wiredesk_ts_config(s.language)")
        select_list = ", ".join(f"s.{name}" for name in names)
        step = 50_000
        for low in range(have, target, step):
            conn.execute(
                text(
                    f"INSERT INTO articles ({column_list}, search_vector) "
                    f"SELECT {select_list}, {vector} FROM {STAGING} s "
                    f"WHERE s.id > {low} AND s.id <= {low + step} ORDER BY s.id"
                )
            )
            print(f"\r  {min(low + step, target):>9,} articles indexed", end="", flush=True)
        conn.execute(text("ALTER TABLE articles ENABLE TRIGGER USER"))
        conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        for index in indexes:
            print(f"\r  re-creating {index.indexname} ..." + " " * 20, end="", flush=True)
            conn.execute(text(index.indexdef))
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))"
            )
        )
        conn.execute(text(f"DROP TABLE {STAGING}"))
    print("\r  VACUUM ANALYZE articles ..." + " " * 20, end="", flush=True)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE articles"))


def measure(
    store: Store, query: ArticleQuery, runs: int, now: datetime
) -> tuple[float, float, int]:
    for _ in range(3):
        page = search_page(store, query, now)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        page = search_page(store, query, now)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(page.hits)


def _postgres_database(server_url: str, name: str, fresh: bool) -> str:
    """URL of database ``name`` on the server of ``server_url``, created if missing (re-created if
    ``fresh``)."""
    from sqlalchemy import create_engine

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if fresh:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _size_name(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def _archive_now(store: Store, fallback: datetime) -> datetime:
    """The moment the stored archive was generated for: its newest ``received_at`` (a kept database is
    searched as of the time it was built, so "last 24h" and embargoes mean the same on every run)."""
    with store.engine.connect() as conn:
        newest = conn.execute(text("SELECT max(received_at) FROM articles")).scalar()
    if newest is None:
        return fallback
    if isinstance(newest, str):  # SQLite returns the stored text
        newest = datetime.fromisoformat(newest)
    return newest.replace(tzinfo=UTC) if newest.tzinfo is None else newest.astimezone(UTC)


def _run_size(
    url: str, size: int, runs: int, now: datetime, results: list[tuple[int, str, float, float, int]]
) -> None:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            have = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
        if have > size:
            raise SystemExit(f"{url}: holds {have:,} articles, more than {size:,}")
        if have and have < size:
            now = _archive_now(store, now)  # growing a kept archive continues its timeline
        grow(store, size, random.Random(SEED + have), now)
        now = _archive_now(store, now)
        for label, query in queries(now):
            p50, p95, hits = measure(store, query, runs, now)
            results.append((size, label, p50, p95, hits))
            print(f"  {label:<60} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({hits} hits)")
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--db", type=Path, help="SQLite: keep the store here (default: a temporary directory)"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("WIREDESK_TEST_POSTGRES_URL"),
        help="PostgreSQL server to create the bench databases on "
        "(default: $WIREDESK_TEST_POSTGRES_URL)",
    )
    parser.add_argument(
        "--reuse",
        metavar="PREFIX",
        help="PostgreSQL: keep one database per size, PREFIX_100k, PREFIX_1m, ..., and search an "
        "existing one as it is (build 1M once); default: temporary databases, dropped afterwards",
    )
    parser.add_argument(
        "--db-url",
        help="one database for every size (grown in place, kept), e.g. an empty "
        "postgresql+psycopg://user@host/bench; overrides --store",
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    now = datetime.now(UTC)
    results: list[tuple[int, str, float, float, int]] = []
    if args.db_url:
        args.store = make_url(args.db_url).get_backend_name()
        for size in sizes:
            print(f"{args.store} store with {size:,} articles:")
            _run_size(args.db_url, size, args.runs, now, results)
    elif args.store == "postgresql":
        if not args.pg_url:
            parser.error("no PostgreSQL server: pass --pg-url or set WIREDESK_TEST_POSTGRES_URL")
        prefix = args.reuse or f"wd_bench_search_{os.getpid()}"
        for size in sizes:
            name = f"{prefix}_{_size_name(size)}"
            print(f"PostgreSQL database {name} with {size:,} articles:")
            try:
                _run_size(
                    _postgres_database(args.pg_url, name, False), size, args.runs, now, results
                )
            finally:
                if not args.reuse:
                    _drop_postgres_database(args.pg_url, name)
    else:
        with tempfile.TemporaryDirectory(prefix="wiredesk-bench-") as tmp:
            url = f"sqlite:///{args.db or Path(tmp) / 'bench.db'}"
            for size in sizes:
                print(f"SQLite store with {size:,} articles:")
                _run_size(url, size, args.runs, now, results)
    print()
    print("| store | articles | query | p50 ms | p95 ms | hits (page of 100) |")
    print("|---|---:|---|---:|---:|---:|")
    for size, label, p50, p95, hits in results:
        print(f"| {args.store} | {size:,} | {label} | {p50:.1f} | {p95:.1f} | {hits} |")
    print(json.dumps({"target_p95_ms_at_1M": 50}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
