"""Live ingest through ``wiredesk run``: documents dropped into a drop folder at a steady rate, and how long
until every one of them is in the store.

Run from the repository root (PostgreSQL: ``eval "$(scripts/pg-test-server.sh start)"`` first)::

    .venv/bin/python bench/live_dropfolder.py [--rate 200] [--seconds 60] [--folders 1] [--store postgresql]

``wiredesk run`` (a subprocess, its own log in the scratch folder) polls ``--folders`` drop-folder feeds
(interval 1 s, settle time 0) into a fresh store: the re-created PostgreSQL database
``wiredesk_bench_live`` on the server of ``--pg-url``, or a SQLite file. A feeder thread writes
``rate x seconds`` generated documents (``ingest.backfill.samples``: five formats, de/en/fr, 3-4.5 KB) as
``NAME.part`` and renames them, spreading them over the folders, on a fixed schedule. A sampler counts the
raw documents in the store (every document is kept there, stored or quarantined) every 0.5 s.

Printed: when the last document was dropped, when the store held them all (seconds after the first drop),
the stored count every 10 s, the largest backlog (dropped but not yet stored), the service's mean rate
over the run, the articles and quarantine entries at the end, and the machine's load average before and
after (a loaded machine is slower: say so next to a figure). Target (issue 19): 12,000 documents at 200/s all stored within 75 s of the first.
The run gives up ``--grace`` seconds after the last drop.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.backfill import fresh_postgres_url  # noqa: E402
from ingest.backfill.samples import documents  # noqa: E402

WIREDESK = REPO / ".venv" / "bin" / "wiredesk"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def feeds_file(path: Path, folders: list[Path]) -> None:
    tables = [
        f'[[feed]]\nname = "drop-{n}"\npath = "{folder}"\ninterval = "1s"\n'
        for n, folder in enumerate(folders)
    ]
    path.write_text("\n".join(tables), encoding="utf-8")


def feeder(folders: list[Path], rate: float, seconds: float, sent: list[float]) -> None:
    """Drop ``rate * seconds`` documents on schedule (a late feeder catches up, never skips)."""
    total = int(rate * seconds)
    started = time.monotonic()
    for number, (name, data) in enumerate(documents(total)):
        due = started + number / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        folder = folders[number % len(folders)]
        part = folder / f"{name}.part"
        part.write_bytes(data)
        part.rename(folder / name)
        sent.append(time.monotonic())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="documents dropped per second")
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="how long documents are dropped"
    )
    parser.add_argument("--folders", type=int, default=1, help="drop-folder feeds sharing the load")
    parser.add_argument("--grace", type=float, default=120.0, help="seconds to wait after the last")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("WIREDESK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    total = int(args.rate * args.seconds)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="wiredesk-live-") as scratch:
        workdir = Path(scratch)
        if args.store == "postgresql":
            if not args.pg_url:
                parser.error(
                    "no PostgreSQL server: pass --pg-url or set WIREDESK_TEST_POSTGRES_URL"
                )
            url = fresh_postgres_url(args.pg_url, "wiredesk_bench_live")
        else:
            url = f"sqlite:///{workdir / 'live.db'}"
        folders = [workdir / f"inbox-{n}" for n in range(max(1, args.folders))]
        for folder in folders:
            folder.mkdir()
        feeds_file(workdir / "feeds.toml", folders)
        env = dict(
            os.environ,
            WIREDESK_DB_URL=url,
            WIREDESK_FEEDS=str(workdir / "feeds.toml"),
            WIREDESK_SETTLE_SECONDS="0",
            WIREDESK_DESK_PORT=str(free_port()),
        )
        engine = create_engine(url)
        count = text("SELECT count(*) FROM raw_documents")
        log = (workdir / "service.log").open("wb")
        service = subprocess.Popen(
            [str(WIREDESK), "run"], env=env, cwd=workdir, stdout=log, stderr=log
        )
        try:
            # The service has migrated the store once raw_documents exists.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    with engine.connect() as conn:
                        conn.execute(count)
                    break
                except Exception:
                    time.sleep(0.3)
            time.sleep(2)  # its scheduler is running
            sent: list[float] = []
            thread = threading.Thread(
                target=feeder, args=(folders, args.rate, args.seconds, sent), daemon=True
            )
            thread.start()
            while not sent:
                time.sleep(0.01)
            first = sent[0]
            samples: list[tuple[float, int]] = []
            done_at = None
            while True:
                with engine.connect() as conn:
                    stored = int(conn.execute(count).scalar_one())
                now = time.monotonic() - first
                samples.append((now, stored))
                if stored >= total:
                    done_at = now
                    break
                if len(sent) >= total and now > sent[-1] - first + args.grace:
                    break
                time.sleep(0.5)
            thread.join()
            with engine.connect() as conn:
                articles = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
                failed = int(conn.execute(text("SELECT count(*) FROM quarantine")).scalar_one())
        finally:
            service.terminate()
            service.wait(timeout=60)
            log.close()
            engine.dispose()
        last_drop = sent[-1] - first
        backlog = max(
            (sum(t - first <= moment for t in sent) - stored for moment, stored in samples),
            default=0,
        )
        print(
            f"{args.store}: {len(sent):,} documents dropped at {args.rate:g}/s into "
            f"{len(folders)} folder(s), the last at {last_drop:.1f} s"
        )
        for moment, stored in samples:
            if int(moment * 2) % 20 == 0:
                print(
                    f"  t={moment:5.1f} s  stored {stored:>6,}  dropped {sum(t - first <= moment for t in sent):>6,}"
                )
        if done_at is None:
            print(f"NOT all stored: {samples[-1][1]:,} of {total:,} after {samples[-1][0]:.1f} s")
        else:
            print(
                f"all {total:,} stored {done_at:.1f} s after the first drop "
                f"({total / done_at:.0f} docs/s; target: within 75 s for 12,000 at 200/s)"
            )
        print(
            f"largest backlog {backlog:,} documents; articles {articles:,}, quarantined {failed:,}"
        )
        before, after = (
            " / ".join(f"{x:.2f}" for x in load) for load in (load_before, os.getloadavg())
        )
        print(f"load average (1/5/15 min) before {before}, after {after}; {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
