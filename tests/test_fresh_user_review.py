"""Defects a fresh user found (review of the desk, feeds.toml, serve/run and search), each checked the way
that user met it: a real desk over HTTP (uvicorn on 127.0.0.1), the real ``wiredesk`` command on real
files, on SQLite and PostgreSQL where a store is involved.

The wire here is written for these tests (ANSA, Reuters, Kyodo, EFE, Belga copy), not taken from the
other desk tests, so no rule can fit one agency's example only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest

from config.feeds import MAX_INTERVAL, load_feeds
from config.wording import counted, noun_for
from desk.app import create_app
from desk.render import dateline_text
from desk.server import DeskThread
from normalizers.record import ArticleRecord, Dateline
from storage.search import ArticleQuery, search_page
from storage.store import Store
from tests.service_run import running_service

WIREDESK = Path(sys.executable).parent / "wiredesk"
BAD_DESK_FILTERS = [
    ({"since": "zz"}, "since"),
    ({"urgency": "12"}, "urgency"),
    ({"before": "-5"}, "before"),
    ({"before": "abc"}, "before"),
    ({"status": "lost"}, "status"),
    ({"since": "99999999d"}, "too far back"),
    ({"since": "1h", "until": "2h"}, "since must be earlier than until"),
    ({"q": "Trump", "sort": "relevance", "before": "5"}, "sort=newest"),
    ({"all": "maybe"}, "all is 1"),
    ({"dups": "sometimes"}, "dups is show or hide"),
]


def story(
    guid: str, agency: str, language: str, headline: str, body: str, **extra: Any
) -> ArticleRecord:
    return ArticleRecord(
        guid=guid,
        source_format="ninjs",
        agencies=[agency],
        headline=headline,
        body=[body],
        language=language,
        content_hash=f"hash-{guid}",
        **extra,
    )


WIRE = {
    "ansa": story(
        "ansa-1",
        "ANSA",
        "it",
        "Trump incontra Meloni a Roma",
        "ROMA (ANSA) - Il presidente Donald Trump ha incontrato la premier a Palazzo Chigi per un "
        "colloquio sui dazi e sulla guerra in Ucraina.",
        dateline=Dateline("Roma", None, ["ANSA"]),
    ),
    "reuters": story(
        "rtr-1",
        "Reuters",
        "en",
        "Trump signs tariff order",
        "WASHINGTON (Reuters) - President Donald Trump signed an order raising tariffs on steel "
        "imports, the White House said on Tuesday.",
        dateline=Dateline("WASHINGTON", None, ["Reuters"]),
    ),
    "kyodo": story(
        "kyodo-1",
        "Kyodo",
        "en",
        "Typhoon nears Okinawa",
        "Typhoon Shanshan moved toward Okinawa on Friday, the weather agency said, with gusts of up "
        "to 200 kilometers per hour expected overnight.",
        dateline=Dateline(None, "Jan 3", ["Kyodo"]),
        published_at=datetime(2025, 1, 3, 5, 10, 5, tzinfo=UTC),
        updated_at=datetime(2025, 1, 3, 5, 10, 48, tzinfo=UTC),  # same minute: no "upd"
    ),
    "efe": story(
        "efe-1",
        "EFE",
        "es",
        "Chile celebra elecciones regionales",
        "Santiago de Chile (EFE) - Los chilenos votan este domingo para elegir gobernadores en "
        "una jornada marcada por la baja participación.",
        dateline=Dateline("Santiago de Chile", "4 ene", ["EFE"]),
        published_at=datetime(2025, 1, 4, 10, 0, tzinfo=UTC),
        updated_at=datetime(2025, 1, 4, 10, 42, tzinfo=UTC),  # a real update: shown
    ),
    "belga": story(
        "belga-1",
        "Belga",
        "nl",
        "Staking legt Antwerpse haven stil",
        "De vakbonden leggen de Antwerpse haven vandaag plat uit protest tegen de nieuwe "
        "pensioenplannen van de regering.",
    ),
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def wire(store: Store) -> dict[str, int]:
    """The wire above in ``store``: key -> article id."""
    stored: dict[str, int] = {}
    with store.transaction() as conn:
        for key, record in WIRE.items():
            stored[key] = store.save_article(conn, record).article_id
    return stored


@pytest.fixture
def desk(store: Store, wire: dict[str, int]) -> Iterator[httpx.Client]:
    """A real desk (uvicorn) over the wire, and an HTTP client pointed at it."""
    server = DeskThread(create_app(store), "127.0.0.1", free_port())
    assert server.start(), "the desk did not start"
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=30) as client:
            yield client
    finally:
        server.stop()


def rows(html: str) -> list[int]:
    document = lxml.html.fromstring(html)
    return [int(i) for i in document.xpath('//table[@id="incoming"]//tr/@data-id')]


def store_url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def wiredesk(
    *args: str, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(WIREDESK), *args],
        capture_output="stdout" not in kw,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        **kw,
    )


def one_line_refusal(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit status 2, one line on stderr naming the problem, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


# -- 1. the desk validates its filters as the API does ----------------------------------------------


@pytest.mark.parametrize(("params", "named"), BAD_DESK_FILTERS)
def test_desk_refuses_a_bad_filter_with_400_and_no_rows(
    desk: httpx.Client, params: dict[str, str], named: str
) -> None:
    response = desk.get("/", params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert rows(response.text) == []  # never the unfiltered newest rows
    document = lxml.html.fromstring(response.text)
    (notice,) = document.xpath('//*[@id="filter-errors"]')
    assert named in notice.text_content()
    # the form is kept, with the editor's values, so the mistake can be fixed in place
    assert document.xpath('//form[@id="filters"]')


def test_the_api_refuses_the_same_values(desk: httpx.Client) -> None:
    for params, named in BAD_DESK_FILTERS:
        api_params = {k: v for k, v in params.items() if k != "before"}  # the API pages with after
        if not api_params or "sort" in api_params:
            continue
        response = desk.get("/api/articles", params=api_params)
        assert response.status_code == 400, (params, response.text)
        assert named.split()[0] in response.text, (named, response.text)


def test_a_good_filter_still_lists(desk: httpx.Client, wire: dict[str, int]) -> None:
    response = desk.get("/", params={"lang": "en", "since": "1h"})
    assert response.status_code == 200
    assert set(rows(response.text)) == {wire["reuters"], wire["kyodo"]}


# -- 4. search ------------------------------------------------------------------------------------


EXCLUSIONS = [
    ("-Trump", {"kyodo", "efe", "belga"}),
    ('-"weather agency"', {"ansa", "reuters", "efe", "belga"}),
    ("-Trump -Okinawa", {"efe", "belga"}),
    ("-Trump -", {"kyodo", "efe", "belga"}),
]


@pytest.mark.parametrize(("text", "expected"), EXCLUSIONS)
def test_exclusions_only_return_everything_else(
    store: Store, wire: dict[str, int], text: str, expected: set[str]
) -> None:
    for order in ("newest", "relevance"):
        hits = search_page(store, ArticleQuery(text=text, order=order)).hits  # type: ignore[arg-type]
        assert {hit.id for hit in hits} == {wire[key] for key in expected}, (text, order)
    # a filter still applies on top
    hits = search_page(store, ArticleQuery(text=text, language="en")).hits
    wanted = {wire[key] for key in expected if WIRE[key].language == "en"}
    assert {hit.id for hit in hits} == wanted


def test_exclusions_only_over_the_api_and_the_cli(
    store: Store, wire: dict[str, int], desk: httpx.Client
) -> None:
    expected = {wire["kyodo"], wire["efe"], wire["belga"]}
    items = desk.get("/api/articles", params={"q": "-Trump"}).json()["items"]
    assert {item["id"] for item in items} == expected
    assert set(rows(desk.get("/", params={"q": "-Trump"}).text)) == expected
    result = wiredesk("search", "-Trump", "--json", env={"WIREDESK_DB_URL": store_url(store)})
    assert result.returncode == 0, result.stderr
    assert {int(json.loads(line)["id"]) for line in result.stdout.splitlines()} == expected


def test_relevance_with_a_cursor_is_refused_everywhere(
    store: Store, wire: dict[str, int], desk: httpx.Client
) -> None:
    env = {"WIREDESK_DB_URL": store_url(store)}
    result = wiredesk("search", "--sort", "relevance", "--after", "5", "Trump", env=env)
    one_line_refusal(result, "--after", "--sort newest")
    response = desk.get("/api/articles", params={"q": "Trump", "sort": "relevance", "after": "5"})
    assert response.status_code == 400 and "sort=newest" in response.text
    # the cursor alone (newest, its default) still reads
    assert desk.get("/api/articles", params={"q": "Trump", "after": "0"}).status_code == 200


def test_reversed_and_far_back_windows_are_refused(store: Store, wire: dict[str, int]) -> None:
    env = {"WIREDESK_DB_URL": store_url(store)}
    one_line_refusal(
        wiredesk("search", "--since", "1h", "--until", "2h", env=env), "--since", "--until"
    )
    one_line_refusal(wiredesk("search", "--since", "2026-01-02", "--until", "2026-01-02", env=env))
    far = wiredesk("search", "--since", "99999999d", env=env)
    assert far.returncode == 2 and "too far back" in far.stderr and "Traceback" not in far.stderr
    assert "want a duration" not in far.stderr
    assert "too far back" in wiredesk("search", "--since", "9" * 40 + "w", env=env).stderr
    ok = wiredesk("search", "--since", "2h", "--until", "2999-01-01", "--json", env=env)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == len(wire)


# -- 2. feeds.toml -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("interval", '"0s"', "at least"),
        ("interval", "0", "at least"),
        ("interval", "0.0", "at least"),
        ("interval", "-5", "at least"),
        ("interval", "1e400", "finite"),
        ("interval", "inf", "finite"),
        ("interval", "nan", "finite"),
        ("interval", '"8d"', "at most"),
        ("interval", str(10**400), "finite"),
        # An idle alert beyond a year overflowed every poll's time arithmetic (a traceback per poll).
        ("idle_alert", '"99999999999d"', "at most"),
        ("idle_alert", "1e300", "at most"),
        ("idle_alert", "0", "more than 0"),
        ("idle_alert", "1e400", "finite"),
    ],
)
def test_feeds_file_refuses_bad_durations(
    tmp_path: Path, key: str, value: str, problem: str
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "kyodo-en"\npath = "in"\n{key} = {value}\n', "utf-8")
    result = wiredesk(
        "feeds",
        env={"WIREDESK_FEEDS": str(feeds), "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}"},
    )
    one_line_refusal(result, f"{feeds}:4", key, problem)


def test_the_longest_interval_is_a_week(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "weekly"\npath = "in"\ninterval = "7d"\n', "utf-8")
    (feed,) = load_feeds(feeds, [])
    assert feed.interval == MAX_INTERVAL == 7 * 86400


def test_a_feeds_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_bytes(b'[[feed]]\nname = "belga"\n# Br\xfcssel\npath = "in"\n')  # Latin-1
    env = {"WIREDESK_FEEDS": str(feeds), "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    for command in (["feeds"], ["run", "--no-desk"], ["poll", "belga"]):
        one_line_refusal(wiredesk(*command, env=env), f"{feeds}:3", "not UTF-8", "0xfc")


def test_service_start_line_is_info_and_a_broken_reload_names_the_file(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "efe"\npath = "{inbox}"\ninterval = "1h"\n', "utf-8")
    with running_service(tmp_path, feeds, "--no-desk") as process:
        time.sleep(3)
        assert process.poll() is None
        feeds.write_bytes(b'[[feed]]\nname = "efe"\n# Espa\xf1a\n')
        process.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    started = [line for line in err.splitlines() if "wiredesk service running" in line]
    assert len(started) == 1 and " INFO " in started[0], err
    (reload_error,) = [line for line in err.splitlines() if "not reloaded" in line]
    assert f"{feeds}:3" in reload_error and "not UTF-8" in reload_error, reload_error
    assert f"feeds_file={feeds}" in reload_error
    assert "Traceback" not in err


# -- 3. serve arguments and settings ---------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "http"])
def test_serve_refuses_a_port_out_of_range(tmp_path: Path, port: str) -> None:
    result = wiredesk("serve", f"--port={port}", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "--port" in result.stderr and "OverflowError" not in result.stderr


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_desk_port_setting_out_of_range_is_one_line(tmp_path: Path, port: str) -> None:
    for command in (["serve"], ["run"]):
        result = wiredesk(*command, env={"WIREDESK_DESK_PORT": port}, cwd=tmp_path)
        one_line_refusal(result, "desk_port", "0-65535", port)


def test_backfill_log_level_is_checked_too(tmp_path: Path) -> None:
    env = {"WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = wiredesk("backfill", "--log-level", "bogus", "--from-store", env=env, cwd=tmp_path)
    one_line_refusal(result, "--log-level", "DEBUG, INFO, WARNING, ERROR, CRITICAL", "bogus")
    ok = wiredesk("backfill", "--log-level", "info", "--from-store", env=env, cwd=tmp_path)
    assert ok.returncode == 0 and "Traceback" not in ok.stderr, ok.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONNECT_TIMEOUT", "nan"),
        ("READ_TIMEOUT", "inf"),
        ("RETRIES", "-3"),
        ("PARSE_WORKERS", "-2"),
    ],
)
def test_numeric_settings_out_of_range_are_one_line(tmp_path: Path, name: str, value: str) -> None:
    result = wiredesk("feeds", env={f"WIREDESK_{name}": value}, cwd=tmp_path)
    one_line_refusal(result, name.lower(), value)


def test_log_level_is_checked_and_any_case(tmp_path: Path) -> None:
    env = {"WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    bad = wiredesk("--log-level", "bogus", "search", "x", env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr, bad.stderr
    for level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        assert level in bad.stderr
    for spelled in ("debug", "Error", "WARNING"):
        good = wiredesk("--log-level", spelled, "search", "x", env=env, cwd=tmp_path)
        assert good.returncode == 0 and "Traceback" not in good.stderr, good.stderr


# -- 5. cosmetics ----------------------------------------------------------------------------------


def test_datelines_and_update_times_on_the_desk(desk: httpx.Client, wire: dict[str, int]) -> None:
    document = lxml.html.fromstring(desk.get("/").text)

    def cell(key: str, css: str) -> str:
        (found,) = document.xpath(
            f'//tr[@data-id="{wire[key]}"]/td[contains(concat(" ", @class, " "), " {css} ")]'
        )
        return " ".join(found.text_content().split())

    assert cell("kyodo", "dateline") == "Jan 3 (Kyodo)"
    assert cell("efe", "dateline") == "Santiago de Chile, 4 ene (EFE)"
    assert cell("belga", "dateline") == ""
    assert "upd" not in cell("kyodo", "filed")  # 05:10:05 and 05:10:48 read as one minute
    assert "upd" in cell("efe", "filed")
    count = document.xpath('//*[@id="count"]')[0].text_content()
    assert count == "5 articles"
    one = lxml.html.fromstring(desk.get("/", params={"agency": "Belga"}).text)
    assert one.xpath('//*[@id="count"]')[0].text_content() == "1 article"


def test_dateline_parts_each_only_when_present() -> None:
    assert dateline_text(Dateline(None, "Jan 3", ["Reuters"])) == "Jan 3 (Reuters)"
    assert dateline_text(Dateline("Lagos", None, [])) == "Lagos"
    assert dateline_text(Dateline(None, None, ["AAP", "AFP"])) == "(AAP/AFP)"
    assert dateline_text(Dateline(" ", "3 janv.", [])) == "3 janv."
    assert dateline_text(None) == ""


def test_head_is_answered_on_every_get_route(desk: httpx.Client, wire: dict[str, int]) -> None:
    for path in (
        "/",
        "/healthz",
        "/api/articles",
        f"/story/{wire['efe']}",
        "/feeds",
        "/static/desk.css",
    ):
        got, head = desk.get(path), desk.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
    assert desk.head("/?since=zz").status_code == 400
    assert desk.head("/story/999999").status_code == 404


@pytest.mark.parametrize("command", [["search"], ["search", "--json"], ["feeds"], ["show", "1"]])
def test_a_full_stdout_is_one_line(store: Store, wire: dict[str, int], command: list[str]) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("the output path does not depend on the store")
    with open("/dev/full", "w") as full:
        result = wiredesk(
            *command, env={"WIREDESK_DB_URL": store_url(store)}, stdout=full, stderr=subprocess.PIPE
        )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.stderr.strip() == "wiredesk: cannot write the output: No space left on device"


def test_a_closed_pipe_is_quiet(store: Store, wire: dict[str, int]) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("the output path does not depend on the store")
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line
    try:
        result = wiredesk(
            "search",
            env={"WIREDESK_DB_URL": store_url(store)},
            stdout=write,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(write)
    assert result.returncode == 1 and result.stderr == "", result.stderr


def test_poll_counts_in_words(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    story_file = inbox / "kyodo-1.txt"
    story_file.write_text(
        "Typhoon nears Okinawa\n\nNAHA (Kyodo) - Typhoon Shanshan moved toward Okinawa on Friday, the "
        "weather agency said, with strong gusts expected overnight across the islands.\n",
        encoding="utf-8",
    )
    past = time.time() - 60
    os.utime(story_file, (past, past))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "kyodo"\npath = "{inbox}"\n', "utf-8")
    env = {
        "WIREDESK_FEEDS": str(feeds),
        "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "WIREDESK_SETTLE_SECONDS": "0",
    }
    result = wiredesk("poll", "kyodo", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 document," in result.stdout and "0 duplicates," in result.stdout, result.stdout
    assert "1 documents" not in result.stdout


def test_counted_words() -> None:
    assert [counted(n, "document") for n in (0, 1, 2)] == [
        "0 documents",
        "1 document",
        "2 documents",
    ]
    assert counted(1, "entry") == "1 entry" and counted(3, "entry") == "3 entries"
    assert noun_for(1, "byte") == "byte" and noun_for(1024, "byte") == "bytes"
