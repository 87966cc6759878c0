"""Several ingest machines on one PostgreSQL database: 1, 2 and 4 backfill processes (one parser worker each)
sharing one archive, documents/s per process and in total.

Run from the repository root (``eval "$(scripts/pg-test-server.sh start)"`` first)::

    .venv/bin/python bench/processes.py [--docs 6000] [--processes 1,2,4] [--repeat 1]

The archive of ``--docs`` generated documents (``bench/backfill.py``'s mix) is split into N archives of
equal size (document i goes to part i mod N); for each N the database ``wiredesk_bench_procs`` is
re-created and migrated, then N ``scripts/backfill.py PART --workers 1 --batch 500`` processes start
together and write into it -- the article lock (``storage.store.Store.lock_articles``) serialises their
article inserts, so ids stay in commit order for API readers. Per process: documents/s from its own
start to its exit (JSON summary); total: all documents over the wall time from the first start to the last
exit. With ``--repeat`` the sizes run in turn that many times and the median total is printed.

On a 2-core machine that also runs the server, more processes mostly share the same two cores: the total
should hold, not grow; on separate machines each process brings its own parser CPU and the limit is the
database's serial section (the article lock) and its CPU for the search trigger.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.backfill import fresh_postgres_url  # noqa: E402
from ingest.backfill.samples import documents  # noqa: E402
from storage.store import Store  # noqa: E402


def write_parts(folder: Path, total: int, parts: int) -> list[Path]:
    """``total`` documents split into ``parts`` gzip tars (document i in part i mod parts)."""
    paths = [folder / f"part-{parts}-{n}.tar.gz" for n in range(parts)]
    with ExitStack() as stack:
        archives = [
            stack.enter_context(tarfile.open(path, "w:gz", compresslevel=1)) for path in paths
        ]
        for number, (name, data) in enumerate(documents(total)):
            info = tarfile.TarInfo(f"wire/{name}")
            info.size, info.mtime = len(data), int(time.time())
            archives[number % parts].addfile(info, io.BytesIO(data))
    return paths


@dataclass(frozen=True, slots=True)
class Result:
    rates: list[float]  # docs/s of each process, from its start to its exit
    documents: int
    wall: float  # seconds from the first start to the last exit
    total: float  # documents / wall


def run(parts: list[Path], url: str, workdir: Path) -> Result:
    store = Store.open(url)  # migrated once, before the processes race to it
    store.close()
    env = dict(os.environ, WIREDESK_DB_URL=url, WIREDESK_BACKFILL_DIR=str(workdir / "checkpoints"))
    command = [sys.executable, str(REPO / "scripts" / "backfill.py")]
    options = ["--workers", "1", "--batch", "500", "--quiet", "--json"]
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [*command, str(part), *options], env=env, cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        for part in parts
    ]
    rates, documents_done = [], 0
    for process in processes:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"backfill failed with status {process.returncode}")
        summary = json.loads(output.strip().splitlines()[-1])
        rates.append(float(summary["docs_per_s"]))
        documents_done += int(summary["documents"])
    wall = time.monotonic() - started
    return Result(rates, documents_done, wall, documents_done / wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=6000)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--pg-url", default=os.environ.get("WIREDESK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.pg_url:
        parser.error("no PostgreSQL server: pass --pg-url or set WIREDESK_TEST_POSTGRES_URL")
    counts = [int(n) for n in args.processes.split(",")]
    results: dict[int, list[Result]] = {n: [] for n in counts}
    with tempfile.TemporaryDirectory(prefix="wiredesk-procs-") as scratch:
        workdir = Path(scratch)
        parts = {n: write_parts(workdir, args.docs, n) for n in counts}
        for attempt in range(max(1, args.repeat)):
            for n in counts:
                url = fresh_postgres_url(args.pg_url, "wiredesk_bench_procs")
                result = run(parts[n], url, workdir)
                results[n].append(result)
                rates = ", ".join(f"{r:.0f}" for r in result.rates)
                print(
                    f"run {attempt + 1}: {n} process(es): per process {rates} docs/s; total "
                    f"{result.total:.0f} docs/s ({result.documents} docs in {result.wall:.1f} s)",
                    flush=True,
                )
    print("\n| processes (1 worker each) | docs/s per process (median run) | total docs/s |")
    print("|---:|---|---:|")
    for n in counts:
        runs = sorted(results[n], key=lambda r: r.total)
        middle = runs[len(runs) // 2]
        rates = ", ".join(f"{r:.0f}" for r in middle.rates)
        print(f"| {n} | {rates} | {statistics.median(r.total for r in runs):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
