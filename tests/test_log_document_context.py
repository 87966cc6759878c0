"""A line logged while a document is read names it (``origin=...``): in the process that reads it and in
backfill's worker processes, so an operator can find the file behind "damaged UTF-8 ..."."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.logcontext import DocumentFilter, about_document, current_document
from ingest.logsetup import configure_logging
from ingest.parse_stage import parse_records

REPO = Path(__file__).resolve().parents[1]
# A Belga-style NITF story in UTF-8 with one stray windows-1252 byte (0x92) in its second paragraph.
DAMAGED = (
    (
        '<?xml version="1.0" encoding="utf-8"?><nitf><head><title>Brüssel prüft neue Regeln</title></head>'
        "<body><body.head><hedline><hl1>Brüssel prüft neue Regeln</hl1></hedline></body.head><body.content>"
        "<p>Die belgische Regierung hat am Dienstag in Brüssel neue Regeln für den Güterverkehr vorgestellt.</p>"
        "<p>Die Häfen in Antwerpen und Zeebrügge begrüßten den Entwurf, die Gewerkschaften nicht.\x92</p>"
        "</body.content></body></nitf>"
    )
    .encode()
    .replace("\x92".encode(), b"\x92")
)


def test_filter_adds_the_current_document_and_keeps_an_explicit_one() -> None:
    record = logging.LogRecord("parsers.encoding", logging.WARNING, "", 0, "damaged", None, None)
    assert DocumentFilter().filter(record) and not hasattr(record, "origin")
    with about_document("/in/a.xml"):
        assert current_document() == "/in/a.xml"
        with about_document("/in/b.zip!c.xml"):
            assert DocumentFilter().filter(record) and record.origin == "/in/b.zip!c.xml"
        assert current_document() == "/in/a.xml"
        named = logging.LogRecord("x", logging.WARNING, "", 0, "m", None, None)
        named.origin = "/elsewhere"
        DocumentFilter().filter(named)
        assert named.origin == "/elsewhere"
    assert current_document() is None


def test_parse_stage_lines_name_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("WARNING")
        records = parse_records(DAMAGED, "/drop/belga/story-17.xml")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    assert records and "\ufffd" in records[0].body[-1]
    lines = [line for line in capsys.readouterr().err.splitlines() if "damaged UTF-8" in line]
    assert len(lines) == 1 and "origin=/drop/belga/story-17.xml" in lines[0]


def test_backfill_worker_lines_name_the_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story-17.xml").write_bytes(DAMAGED)
    env = {
        **os.environ,
        "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'wire.db'}",
        "WIREDESK_BACKFILL_DIR": str(tmp_path / "checkpoints"),
        "WIREDESK_FEEDS": str(tmp_path / "no-feeds.toml"),
    }
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "backfill.py"), str(folder), "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    lines = [line for line in done.stderr.splitlines() if "damaged UTF-8" in line]
    assert len(lines) == 1, done.stderr
    assert f"origin={folder / 'story-17.xml'}" in lines[0]


def test_a_file_name_cannot_forge_a_log_line(capsys: pytest.CaptureFixture[str]) -> None:
    """An uploader chooses file names: one holding a newline and a level word stays inside one line."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    forged = '/drop/x y\n2026-12-01T06:00:00 WARNING ingest forged "quote".xml'
    try:
        configure_logging("WARNING")
        parse_records(DAMAGED, forged)
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "damaged UTF-8" in lines[0], lines
    assert "origin='/drop/x y\\n2026-12-01T06:00:00 WARNING" in lines[0]
