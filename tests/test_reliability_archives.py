"""Archive metadata is untrusted input: a bad member date, name or size costs that member (or only its
date), never the backfill run."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

import ingest.backfill as backfill
from ingest.backfill.sources import iter_path_documents, iter_zip
from storage.store import Store, articles

REPO = Path(__file__).resolve().parents[1]


def story(number: int) -> bytes:
    return json.dumps(
        {
            "uri": f"urn:tt:{number}",
            "type": "text",
            "headline": f"Riksdagen röstar om förslag {number}",
            "body_text": f"Stockholm (TT) - Förslag nummer {number} behandlades i dag av riksdagen.",
        }
    ).encode()


def broken_zip(path: Path) -> Path:
    """A zip from a broken archiver: one member dated 1980-00-00, one with a NUL in its name."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("a.json", date_time=(2019, 5, 2, 8, 0, 0)), story(1))
        archive.writestr(zipfile.ZipInfo("b.json", date_time=(1980, 0, 0, 0, 0, 0)), story(2))
        archive.writestr(zipfile.ZipInfo("c.json", date_time=(1980, 13, 32, 25, 61, 61)), story(3))
        archive.writestr(zipfile.ZipInfo("d.json", date_time=(2019, 5, 2, 8, 0, 0)), story(4))
    return path


def test_bad_member_dates_cost_only_the_date(tmp_path: Path) -> None:
    docs = list(iter_zip(broken_zip(tmp_path / "tt.zip"), 1 << 20))
    assert [d.origin.rsplit("!", 1)[1] for d in docs] == ["a.json", "b.json", "c.json", "d.json"]
    assert [d.date is None for d in docs] == [False, True, True, False]
    assert all(d.data for d in docs)


def test_backfill_of_a_zip_with_bad_dates_stores_every_member(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("WIREDESK_DB_URL", url)
    monkeypatch.setenv("WIREDESK_BACKFILL_DIR", str(tmp_path / "cp"))
    monkeypatch.setenv("WIREDESK_FEEDS", str(tmp_path / "none.toml"))
    archive = broken_zip(tmp_path / "tt.zip")
    assert backfill.main([str(archive), "--workers", "0", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["documents"], summary["new"], summary["refused"]) == (4, 4, 0)
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(articles)).scalar_one() == 4
    finally:
        store.close()


def delivery_with_extras(path: Path) -> Path:
    """An agency delivery as zip and tar: two stories, plus what is not copy (a README, a delivery log,
    a test expectation, a dot file), plus one member whose name leaves the archive."""
    extras = {
        "README.md": b"# TT delivery\nStories as ninjs JSON.\n",
        "log/delivery.csv": b"file,sent\na.json,2019-05-02\n",
        "a.expected.json": b'{"headline": "x"}',
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
    }
    members = {"a.json": story(1), "nested/b.json": story(2), **extras, "../escape.json": story(3)}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    else:
        with tarfile.open(path, "w:gz") as archive:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("name", ["tt.zip", "tt.tar.gz"])
def test_archive_members_follow_the_folder_patterns(name: str, tmp_path: Path) -> None:
    """Inside an archive as in a folder: a README, a delivery log, expectations and dot files are skipped;
    the member that escapes is refused once, as one line, not also as a log line."""
    archive = delivery_with_extras(tmp_path / name)
    docs = list(iter_path_documents([archive], 1 << 20))
    assert sorted(d.origin.rsplit("!", 1)[1] for d in docs) == [
        "../escape.json",
        "a.json",
        "nested/b.json",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "ingest", "--workers", "0", str(archive)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'w.db'}"},
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout.startswith(
        "2 documents: 2 stored, 0 duplicates, 0 unchanged, 0 quarantined"
    )
    assert result.stderr.count("escape.json") == 1, result.stderr
    assert "cannot ingest" in result.stderr and "leaves the archive" in result.stderr
