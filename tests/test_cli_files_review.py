"""The fresh-user review of ``wiredesk parse``/``ingest``/``backfill`` (one test or more per defect), on real
files, FIFOs, sockets, archives and processes."""

from __future__ import annotations

import gzip
import io
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from rich.console import Console

from config.oneline import shown
from config.patterns import DEFAULT_EXCLUDE, FilePatterns, check_patterns, file_wanted
from config.settings import Settings
from ingest.backfill.checkpoint import Checkpoint
from ingest.backfill.engine import CHUNK, _Inline, pump, submit_chunk, warranted_workers
from ingest.backfill.options import BackfillOptions
from ingest.backfill.progress import MAX_WIDTH, Counts, Reporter
from ingest.backfill.sources import _hidden, iter_path_documents
from ingest.backfill.worker import Task
from ingest.backfill.writer import Work, Writer
from ingest.cli_args import worker_ceiling
from ingest.dropfolder import ready_files
from ingest.files import open_document, read_capped, store_files, walk_files
from storage.store import Store

WIREDESK = Path(sys.executable).parent / "wiredesk"
# Modelled on a Ritzau-style Danish wire story (the review's example was German dpa copy).
STORY = """Ny bro åbnet i Aarhus

Broen over havnen er færdig efter tre års byggeri

Aarhus (Ritzau) - Den nye bro over havnen i Aarhus blev mandag åbnet for trafik, oplyser kommunen.

De første cyklister kørte over broen kort efter klokken syv om morgenen.

/ritzau/
"""


def run(
    *args: str, db: Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WIREDESK_DB_URL": f"sqlite:///{db}",
        "WIREDESK_BACKFILL_DIR": str(cwd / "runs"),
        **(env or {}),
    }
    return subprocess.run(
        [str(WIREDESK), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    return folder


# 1. --workers


def test_workers_over_the_ceiling_are_refused_with_the_ceiling_named(
    inbox: Path, tmp_path: Path
) -> None:
    ceiling = worker_ceiling()
    assert ceiling == min(64, 4 * (os.cpu_count() or 1))
    for command in (["ingest", str(inbox)], ["backfill", str(inbox), "--dry-run"]):
        result = run(*command, "--workers", "100000", db=tmp_path / "s.db", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert f"at most {ceiling} parser processes" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "s.db").exists()  # refused before the store was opened


def test_no_more_workers_than_the_documents_fill(inbox: Path, tmp_path: Path) -> None:
    for index in range(CHUNK + 1):  # two chunks' worth of files
        (inbox / f"s{index}.txt").write_text(STORY, encoding="utf-8")
    assert warranted_workers(4, [inbox / "story.txt"]) == 1
    assert warranted_workers(4, [inbox]) == 2
    assert warranted_workers(0, [inbox]) == 0  # in this process, whatever the count
    archive = tmp_path / "day.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("a.txt", STORY)
        packed.writestr("folder/", "")  # a folder member is no document
    assert warranted_workers(3, [archive]) == 1  # a zip's members are counted from its directory
    with zipfile.ZipFile(archive, "a") as packed:
        for index in range(2 * CHUNK):
            packed.writestr(f"b{index}.txt", STORY)
    assert warranted_workers(4, [archive]) == 3  # 2 * CHUNK + 1 documents
    (tmp_path / "story.xml.gz").write_bytes(gzip.compress(STORY.encode()))
    assert warranted_workers(4, [tmp_path / "story.xml.gz"]) == 1  # one gzipped document
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not a zip")
    assert warranted_workers(4, [tmp_path / "broken.zip"]) == 1  # read, and quarantined, as one
    tar = tmp_path / "day.tar.gz"
    with tarfile.open(tar, "w:gz") as packed:
        info = tarfile.TarInfo("a.txt")
        data = STORY.encode()
        info.size = len(data)
        packed.addfile(info, io.BytesIO(data))
    assert warranted_workers(3, [tar]) == 3  # a tar's member count needs it decompressed: plenty


# 2. parse reads a stream with the cap ingest uses


def test_parse_of_a_device_stops_at_the_size_cap_in_one_line(tmp_path: Path) -> None:
    cap = 4 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = run(
        "parse",
        "/dev/zero",
        db=tmp_path / "s.db",
        cwd=tmp_path,
        env={"WIREDESK_MAX_DOCUMENT_BYTES": str(cap)},
        timeout=60,
    )
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert result.returncode == 2
    (line,) = lines(result.stderr)
    assert line.startswith("wiredesk: cannot parse /dev/zero: document is at least")
    assert f"over the limit of {cap}" in line
    assert max(before, peak_kib) < 400 * 1024  # KiB: bounded by the cap, not by the stream


def test_parse_reads_a_pipe_named_on_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 's.db'}"}
    result = subprocess.run(
        [str(WIREDESK), "parse", "/dev/stdin"],
        input=STORY,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in lines(result.stdout)]
    assert "Aarhus" in " ".join(record["body"])


# 3. empty paths; the store's own files


@pytest.mark.parametrize("command", [["ingest", ""], ["parse", ""], ["backfill", "", "--dry-run"]])
def test_an_empty_path_is_refused(command: list[str], inbox: Path) -> None:
    result = run(*command, db=inbox / "s.db", cwd=inbox)
    assert result.returncode == 2
    assert "empty path" in result.stderr and "Traceback" not in result.stderr
    assert lines(result.stdout) == []
    assert not (inbox / "s.db").exists()


def test_the_store_files_in_an_ingested_folder_are_never_read(inbox: Path) -> None:
    # A name no default pattern knows: only the store's identity can tell.
    db = inbox / "desk.data"
    first = run("ingest", str(inbox), db=db, cwd=inbox)
    assert first.returncode == 0, first.stderr
    again = run("ingest", str(inbox), "--include", "*", db=db, cwd=inbox)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("1 document: 0 stored")
    assert f"wiredesk: skipped {db}: one of the store's own database files" in again.stderr
    for name in ("x.db", "x.sqlite", "x.db-wal", "x.db-shm", "x.db-journal"):
        assert not file_wanted(name) and not file_wanted(name, FilePatterns(include=("*",)))
    assert store_files(f"sqlite:///{db}") == {
        Path(f"{db.resolve()}{s}") for s in ("", "-wal", "-shm", "-journal")
    }
    assert store_files("postgresql://u@h/db") == frozenset()
    named = run("ingest", str(db), db=db, cwd=inbox)  # named on the command line: still never read
    assert named.returncode == 0 and named.stdout.startswith("0 documents: 0 stored"), named.stderr
    assert f"wiredesk: skipped {db}: one of the store's own database files" in named.stderr


# 4. FIFOs, sockets and devices in folders; a second signal


def test_a_fifo_and_a_socket_in_a_folder_are_skipped_not_waited_for(
    inbox: Path, tmp_path: Path
) -> None:
    os.mkfifo(inbox / "pipe.xml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inbox / "sock.xml"))
    try:
        result = run("ingest", str(inbox), "--workers", "0", db=tmp_path / "s.db", cwd=tmp_path)
        backfilled = run(
            "backfill",
            str(inbox),
            "--dry-run",
            "--workers",
            "0",
            "--json",
            db=tmp_path / "b.db",
            cwd=tmp_path,
            timeout=60,
        )
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 document: 1 stored")
    assert f"skipped {inbox / 'pipe.xml'}: not a regular file" in result.stderr
    assert f"skipped {inbox / 'sock.xml'}: not a regular file" in result.stderr
    assert backfilled.returncode == 0, backfilled.stderr
    assert json.loads(lines(backfilled.stdout)[-1])["documents"] == 1


def test_opening_a_fifo_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "swapped.xml"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(OSError, match="not a regular file"):
        read_capped(fifo, 1024)
    with pytest.raises(OSError, match="not a regular file"):
        open_document(Path("/dev/zero"))
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_second_signal_ends_a_blocked_run_at_once(
    sig: signal.Signals, status: int, tmp_path: Path
) -> None:
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)  # named on the command line: read, so the run waits for a writer
    env = {**os.environ, "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 's.db'}"}
    process = subprocess.Popen(
        [str(WIREDESK), "ingest", "--workers", "0", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "s.db").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # store opened, run started, blocked opening the FIFO
        process.send_signal(sig)
        time.sleep(0.5)
        process.send_signal(sig)
        _out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == status, err
    assert "Traceback" not in err
    assert "stopped at once" in err


# 5. links out of the folder


def test_links_leading_out_of_the_folder_are_skipped_unless_named(
    inbox: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(STORY.replace("Aarhus", "Odense"), encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside)
    (inbox / "sub").mkdir()
    (inbox / "sub" / "inner.txt").symlink_to(inbox / "story.txt")  # inside: taken
    result = run("ingest", str(inbox), "--workers", "0", db=tmp_path / "s.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"skipped {inbox / 'link.txt'}: a link leading out of the folder" in result.stderr
    assert result.stdout.startswith("2 documents: 1 stored, 0 duplicates, 1 unchanged")
    walked = [e for e in walk_files([inbox]) if isinstance(e, Path)]
    assert inbox / "link.txt" not in walked
    named = run("parse", str(inbox / "link.txt"), db=tmp_path / "s.db", cwd=tmp_path)
    assert named.returncode == 0 and "Odense" in named.stdout  # named explicitly: read


def test_a_drop_folder_takes_the_same_files_as_a_walk(inbox: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(STORY, encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside)
    os.mkfifo(inbox / "pipe.txt")
    assert [p.name for p in ready_files(inbox, 0, now=time.time() + 10)] == ["story.txt"]


# 6. stray files, in folders and archives alike


STRAYS = {
    "delivery.log": "2026-12-01 06:00 sent 3 items\n",
    "expected.jsonl": '{"file": "a.xml"}\n',
    "a.fundus-expected.json": '{"title": "x"}\n',
    "b.expected.json": '{"title": "x"}\n',
    "README.md": "# delivery\n",
    "README": "Delivery README\n\nThis delivery holds the overnight wire of 1 December.\n",
    "README.txt": "Delivery README\n\nFiles are named by slug and version.\n",
    "manifest.csv": "file,size\n",
    ".DS_Store": "x",
}


def test_stray_files_are_skipped_in_folders_and_archives_by_one_rule(
    inbox: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "dlog.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("story.txt", STORY)
        packed.writestr("__MACOSX/._story.txt", "x")
        for name, text in STRAYS.items():
            packed.writestr(name, text)
            (inbox / name).write_text(text, encoding="utf-8")
    for name in (*STRAYS, "__MACOSX/._story.txt"):
        assert _hidden(name) and not file_wanted(name), name
    for name in ("story.xml", "ninjs.json", "digitalwires.json", "item.txt", "a.nitf", "x.html"):
        assert not _hidden(name) and file_wanted(name), name
    documents = list(iter_path_documents([inbox, archive], 1 << 20))
    assert sorted(Path(d.origin).name for d in documents) == ["dlog.zip!story.txt", "story.txt"]
    result = run(
        "ingest", str(inbox), str(archive), "--workers", "0", db=tmp_path / "s.db", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 documents: 1 stored, 0 duplicates, 1 unchanged")


# 7. patterns


@pytest.mark.parametrize("option", ["--include", "--exclude"])
@pytest.mark.parametrize("pattern", ["[", "", "  ", "*.[xml"])
def test_invalid_or_empty_patterns_are_refused(
    option: str, pattern: str, inbox: Path, tmp_path: Path
) -> None:
    for command in ("ingest", "parse"):
        result = run(command, str(inbox), option, pattern, db=tmp_path / "s.db", cwd=tmp_path)
        assert result.returncode == 2
        (line,) = lines(result.stderr)
        assert line.startswith("wiredesk: --include/--exclude: ") and "pattern" in line
    with pytest.raises(ValueError, match="pattern"):
        check_patterns([pattern])  # feeds.toml lists take the same check
    assert check_patterns(["[!]x]*", " *.xml "]) == ("[!]x]*", "*.xml")


def test_an_include_wins_over_the_default_excludes_not_over_an_exclude_given(
    inbox: Path, tmp_path: Path
) -> None:
    (inbox / "notes.md").write_text(STORY, encoding="utf-8")
    (inbox / ".notes.md").write_text(STORY, encoding="utf-8")
    taken = run("parse", str(inbox), "--include", "*.md", db=tmp_path / "s.db", cwd=tmp_path)
    assert taken.returncode == 0, taken.stderr
    assert [json.loads(x)["origin"] for x in lines(taken.stdout)] == [str(inbox / "notes.md")]
    left = run(
        "parse",
        str(inbox),
        "--include",
        "*.md",
        "--exclude",
        "*.md",
        db=tmp_path / "s.db",
        cwd=tmp_path,
    )
    assert left.returncode == 0 and lines(left.stdout) == []
    assert not file_wanted("notes.md")  # the default still skips it
    assert file_wanted("notes.md", FilePatterns(include=("*.md",), exclude=DEFAULT_EXCLUDE))


# 8. archives named to parse


def test_parse_of_an_archive_is_one_line(inbox: Path, tmp_path: Path) -> None:
    archive = tmp_path / "day.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(inbox / "story.txt", arcname="story.txt")
    result = run("parse", str(archive), db=tmp_path / "s.db", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = lines(result.stderr)
    assert f"{archive} is an archive: use `wiredesk backfill {archive}`" in line


# 9. paths in one-line messages


def test_a_newline_in_a_file_name_cannot_forge_a_line(inbox: Path, tmp_path: Path) -> None:
    forged = inbox / "x\nwiredesk: 0 problems.xml"
    forged.symlink_to(tmp_path / "gone.xml")  # dangling: reported as unreadable
    result = run("ingest", str(inbox), "--workers", "0", db=tmp_path / "s.db", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = lines(result.stderr)
    assert line == f"wiredesk: cannot ingest {str(forged)!r}: No such file or directory"
    assert shown(Path("/srv/in/a.xml")) == "/srv/in/a.xml"
    assert shown("a\x1b[2Jb") == repr("a\x1b[2Jb")


# 10. progress


def test_the_progress_moves_before_the_first_commit_and_fits_100_columns() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200)
    with Reporter(10_000, quiet=False, unit="bytes", console=console) as reporter:
        assert reporter._progress is not None
        reporter.parsed(16, 2_500)
        (task,) = reporter._progress.tasks
        assert task.completed == 2_500 and task.fields["docs"] == "16"
        reporter.update(Counts(documents=16, new=9_999_999, duplicates=7, quarantined=3), 2_500)
    wide = Console(file=io.StringIO(), force_terminal=True, color_system=None, width=200)
    wide.print(reporter._progress.get_renderable())
    drawn = wide.file.getvalue()  # type: ignore[attr-defined]
    assert drawn.strip() and all(len(x) <= MAX_WIDTH for x in drawn.splitlines())


def test_pump_reports_parsed_chunks_before_the_writer_commits(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    committed: list[int] = []
    seen: list[tuple[int, int]] = []
    counts = Counts()
    writer = Writer(
        store,
        BackfillOptions(),
        Checkpoint(run_id="t", options={}),
        counts,
        1_000,
        lambda batch: committed.append(len(batch)),
    )
    works = [Work(f"mem:{i}", STORY.replace("mandag", f"dag {i}").encode()) for i in range(40)]

    def task(work: Work) -> Task:
        assert work.data is not None
        return (work.origin, work.data, None, None, None, None, True)

    try:
        pump(
            works,
            lambda chunk: submit_chunk(_Inline(), chunk, task),
            writer,
            window=1,
            stopping=lambda: False,
            parsed=lambda chunk: seen.append((len(chunk), sum(committed))),
        )
        writer.flush()
    finally:
        store.close()
    assert [n for n, _ in seen] == [16, 16, 8]
    assert all(done == 0 for _, done in seen)  # counted before the one batch committed
    assert sum(committed) == 40 and Settings().max_document_bytes > 0
