"""The command line on a read-only store (issue 16 finding 11): ``search``, ``show`` and ``serve`` read it,
``ingest`` stops with one line and exit 2, the desk's re-run answers "store is read-only" instead of a 500.

A store is read-only by file permissions (0444 file in a 0555 folder: meaningless for root, which writes
through them, so that case is skipped as root and observed through ``storage.db.may_write`` instead) or by
SQLite's ``mode=ro`` URI (holds for everyone)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import storage.db as storage_db
from config.feeds import FeedConfig
from config.settings import Settings
from ingest.cli_service import desk_app
from ingest.console import main as console_main
from ingest.pipeline import ingest_document
from storage.search import quarantine_items
from storage.store import Store

WIREDESK = Path(sys.executable).parent / "wiredesk"
STORY = (
    "Fähre fällt aus\n\nSturm legt Verkehr nach Helgoland lahm\n\n"
    "Cuxhaven (dpa) - Wegen des Sturms fällt die Fähre nach Helgoland am Freitag aus, teilte die "
    "Reederei mit.\n\nAm Samstag soll sie wieder fahren.\n\ndpa\n"
).encode()
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def store_file(tmp_path: Path) -> Iterator[Path]:
    """A store with one article and one quarantined document, in a folder of its own."""
    folder = tmp_path / "store"
    path = folder / "wire.db"
    (tmp_path / "none.toml").write_text("", encoding="utf-8")  # no feeds
    store = Store.open(f"sqlite:///{path}")
    ingest_document(store, STORY, "inbox/faehre.txt")
    ingest_document(store, b"<?xml version='1.0'?><NewsML><oops", "inbox/broken.xml")
    store.close()
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


def _read_only_url(path: Path, how: str) -> str:
    if how == "uri":
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    if AS_ROOT:
        pytest.skip(
            "root writes through file permissions: the permission case runs as a plain user"
        )
    path.chmod(0o444)
    path.parent.chmod(0o555)
    return f"sqlite:///{path}"


def _run(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIREDESK_DB_URL": url, "WIREDESK_FEEDS": str(cwd / "none.toml")}
    return subprocess.run(
        [str(WIREDESK), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _served_articles(url: str, cwd: Path) -> dict[str, object]:
    """``wiredesk serve`` over ``url`` as a real process; its ``/api/articles`` answer."""
    port = _free_port()
    env = {**os.environ, "WIREDESK_DB_URL": url, "WIREDESK_FEEDS": str(cwd / "none.toml")}
    server = subprocess.Popen(
        [str(WIREDESK), "serve", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/articles", timeout=5
                ) as r:
                    answer: dict[str, object] = json.load(r)
                    return answer
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"serve did not answer: {server.communicate()[1]}"
                    ) from None
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("how", ["uri", "permissions"])
def test_search_show_and_serve_read_a_read_only_store_and_ingest_is_one_line(
    store_file: Path, tmp_path: Path, how: str
) -> None:
    url = _read_only_url(store_file, how)
    before = store_file.read_bytes()

    found = _run(url, "search", "Helgoland", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert "Sturm legt Verkehr nach Helgoland lahm" in found.stdout
    shown = _run(url, "show", "1", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "STURM LEGT VERKEHR NACH HELGOLAND LAHM" in shown.stdout
    served = _served_articles(url, tmp_path)
    assert [item["headline"] for item in served["items"]] == [  # type: ignore[index]
        "Sturm legt Verkehr nach Helgoland lahm"
    ]

    other = tmp_path / "other.txt"
    other.write_bytes(STORY.replace(b"Freitag", b"Montag"))
    refused = _run(url, "ingest", str(other), cwd=tmp_path)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        f"wiredesk: store is read-only: {store_file}; search, show and serve can still read it"
    ]
    assert store_file.read_bytes() == before


def test_permissions_seen_by_the_cli_in_process(
    store_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The permission check as the commands meet it, for every user (root included)."""
    monkeypatch.setattr(storage_db, "may_write", lambda _path: False)
    monkeypatch.setenv("WIREDESK_DB_URL", f"sqlite:///{store_file}")
    monkeypatch.setenv("WIREDESK_FEEDS", str(store_file.parent.parent / "none.toml"))
    monkeypatch.setattr(sys, "argv", ["wiredesk", "search", "Helgoland"])
    assert console_main() == 0
    assert "Helgoland" in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["wiredesk", "ingest", str(store_file.parent)])
    assert console_main() == 2
    assert capsys.readouterr().err.startswith(f"wiredesk: store is read-only: {store_file};")


def test_rerun_on_a_read_only_store_fails_plainly(store_file: Path) -> None:
    store = Store.open(f"sqlite:///file:{store_file}?mode=ro&uri=true", readonly=None)
    assert store.readonly
    try:
        (entry,) = quarantine_items(store)
        settings = Settings.from_env({})
        app = desk_app(settings, store, [FeedConfig(name="inbox", path=None, url="https://x/y")])
        with TestClient(app, base_url="http://127.0.0.1:8080") as client:
            response = client.post(f"/quarantine/{entry.id}/rerun", follow_redirects=False)
            assert response.status_code == 303
            assert "outcome=failed" in response.headers["location"]
            assert client.get(response.headers["location"]).status_code == 200
        assert [item.id for item in quarantine_items(store)] == [entry.id]
    finally:
        store.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "command", [["search", "Hafen"], ["feeds"], ["ingest", "."], ["show", "1"]]
)
def test_unreachable_postgresql_store_is_one_line_and_exit_2(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No server on the port: one ``wiredesk: cannot reach the store`` line without the password."""
    url = f"postgresql+psycopg://wd:S3cretPW-x9@127.0.0.1:{_closed_port()}/wd"
    monkeypatch.setenv("WIREDESK_DB_URL", url)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "inbox"\npath = "inbox"\n', encoding="utf-8")
    monkeypatch.setenv("WIREDESK_FEEDS", str(feeds))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["wiredesk", *command])
    assert console_main() == 2
    err = capsys.readouterr().err
    assert err.startswith("wiredesk: cannot reach the store: postgresql+psycopg://***@127.0.0.1:")
    assert err.count("\n") == 1 and "S3cretPW" not in err and "Traceback" not in err


def test_store_in_a_missing_path_is_one_line_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped store path leaves no folders behind; the store's own folder (``var/``) is created."""
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "inbox"\npath = "inbox"\n', encoding="utf-8")
    monkeypatch.setenv("WIREDESK_FEEDS", str(feeds))
    monkeypatch.setenv("WIREDESK_DB_URL", f"sqlite:///{tmp_path / 'typo' / 'deeper' / 'w.db'}")
    monkeypatch.setattr(sys, "argv", ["wiredesk", "feeds"])
    assert console_main() == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()
    monkeypatch.setenv("WIREDESK_DB_URL", f"sqlite:///{tmp_path / 'var' / 'w.db'}")
    assert console_main() == 0
    assert (tmp_path / "var" / "w.db").is_file()


def test_store_lost_mid_run_is_one_line_without_statement_or_fields(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server stops during a backfill: one line, no SQL, no parameters (a document's fields)."""
    from sqlalchemy.exc import OperationalError

    import ingest.cli

    def lose_the_store(argv: object = None) -> int:
        raise OperationalError(
            "INSERT INTO articles (headline) VALUES (%(headline)s)",
            {"headline": "Geheimer Entwurf"},
            ConnectionError("server closed the connection unexpectedly\n\tThis probably means ..."),
        )

    monkeypatch.setattr(ingest.cli, "main", lose_the_store)
    assert console_main() == 2
    err = capsys.readouterr().err
    assert (
        err
        == "wiredesk: lost the store: ConnectionError: server closed the connection unexpectedly\n"
    )


@pytest.mark.parametrize(
    ("url", "works"),
    [
        (
            "postgres://wd@127.0.0.1:{port}/wd",
            "cannot reach the store",
        ),  # libpq spelling: psycopg 3
        ("postgresql://wd@127.0.0.1:{port}/wd", "cannot reach the store"),
        ("postgresql+asyncpg://wd:pw@127.0.0.1:{port}/wd", "cannot use the store URL"),
        ("mysql://wd:pw@127.0.0.1:{port}/wd", "cannot use the store URL"),
        ("not-a-url", "cannot use the store URL"),
    ],
)
def test_store_urls_that_cannot_be_used_are_one_line(
    url: str,
    works: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WIREDESK_DB_URL", url.format(port=_closed_port()))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["wiredesk", "search", "Hafen"])
    assert console_main() == 2
    err = capsys.readouterr().err
    assert err.startswith(f"wiredesk: {works}") and err.count("\n") == 1 and "pw@" not in err


def test_feeds_from_a_folder_without_a_feeds_file_shows_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """README's "migrate once with wiredesk feeds" works from any folder; a configured file that is
    missing is still an error."""
    monkeypatch.delenv("WIREDESK_FEEDS", raising=False)
    monkeypatch.setenv("WIREDESK_DB_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["wiredesk", "feeds"])
    assert console_main() == 0
    out, err = capsys.readouterr()
    assert out.startswith("feed ") and "no feeds file" in err
    monkeypatch.setenv("WIREDESK_FEEDS", str(tmp_path / "missing.toml"))
    assert console_main() == 2
    assert "missing.toml: cannot read" in capsys.readouterr().err
