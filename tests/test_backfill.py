"""Backfill: archive kinds, path traversal, dry run, kill + resume, re-parse in place, quarantine retry,
date filters and a run next to the live service on the same SQLite file.

Documents are generated (``ingest/backfill/samples.py``); each test compares the store with the list of
documents it wrote: every guid stored exactly once.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

import ingest.backfill as backfill
import ingest.backfill.worker as backfill_worker
from config.feeds import FeedConfig
from config.settings import Settings
from ingest.backfill.checkpoint import Checkpoint, load, save, valid_run_id
from ingest.backfill.samples import document, documents
from ingest.backfill.sources import unsafe_name
from ingest.cli import main as cli_main
from ingest.pipeline import parse_records
from ingest.service import WireService
from normalizers.record import ArticleRecord
from parsers import ParseError
from storage.store import Store, articles, quarantine, raw_documents

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "backfill.py"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A private store and checkpoint directory, for in-process runs and for child processes."""
    values = {
        "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'wire.db'}",
        "WIREDESK_BACKFILL_DIR": str(tmp_path / "checkpoints"),
        "WIREDESK_FEEDS": str(tmp_path / "no-feeds.toml"),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture
def db(env: dict[str, str]) -> Iterator[Store]:
    opened = Store.open(env["WIREDESK_DB_URL"])
    yield opened
    opened.close()


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """One in-process run with ``--json``; returns the summary."""
    assert backfill.main([*args, "--json", "--quiet"]) == 0
    return dict(json.loads(capsys.readouterr().out.strip().splitlines()[-1]))


def write_docs(folder: Path, start: int, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in documents(count, start):
        (folder / name).write_bytes(data)
    return guids(range(start, start + count))


def guids(numbers: range, feed: str | None = None) -> list[str]:
    """What the store should hold for these documents (fallback guids depend on the feed)."""
    found: list[str] = []
    for n in numbers:
        name, data = document(n)
        found += [r.guid for r in parse_records(data, name, feed=feed)]
    return found


def stored_guids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(articles.c.guid)).scalars())


def count(store: Store, table: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def assert_exactly(store: Store, expected: list[str]) -> None:
    got = stored_guids(store)
    assert len(got) == len(set(got)), "an article was stored twice"
    assert sorted(got) == sorted(expected), "an article is missing or unexpected"


# -- sources ----------------------------------------------------------------------------------------


def test_every_archive_kind_is_streamed_and_rerun_adds_nothing(
    tmp_path: Path, env: dict[str, str], db: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    payload = list(documents(30))
    with zipfile.ZipFile(src / "a.zip", "w") as archive:
        for name, data in payload[0:6]:
            archive.writestr(f"wire/{name}", data)
    for suffix, mode, part in (
        (".tar", "w", payload[6:12]),
        (".tar.gz", "w:gz", payload[12:18]),
        (".tgz", "w:gz", payload[18:24]),
    ):
        with tarfile.open(src / f"b{suffix}", mode) as tar:
            for name, data in part:
                info = tarfile.TarInfo(f"wire/{name}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    name, data = payload[24]
    (src / f"{name}.gz").write_bytes(gzip.compress(data))
    folder = src / "folder"
    folder.mkdir()
    for name, data in payload[25:30]:
        (folder / name).write_bytes(data)

    summary = run(str(src), "--workers", "0", capsys=capsys)
    assert summary["documents"] == 30 and summary["new"] == 30 and summary["refused"] == 0
    assert_exactly(db, guids(range(30)))
    assert count(db, raw_documents) == 30

    again = run(str(src), "--workers", "0", capsys=capsys)
    assert (again["known"], again["new"], again["unchanged"]) == (30, 0, 0)
    assert_exactly(db, guids(range(30)))


def test_tar_members_read_are_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A streamed tar must not remember every member it has read (memory stays flat on huge archives)."""
    from ingest.backfill import sources as backfill_sources

    archive_path = tmp_path / "many.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        for name, data in documents(300):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    opened: list[tarfile.TarFile] = []
    real_open = tarfile.open

    def tracking_open(*args: object, **kwargs: object) -> tarfile.TarFile:
        archive = real_open(*args, **kwargs)  # type: ignore[call-overload]
        opened.append(archive)
        return archive

    monkeypatch.setattr(backfill_sources.tarfile, "open", tracking_open)
    largest = 0
    count = 0
    for doc in backfill_sources.iter_tar(archive_path, 1 << 20):
        assert doc.data is not None
        count += 1
        largest = max(largest, len(opened[0].members))
    assert count == 300
    assert largest <= 1


def test_a_compressed_tar_is_read_once_with_progress_shown(
    tmp_path: Path,
    env: dict[str, str],
    db: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 16, finding 12: the progress total used to read every tar through to count its members, so
    each member (the skipped ones of a resumed run too) was decompressed twice."""
    from ingest.backfill import sources as backfill_sources

    archive_path = tmp_path / "wire.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        for name, data in documents(40):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    opened: list[object] = []
    real_open = tarfile.open

    def counting_open(*args: object, **kwargs: object) -> tarfile.TarFile:
        opened.append(args or kwargs)
        return real_open(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(backfill_sources.tarfile, "open", counting_open)
    for attempt in range(2):  # the second run skips every member as already stored
        opened.clear()
        assert backfill.main([str(archive_path), "--workers", "0", "--json"]) == 0  # not --quiet
        summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert summary["documents"] == 40 and summary["new" if attempt == 0 else "known"] == 40
        assert len(opened) == 1, "the archive was opened more than once"
    docs = list(backfill_sources.iter_path_documents([archive_path], 1 << 20))
    positions = [doc.position for doc in docs]
    assert positions == sorted(positions) and 0 < positions[-1] <= archive_path.stat().st_size


def test_unsafe_member_names_are_refused() -> None:
    assert unsafe_name("wire/2024/a.xml") is None
    for bad in ("/etc/passwd", "../x.xml", "a/../../x", "C:\\x.xml", "..\\x.xml", "a\x00b"):
        assert unsafe_name(bad) is not None, bad


def test_path_traversal_and_links_in_archives_are_refused(
    tmp_path: Path, env: dict[str, str], db: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    good_name, good = document(1)
    with tarfile.open(tmp_path / "evil.tar.gz", "w:gz") as tar:
        for member in ("../escape.txt", "/abs/escape.txt", good_name):
            info = tarfile.TarInfo(member)
            info.size = len(good)
            tar.addfile(info, io.BytesIO(good))
        link = tarfile.TarInfo("link.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as archive:
        archive.writestr("../../escape.xml", document(2)[1])
        archive.writestr("C:/windows/escape.xml", document(3)[1])

    summary = run(
        str(tmp_path / "evil.tar.gz"), str(tmp_path / "evil.zip"), "--workers", "0", capsys=capsys
    )
    assert summary["refused"] == 5
    assert summary["new"] == 1
    assert_exactly(db, guids(range(1, 2)))
    assert not (tmp_path.parent / "escape.txt").exists() and not Path("/abs").exists()


def test_dry_run_parses_and_counts_but_stores_nothing(
    tmp_path: Path, env: dict[str, str], db: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    write_docs(tmp_path / "in", 0, 12)
    (tmp_path / "in" / "broken.xml").write_bytes(b"<NewsML><NewsItem>")
    summary = run(str(tmp_path / "in"), "--dry-run", "--workers", "0", capsys=capsys)
    assert (summary["new"], summary["quarantined"], summary["dry_run"]) == (12, 1, True)
    assert count(db, articles) == count(db, raw_documents) == count(db, quarantine) == 0
    assert not list(Path(env["WIREDESK_BACKFILL_DIR"]).glob("*.json"))


def test_date_window_filters_on_the_document_date(
    tmp_path: Path, env: dict[str, str], db: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # Documents n = 1..3 are RSS/NewsML/NITF published at BASE_DATE + n minutes.
    folder = tmp_path / "in"
    folder.mkdir()
    for n in (1, 2, 3):
        name, data = document(n)
        (folder / name).write_bytes(data)
    summary = run(
        str(folder), "--since", "2024-01-01T06:02:00Z", "--until", "2024-01-01T06:03:00Z",
        "--workers", "0", capsys=capsys,
    )  # fmt: skip
    assert (summary["new"], summary["filtered"]) == (1, 2)
    assert_exactly(db, guids(range(2, 3)))


def test_cli_subcommand_is_the_same_command(
    tmp_path: Path, env: dict[str, str], db: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = write_docs(tmp_path / "in", 0, 4)
    assert cli_main(["backfill", str(tmp_path / "in"), "--workers", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["new"] == 4
    assert_exactly(db, expected)
    assert cli_main(["backfill", "--resume", "../../etc/passwd"]) == 2


def test_paths_are_kept_absolute_and_a_gone_path_refuses_the_resume(
    tmp_path: Path,
    env: dict[str, str],
    db: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A run started with a relative path can be resumed from another folder; a run whose input is not
    there any more is refused (it used to be skipped, and the run marked done with its input unread)."""
    write_docs(tmp_path / "in", 0, 3)
    monkeypatch.chdir(tmp_path)
    assert cli_main(["backfill", "in", "--workers", "0", "--json"]) == 0
    (saved,) = Path(env["WIREDESK_BACKFILL_DIR"]).glob("*.json")
    assert json.loads(saved.read_text())["options"]["paths"] == [str(tmp_path / "in")]
    capsys.readouterr()
    directory = Path(env["WIREDESK_BACKFILL_DIR"])
    for gone in ("archive-2019.tar.gz", str(tmp_path / "moved.tar.gz")):
        checkpoint = Checkpoint(
            run_id=f"20261201T000000Z-{len(gone):06x}", options={"paths": [gone]}
        )
        save(directory, checkpoint)
        monkeypatch.chdir(tmp_path / "in")
        assert cli_main(["backfill", "--resume", checkpoint.run_id, "--workers", "0"]) == 2
        err = capsys.readouterr().err
        assert f"cannot resume {checkpoint.run_id}: {gone} is not there" in err
        assert load(directory, checkpoint.run_id).state != "done"


# -- resume after SIGKILL (real processes) -----------------------------------------------------------


def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state letter), from /proc."""
    table: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            table[int(entry.name)] = (int(fields[1]), fields[0])
    return table


def descendants(root: int) -> set[int]:
    """Every process below ``root`` (workers, forkserver, resource tracker)."""
    table = _process_table()
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, (parent, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def still_running(pids: set[int]) -> set[int]:
    """The ones still alive (a zombie has ended: it only waits to be reaped)."""
    table = _process_table()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


def _checkpoint_progress(directory: Path) -> tuple[str, int] | None:
    for path in directory.glob("*.json"):
        data = json.loads(path.read_text())
        return str(data["run_id"]), int(data["counts"].get("documents", 0))
    return None


def test_kill_mid_run_then_resume_loses_and_duplicates_nothing(
    tmp_path: Path, env: dict[str, str], db: Store
) -> None:
    total = 400
    expected = write_docs(tmp_path / "in", 0, total)
    command = [sys.executable, str(SCRIPT), str(tmp_path / "in"), "--workers", "1", "--batch", "10"]
    child = subprocess.Popen(command, env={**os.environ, **env}, stderr=subprocess.PIPE)
    directory = Path(env["WIREDESK_BACKFILL_DIR"])
    deadline = time.monotonic() + 120
    progress = None
    while time.monotonic() < deadline:
        progress = _checkpoint_progress(directory)
        if progress and progress[1] >= 60:
            break
        time.sleep(0.05)
    helpers = descendants(child.pid)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert progress is not None and 60 <= progress[1] < total, "the run was not caught mid-way"
    # The forkserver, its worker and the resource tracker end with the killed run (issue 16, finding 9).
    assert len(helpers) >= 3, f"expected forkserver, worker and resource tracker, saw {helpers}"
    gone_by = time.monotonic() + 15
    while still_running(helpers) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not still_running(helpers), "processes of the killed run survived it"
    run_id = progress[0]
    stored_before = len(stored_guids(db))
    assert 0 < stored_before < total

    resumed = subprocess.run(
        [sys.executable, str(SCRIPT), "--resume", run_id, "--workers", "1", "--json", "--quiet"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    summary = json.loads(resumed.stdout)
    assert summary["run_id"] == run_id and summary["state"] == "done"
    # Counted once (issue 16, finding 12: a resumed run counted its first documents again): documents the
    # checkpoint had counted are skipped silently; ones committed after it are "already stored".
    assert summary["documents"] == total
    assert summary["new"] + summary["known"] == total and summary["known"] <= 10  # one batch
    assert_exactly(db, expected)
    assert count(db, raw_documents) == total
    assert load(directory, run_id).state == "done"


# -- re-parse from the store ------------------------------------------------------------------------


def test_from_store_restores_a_corrupted_field_in_place(
    tmp_path: Path, env: dict[str, str], db: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = write_docs(tmp_path / "in", 0, 8)
    run(str(tmp_path / "in"), "--workers", "0", capsys=capsys)
    with db.engine.begin() as conn:
        ids = dict(conn.execute(select(articles.c.guid, articles.c.id)).all())
        first = ids[expected[0]]
        original = conn.execute(select(articles.c.headline).where(articles.c.id == first)).scalar()
        conn.execute(update(articles).where(articles.c.id == first).values(headline="CORRUPTED"))

    summary = run("--from-store", "--workers", "2", capsys=capsys)
    assert (summary["updated"], summary["unchanged"], summary["new"]) == (1, 7, 0)
    record = db.get(first)
    assert record is not None and record.headline == original
    with db.engine.connect() as conn:
        assert dict(conn.execute(select(articles.c.guid, articles.c.id)).all()) == ids
        hits = conn.execute(
            text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'CORRUPTED'")
        ).scalar_one()
    assert hits == 0  # the full-text index follows the update


def test_parser_change_reaches_stored_articles_and_fixes_duplicate_links(
    tmp_path: Path,
    env: dict[str, str],
    db: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _, original = document(0)  # a text dump: fallback guid from headline + first paragraph
    copy = original.replace(
        b"\n\n", b"\n\nNachrichten aus aller Welt\n\n", 1
    )  # another guid, same body
    (folder / "a.txt").write_bytes(original)
    (folder / "b.txt").write_bytes(copy)
    run(str(folder), "--workers", "0", capsys=capsys)
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.id, articles.c.duplicate_of).order_by(articles.c.id)
        ).all()
    (a_id, a_dup), (b_id, b_dup) = rows
    assert a_dup is None and b_dup == a_id

    def changed_parser(raw: bytes, origin: str, **kwargs: object) -> list[ArticleRecord]:
        records = parse_records(raw, origin, **kwargs)  # type: ignore[arg-type]
        for record in records:
            record.kicker = "fixed kicker"
            if origin.endswith("a.txt"):  # the fix changes what the first document's body is
                record.body = ["Ganz anderer Text nach dem Fix. " * 20]
                record.content_hash = "changed"
        return records

    monkeypatch.setattr(backfill_worker, "parse_records", changed_parser)
    summary = run("--from-store", "--workers", "0", capsys=capsys)
    assert summary["updated"] == 2 and summary["new"] == 0
    a, b = db.get(a_id), db.get(b_id)
    assert a is not None and b is not None
    assert (a.kicker, b.kicker) == ("fixed kicker", "fixed kicker")
    assert a.body[0].startswith("Ganz anderer Text")
    assert b.duplicate_of is None  # its body no longer matches a's
    assert count(db, articles) == 2


def test_quarantined_documents_that_now_parse_leave_quarantine(
    tmp_path: Path,
    env: dict[str, str],
    db: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = write_docs(tmp_path / "in", 0, 10)  # two RSS documents among them

    def broken_parser(raw: bytes, origin: str, **kwargs: object) -> list[ArticleRecord]:
        if "-rss" in origin:
            raise ParseError("simulated parser bug")
        return parse_records(raw, origin, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backfill_worker, "parse_records", broken_parser)
    first = run(str(tmp_path / "in"), "--workers", "0", capsys=capsys)
    assert first["quarantined"] == 2 and len(db.quarantined()) == 2
    retry_broken = run("--quarantine", "--workers", "0", capsys=capsys)
    assert (retry_broken["quarantined"], retry_broken["resolved"]) == (2, 0)
    assert len(db.quarantined()) == 2  # the same entries, not new ones

    monkeypatch.setattr(backfill_worker, "parse_records", parse_records)  # the fix is deployed
    fixed = run("--quarantine", "--workers", "0", capsys=capsys)
    assert (fixed["new"], fixed["resolved"], fixed["quarantined"]) == (2, 2, 0)
    assert db.quarantined() == []
    assert_exactly(db, expected)


# -- next to the live service -----------------------------------------------------------------------


def test_runs_next_to_the_service_on_the_same_sqlite_file(
    tmp_path: Path, env: dict[str, str], db: Store
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    backfill_expected = write_docs(tmp_path / "archive", 0, 150)
    settings = Settings(db_url=env["WIREDESK_DB_URL"], settle_seconds=0.1)
    service = WireService(db, settings, [FeedConfig(name="inbox", path=inbox, interval=1)])
    service_expected = guids(range(1000, 1040), feed="inbox")
    stop_dropping = threading.Event()

    def drop() -> None:
        for n in range(1000, 1040):
            name, data = document(n)
            temporary = inbox / f"{name}.part"
            temporary.write_bytes(data)
            past = time.time() - 5
            os.utime(temporary, (past, past))
            temporary.rename(inbox / name)
            if stop_dropping.wait(0.05):
                return

    service.start()
    dropper = threading.Thread(target=drop)
    dropper.start()
    try:
        done = subprocess.run(
            [sys.executable, str(SCRIPT), str(tmp_path / "archive"), "--workers", "1",
             "--batch", "20", "--json", "--log-level", "INFO"],
            env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        dropper.join()
        deadline = time.monotonic() + 30
        while any(p.suffix == ".xml" or p.suffix == ".txt" for p in inbox.iterdir()):
            assert time.monotonic() < deadline, "the service did not take every dropped file"
            time.sleep(0.2)
    finally:
        stop_dropping.set()
        service.stop()
    assert done.returncode == 0, done.stderr
    assert "locked" not in done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["new"] == 150
    assert_exactly(db, backfill_expected + service_expected)


# -- checkpoints --------------------------------------------------------------------------------------


def test_checkpoint_round_trip_and_run_ids(tmp_path: Path) -> None:
    checkpoint = Checkpoint(run_id="20261127T101500Z-3f9a1c", options={"paths": ["a"]}, cursor=7)
    path = save(tmp_path, checkpoint)
    assert path.name == "20261127T101500Z-3f9a1c.json"
    assert load(tmp_path, checkpoint.run_id).cursor == 7
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    assert not valid_run_id("../x") and not valid_run_id("") and valid_run_id(checkpoint.run_id)


# -- wiredesk ingest on the backfill engine (issue 17, item 3) --------------------------------------


def test_ingest_paths_keeps_ingest_semantics_on_the_parallel_engine(
    tmp_path: Path, env: dict[str, str], db: Store
) -> None:
    from ingest.backfill import ingest_paths

    folder = tmp_path / "in"
    expected = write_docs(folder, 0, 12)
    (folder / "broken.xml").write_bytes(b"<NewsML><NewsItem>")
    (folder / "huge.xml").write_bytes(b"<rss>" + b"x" * 20_000)
    (folder / ".hidden.xml").write_bytes(document(40)[1])
    settings = Settings(db_url=env["WIREDESK_DB_URL"], max_document_bytes=16_384)
    problems: list[str] = []
    summary = ingest_paths([folder], db, workers=1, batch=5, settings=settings, problems=problems)
    assert summary.line() == "14 documents: 12 stored, 0 duplicates, 0 unchanged, 2 quarantined"
    assert problems == [] and not summary.interrupted
    assert_exactly(db, expected)
    errors = sorted(entry.error for entry in db.quarantined())
    assert errors[0].startswith("document is 20005 bytes, over the limit of 16384")
    assert count(db, quarantine) == 2
    assert not list(Path(env["WIREDESK_BACKFILL_DIR"]).glob("*.json"))  # no checkpoint

    again = ingest_paths([folder], db, workers=0, settings=settings)  # parsed again, not skipped
    assert again.line() == "14 documents: 0 stored, 0 duplicates, 12 unchanged, 2 quarantined"
    assert_exactly(db, expected)
    assert count(db, quarantine) == 2  # the same entries


def test_progress_bar_keeps_count_rate_and_eta_within_80_columns() -> None:
    from rich.console import Console

    from ingest.backfill.progress import Counts, Reporter

    for width in (80, 160):
        screen = io.StringIO()
        console = Console(file=screen, force_terminal=True, width=width, color_system=None)
        with Reporter(
            10_000_000, quiet=False, label="ingest", unit="bytes", console=console
        ) as bar:
            bar.update(Counts(documents=12_345, new=12_000, quarantined=345), 4_000_000)
        lines = [line for line in screen.getvalue().splitlines() if "docs" in line]
        assert lines, screen.getvalue()
        last = lines[-1]
        assert len(last.rstrip()) <= width
        assert "12,345 docs" in last and "/s" in last and "ETA" in last and "40%" in last
        assert ("quar 345" in last) == (width >= 120)  # the counts only where they fit
