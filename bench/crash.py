"""Crash test: ``wiredesk run`` on a drop folder fed with a stream of documents, SIGKILLed at random moments.

A feeder thread writes documents into the drop folder the way agencies do (temporary name, then rename):
mostly ninjs stories with unique ids, some broken XML that must be quarantined. The service runs as a real
subprocess and is killed with SIGKILL at a random moment after it started (``--kills`` times), then
restarted. At the end it runs until the folder is empty and stops with SIGTERM. Then the store is compared
with the documents sent:

- no loss: every good document sent is exactly one article (by guid); no duplicate article;
- no half-written article: every article has its raw document (bytes identical to what was sent), a body,
  its headline and its LSH bands (written in the same transaction);
- quarantine intact: every broken document has exactly one open quarantine entry with its exact bytes;
- every file ended in ``done/`` (good) or ``failed/`` (broken), none left, none lost.

    .venv/bin/python bench/crash.py [--kills 20] [--documents 400] [--seed 1]

``tests/test_reliability_crash.py`` runs a short version (3 kills).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
WIREDESK = ROOT / ".venv" / "bin" / "wiredesk"
_WORDS = [
    "Regierung",
    "Parlament",
    "Hafen",
    "Container",
    "Streik",
    "Gewerkschaft",
    "Bahn",
    "Flughafen",
    "Wahl",
    "Kommission",
    "Gericht",
    "Urteil",
    "Polizei",
    "Feuerwehr",
    "Unwetter",
    "Hochwasser",
    "Ernte",
    "Börse",
    "Aktie",
    "Zentralbank",
    "Zinsen",
    "Inflation",
    "Minister",
    "Kanzler",
    "Gipfel",
    "Vertrag",
    "Abkommen",
    "Grenze",
    "Export",
    "Import",
    "Industrie",
    "Energie",
    "Strom",
    "Gas",
    "Wind",
]


@dataclass(frozen=True, slots=True)
class SentDocument:
    name: str
    data: bytes
    guid: str | None  # None: a broken document that must be quarantined
    headline: str | None


def make_documents(count: int, broken_every: int, seed: int) -> list[SentDocument]:
    """``count`` documents: unique ninjs stories, every ``broken_every``-th one broken XML."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        if broken_every and number % broken_every == broken_every - 1:
            data = (
                f'<?xml version="1.0"?><newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" '
                f'guid="urn:broken:{number}"><contentSet><inlineXML><p>kaputt {number}'
            ).encode()
            documents.append(SentDocument(f"{number:05d}_broken.xml", data, None, None))
            continue
        words = [rng.choice(_WORDS) for _ in range(40)]
        headline = f"Meldung {number}: {words[0]} und {words[1]}"
        body = [
            f"Berlin (dpa) - Nummer {number} berichtet über {' '.join(words[:20])} am Tag {number}.",
            f"Die Lage {number} bleibt nach Angaben von {' '.join(words[20:])} unübersichtlich.",
        ]
        guid = f"urn:crash:{seed}:{number}"
        item = {
            "uri": guid,
            "type": "text",
            "version": 1,
            "headline": headline,
            "body_text": "\n\n".join(body),
            "language": "de",
        }
        data = json.dumps(item, ensure_ascii=False).encode()
        documents.append(SentDocument(f"{number:05d}.json", data, guid, headline))
    return documents


class Feeder(threading.Thread):
    """Writes documents into the drop folder at a steady rate: ``.part`` first, then renamed."""

    def __init__(self, inbox: Path, documents: list[SentDocument], per_second: float) -> None:
        super().__init__(name="feeder", daemon=True)
        self.inbox, self.documents, self.pause = inbox, documents, 1.0 / per_second
        self.sent = 0

    def run(self) -> None:
        for document in self.documents:
            part = self.inbox / (document.name + ".part")
            part.write_bytes(document.data)
            part.rename(self.inbox / document.name)
            self.sent += 1
            time.sleep(self.pause)


@dataclass(slots=True)
class CrashRun:
    kills: list[float] = field(default_factory=list)  # seconds after "service started" of each kill
    ingested_before_kill: list[int] = field(default_factory=list)  # files in done/+failed/
    final_returncode: int | None = None
    seconds: float = 0.0


@dataclass(slots=True)
class Verdict:
    sent_good: int = 0
    sent_broken: int = 0
    articles: int = 0
    missing: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    half_written: list[str] = field(default_factory=list)
    quarantine_open: int = 0
    quarantine_problems: list[str] = field(default_factory=list)
    files_left: list[str] = field(default_factory=list)
    files_misplaced: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing
            or self.duplicated
            or self.unexpected
            or self.half_written
            or self.quarantine_problems
            or self.files_left
            or self.files_misplaced
        )


def _environment(workdir: Path, inbox: Path) -> dict[str, str]:
    feeds = workdir / "feeds.toml"
    feeds.write_text(
        f'[[feed]]\nname = "inbox"\npath = "{inbox}"\ninterval = "1s"\n', encoding="utf-8"
    )
    return {
        **os.environ,
        "WIREDESK_DB_URL": f"sqlite:///{workdir / 'crash.db'}",
        "WIREDESK_FEEDS": str(feeds),
        "WIREDESK_SETTLE_SECONDS": "0",
    }


def _wait_until_started(log_path: Path, process: subprocess.Popen[bytes], starts: int) -> None:
    """Until the ``starts``-th "service started" line is logged (imports, migrations done), max 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if log_path.read_bytes().count(b"service started") >= starts:
            return
        time.sleep(0.05)


def _processed(inbox: Path) -> int:
    return sum(len(list((inbox / d).glob("*"))) for d in ("done", "failed") if (inbox / d).is_dir())


def run_with_kills(
    workdir: Path,
    documents: list[SentDocument],
    kills: int,
    rng: random.Random,
    *,
    per_second: float = 20.0,
    kill_window: tuple[float, float] = (0.0, 1.5),
    final_timeout: float = 120.0,
) -> CrashRun:
    """Feed ``documents`` while the service is SIGKILLed ``kills`` times; then let it finish and stop."""
    inbox = workdir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    env = _environment(workdir, inbox)
    log = (workdir / "service.log").open("ab")
    run = CrashRun()
    started = time.monotonic()
    feeder = Feeder(inbox, documents, per_second)
    feeder.start()
    try:
        for _ in range(kills):
            process = subprocess.Popen(
                [str(WIREDESK), "run", "--no-desk"], env=env, cwd=workdir, stdout=log, stderr=log
            )
            _wait_until_started(workdir / "service.log", process, len(run.kills) + 1)
            delay = rng.uniform(*kill_window)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            run.kills.append(round(delay, 2))
            run.ingested_before_kill.append(_processed(inbox))
        feeder.join()
        process = subprocess.Popen(
            [str(WIREDESK), "run", "--no-desk"], env=env, cwd=workdir, stdout=log, stderr=log
        )
        try:
            _wait_until_started(workdir / "service.log", process, len(run.kills) + 1)
            deadline = time.monotonic() + final_timeout
            while time.monotonic() < deadline and _processed(inbox) < len(documents):
                time.sleep(0.2)
            process.send_signal(signal.SIGTERM)
            run.final_returncode = process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    finally:
        log.close()
    run.seconds = round(time.monotonic() - started, 1)
    return run


def verify(workdir: Path, documents: list[SentDocument]) -> Verdict:
    """Compare the store and the drop folder with the documents sent."""
    verdict = Verdict()
    good = {d.guid: d for d in documents if d.guid}
    broken = {d.data: d for d in documents if d.guid is None}
    verdict.sent_good, verdict.sent_broken = len(good), len(broken)
    engine = create_engine(f"sqlite:///{workdir / 'crash.db'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT a.id, a.guid, a.headline, a.body, a.minhash, r.data AS raw, "
                    "(SELECT count(*) FROM article_bands b WHERE b.article_id = a.id) AS bands "
                    "FROM articles a LEFT JOIN raw_documents r ON r.id = a.raw_document_id"
                )
            ).all()
            entries = conn.execute(
                text(
                    "SELECT q.id, q.raw_document_id, q.error, r.data AS raw FROM quarantine q "
                    "LEFT JOIN raw_documents r ON r.id = q.raw_document_id "
                    "WHERE q.resolved_at IS NULL"
                )
            ).all()
    finally:
        engine.dispose()
    verdict.articles = len(rows)
    seen: dict[str, int] = {}
    for row in rows:
        seen[row.guid] = seen.get(row.guid, 0) + 1
        sent = good.get(row.guid)
        if sent is None:
            verdict.unexpected.append(row.guid)
            continue
        body = json.loads(row.body) if isinstance(row.body, str) else row.body
        raw = zlib.decompress(row.raw) if row.raw is not None else None
        if raw != sent.data or not body or row.headline != sent.headline or not row.bands:
            verdict.half_written.append(f"{row.guid} (id {row.id})")
    verdict.duplicated = sorted(g for g, n in seen.items() if n > 1)
    verdict.missing = sorted(set(good) - set(seen))
    verdict.quarantine_open = len(entries)
    quarantined: dict[bytes, int] = {}
    for entry in entries:
        raw = zlib.decompress(entry.raw) if entry.raw is not None else b""
        if raw not in broken or not entry.error:
            verdict.quarantine_problems.append(f"entry {entry.id}: unexpected or without error")
        quarantined[raw] = quarantined.get(raw, 0) + 1
    for data, document in broken.items():
        if quarantined.get(data, 0) != 1:
            verdict.quarantine_problems.append(
                f"{document.name}: {quarantined.get(data, 0)} open quarantine entries"
            )
    inbox = workdir / "inbox"
    verdict.files_left = sorted(p.name for p in inbox.iterdir() if p.is_file())
    for document in documents:
        folder = "done" if document.guid else "failed"
        if not (inbox / folder / document.name).is_file():
            verdict.files_misplaced.append(f"{document.name} not in {folder}/")
    return verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--broken-every", type=int, default=10)
    parser.add_argument("--per-second", type=float, default=10.0, help="feeder rate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work directory to keep (default: temporary)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    documents = make_documents(args.documents, args.broken_every, args.seed)
    with tempfile.TemporaryDirectory(prefix="wiredesk-crash-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        run = run_with_kills(workdir, documents, args.kills, rng, per_second=args.per_second)
        verdict = verify(workdir, documents)
    print("| kill | after (s) | files processed so far |")
    print("|---|---|---|")
    for number, (delay, done) in enumerate(
        zip(run.kills, run.ingested_before_kill, strict=True), 1
    ):
        print(f"| {number} | {delay} | {done} |")
    print()
    print(
        "| SIGKILLs | documents sent (good/broken) | articles | missing | duplicated | half-written "
        "| quarantine open | quarantine problems | files left/misplaced | final exit | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(run.kills)} | {verdict.sent_good + verdict.sent_broken} "
        f"({verdict.sent_good}/{verdict.sent_broken}) | {verdict.articles} | {len(verdict.missing)} "
        f"| {len(verdict.duplicated)} | {len(verdict.half_written)} | {verdict.quarantine_open} "
        f"| {len(verdict.quarantine_problems)} | {len(verdict.files_left)}/{len(verdict.files_misplaced)} "
        f"| {run.final_returncode} | {run.seconds} |"
    )
    if not verdict.ok:
        print(verdict)
    return 0 if verdict.ok and run.final_returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
