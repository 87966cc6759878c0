"""The document size cap holds on every path: ``wiredesk ingest``, drop folders and single-file feeds check
the size while streaming and never read an oversized file whole; quarantine keeps a bounded prefix plus the
size; raw downloads from the desk are streamed."""

from __future__ import annotations

import os
import socket
import time
import tracemalloc
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from config.feeds import FeedConfig
from config.settings import Settings
from desk.app import create_app
from desk.server import DeskThread
from ingest.cli import ingest_paths
from ingest.files import QUARANTINE_PREFIX_BYTES, Oversized, read_capped
from ingest.poller import FeedPoller
from storage import rawcodec
from storage.store import TRUNCATED_FORMAT, Store, quarantine, raw_documents

BIG = 200 * 1024 * 1024
MEMORY_LIMIT = 8 * 1024 * 1024  # peak Python allocations while handling one 200 MB file
GOOD = (
    b'{"uri": "urn:efe:1", "type": "text", "headline": "El Gobierno aprueba el presupuesto", '
    b'"body_text": "Madrid (EFE) - El Consejo de Ministros aprob\xc3\xb3 hoy el proyecto."}'
)


def sparse_file(path: Path, size: int = BIG) -> Path:
    """A file of ``size`` bytes that costs no disk: an RSS start followed by a hole."""
    with path.open("wb") as stream:
        stream.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>EFE</title>')
        stream.truncate(size)
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def _peak(action: object) -> int:
    tracemalloc.start()
    try:
        action()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _raw_rows(store: Store) -> list[tuple[int, str | None, int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(raw_documents.c.size, raw_documents.c.source_format, raw_documents.c.id)
        ).all()
    return [(int(r.size), r.source_format, int(r.id)) for r in rows]


def test_read_capped_streams_and_reports_the_size(tmp_path: Path) -> None:
    small = tmp_path / "small.json"
    small.write_bytes(GOOD)
    assert read_capped(small, len(GOOD)) == GOOD
    over = read_capped(small, len(GOOD) - 1)
    assert isinstance(over, Oversized) and over.size == len(GOOD) and over.prefix == GOOD
    big = sparse_file(tmp_path / "big.xml")
    results: list[object] = []
    peak = _peak(lambda: results.append(read_capped(big, 32 * 1024 * 1024)))
    found = results[0]
    assert isinstance(found, Oversized) and found.size == BIG
    assert len(found.prefix) == QUARANTINE_PREFIX_BYTES
    assert peak < MEMORY_LIMIT, f"peak {peak} bytes"


def test_cli_ingest_quarantines_an_oversized_file_from_its_prefix(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    huge = sparse_file(folder / "a-huge.xml")
    summaries: list[object] = []
    peak = _peak(lambda: summaries.append(ingest_paths(store, [huge], limit=32 * 1024 * 1024)))
    assert peak < MEMORY_LIMIT, f"peak {peak} bytes"
    (folder / "b.json").write_bytes(GOOD)
    summary = ingest_paths(store, [folder], limit=32 * 1024 * 1024)
    assert (summary.stored, summary.quarantined) == (1, 1)
    sizes = sorted(size for size, fmt, _id in _raw_rows(store) if fmt == TRUNCATED_FORMAT)
    assert sizes == [QUARANTINE_PREFIX_BYTES]
    with store.engine.connect() as conn:
        (error,) = conn.execute(select(quarantine.c.error)).scalars()
    assert error.startswith(f"document is {BIG} bytes, over the limit of {32 * 1024 * 1024}")


def test_drop_folder_sets_an_oversized_file_aside_and_goes_on(store: Store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sparse_file(inbox / "a-huge.xml")
    poller = FeedPoller(store, Settings(settle_seconds=0, max_document_bytes=1024 * 1024))
    feed = FeedConfig(name="efe", path=inbox)
    peak = _peak(lambda: poller.poll(feed))
    assert peak < MEMORY_LIMIT, f"peak {peak} bytes"
    (inbox / "b.json").write_bytes(GOOD)
    os.utime(inbox / "b.json", (time.time() - 30, time.time() - 30))
    assert poller.poll(feed).new == 1
    assert [p.name for p in (inbox / "failed").iterdir()] == ["a-huge.xml"]
    assert [p.name for p in (inbox / "done").iterdir()] == ["b.json"]


def test_single_file_feed_over_the_cap_is_quarantined_once(store: Store, tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "feed.xml", 3 * 1024 * 1024)
    poller = FeedPoller(store, Settings(max_document_bytes=1024 * 1024))
    feed = FeedConfig(name="efe-file", path=path)
    assert poller.poll(feed).status == "quarantined"
    assert poller.poll(feed).status == "not_modified"
    assert len(_raw_rows(store)) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_raw_download_is_streamed(store: Store) -> None:
    size = (
        120 * 1024 * 1024
    )  # stored before the cap existed, or with a larger cap: still served safely
    data = b"<nitf>" + b"x" * (size - 6)
    with store.transaction() as conn:
        raw_id = store.save_raw(conn, data, "legacy.xml", source_format="nitf")
    del data
    port = _free_port()
    desk = DeskThread(create_app(store), "127.0.0.1", port)
    assert desk.start()
    received = 0
    try:

        def download() -> None:
            nonlocal received
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/raw/{raw_id}", timeout=60
            ) as resp:
                assert resp.headers["Content-Disposition"].startswith("attachment")
                while piece := resp.read(1 << 16):
                    received += len(piece)

        peak = _peak(download)
    finally:
        desk.stop()
    assert received == size
    assert peak < 16 * 1024 * 1024, f"peak {peak} bytes while serving {size}"


def test_iter_unpack_round_trips() -> None:
    data = os.urandom(300_000) + b"a" * 500_000
    pieces = list(rawcodec.iter_unpack(rawcodec.pack(data), chunk=4096))
    assert b"".join(pieces) == data and max(len(p) for p in pieces) <= 4096


@pytest.mark.parametrize("limit", [0, 1])
def test_tiny_caps_refuse_everything(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(GOOD)
    assert isinstance(read_capped(path, limit), Oversized)
