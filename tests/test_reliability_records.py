"""No single document stops a feed: values the store cannot hold are fixed or refused at the record boundary
(``normalizers/validate.py``), and any failure after parsing quarantines that one document, on every path
(``wiredesk ingest``, drop folders, HTTP feeds, backfill batches), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError

import ingest.backfill as backfill
from config.feeds import FeedConfig
from config.settings import Settings
from ingest.cli import ingest_paths
from ingest.cli import main as cli_main
from ingest.poller import FeedPoller
from normalizers.record import ArticleRecord
from normalizers.validate import (
    ABSURD_CHARS,
    CUT_MARKER,
    LIMITS,
    RecordError,
    validate_record,
)
from storage.feeds import load_state
from storage.store import Store, articles, quarantine
from tests.wire_server import send, wire_server

LONE_SURROGATE = "\\ud800"  # as written in the JSON source: a lone surrogate escape


def ninjs(uri: str, headline: str, body: str, version: str = "1", **extra: Any) -> bytes:
    """A ninjs document (AP/NTB style JSON); ``headline``/``body`` are inserted as raw JSON string content."""
    fields = "".join(f', "{k}": {json.dumps(v)}' for k, v in extra.items())
    return (
        f'{{"uri": "{uri}", "type": "text", "version": {version}, "headline": "{headline}", '
        f'"body_text": "{body}", "copyrightholder": "Norsk Telegrambyrå"{fields}}}'
    ).encode()


BAD_VERSION = ninjs(
    "urn:ntb:big", "Stortinget vedtar budsjett", "Oslo kommune la fram.", "99999999999999999999"
)
FIXTURES = Path(__file__).parent / "fixtures"


def g2_with_version(version: str) -> bytes:
    """A NewsML-G2 item (the ANSA fixture) whose ``version`` attribute is ``version``."""
    data = (FIXTURES / "newsmlg2" / "ansa_plain_indented.xml").read_bytes()
    return re.sub(
        rb'(<newsItem[^>]*?version=")\d+"', rb"\g<1>" + version.encode() + b'"', data, count=1
    )


SURROGATE = ninjs("urn:ntb:sur", f"Regjeringen {LONE_SURROGATE} varsler", "Statsministeren sa.")
NUL = ninjs("urn:ntb:nul", "Nul \\u0000 i tittelen", "Teksten har \\u0000 et nulltegn.")
GOOD = ninjs(
    "urn:ntb:good", "Fiskeriministeren besøker Tromsø", "Tromsø (NTB) - Ministeren kom i dag."
)
POISON = ninjs("urn:ntb:poison", "Poison pill headline", "This one fails when it is saved.")


def _write(folder: Path, documents: dict[str, bytes], age: float = 60.0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    moment = time.time() - age
    for offset, (name, data) in enumerate(documents.items()):
        path = folder / name
        path.write_bytes(data)
        os.utime(path, (moment + offset, moment + offset))  # oldest first: the bad ones come first


def _headlines(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [str(h) for h in conn.execute(select(articles.c.headline)).scalars()]


def _errors(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [str(e) for e in conn.execute(select(quarantine.c.error)).scalars()]


def _assert_short(error: str | None) -> None:
    assert error, "a failure must leave a reason"
    assert "\n" not in error and len(error) <= 240, error
    for leak in ("INSERT", "SELECT", "[SQL", "parameters", "Poison pill"):
        assert leak not in error, error


@pytest.fixture
def poison(monkeypatch: pytest.MonkeyPatch) -> None:
    """A save-time failure the validator cannot foresee (a driver error on one row)."""
    original = Store.save_article

    def save_article(self: Store, conn: Any, record: ArticleRecord, *args: Any, **kw: Any) -> Any:
        if record.headline and record.headline.startswith("Poison"):
            raise DataError(
                "INSERT INTO articles (headline, body) VALUES (%(headline)s, %(body)s)",
                {"headline": record.headline, "body": record.body},
                ValueError("value out of range for the column"),
            )
        return original(self, conn, record, *args, **kw)

    monkeypatch.setattr(Store, "save_article", save_article)


# -- the record boundary ----------------------------------------------------------------------------


def test_storable_values_reach_both_stores_repaired(store: Store, tmp_path: Path) -> None:
    long_guid = "urn:ntb:" + "x" * 900
    documents = {
        "1.json": SURROGATE,
        "2.json": NUL,
        "3.json": ninjs(long_guid, "Lang id", "Teksten."),
        "4.json": ninjs("urn:ntb:long", "Overskrift " * 300, "Teksten."),
        "5.json": ninjs("urn:ntb:urg", "Hastemelding", "Teksten.", urgency=77),
    }
    _write(tmp_path / "in", documents)
    summary = ingest_paths(store, [tmp_path / "in"])
    assert (summary.stored, summary.quarantined) == (5, 0), _errors(store)  # duplicates among them
    headlines = _headlines(store)
    assert "Regjeringen \ufffd varsler" in headlines
    assert any(h.startswith("Nul") and "\x00" not in h for h in headlines)
    cut = next(h for h in headlines if h.startswith("Overskrift"))
    assert cut.endswith(CUT_MARKER) and len(cut) <= LIMITS["headline"]
    with store.engine.connect() as conn:
        guids = list(conn.execute(select(articles.c.guid)).scalars())
        urgencies = list(conn.execute(select(articles.c.urgency)).scalars())
    assert all(len(g) <= 512 for g in guids) and any(g.startswith("urn:ntb:xxx") for g in guids)
    assert all(u is None or 1 <= u <= 9 for u in urgencies)
    # The same documents again: the long guid is stable, so nothing new.
    assert ingest_paths(store, [tmp_path / "in"]).stored == 0


def test_unstorable_documents_are_quarantined_and_the_run_goes_on(
    store: Store, tmp_path: Path
) -> None:
    _write(
        tmp_path / "in",
        {
            "a.json": BAD_VERSION,
            "b.xml": g2_with_version("99999999999999999999"),
            "c.json": ninjs("urn:h", "H", "B.", byline="B" * (ABSURD_CHARS + 1)),
            "d.json": GOOD,
        },
    )
    summary = ingest_paths(store, [tmp_path / "in"])
    assert (summary.documents, summary.stored, summary.quarantined) == (4, 1, 3), _errors(store)
    assert _headlines(store) == ["Fiskeriministeren besøker Tromsø"]
    errors = _errors(store)
    assert any("version 99999999999999999999 out of range" in e for e in errors), errors
    assert any("byline of" in e for e in errors), errors
    for error in errors:
        _assert_short(error)


def test_validate_refuses_what_no_cut_makes_sensible() -> None:
    record = ArticleRecord(guid="g", source_format="ninjs", version=-1)
    with pytest.raises(RecordError, match="version -1 out of range"):
        validate_record(record)
    with pytest.raises(RecordError, match="status"):
        validate_record(ArticleRecord(guid="g", source_format="ninjs", status="gone"))  # type: ignore[arg-type]


# -- every path: CLI, drop folder, HTTP feed, backfill ------------------------------------------------


def test_cli_ingest_of_a_folder_with_a_save_failure_reaches_every_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    poison: None,
) -> None:
    monkeypatch.setenv("WIREDESK_DB_URL", f"sqlite:///{tmp_path / 'w.db'}")
    _write(tmp_path / "in", {"1.json": POISON, "2.json": BAD_VERSION, "3.json": GOOD})
    assert cli_main(["ingest", str(tmp_path / "in")]) == 0
    assert capsys.readouterr().out.strip() == (
        "3 documents: 1 stored, 0 duplicates, 0 unchanged, 2 quarantined"
    )
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        errors = _errors(store)
        assert len(errors) == 2 and any(
            e == "could not be stored: ValueError: value out of range for the column"
            for e in errors
        )
        for error in errors:
            _assert_short(error)
    finally:
        store.close()


def test_drop_folder_moves_a_failing_file_aside_and_takes_the_later_ones(
    store: Store, tmp_path: Path, poison: None
) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox, {"a.json": POISON, "b.json": BAD_VERSION, "c.json": GOOD})
    feed = FeedConfig(name="ntb-drop", path=inbox, format="ninjs")
    poller = FeedPoller(store, Settings(settle_seconds=0))
    outcome = poller.poll(feed)
    assert (outcome.new, outcome.quarantined) == (1, 2)
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == ["a.json", "b.json"]
    assert [p.name for p in (inbox / "done").iterdir()] == ["c.json"]
    state = load_state(store, "ntb-drop")
    assert state.last_status == "quarantined"
    _assert_short(state.last_error)
    assert poller.poll(feed).status == "ok"  # nothing left waiting


def test_http_feed_with_a_save_failure_keeps_polling(store: Store, poison: None) -> None:
    with wire_server() as server:
        url = server.route("/ntb.json", send(200, POISON, {"Content-Type": "application/json"}))
        feed = FeedConfig(name="ntb-http", url=url, format="ninjs")
        poller = FeedPoller(store, Settings(retries=0))
        outcome = poller.poll(feed)
        assert outcome.status == "quarantined" and outcome.quarantined == 1
        state = load_state(store, "ntb-http")
        _assert_short(state.last_error)
        assert state.last_error and state.last_error.startswith("could not be stored")
        server.route("/ntb.json", send(200, GOOD, {"Content-Type": "application/json"}))
        assert poller.poll(feed).status == "ok"
        assert load_state(store, "ntb-http").last_error is None


@pytest.fixture
def backfill_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    monkeypatch.setenv("WIREDESK_DB_URL", url)
    monkeypatch.setenv("WIREDESK_BACKFILL_DIR", str(tmp_path / "cp"))
    monkeypatch.setenv("WIREDESK_FEEDS", str(tmp_path / "none.toml"))
    yield url


def test_backfill_batch_with_a_bad_row_keeps_the_good_ones_and_resumes(
    tmp_path: Path, backfill_env: str, capsys: pytest.CaptureFixture[str], poison: None
) -> None:
    folder = tmp_path / "archive"
    goods = {
        f"g{n:02}.json": ninjs(f"urn:ntb:g{n}", f"Sak nummer {n}", f"Tekst {n} her.")
        for n in range(12)
    }
    _write(folder, {"00.json": POISON, **goods, "zz.json": BAD_VERSION})
    assert backfill.main([str(folder), "--workers", "0", "--batch", "50", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["new"], summary["quarantined"]) == (12, 2)
    store = Store.open(backfill_env)
    try:
        assert len(_headlines(store)) == 12
        for error in _errors(store):
            _assert_short(error)
    finally:
        store.close()
    assert (
        backfill.main(["--resume", summary["run_id"], "--workers", "0", "--json", "--quiet"]) == 0
    )
