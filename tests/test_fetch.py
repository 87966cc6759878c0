"""HTTP fetching and polling against a real server on 127.0.0.1."""

from __future__ import annotations

import logging
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from config.feeds import AuthConfig, FeedConfig
from config.settings import Settings
from ingest.fetch import FetchError, HttpFetcher
from ingest.poller import FeedPoller
from storage.feeds import load_state, save_state
from storage.store import Store
from tests.wire_server import (
    WireServer,
    conditional,
    endless,
    redirect,
    send,
    send_gzip,
    stall,
    wire_server,
)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test wire</title><language>de</language>
<item><guid>t-1</guid><title>Hafen nimmt Betrieb wieder auf</title>
<description>Hamburg (dpa) - Nach dem Sturm hat der Hamburger Hafen den Betrieb am Morgen wieder aufgenommen, teilte die Hafenbehoerde mit.</description></item>
<item><guid>t-2</guid><title>Neue Radwege in Leipzig</title>
<description>Leipzig (dpa) - Die Stadt Leipzig will bis 2030 rund 60 Kilometer neue Radwege bauen, beschloss der Stadtrat am Mittwoch.</description></item>
</channel></rss>"""

FAST = Settings(
    connect_timeout=2.0,
    read_timeout=0.5,
    total_timeout=3.0,
    retries=2,
    max_document_bytes=200_000,
    backoff_cap=1.0,
)


@pytest.fixture
def server() -> WireServer:
    with wire_server() as wire:
        yield wire  # type: ignore[misc]


def fetcher(settings: Settings = FAST) -> HttpFetcher:
    return HttpFetcher(settings, sleep=lambda _seconds: None)


def feed(url: str, **changes: object) -> FeedConfig:
    return replace(FeedConfig(name="wire", url=url, interval=60), **changes)  # type: ignore[arg-type]


def test_200_then_304_costs_no_parse_and_round_trips_validators(
    server: WireServer, store: Store
) -> None:
    url = server.route("/feed", conditional(RSS, '"v1"', "Fri, 27 Nov 2026 08:00:00 GMT"))
    poller = FeedPoller(store, FAST, fetcher())
    first = poller.poll(feed(url))
    assert (first.status, first.new) == ("ok", 2)
    state = load_state(store, "wire")
    assert state.etag == '"v1"' and state.last_modified == "Fri, 27 Nov 2026 08:00:00 GMT"
    second = poller.poll(feed(url))
    assert second.status == "not_modified" and second.documents == 0
    sent = server.hits("/feed")[1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Fri, 27 Nov 2026 08:00:00 GMT"
    assert "wiredesk" in sent["User-Agent"]
    assert store.count_articles() == 2


YONHAP_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Yonhap English</title><language>en</language>
<item><guid>yna-1</guid><title>KOSPI closes higher on chip rally</title>
<description>SEOUL, May 2 (Yonhap) -- South Korean stocks closed higher on Friday as chipmakers rallied on strong export data.</description></item>
</channel></rss>"""


def test_changed_feed_url_fetches_in_full_without_the_old_validators(
    server: WireServer, store: Store
) -> None:
    """Validators belong to the URL that sent them (RFC 9110 8.8): a feed moved to another URL must not
    send them there, where an older file would answer 304 for ever (a static server compares dates)."""
    old = server.route("/kyodo.rss", conditional(RSS, '"k1"', "Tue, 01 Dec 2026 03:55:07 GMT"))

    def dated_static(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-Modified-Since") or handler.headers.get("If-None-Match"):
            send(304)(handler)  # the file is older than any date it is asked about
        else:
            send(200, YONHAP_RSS, {"Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})(handler)

    new = server.route("/yonhap.rss", dated_static)
    poller = FeedPoller(store, FAST, fetcher())
    assert poller.poll(feed(old)).new == 2
    moved = poller.poll(feed(new))
    assert (moved.status, moved.new) == ("ok", 1)
    first = server.hits("/yonhap.rss")[0].headers
    assert "If-None-Match" not in first and "If-Modified-Since" not in first
    state = load_state(store, "wire")
    assert state.validators_url == new and state.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    # and from now on its own validators count
    assert poller.poll(feed(new)).status == "not_modified"


def test_validators_kept_before_the_url_was_recorded_are_not_trusted(
    server: WireServer, store: Store
) -> None:
    """A store upgraded to 0010 has validators without a URL: the first poll fetches in full."""
    url = server.route("/kyodo.rss", conditional(RSS, '"k1"', "Tue, 01 Dec 2026 03:55:07 GMT"))
    poller = FeedPoller(store, FAST, fetcher())
    poller.poll(feed(url))
    state = load_state(store, "wire")
    state.validators_url = None  # as migration 0010 leaves an older row
    save_state(store, state)
    again = poller.poll(feed(url))
    assert again.status == "ok" and again.unchanged == 2
    assert "If-None-Match" not in server.hits("/kyodo.rss")[1].headers
    assert load_state(store, "wire").validators_url == url


def test_500_is_retried_with_backoff_then_recovers(server: WireServer) -> None:
    url = server.route("/flaky", send(500), send(503), send(200, RSS))
    delays: list[float] = []
    result = HttpFetcher(replace(FAST, backoff_cap=60), sleep=delays.append).fetch(feed(url))
    assert result.status == 200 and result.content == RSS
    # exponential (1 s, 2 s, ...) with +-50% jitter
    assert len(delays) == 2 and 0.5 <= delays[0] <= 1.5 and 1.0 <= delays[1] <= 3.0


def test_persistent_500_fails_after_retries(server: WireServer, store: Store) -> None:
    url = server.route("/down", send(500))
    outcome = FeedPoller(store, FAST, fetcher()).poll(feed(url))
    assert outcome.status == "error" and "HTTP 500" in (outcome.error or "")
    assert len(server.hits("/down")) == FAST.retries + 1
    state = load_state(store, "wire")
    assert state.consecutive_failures == 1 and state.last_error and state.last_success is None
    FeedPoller(store, FAST, fetcher()).poll(feed(url))
    assert load_state(store, "wire").consecutive_failures == 2


def test_stalled_server_hits_read_timeout(server: WireServer) -> None:
    url = server.route("/stall", stall(3))
    with pytest.raises(FetchError, match="read timeout"):
        fetcher().fetch(feed(url))


def test_slow_drip_hits_total_deadline(server: WireServer) -> None:
    url = server.route("/drip", endless(b"x", pause=0.2))
    settings = replace(FAST, total_timeout=1.0)
    with pytest.raises(FetchError, match="longer than 1 s"):
        fetcher(settings).fetch(feed(url))


def test_oversized_body_is_cut_at_the_cap(server: WireServer) -> None:
    declared = server.route("/big", send(200, b"x" * 300_000))
    with pytest.raises(FetchError, match="over the 200000-byte limit"):
        fetcher().fetch(feed(declared))
    undeclared = server.route("/endless", endless())
    with pytest.raises(FetchError, match="exceeded the 200000-byte limit"):
        fetcher().fetch(feed(undeclared))


def test_gzip_body_is_decoded(server: WireServer, store: Store) -> None:
    url = server.route("/gz", send_gzip(RSS))
    outcome = FeedPoller(store, FAST, fetcher()).poll(feed(url))
    assert outcome.new == 2
    assert "gzip" in server.hits("/gz")[0].headers["Accept-Encoding"]


def test_redirect_loop_is_stopped(server: WireServer) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    with pytest.raises(FetchError, match="redirects"):
        fetcher().fetch(feed(server.base_url + "/a"))


def test_broken_xml_is_quarantined_and_the_next_feed_still_runs(
    server: WireServer, store: Store
) -> None:
    broken_url = server.route(
        "/broken", send(200, b"<?xml version='1.0'?><NewsML><NewsItem><broken")
    )
    good_url = server.route("/good", send(200, RSS))
    poller = FeedPoller(store, FAST, fetcher())
    broken = poller.poll(feed(broken_url, name="broken"))
    good = poller.poll(feed(good_url, name="good"))
    assert broken.status == "quarantined" and broken.quarantined == 1
    assert good.status == "ok" and good.new == 2
    entries = store.quarantined()
    assert len(entries) == 1 and entries[0].feed == "broken"
    assert store.raw_bytes(entries[0].raw_document_id).startswith(b"<?xml version='1.0'?><NewsML>")
    assert load_state(store, "broken").last_error


def test_poll_with_some_documents_quarantined_is_healthy_all_quarantined_is_a_failure(
    tmp_path: Path, store: Store
) -> None:
    """A drop folder with two good stories and one broken file worked (the broken one waits in the
    quarantine, its reason shown); a poll whose every document was quarantined is the feed failing."""
    inbox = tmp_path / "yna"
    inbox.mkdir()
    (inbox / "a.xml").write_bytes(RSS)
    (inbox / "b.xml").write_bytes(YONHAP_RSS)
    (inbox / "trunc.xml").write_bytes(b"<?xml version='1.0'?><nitf><head><title>KOSPI")
    poller = FeedPoller(store, replace(FAST, settle_seconds=0))
    folder = FeedConfig(name="yna-drop", path=inbox, interval=60)
    mixed = poller.poll(folder)
    assert (mixed.status, mixed.new, mixed.quarantined, mixed.failed) == (
        "quarantined",
        3,
        1,
        False,
    )
    state = load_state(store, "yna-drop")
    assert state.consecutive_failures == 0 and state.last_success is not None and state.last_error
    (inbox / "junk.xml").write_bytes(b"\x00\x01 not a document")
    broken = poller.poll(folder)
    assert (broken.status, broken.new, broken.failed) == ("quarantined", 0, True)
    assert load_state(store, "yna-drop").consecutive_failures == 1


def test_bearer_token_sent_and_never_logged(
    server: WireServer,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "s3cr3t-token-value"
    monkeypatch.setenv("WIRE_TOKEN", secret)
    url = server.route("/auth", send(200, RSS))
    fail_url = server.route("/auth-fail", send(500))
    auth = AuthConfig("bearer", token_env="WIRE_TOKEN")
    with caplog.at_level(logging.DEBUG):
        poller = FeedPoller(store, FAST, fetcher())
        poller.poll(feed(url, auth=auth))
        failed = poller.poll(feed(fail_url, name="wire2", auth=auth))
    assert server.hits("/auth")[0].headers["Authorization"] == f"Bearer {secret}"
    assert secret not in caplog.text
    assert secret not in (failed.error or "")
    assert secret not in str(load_state(store, "wire2"))


def test_missing_token_variable_is_a_clear_error(server: WireServer, store: Store) -> None:
    url = server.route("/auth", send(200, RSS))
    outcome = FeedPoller(store, FAST, fetcher()).poll(
        feed(url, auth=AuthConfig("bearer", token_env="NOT_SET_ANYWHERE_42"))
    )
    assert outcome.status == "error" and "NOT_SET_ANYWHERE_42 is not set" in (outcome.error or "")
    assert server.hits("/auth") == []


def test_basic_auth_header(server: WireServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRE_USER", "desk")
    monkeypatch.setenv("WIRE_PASSWORD", "pa:ss")
    url = server.route("/basic", send(200, RSS))
    fetcher().fetch(
        feed(url, auth=AuthConfig("basic", username_env="WIRE_USER", password_env="WIRE_PASSWORD"))
    )
    assert server.hits("/basic")[0].headers["Authorization"] == "Basic ZGVzazpwYTpzcw=="


def test_connection_refused_is_an_error_not_a_crash(store: Store, tmp_path: Path) -> None:
    outcome = FeedPoller(store, FAST, fetcher()).poll(feed("http://127.0.0.1:9/nothing"))
    assert outcome.status == "error" and "connection failed" in (outcome.error or "")


@pytest.mark.parametrize("kind", ["header", "query", "bearer"])
def test_credentials_never_follow_a_redirect_to_another_origin(
    server: WireServer, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Two real servers on 127.0.0.1 (two ports: two origins). The feed's server redirects to the other
    (a query key echoed into the redirect's query, as some servers do); the other sees no credential."""
    secret = "k3y-for-the-feed-only"
    monkeypatch.setenv("WIRE_KEY", secret)
    auth = {
        "header": AuthConfig("header", name="X-Api-Key", value_env="WIRE_KEY"),
        "query": AuthConfig("query", name="apikey", value_env="WIRE_KEY"),
        "bearer": AuthConfig("bearer", token_env="WIRE_KEY"),
    }[kind]
    with wire_server() as other:
        landing = other.route("/landing?page=1", send(200, RSS))
        query = f"?apikey={secret}" if kind == "query" else ""
        echoed = f"{landing}&apikey={secret}" if kind == "query" else landing
        start = server.route(f"/feed{query}", redirect(echoed))
        server.route(f"/same{query}", redirect(start))  # the fetcher adds the query key itself
        result = fetcher().fetch(feed(f"{server.base_url}/same", auth=auth))
    assert result.status == 200 and result.content == RSS
    first = server.hits(f"/feed{query}")[0]
    assert (
        secret in str(first.headers) or query
    )  # the feed's origin gets the key, through a redirect
    assert [hit.path for hit in other.requests] == ["/landing?page=1"]
    assert secret not in str(other.requests[0].headers)
    assert not {"X-Api-Key", "Authorization"} & set(other.requests[0].headers)
