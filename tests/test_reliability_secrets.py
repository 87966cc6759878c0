"""Secrets never reach a log line, a health entry, a page or a stored origin: one redaction function
(``config.redact``) for all of them; credentials in feed URLs are refused with a pointer to ``auth``, which
offers bearer, basic, header and query authentication from environment variables."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from config.feeds import AuthConfig, ConfigError, FeedConfig, load_feeds
from config.redact import redact, redact_url, register_secret, short_error
from config.settings import Settings
from desk.app import create_app
from ingest.logsetup import KeyValueFormatter, configure_logging
from ingest.poller import FeedPoller
from parsers import format_names
from storage.feeds import load_state
from storage.store import Store, raw_documents
from tests.wire_server import WireServer, send, wire_server

KEY = "k3y-8f2c1e0d9b7a"
RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>ANSA</title>'
    b"<item><title>Il governo approva la manovra</title><guid>ansa-1</guid>"
    b"<description>Roma (ANSA) - Il Consiglio dei ministri ha approvato oggi la manovra.</description>"
    b"</item></channel></rss>"
)


def feeds_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(f'[[feed]]\nname = "ansa"\n{body}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "secret", "hint"),
    [
        (f'url = "https://wire.example/feed.xml?apikey={KEY}"', KEY, 'type = "query"'),
        (f'url = "https://wire.example/feed.xml?format=rss&access_token={KEY}"', KEY, "auth"),
        (f'url = "https://editor:{KEY}@wire.example/feed.xml"', KEY, 'type = "basic"'),
        (f'url = "ftp://editor:{KEY}@wire.example/in/"', KEY, "auth"),
        (f'url = "https://api.example/v1/news?access_key={KEY}&languages=en"', KEY, "auth"),
        (f'url = "https://wire.example/feed?Subscription-Key={KEY}"', KEY, "auth"),
        (f'url = "https://bucket.example/feed.xml?X-Amz-Signature={KEY}"', KEY, "auth"),
    ],
)
def test_credentials_in_feed_urls_are_refused_without_echo(
    tmp_path: Path, line: str, secret: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_feeds(feeds_file(tmp_path, line), format_names())
    message = str(caught.value)
    assert secret not in message and hint in message and "feeds.toml:3" in message


def test_header_and_query_auth_are_configured_by_variable_name(tmp_path: Path) -> None:
    header = load_feeds(
        feeds_file(
            tmp_path,
            'url = "https://wire.example/a"\n'
            'auth = { type = "header", name = "X-Api-Key", value_env = "ANSA_KEY" }',
        ),
        format_names(),
    )[0]
    assert header.auth == AuthConfig("header", name="X-Api-Key", value_env="ANSA_KEY")
    with pytest.raises(ConfigError, match="query auth needs value_env"):
        load_feeds(
            feeds_file(
                tmp_path,
                'url = "https://wire.example/a"\nauth = { type = "query", name = "apikey" }',
            ),
            format_names(),
        )


def test_redaction_covers_urls_pairs_and_registered_secrets() -> None:
    register_secret(f"{KEY}\n")
    assert redact_url(f"https://u:{KEY}@h.example:8443/x?apikey=1&q=ok") == (
        "https://***@h.example:8443/x?apikey=***&q=ok"
    )
    line = redact(
        f"store postgresql+psycopg://wd:{KEY}@db/wd token={KEY} Authorization: Bearer abcdef123456"
    )
    assert KEY not in line and "abcdef123456" not in line and "db/wd" in line
    assert redact(f"value {KEY} echoed") == "value *** echoed"
    error = short_error(UnicodeEncodeError("latin-1", f"Bearer {KEY}é", 23, 24, "not latin-1"))
    assert "é" not in error and "position 23" in error


def test_log_lines_are_redacted_at_every_level() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(KeyValueFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.secrets")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("running", extra={"store": f"postgresql://wd:{KEY}@db/wd"})
        logger.debug("header %s", {"Authorization": f"Bearer {KEY}\n"})
        try:
            raise RuntimeError(f"cannot connect to https://a:{KEY}@x/")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert KEY not in stream.getvalue()


@pytest.fixture
def server() -> Iterator[WireServer]:
    with wire_server() as running:
        yield running


def _everything_shown(store: Store, feed: FeedConfig) -> str:
    """Health row, stored origins, /feeds and /api/feeds as one text."""
    with store.engine.connect() as conn:
        origins = list(conn.execute(select(raw_documents.c.origin)).scalars())
    with TestClient(create_app(store, feeds=[feed])) as client:
        pages = client.get("/feeds").text + client.get("/api/feeds").text
    return f"{load_state(store, feed.name)} {origins} {pages}"


def test_query_auth_reaches_the_server_and_nothing_else(
    store: Store, server: WireServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANSA_KEY", f"{KEY}\n")  # a trailing newline, as from a secrets file
    # The server answers only the URL with the key added (the wire server matches path + query).
    server.route(
        f"/ansa.xml?lang=it&apikey={KEY}",
        send(200, RSS, {"Content-Type": "application/rss+xml"}),
    )
    feed = FeedConfig(
        name="ansa",
        url=server.base_url + "/ansa.xml?lang=it",
        auth=AuthConfig("query", name="apikey", value_env="ANSA_KEY"),
    )
    outcome = FeedPoller(store, Settings(retries=0)).poll(feed)
    assert outcome.status == "ok" and outcome.new == 1
    shown = _everything_shown(store, feed)
    assert KEY not in shown and "lang=it" in shown


def test_header_auth_is_sent_stripped(
    store: Store, server: WireServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANSA_KEY", f"  {KEY}\n")
    url = server.route("/h.xml", send(200, RSS, {"Content-Type": "application/rss+xml"}))
    feed = FeedConfig(
        name="ansa-h", url=url, auth=AuthConfig("header", name="X-Api-Key", value_env="ANSA_KEY")
    )
    assert FeedPoller(store, Settings(retries=0)).poll(feed).status == "ok"
    assert server.hits("/h.xml")[0].headers.get("X-Api-Key") == KEY


def test_unusable_token_names_the_variable_only(
    store: Store, server: WireServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANSA_TOKEN", "tök€n-value")
    url = server.route("/t.xml", send(200, RSS))
    feed = FeedConfig(name="ansa-t", url=url, auth=AuthConfig("bearer", token_env="ANSA_TOKEN"))
    assert FeedPoller(store, Settings(retries=0)).poll(feed).status == "error"
    error = load_state(store, "ansa-t").last_error or ""
    assert "ANSA_TOKEN" in error and error.isascii()
    assert not server.hits("/t.xml")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("store=sqlite:///var/wiredesk.db", "store=sqlite:///var/wiredesk.db"),
        (
            "bearer token variable AFP_TOKEN is not set",
            "bearer token variable AFP_TOKEN is not set",
        ),
        ("Authorization: Bearer abcdef123456", "Authorization: Bearer ***"),
        ("Authorization: token ghp_abc123def456", "Authorization: token ***"),
    ],
)
def test_redaction_keeps_what_is_no_secret_readable(
    text: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store path keeps its ``///`` (it is a path, not a host); an error naming a token's variable is
    not mangled; real credentials are still masked. (Secrets other tests registered are set aside.)"""
    from config import redact as redaction
    from config.redact import redact

    monkeypatch.setattr(redaction, "_secrets", set())

    assert redact(text) == shown


def test_log_lines_follow_the_current_stderr_after_the_old_one_is_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A library thread logging after stderr was swapped and closed must not print 'Logging error'."""

    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure_logging("INFO")
    first.close()
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("asyncssh").info("connection lost", extra={"peer": "127.0.0.1"})
    assert "INFO asyncssh connection lost peer=127.0.0.1" in second.getvalue()
    assert "Logging error" not in second.getvalue()


@pytest.mark.parametrize(
    "name",
    ["access_key", "accessKey", "subscription-key", "private_key", "license_key", "passphrase",
     "X-Amz-Signature", "refreshToken", "client.secret"],
)  # fmt: skip
def test_credential_shaped_parameter_names_are_masked(name: str) -> None:
    assert redact_url(f"https://api.example/news?{name}={KEY}&lang=en") == (
        f"https://api.example/news?{name}=***&lang=en"
    )


@pytest.mark.parametrize("name", ["lang", "q", "page", "since", "category", "keywords", "format"])
def test_ordinary_parameter_names_stay_readable(name: str) -> None:
    assert (
        redact_url(f"https://api.example/news?{name}=wahl")
        == f"https://api.example/news?{name}=wahl"
    )
