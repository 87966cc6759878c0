"""Where the writer's time goes: statements per document, by kind, and the writer's cProfile top entries.

Run from the repository root (PostgreSQL: ``eval "$(scripts/pg-test-server.sh start)"`` first)::

    .venv/bin/python bench/write_profile.py --store postgresql --docs 2000 [--workers 2] [--top 25]
    .venv/bin/python bench/write_profile.py --store sqlite --docs 2000

One backfill (``ingest.backfill.command.main``, the code of ``scripts/backfill.py``) of a generated archive
(``bench/backfill.py``'s ``write_archive``) into a fresh store -- a SQLite file in a scratch folder, or the
re-created database ``wiredesk_bench_profile`` on the server of ``--pg-url`` -- run in this process under
cProfile (parser processes are separate and not profiled: this is the writer alone). Every statement is
counted with SQLAlchemy's ``before_cursor_execute`` event (an ``executemany`` is one statement, its rows are
counted apart), so the figures are round trips, not timings. Printed: documents/s (profiling slows the
writer: compare runs of this script with each other, not with ``bench/compare_stores.py``), statements and
rows per document by kind, and the top entries by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import Engine, event  # noqa: E402

from bench.backfill import fresh_postgres_url, write_archive  # noqa: E402

_SPACE = re.compile(r"\s+")


def statement_kind(statement: str) -> str:
    """A short label for a statement: its verb and table (``INSERT article_bands``, ``SELECT articles``),
    or the function it calls (``SELECT pg_advisory_xact_lock``)."""
    words = _SPACE.sub(" ", statement.strip()).split(" ")
    verb = words[0].upper()
    if verb == "INSERT" and len(words) > 2:
        return f"INSERT {words[2]}"
    if verb == "UPDATE" and len(words) > 1:
        return f"UPDATE {words[1]}"
    if verb == "DELETE" and len(words) > 2:
        return f"DELETE {words[2]}"
    if verb in ("SELECT", "WITH"):
        lowered = statement.lower()
        match = re.search(r"\bfrom\s+(?!\(|select\b)([a-z_]+)", lowered)
        call = re.match(r"select\s+([a-z_]+)\(", lowered.strip())
        if call and (match is None or "from" not in lowered.split(call.group(1))[0]):
            return f"SELECT {call.group(1)}()"
        return f"{verb} {match.group(1) if match else '?'}"
    return verb


class StatementCounter:
    """Counts statements (and executemany rows) by kind on every engine of this process."""

    def __init__(self) -> None:
        self.statements: Counter[str] = Counter()
        self.rows: Counter[str] = Counter()

    def __call__(
        self,
        _conn: Any,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        executemany: bool,
    ) -> None:
        kind = statement_kind(statement)
        self.statements[kind] += 1
        self.rows[kind] += len(parameters) if executemany else 1

    def listen(self) -> None:
        event.listen(Engine, "before_cursor_execute", self)

    def remove(self) -> None:
        event.remove(Engine, "before_cursor_execute", self)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--top", type=int, default=25, help="profile entries printed per order")
    parser.add_argument("--no-profile", action="store_true", help="count statements only")
    parser.add_argument("--pg-url", default=os.environ.get("WIREDESK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wiredesk-profile-") as scratch:
        workdir = Path(scratch)
        archive = workdir / f"wire-{args.docs}.tar.gz"
        write_archive(archive, args.docs)
        if args.store == "postgresql":
            if not args.pg_url:
                parser.error(
                    "no PostgreSQL server: pass --pg-url or set WIREDESK_TEST_POSTGRES_URL"
                )
            url = fresh_postgres_url(args.pg_url, "wiredesk_bench_profile")
        else:
            url = f"sqlite:///{workdir / 'profile.db'}"
        os.environ["WIREDESK_DB_URL"] = url
        os.environ["WIREDESK_BACKFILL_DIR"] = str(workdir / "checkpoints")
        from ingest.backfill.command import main as backfill

        argv = [str(archive), "--workers", str(args.workers), "--batch", str(args.batch)]
        argv += ["--quiet"]
        counter = StatementCounter()
        counter.listen()
        profile = None if args.no_profile else cProfile.Profile()
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        status = backfill(argv)
        if profile is not None:
            profile.disable()
        elapsed = time.perf_counter() - started
        counter.remove()
    if status != 0:
        print(f"backfill failed with status {status}", file=sys.stderr)
        return 1
    docs = args.docs
    print(f"{args.store}: {docs:,} documents in {elapsed:.1f} s = {docs / elapsed:.0f} docs/s")
    print("\n| statement | per document | rows per document |\n|---|---:|---:|")
    for kind, count in counter.statements.most_common():
        print(f"| {kind} | {count / docs:.3f} | {counter.rows[kind] / docs:.2f} |")
    total = sum(counter.statements.values())
    print(f"| total | {total / docs:.3f} | {sum(counter.rows.values()) / docs:.2f} |")
    if profile is not None:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
            print(f"\n## top {args.top} by {order}\n")
            print(out.getvalue().split("\n\n", 2)[-1].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
