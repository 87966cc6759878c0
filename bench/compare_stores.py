"""SQLite vs PostgreSQL from one run: backfill documents/s and search p50/p95, as one comparison table.

Run from the repository root with a PostgreSQL server (``eval "$(scripts/pg-test-server.sh start)"``)::

    .venv/bin/python bench/compare_stores.py [--docs 10000] [--articles 100000] [--workers 2] [--runs 30]
        [--repeat 1] [--no-search] [--pg-url postgresql+psycopg://wiredesk@127.0.0.1:54329/postgres]

Backfill: the real ``scripts/backfill.py ARCHIVE --workers W`` into a fresh SQLite file and into a fresh
PostgreSQL database (``bench/backfill.py``'s ``run_once``), on the same archive of synthetic documents.
Search: the same synthetic articles (same seed) bulk-loaded into each store, then the desk's queries through
``storage.search.search_page`` (``bench/search.py``'s ``grow``/``measure``). The PostgreSQL databases
(``wiredesk_bench_*``) are re-created on each run and left for inspection; the default server URL is
``WIREDESK_TEST_POSTGRES_URL``. Timings are printed, never asserted. ``--repeat N`` runs the backfills N times,
SQLite and PostgreSQL in turn (a busy shared machine then slows both alike), prints every run and reports
the median docs/s of each store; ``--no-search`` measures the backfill rows only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.backfill import fresh_postgres_url, median_run, run_once, write_archive  # noqa: E402
from bench.search import SEED, grow, measure, queries  # noqa: E402
from storage.store import Store  # noqa: E402

Row = tuple[str, float, float, str]


def _search(url: str, articles: int, runs: int) -> dict[str, tuple[float, float, int]]:
    """p50/p95/hits per query label, on a store at ``url`` grown to ``articles``."""
    now = datetime.now(UTC)
    store = Store.open(url)
    try:
        grow(store, articles, random.Random(SEED), now)
        return {label: measure(store, query, runs, now) for label, query in queries(now)}
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents to backfill")
    parser.add_argument("--articles", type=int, default=100_000, help="articles to search")
    parser.add_argument("--workers", type=int, default=2, help="backfill parser processes")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query")
    parser.add_argument(
        "--repeat", type=int, default=1, help="backfill runs per store, interleaved"
    )
    parser.add_argument("--no-search", action="store_true", help="backfill rows only")
    parser.add_argument("--pg-url", default=os.environ.get("WIREDESK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.pg_url:
        parser.error("no PostgreSQL server: pass --pg-url or set WIREDESK_TEST_POSTGRES_URL")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="wiredesk-compare-") as scratch:
        workdir = Path(scratch)
        archive = workdir / f"wire-{args.docs}.tar.gz"
        print(f"writing {args.docs:,} documents ...", flush=True)
        write_archive(archive, args.docs)
        runs: dict[str, list[dict[str, float]]] = {"sqlite": [], "postgresql": []}
        for attempt in range(max(1, args.repeat)):
            for name, url in (("sqlite", None), ("postgresql", args.pg_url)):
                row = run_once(archive, args.workers, workdir, url)
                runs[name].append(row)
                print(
                    f"backfill run {attempt + 1} into {name}: {row['docs_per_s']:.0f} docs/s, "
                    f"writer {row['writer_cpu_ms']:.2f} CPU ms/doc",
                    flush=True,
                )
        backfill = {name: median_run(rows) for name, rows in runs.items()}
        rows.append(
            (
                f"backfill {args.docs:,} docs, --workers {args.workers}: docs/s",
                backfill["sqlite"]["docs_per_s"],
                backfill["postgresql"]["docs_per_s"],
                "higher is better",
            )
        )
        rows.append(
            (
                "backfill: peak PSS of the process tree, MB",
                backfill["sqlite"]["tree_mb"],
                backfill["postgresql"]["tree_mb"],
                "",
            )
        )
        rows.append(
            (
                "backfill: writer CPU ms per document",
                backfill["sqlite"]["writer_cpu_ms"],
                backfill["postgresql"]["writer_cpu_ms"],
                f"median of {len(runs['sqlite'])} run(s)",
            )
        )
        sqlite: dict[str, tuple[float, float, int]] = {}
        pg: dict[str, tuple[float, float, int]] = {}
        if not args.no_search:
            print(f"search: SQLite with {args.articles:,} articles", flush=True)
            sqlite = _search(f"sqlite:///{workdir / 'search.db'}", args.articles, args.runs)
            print(f"search: PostgreSQL with {args.articles:,} articles", flush=True)
            pg = _search(
                fresh_postgres_url(args.pg_url, "wiredesk_bench_search"), args.articles, args.runs
            )
    for label, (p50, p95, hits) in sqlite.items():
        pg_p50, pg_p95, pg_hits = pg[label]
        rows.append((f"search p50 ms: {label}", p50, pg_p50, f"hits {hits} / {pg_hits}"))
        rows.append((f"search p95 ms: {label}", p95, pg_p95, ""))
    print()
    print(
        f"| {args.docs:,} docs backfilled, {args.articles:,} articles searched | SQLite | PostgreSQL | |"
    )
    print("|---|---:|---:|---|")
    for label, lite, postgres, note in rows:
        print(f"| {label} | {lite:.1f} | {postgres:.1f} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
