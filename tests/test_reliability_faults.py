"""Fault tests: a local misbehaving feed server (tests/wire_server.py) against the real fetcher and poller.

Each misbehaviour must end within its timeout, with bounded memory, a clear health entry
(``storage.feeds.load_state``) and no effect on the other feeds.
"""

from __future__ import annotations

import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.feeds import FeedConfig
from config.settings import Settings
from ingest.fetch import HttpFetcher
from ingest.poller import FeedPoller, PollOutcome
from ingest.service import WireService
from storage.feeds import load_state
from storage.search import ArticleQuery, search
from storage.store import Store
from tests.wire_server import (
    Behaviour,
    WireServer,
    drip,
    endless,
    redirect_chain,
    reset_mid_body,
    send,
    stall,
    wire_server,
    wrong_length,
)

CAP = 1024 * 1024
SETTINGS = Settings(
    connect_timeout=1.0,
    read_timeout=1.5,
    total_timeout=3.0,
    max_redirects=5,
    retries=1,
    backoff_cap=60,
    max_document_bytes=CAP,
)
MEMORY_LIMIT = 24 * 1024 * 1024  # peak Python allocations during one poll


def rss(title: str, body: str, guid: str, encoding: str = "utf-8") -> bytes:
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel><title>Wire</title>'
        f"<language>de</language><item><title>{title}</title><guid>{guid}</guid>"
        f"<description>{body}</description></item></channel></rss>"
    )
    return text.encode(encoding)


GOOD = rss(
    "Außenminister reist nach Genf",
    "Berlin (dpa) - Der Außenminister reist zu Gesprächen über die Lage nach Genf. "
    "Die Verhandlungen sollen am Montag beginnen und mehrere Tage dauern.",
    "good-1",
)
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head>"
    b"<body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to "
    b"service your request due to maintenance downtime or capacity problems.</p></body></html>"
)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'faults.db'}")
    yield store
    store.close()


@dataclass(frozen=True)
class Scenario:
    name: str
    behaviour: Callable[[WireServer], str]  # installs routes, returns the feed URL
    seconds: float  # the poll must end within this
    status: str  # expected health status
    error: str  # expected words in the health entry's error
    format: str | None = "rss"


def _route(path: str, behaviour: Behaviour) -> Callable[[WireServer], str]:
    return lambda wire: wire.route(path, behaviour)


SCENARIOS = [
    Scenario("reset-mid-body", _route("/reset", reset_mid_body()), 5, "error", "connection reset"),
    Scenario("never-ending-body", _route("/endless", endless()), 5, "error", "byte limit"),
    Scenario(
        "slow-drip-1-byte-per-s", _route("/drip", drip(GOOD, 1.0)), 5, "error", "longer than 3"
    ),
    Scenario("stalled-body", _route("/stall", stall(30)), 6, "error", "read timeout"),
    Scenario(
        "content-length-too-long",
        _route("/long", wrong_length(GOOD, len(GOOD) + 500)),
        5,
        "error",
        "connection reset",
    ),
    Scenario(
        "content-length-too-short",
        _route("/short", wrong_length(GOOD, len(GOOD) // 2)),
        5,
        "quarantined",  # HTTP cannot tell; the cut-off feed is refused as truncated, never half-stored
        "truncated",
    ),
    Scenario(
        "invalid-gzip",
        _route(
            "/gzip",
            send(200, b"\x1f\x8b\x08\x00garbage-not-deflate" * 10, {"Content-Encoding": "gzip"}),
        ),
        5,
        "error",
        "broken gzip",
    ),
    Scenario(
        "ten-redirects",
        lambda wire: redirect_chain(wire, "/hop", 10, send(200, GOOD)),
        5,
        "error",
        "more than 5 redirects",
    ),
    Scenario(
        "2-GB-content-length",
        _route("/huge", wrong_length(b"x" * 1000, 2 * 1024**3)),
        5,
        "error",
        "over the 1048576-byte limit; not read",
    ),
    Scenario(
        "html-error-page-instead-of-xml",
        _route("/html", send(200, HTML_ERROR, {"Content-Type": "text/html"})),
        5,
        "quarantined",
        "feed",
    ),
    Scenario("empty-200", _route("/empty", send(200, b"")), 5, "quarantined", "empty document"),
]


def _poll(store: Store, feed: FeedConfig) -> tuple[PollOutcome, float, int]:
    fetcher = HttpFetcher(SETTINGS, sleep=lambda _s: None)
    poller = FeedPoller(store, SETTINGS, fetcher)
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = poller.poll(feed)
    finally:
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        fetcher.close()
    return outcome, elapsed, peak


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_misbehaving_server_ends_in_time_with_a_clear_health_entry(
    scenario: Scenario, sqlite_store: Store
) -> None:
    with wire_server() as wire:
        url = scenario.behaviour(wire)
        good_url = wire.route("/good", send(200, GOOD))
        feed = FeedConfig(name=scenario.name, url=url, format=scenario.format, interval=60)
        outcome, elapsed, peak = _poll(sqlite_store, feed)
        # another feed on the same store is unaffected afterwards
        other, _elapsed, _peak = _poll(sqlite_store, FeedConfig(name="good", url=good_url))
    assert elapsed < scenario.seconds, f"{scenario.name} took {elapsed:.1f} s"
    assert peak < MEMORY_LIMIT, f"{scenario.name} allocated {peak / 1e6:.1f} MB"
    state = load_state(sqlite_store, scenario.name)
    assert outcome.status == scenario.status, outcome
    assert state.last_status == scenario.status
    assert state.last_attempt is not None
    if scenario.status != "ok":
        assert state.consecutive_failures == 1 and state.last_success is None
        assert state.last_error and scenario.error in state.last_error, state.last_error
    assert other.status == "ok"
    assert load_state(sqlite_store, "good").last_status == "ok"
    headlines = [hit.headline for hit in search(sqlite_store, ArticleQuery(include_all=True))]
    assert "Außenminister reist nach Genf" in headlines
    if scenario.status != "ok":  # nothing of the broken answer was stored as an article
        assert other.new == 1 and len(headlines) == 1, headlines


def test_html_error_page_on_an_auto_format_feed_is_not_stored_as_a_story(
    sqlite_store: Store,
) -> None:
    """With ``format`` unset the error page is sniffed; it must not become an article on the desk."""
    with wire_server() as wire:
        url = wire.route("/html", send(200, HTML_ERROR, {"Content-Type": "text/html"}))
        outcome, _elapsed, _peak = _poll(sqlite_store, FeedConfig(name="auto", url=url))
    assert outcome.new == 0, "a 503 error page was stored as a story"


def test_feed_changing_encoding_between_polls(sqlite_store: Store) -> None:
    """UTF-8, then ISO-8859-1 (declared), then windows-1252 without a declaration: text stays right."""
    second = rss(
        "Straßenbahn fährt wieder",
        "München (dpa) - Die Straßenbahn fährt nach der Störung wieder planmäßig durch die Innenstadt.",
        "good-2",
        encoding="iso-8859-1",
    )
    third = (
        "<rss version='2.0'><channel><item><title>Bürgermeister grüßt Gäste</title><guid>good-3</guid>"
        "<description>Köln (dpa) - Der Bürgermeister begrüßte die Gäste im Rathaus – mit Kölsch.</description>"
        "</item></channel></rss>"
    ).encode("cp1252")
    with wire_server() as wire:
        url = wire.route(
            "/enc",
            send(200, GOOD, {"ETag": '"1"'}),
            send(200, second, {"ETag": '"2"'}),
            send(200, third, {"ETag": '"3"'}),
        )
        feed = FeedConfig(name="enc", url=url, format="rss")
        outcomes = [_poll(sqlite_store, feed)[0] for _ in range(3)]
    assert [o.status for o in outcomes] == ["ok", "ok", "ok"], outcomes
    headlines = {hit.headline for hit in search(sqlite_store, ArticleQuery(include_all=True))}
    assert headlines == {
        "Außenminister reist nach Genf",
        "Straßenbahn fährt wieder",
        "Bürgermeister grüßt Gäste",
    }
    assert load_state(sqlite_store, "enc").last_status == "ok"


def test_all_misbehaviours_at_once_leave_a_good_feed_polling(sqlite_store: Store) -> None:
    """The service runs every misbehaving feed and one good feed together: the good one keeps its pace."""
    with wire_server() as wire:
        feeds = [
            FeedConfig(name=s.name, url=s.behaviour(wire), format=s.format, interval=1)
            for s in SCENARIOS
        ]
        counter = {"n": 0}
        lock = threading.Lock()

        def fresh(handler: object) -> None:
            with lock:
                counter["n"] += 1
                number = counter["n"]
            body = rss(
                f"Meldung Nummer {number}",
                f"Berlin (dpa) - Neue Meldung {number} über die Lage am Tag {number * 13}.",
                f"fresh-{number}",
            )
            send(200, body)(handler)  # type: ignore[arg-type]

        feeds.append(FeedConfig(name="fresh", url=wire.route("/fresh", fresh), interval=1))
        polls: list[PollOutcome] = []
        fetcher = HttpFetcher(SETTINGS, sleep=lambda _s: None)
        service = WireService(
            sqlite_store, SETTINGS, feeds, FeedPoller(sqlite_store, SETTINGS, fetcher)
        )
        service.on_poll = polls.append
        service.start()
        try:
            time.sleep(8)
        finally:
            stop_started = time.monotonic()
            service.stop()
            stop_seconds = time.monotonic() - stop_started
            fetcher.close()
    fresh_polls = [p for p in polls if p.feed == "fresh"]
    assert len(fresh_polls) >= 5, [p.status for p in fresh_polls]
    assert all(p.status == "ok" and p.new == 1 for p in fresh_polls)
    assert stop_seconds < 8, "stop waited too long for in-flight polls"
    for scenario in SCENARIOS:
        state = load_state(sqlite_store, scenario.name)
        assert state.last_status == scenario.status, (scenario.name, state)
