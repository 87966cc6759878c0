"""Concurrency: backfill (2 worker processes) + the live service + 20 API readers on one SQLite file.

- ``wiredesk run`` (a subprocess) polls a drop folder that a feeder thread fills for the whole run and
  serves the desk/API on a free port;
- ``wiredesk backfill --workers 2`` (a subprocess) ingests a directory of documents, started once the
  service is up, and repeated (new documents each time) until the run ends;
- 20 reader threads follow the API cursor (``/api/articles?after=``) from 0 for the whole run.

At the end: zero lock errors (``database is locked``/``busy`` in any log, a non-200 answer, a failed
backfill), every reader saw every stored article exactly once, in ascending order.

    .venv/bin/python bench/concurrency.py [--seconds 120] [--readers 20]

``tests/test_concurrency.py`` runs a short version.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
WIREDESK = ROOT / ".venv" / "bin" / "wiredesk"
LOCK_WORDS = ("database is locked", "database table is locked", "SQLITE_BUSY", "OperationalError")


def _ninjs(guid: str, number: int, source: str) -> bytes:
    item = {
        "uri": guid,
        "type": "text",
        "version": 1,
        "headline": f"{source} Meldung {number}",
        "body_text": f"Berlin (dpa) - {source} berichtet in Meldung {number} über Runde {number * 7 + 3} "
        f"der Gespräche.\n\nWeitere Einzelheiten zu {source} {number} wurden nicht bekannt.",
        "language": "de",
    }
    return json.dumps(item, ensure_ascii=False).encode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Reader(threading.Thread):
    """Follows the API cursor from 0 until told to stop and the cursor is drained."""

    def __init__(self, base: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.stop = base, stop
        self.seen: list[int] = []
        self.errors: list[str] = []
        self.requests = 0

    def run(self) -> None:
        cursor = 0
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while True:
                stopping = self.stop.is_set()
                try:
                    answer = client.get("/api/articles", params={"after": cursor, "limit": 100})
                except httpx.HTTPError as exc:
                    self.errors.append(f"{type(exc).__name__}: {exc}")
                    time.sleep(0.2)
                    continue
                self.requests += 1
                if answer.status_code != 200:
                    self.errors.append(f"HTTP {answer.status_code}: {answer.text[:200]}")
                    time.sleep(0.2)
                    continue
                page = answer.json()
                self.seen += [item["id"] for item in page["items"]]
                cursor = page["next_after"] if page["next_after"] is not None else cursor
                if stopping and not page["items"]:
                    return
                if not page["items"]:
                    time.sleep(0.05)


@dataclass(slots=True)
class Result:
    seconds: float = 0.0
    articles: int = 0
    live_documents: int = 0
    backfill_documents: int = 0
    backfill_runs: int = 0
    backfill_failures: list[str] = field(default_factory=list)
    lock_errors: list[str] = field(default_factory=list)
    reader_errors: list[str] = field(default_factory=list)
    reader_requests: int = 0
    readers_exact: int = 0
    readers: int = 0
    reader_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.backfill_failures
            and not self.lock_errors
            and not self.reader_errors
            and not self.reader_problems
            and self.readers_exact == self.readers
            and self.articles == self.live_documents + self.backfill_documents
        )


def run(workdir: Path, seconds: float, readers: int, backfill_batch: int = 150) -> Result:
    result = Result(readers=readers)
    inbox, backfill_root = workdir / "inbox", workdir / "backfill"
    inbox.mkdir(parents=True, exist_ok=True)
    backfill_root.mkdir(exist_ok=True)
    feeds = workdir / "feeds.toml"
    feeds.write_text(
        f'[[feed]]\nname = "live"\npath = "{inbox}"\ninterval = "1s"\n', encoding="utf-8"
    )
    port = _free_port()
    env = {
        **os.environ,
        "WIREDESK_DB_URL": f"sqlite:///{workdir / 'concurrency.db'}",
        "WIREDESK_FEEDS": str(feeds),
        "WIREDESK_SETTLE_SECONDS": "0",
        "WIREDESK_DESK_PORT": str(port),
        "WIREDESK_BACKFILL_DIR": str(workdir / "checkpoints"),
    }
    service_log = (workdir / "service.log").open("wb")
    service = subprocess.Popen(
        [str(WIREDESK), "run"], env=env, cwd=workdir, stdout=service_log, stderr=service_log
    )
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()  # the feeder stops
    finish = threading.Event()  # readers drain the cursor and stop (set once ingest is over)
    started = time.monotonic()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        threads = [Reader(base, finish) for _ in range(readers)]
        for thread in threads:
            thread.start()

        def feed() -> None:
            number = 0
            while not stop.is_set():
                part = inbox / f"live_{number:06d}.json.part"
                part.write_bytes(_ninjs(f"urn:live:{number}", number, "Live"))
                part.rename(inbox / f"live_{number:06d}.json")
                number += 1
                result.live_documents = number
                time.sleep(0.1)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        end = started + seconds
        while time.monotonic() < end:
            folder = backfill_root / f"run{result.backfill_runs}"
            folder.mkdir()
            first = result.backfill_documents
            for number in range(first, first + backfill_batch):
                (folder / f"bf_{number:06d}.json").write_bytes(
                    _ninjs(f"urn:backfill:{number}", number, "Archiv")
                )
            done = subprocess.run(
                [
                    str(WIREDESK),
                    "backfill",
                    "--workers",
                    "2",
                    "--quiet",
                    "--batch",
                    "50",
                    str(folder),
                ],
                env=env,
                cwd=workdir,
                capture_output=True,
                text=True,
                timeout=600,
            )
            result.backfill_runs += 1
            result.backfill_documents += backfill_batch
            if done.returncode != 0:
                result.backfill_failures.append(f"exit {done.returncode}: {done.stderr[-500:]}")
            result.lock_errors += [
                line for line in done.stderr.splitlines() if any(w in line for w in LOCK_WORDS)
            ]
        stop.set()
        feeder.join()
        # let the service take the last live documents, then let the readers catch up
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(p.suffix == ".json" for p in inbox.iterdir()):
            time.sleep(0.2)
        time.sleep(1.5)
        finish.set()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        stop.set()
        finish.set()
        service.terminate()
        try:
            service.wait(timeout=60)
        except subprocess.TimeoutExpired:
            service.kill()
        service_log.close()
    result.seconds = round(time.monotonic() - started, 1)
    log_text = (workdir / "service.log").read_text(errors="replace")
    result.lock_errors += [
        line for line in log_text.splitlines() if any(w in line for w in LOCK_WORDS)
    ]
    engine = create_engine(f"sqlite:///{workdir / 'concurrency.db'}")
    with engine.connect() as conn:
        stored = [int(r[0]) for r in conn.execute(text("SELECT id FROM articles ORDER BY id"))]
    engine.dispose()
    result.articles = len(stored)
    for index, thread in enumerate(threads):
        result.reader_errors += thread.errors
        result.reader_requests += thread.requests
        if thread.seen == stored:
            result.readers_exact += 1
        else:
            lost = len(set(stored) - set(thread.seen))
            twice = len(thread.seen) - len(set(thread.seen))
            result.reader_problems.append(f"reader {index}: {lost} lost, {twice} seen twice")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--batch", type=int, default=300, help="documents per backfill run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wiredesk-concurrency-") as tmp:
        result = run(Path(tmp), args.seconds, args.readers, args.batch)
    print(
        "| seconds | live docs | backfill runs (docs) | articles | API readers | reader requests "
        "| readers exact | lock errors | reader errors | backfill failures |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {result.seconds} | {result.live_documents} | {result.backfill_runs} "
        f"({result.backfill_documents}) | {result.articles} | {result.readers} | {result.reader_requests} "
        f"| {result.readers_exact}/{result.readers} | {len(result.lock_errors)} "
        f"| {len(result.reader_errors)} | {len(result.backfill_failures)} |"
    )
    for problem in [
        *result.lock_errors[:5],
        *result.reader_errors[:5],
        *result.reader_problems[:5],
    ]:
        print("  ", problem)
    for failure in result.backfill_failures[:3]:
        print("  ", failure)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
