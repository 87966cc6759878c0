"""Backfill throughput and memory: documents/s and peak RSS for ``--workers 1`` and ``--workers 2``.

Run from the repository root: ``.venv/bin/python bench/backfill.py [--sizes 10000,100000] [--workers 1,2]
[--repeat 3]``. For each size it writes one ``.tar.gz`` of synthetic documents (text dumps, RSS, NewsML 1.2,
NITF and NewsML-G2 in German, English and French, about 3-4.5 KB each: ``ingest/backfill/samples.py``), then
runs the real command ``scripts/backfill.py ARCHIVE --workers W --quiet --json`` into a fresh SQLite store
and measures end-to-end documents/s (process start to exit, worker start-up included), the peak RSS of the
whole process tree (writer + workers + forkserver, PSS sampled from /proc every 0.25 s), next to the
kernel's peak of the largest single process, and CPU milliseconds per document spent in the writer (main
process) and in the workers (and forkserver) -- where the time goes. This VM's speed varies by about +-10%
from run to run: ``--repeat`` prints each run and the median one. Targets (issue 7): >= 400 documents/s per
worker; peak RSS <= 300 MB at 100k. ``--ingest`` measures ``wiredesk ingest`` on a folder of N files the
same way: the command as it is, then ``ingest.backfill.ingest_paths`` (issue 17: one ingest engine).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.backfill.samples import documents  # noqa: E402


def write_archive(path: Path, count: int) -> None:
    """A gzip-compressed tar of ``count`` documents, written as a stream (no files on disk)."""
    with tarfile.open(path, "w:gz", compresslevel=1) as archive:
        for name, data in documents(count):
            info = tarfile.TarInfo(f"wire/{name}")
            info.size = len(data)
            info.mtime = int(time.time())
            archive.addfile(info, io.BytesIO(data))


def _memory_kb(pid: str) -> int:
    """Proportional set size: shared pages (forked workers) are split between their processes."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: str) -> float:
    """User + system CPU time of one process so far (from /proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _tree_rss_kb(root: int, cpu: dict[int, float] | None = None) -> int:
    """Sum of PSS over ``root`` and its descendants (from /proc); ``cpu`` collects each one's CPU seconds."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry), int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = _memory_kb(entry)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        if cpu is not None:
            cpu[pid] = max(cpu.get(pid, 0.0), _cpu_seconds(str(pid)))
        stack.extend(children.get(pid, []))
    return total


def fresh_postgres_url(server_url: str, name: str) -> str:
    """Drop and re-create database ``name`` on the server of ``server_url``; return its URL."""
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def run_once(
    archive: Path, workers: int, workdir: Path, db_url: str | None = None
) -> dict[str, float]:
    """One backfill into a fresh store: a SQLite file in ``workdir``, or, with ``db_url`` (PostgreSQL),
    a re-created database ``wiredesk_bench_<workers>`` on that server."""
    db = workdir / f"bench-{workers}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if db_url:
        db_url = fresh_postgres_url(db_url, f"wiredesk_bench_{workers}")
    env = dict(
        os.environ,
        WIREDESK_DB_URL=db_url or f"sqlite:///{db}",
        WIREDESK_BACKFILL_DIR=str(workdir / "checkpoints"),
    )
    command = [sys.executable, str(REPO / "scripts" / "backfill.py"), str(archive)]
    command += ["--workers", str(workers), "--batch", "500", "--quiet", "--json"]
    output, elapsed, peak, cpu = _measured(command, env, process_name="backfill")
    summary = json.loads(output.strip().splitlines()[-1])
    return _row(summary, elapsed, peak, cpu, workers)


# ``ingest.backfill.ingest_paths`` in a child process (``-c``: parser processes re-import no main file).
_INGEST_CHILD = """
import json, sys
from pathlib import Path
from ingest.backfill import ingest_paths
from storage.store import Store
store = Store.open(sys.argv[2])
summary = ingest_paths([Path(sys.argv[1])], store, workers=int(sys.argv[3]), batch=500, progress=False)
store.close()
print(json.dumps({"documents": summary.documents, "new": summary.stored,
                  "duplicates": summary.duplicates, "line": summary.line()}))
"""


def write_folder(folder: Path, count: int) -> None:
    """``count`` synthetic documents as files in one folder (what ``wiredesk ingest DIR`` reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in documents(count):
        (folder / name).write_bytes(data)


def ingest_once(folder: Path, workers: int | None, workdir: Path) -> dict[str, float]:
    """``wiredesk ingest FOLDER`` into a fresh SQLite file: ``workers=None`` runs the command as it is
    (the document-at-a-time pipeline until it switches engines), a number runs ``ingest_paths``."""
    db = workdir / f"ingest-{workers}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = dict(os.environ, WIREDESK_DB_URL=f"sqlite:///{db}", WIREDESK_FEEDS=str(workdir / "none"))
    if workers is None:
        command = [str(Path(sys.executable).with_name("wiredesk")), "ingest", str(folder)]
    else:
        command = [
            sys.executable,
            "-c",
            _INGEST_CHILD,
            str(folder),
            f"sqlite:///{db}",
            str(workers),
        ]
    output, elapsed, peak, cpu = _measured(command, env, process_name="ingest")
    last = output.strip().splitlines()[-1]
    if workers is None:  # "N documents: S stored, D duplicates, ..."
        numbers = [int(word) for word in last.replace(",", " ").split() if word.isdigit()]
        summary = {"documents": numbers[0], "new": numbers[1], "duplicates": numbers[2]}
    else:
        summary = json.loads(last)
    return _row(summary, elapsed, peak, cpu, workers or 0)


def _measured(
    command: list[str], env: dict[str, str], process_name: str
) -> tuple[str, float, int, dict[int, float]]:
    """Run ``command``; (stdout, seconds, peak PSS of its process tree in KB, CPU seconds per process,
    the command's own process under key -1)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, cwd=REPO)
    peak = 0
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid, cpu))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{process_name} failed with status {process.returncode}")
    cpu[-1] = cpu.pop(process.pid, 0.0)
    return output, elapsed, peak, cpu


def _row(
    summary: dict[str, int], elapsed: float, peak: int, cpu: dict[int, float], workers: int
) -> dict[str, float]:
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    writer_cpu = cpu.get(-1, 0.0)  # sampled every 0.25 s: the last quarter second is missed
    helpers_cpu = sum(cpu.values()) - writer_cpu
    return {
        "writer_cpu_ms": 1000 * writer_cpu / max(1, summary["documents"]),
        "worker_cpu_ms": 1000 * helpers_cpu / max(1, summary["documents"]),
        "documents": summary["documents"],
        "stored": summary["new"] + summary["duplicates"],
        "docs_per_s": summary["documents"] / elapsed,
        "per_worker": summary["documents"] / elapsed / max(1, workers),
        "tree_mb": peak / 1024,
        "largest_mb": largest,
        "seconds": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated document counts")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--keep", type=Path, help="directory to keep archives and stores in")
    parser.add_argument(
        "--db-url",
        help="PostgreSQL server URL: each run gets a re-created database wiredesk_bench_<workers> there",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per row; with more than one, each run is printed and then the median run (by docs/s): "
        "this 2-vCPU VM varies by +-10%% from run to run",
    )
    parser.add_argument(
        "--ingest",
        action="store_true",
        help="measure `wiredesk ingest FOLDER` instead: a folder of N files, the command as it is "
        "(row 'one by one') and ingest.backfill.ingest_paths with each worker count",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="wiredesk-bench-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        print(
            f"{'N':>7} {'workers':>7} {'docs/s':>8} {'per worker':>10} {'peak PSS tree':>13} "
            f"{'largest proc':>12} {'seconds':>8} {'stored':>7} {'CPU ms/doc writer+workers':>26}"
        )
        for size in sizes:
            if args.ingest:
                folder = workdir / f"wire-{size}"
                if not folder.exists():
                    write_folder(folder, size)
                _print_row(size, 0, ingest_once(folder, None, workdir), "one by one")
                for workers in worker_counts:
                    _print_row(size, workers, ingest_once(folder, workers, workdir), "ingest_paths")
                continue
            archive = workdir / f"wire-{size}.tar.gz"
            if not archive.exists():
                write_archive(archive, size)
            for workers in worker_counts:
                runs = [
                    run_once(archive, workers, workdir, args.db_url) for _ in range(args.repeat)
                ]
                if len(runs) > 1:
                    for row in runs:
                        _print_row(size, workers, row, "run")
                _print_row(size, workers, median_run(runs), "median" if len(runs) > 1 else "")
    return 0


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median documents/s (its own memory and CPU figures, not mixed with others)."""
    return sorted(runs, key=lambda row: row["docs_per_s"])[len(runs) // 2]


def _print_row(size: int, workers: int, row: dict[str, float], label: str) -> None:
    print(
        f"{size:>7} {workers:>7} {row['docs_per_s']:>8.0f} {row['per_worker']:>10.0f} "
        f"{row['tree_mb']:>10.0f} MB {row['largest_mb']:>9.0f} MB "
        f"{row['seconds']:>8.1f} {int(row['stored']):>7} "
        f"{row['writer_cpu_ms']:>13.2f} + {row['worker_cpu_ms']:.2f}  {label}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
