"""FTP, FTPS and SFTP remote folders against real servers on 127.0.0.1 (pyftpdlib, asyncssh).

Files are taken when settled and wanted by the feed's patterns, committed, and only then moved to done/
(failed/ when quarantined) -- or, for read-only accounts, remembered in the store's seen-list. SIGKILL of
a real ingest process after commit (before the move) and before commit: every file stored exactly once.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bench.wireq import make_entry
from config.redact import redact
from config.settings import Settings
from ingest.transports import open_transport
from ingest.transports.base import TransportSpec
from ingest.transports.runner import run_transport
from ingest.transports.state import load_transport_state
from storage.store import Store, articles, quarantine
from tests.remote_servers import PASSWORD, USER, Gate, ftp_server, self_signed, sftp_server

ROOT = Path(__file__).resolve().parents[1]
FAST = Settings(retries=0, connect_timeout=5, read_timeout=10, total_timeout=20, settle_seconds=0)
KINDS = ("ftp", "ftps", "sftp")
ENV = {"REMOTE_USER": USER, "REMOTE_PASSWORD": PASSWORD}


@contextmanager
def remote(
    kind: str, tmp_path: Path, gate: Gate, **options: Any
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A server of ``kind`` serving ``tmp_path/root``; yields the served folder ``in/`` and the feed's
    spec as a dict (``TransportSpec`` fields)."""
    root = tmp_path / "root"
    (root / "in").mkdir(parents=True)
    auth = {"type": "basic", "username_env": "REMOTE_USER", "password_env": "REMOTE_PASSWORD"}
    if kind == "sftp":
        with sftp_server(root, gate, tmp_path) as server:
            options.setdefault("known_hosts", str(server.known_hosts))
            url = f"sftp://127.0.0.1:{server.port}/in"
            yield (
                root / "in",
                {"name": "remote", "transport": kind, "url": url, "auth": auth, "options": options},
            )
        return
    tls = self_signed(tmp_path) if kind == "ftps" else None
    if tls:
        options.setdefault("ca_file", str(tls[0]))
    with ftp_server(root, gate, tls) as port:
        url = f"ftp://127.0.0.1:{port}/in"
        yield (
            root / "in",
            {"name": "remote", "transport": kind, "url": url, "auth": auth, "options": options},
        )


def put(folder: Path, number: int) -> Path:
    path = folder / f"story-{number:03d}.json"
    path.write_text(json.dumps(make_entry(number)), encoding="utf-8")
    return path


def run(store: Store, spec: dict[str, Any], settings: Settings = FAST) -> Any:
    transport_spec = TransportSpec(**spec)
    transport = open_transport(transport_spec, settings)
    try:
        return run_transport(transport, store, transport_spec)
    finally:
        transport.close()


def count(store: Store, table: Any = articles) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)


@pytest.mark.parametrize("kind", KINDS)
def test_files_are_stored_then_moved_poison_to_failed_patterns_kept(
    kind: str, tmp_path: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    gate = Gate()
    with remote(kind, tmp_path, gate) as (folder, spec):
        for number in range(3):
            put(folder, number)
        (folder / "broken.xml").write_bytes(b"<nitf><body>never closed")
        (folder / "README.md").write_text("delivery notes", encoding="utf-8")
        (folder / "sub").mkdir()
        with caplog.at_level(logging.DEBUG):
            first = run(store, spec)
        assert first.error is None, first.error
        assert (first.documents, first.stored, first.quarantined, first.acknowledged) == (
            4,
            3,
            1,
            4,
        )
        assert sorted(p.name for p in (folder / "done").iterdir()) == [
            f"story-{n:03d}.json" for n in range(3)
        ]
        assert [p.name for p in (folder / "failed").iterdir()] == ["broken.xml"]
        assert sorted(p.name for p in folder.iterdir()) == ["README.md", "done", "failed", "sub"]
        put(folder, 0)  # delivered again under the same name: stored once, moved beside the first
        second = run(store, spec)
        assert (second.documents, second.stored, second.unchanged) == (1, 0, 1)
        assert len(list((folder / "done").iterdir())) == 4
    assert count(store) == 3 and count(store, quarantine) == 1
    with store.engine.connect() as conn:
        origins = sorted(row[0] for row in conn.execute(select(quarantine.c.origin)))
    assert origins[0].startswith(f"{'ftp' if kind != 'sftp' else 'sftp'}://127.0.0.1:")
    assert origins[0].endswith("/in/broken.xml")
    assert PASSWORD not in caplog.text
    # The login name is no secret: registered for redaction, "wire" would be masked in every origin.
    assert redact("dpa-wireq:dpa-q/entry-1") == "dpa-wireq:dpa-q/entry-1"
    assert redact(f"password {PASSWORD}") == "password ***"


@pytest.mark.parametrize("kind", KINDS)
def test_read_only_account_keeps_a_seen_list(kind: str, tmp_path: Path, store: Store) -> None:
    gate = Gate()
    with remote(kind, tmp_path, gate, read_only=True) as (folder, spec):
        put(folder, 1)
        put(folder, 2)
        assert run(store, spec).stored == 2
        assert gate.renames == 0 and sorted(p.name for p in folder.iterdir()) == [
            "story-001.json",
            "story-002.json",
        ]
        again = run(store, spec)
        assert again.documents == 0  # seen: not fetched again
        changed = make_entry(1, version=2)
        (folder / "story-001.json").write_text(json.dumps(changed) + "\n\n", encoding="utf-8")
        (folder / "story-002.json").unlink()
        third = run(store, spec)
        assert (third.documents, third.stored) == (1, 1)  # another size/mtime: a new delivery
    state = load_transport_state(store, "remote", kind)
    assert state.seen is not None and state.seen.count() == 1  # story-002 pruned
    assert state.seen_total == 1 and state.acknowledged == 3


@pytest.mark.parametrize("kind", KINDS)
def test_unsettled_file_waits_for_the_next_listing(kind: str, tmp_path: Path, store: Store) -> None:
    slow = Settings(
        retries=0, connect_timeout=5, read_timeout=10, total_timeout=20, settle_seconds=3600
    )
    with remote(kind, tmp_path, Gate()) as (folder, spec):
        put(folder, 7)
        transport_spec = TransportSpec(**spec)
        transport = open_transport(transport_spec, slow)
        try:
            assert run_transport(transport, store, transport_spec).documents == 0
            # Unchanged since the previous listing of this feed: settled now.
            assert run_transport(transport, store, transport_spec).stored == 1
        finally:
            transport.close()


@pytest.mark.parametrize("kind", ("ftp", "sftp"))
def test_oversized_file_is_quarantined_with_its_first_bytes(
    kind: str, tmp_path: Path, store: Store
) -> None:
    small = Settings(
        retries=0,
        connect_timeout=5,
        read_timeout=10,
        total_timeout=20,
        settle_seconds=0,
        max_document_bytes=200_000,
    )
    with remote(kind, tmp_path, Gate()) as (folder, spec):
        (folder / "huge.xml").write_bytes(b"<nitf>" + b"x" * 600_000)
        put(folder, 3)
        result = run(store, spec, small)
        assert (result.documents, result.stored, result.quarantined) == (2, 1, 1)
        assert [p.name for p in (folder / "failed").iterdir()] == ["huge.xml"]
    with store.engine.connect() as conn:
        error = conn.execute(select(quarantine.c.error)).scalar_one()
    assert "over the limit" in error


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_password_is_one_line_without_the_secret(
    kind: str, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REMOTE_PASSWORD", "not-the-pw-x1")
    with remote(kind, tmp_path, Gate()) as (folder, spec):
        put(folder, 1)
        result = run(store, spec)
        assert result.error is not None and "\n" not in result.error
        assert "not-the-pw-x1" not in result.error
        assert (folder / "story-001.json").exists()
    assert count(store) == 0


def test_sftp_with_a_key_file_and_an_unknown_host_key(tmp_path: Path, store: Store) -> None:
    with remote("sftp", tmp_path, Gate()) as (folder, spec):
        put(folder, 4)
        keyed = {
            **spec,
            "auth": {
                "type": "ssh-key",
                "username_env": "REMOTE_USER",
                "key_file": str(tmp_path / "client_key"),
                "passphrase_env": "REMOTE_PASSWORD",
            },
        }
        stranger = tmp_path / "other_known_hosts"
        stranger.write_text("", encoding="utf-8")
        refused = run(store, {**keyed, "options": {"known_hosts": str(stranger)}})
        assert refused.error is not None and "127.0.0.1" in refused.error
        assert run(store, keyed).stored == 1


def test_ftps_refuses_a_certificate_it_cannot_verify(tmp_path: Path, store: Store) -> None:
    other = tmp_path / "other-ca"
    other.mkdir()
    with remote("ftps", tmp_path, Gate(), ca_file=str(self_signed(other)[0])) as (folder, spec):
        put(folder, 1)
        result = run(store, spec)
    assert result.error is not None and "certificate" in result.error.lower()
    assert count(store) == 0


# -- SIGKILL crash tests: a real ingest process, killed at a known point ----------------------------


def _spawn(db: Path, spec: dict[str, Any]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **ENV,
        "WIREDESK_RETRIES": "0",
        "WIREDESK_SETTLE_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "ingest.transports", "--db", f"sqlite:///{db}"]
    return subprocess.Popen(
        [*command, "--spec", json.dumps(spec)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def _finish(db: Path, spec: dict[str, Any], folder: Path, gate: Gate) -> None:
    """Restart after the crash, run to the end; every file stored once and moved to done/."""
    gate.hold_renames = False
    gate.release.set()
    child = _spawn(db, spec)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode(errors="replace")[-2000:]
    assert sorted(p.name for p in (folder / "done").iterdir()) == [
        f"story-{n:03d}.json" for n in range(3)
    ]
    with sqlite3.connect(db) as conn:
        guids = sorted(row[0] for row in conn.execute("SELECT guid FROM articles"))
        assert conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    assert guids == sorted(make_entry(n)["urn"] for n in range(3))


@pytest.mark.parametrize("kind", KINDS)
def test_sigkill_after_commit_before_move_stores_each_file_once(kind: str, tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    Store.open(f"sqlite:///{db}").close()
    gate = Gate(hold_renames=True)  # the first move waits: its file is committed, not moved
    with remote(kind, tmp_path, gate) as (folder, spec):
        for number in range(3):
            put(folder, number)
        child = _spawn(db, spec)
        try:
            assert gate.rename_arrived.wait(60), "the transport never acknowledged"
            assert _rows(db) == 1, "the move must come only after the commit"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
        assert not (folder / "done").exists() or not list((folder / "done").iterdir())
        _finish(db, spec, folder, gate)


@pytest.mark.parametrize("kind", KINDS)
def test_sigkill_before_commit_redelivers_and_stores_once(kind: str, tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    Store.open(f"sqlite:///{db}").close()
    gate = Gate()
    with remote(kind, tmp_path, gate) as (folder, spec):
        for number in range(3):
            put(folder, number)
        blocker = sqlite3.connect(db, timeout=1)
        blocker.execute("BEGIN EXCLUSIVE")  # the child's first commit waits for this lock
        child = _spawn(db, spec)
        try:
            deadline = time.monotonic() + 60
            while gate.reads < 1:
                assert time.monotonic() < deadline, "the transport never read a file"
                time.sleep(0.05)
            time.sleep(0.5)  # read, now waiting for the store's lock to commit
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
            blocker.rollback()
            blocker.close()
        assert _rows(db) == 0 and gate.renames == 0
        assert sorted(p.name for p in folder.iterdir()) == [f"story-{n:03d}.json" for n in range(3)]
        _finish(db, spec, folder, gate)
