"""The ``wiredesk`` command as operators run it: a real process, a real store file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ingest.cli import parse_since

WIREDESK = Path(sys.executable).parent / "wiredesk"

STORY = """Nach dem Sturm

Aufräumen im Hafen beginnt

Hamburg (dpa) - Nach dem schweren Sturm haben am Donnerstag im Hamburger Hafen die Aufräumarbeiten begonnen.

Mehrere Container waren in der Nacht ins Wasser gestürzt, verletzt wurde nach Angaben der Polizei niemand.

dpa
"""


def run(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIREDESK_DB_URL": f"sqlite:///{db}"}
    return subprocess.run(
        [str(WIREDESK), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "nested").mkdir()
    (folder / "nested" / "broken.xml").write_bytes(b"<?xml version='1.0'?><NewsML><oops")
    return folder


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run("--help", db=tmp_path / "x.db", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("parse", "ingest", "search", "show"):
        assert command in result.stdout


def test_parse_prints_json_lines_and_stores_nothing(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    result = run("parse", str(files / "story.txt"), db=db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["headline"] == "Aufräumen im Hafen beginnt"
    assert record["kicker"] == "Nach dem Sturm"
    assert record["dateline"] == {"place": "Hamburg", "date": None, "agencies": ["dpa"]}
    assert record["agencies"] == ["dpa"]
    assert record["id"] is None
    assert not db.exists()


def test_parse_failure_exit_2_with_one_line(files: Path, tmp_path: Path) -> None:
    broken = files / "nested" / "broken.xml"
    result = run("parse", str(broken), str(files / "story.txt"), db=tmp_path / "x.db", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"wiredesk: cannot parse {broken}: ")
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == 1  # the good file is still printed


def test_ingest_twice_stores_once_then_search_and_show(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = run("ingest", str(files), db=db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "1 stored" in first.stdout and "1 quarantined" in first.stdout
    second = run("ingest", str(files), db=db, cwd=tmp_path)
    assert "0 stored" in second.stdout and "1 unchanged" in second.stdout

    found = run("search", "Hafen", "--json", db=db, cwd=tmp_path)
    records = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(records) == 1
    assert records[0]["id"] == 1 and records[0]["duplicate_of"] is None
    assert records[0]["received_at"].endswith("Z")

    assert run("search", "--agency", "AFP", "--json", db=db, cwd=tmp_path).stdout == ""
    assert (
        run("search", "--urgency", "2", "--json", db=db, cwd=tmp_path).stdout == ""
    )  # no urgency set
    assert run("search", "--status", "canceled", "--json", db=db, cwd=tmp_path).stdout == ""
    assert "Aufräumen" in run("search", "--no-duplicates", "Hafen", db=db, cwd=tmp_path).stdout
    assert "Aufräumen" in run("search", "--lang", "de", "--since", "1h", db=db, cwd=tmp_path).stdout

    shown = run("show", "1", db=db, cwd=tmp_path)
    assert shown.returncode == 0 and "Hamburg (dpa) - Nach dem schweren Sturm" in shown.stdout
    assert json.loads(run("show", "1", "--json", db=db, cwd=tmp_path).stdout)["id"] == 1
    missing = run("show", "99", db=db, cwd=tmp_path)
    assert missing.returncode == 1 and "no article with id 99" in missing.stderr


def test_parse_since() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert parse_since("2h", now) == now - timedelta(hours=2)
    assert parse_since("30m", now) == now - timedelta(minutes=30)
    assert parse_since("2026-11-20", now) == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse_since("2026-11-20T10:00:00+01:00", now) == datetime(2026, 11, 20, 9, tzinfo=UTC)
