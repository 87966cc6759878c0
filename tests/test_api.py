"""The JSON API and the desk's server side: filters, cursor polling under concurrent ingest, auth, safety,
raw download and the quarantine re-run. The wire here is ingested through the real pipeline."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from config.feeds import FeedConfig
from config.settings import Settings
from desk.app import create_app
from desk.render import http_url, sanitize
from ingest.cli import _desk_app
from ingest.pipeline import ingest_document, parse_records
from storage.feeds import FeedHealth, save_state
from storage.search import quarantine_items
from storage.store import Store

XSS = "<script>alert(1)</script>"


def ninjs(guid: str, headline: str, paragraphs: list[str], **fields: Any) -> bytes:
    """One ninjs 1.x text item, as agencies deliver them."""
    item = {
        "uri": guid,
        "type": "text",
        "version": 1,
        "headline": headline,
        "body_text": "\n\n".join(paragraphs),
        **fields,
    }
    return json.dumps(item, ensure_ascii=False).encode("utf-8")


ALEPPO = [
    "Moskau (AFP) - Der russische Außenminister Sergej Lawrow will die Gespräche über die "
    "nordsyrische Stadt Aleppo mit den Vereinigten Staaten fortsetzen.",
    "Die Lage in der Stadt bleibt nach Angaben von Beobachtern angespannt und unübersichtlich.",
]
HAFEN_V1 = [
    "Hamburg (dpa) - Nach dem schweren Herbststurm haben im Hamburger Hafen die Aufräumarbeiten "
    "begonnen. Mehrere leere Container waren in der Nacht ins Hafenbecken gestürzt.",
    "Verletzt wurde nach Angaben der Polizei niemand. Die Elbe war für drei Stunden gesperrt.",
]
HAFEN_V2 = [
    HAFEN_V1[0],
    "Verletzt wurde nach Angaben der Polizei niemand. Die Elbe war für fünf Stunden gesperrt.",
    "Der Betreiber des Terminals kündigte an, die Sicherung der Containerstapel zu überprüfen.",
]
TRADE = [
    "ROTTERDAM (Reuters) - Dockworkers in Rotterdam ended a two-day strike on Thursday after unions "
    "and port operators reached a late-night agreement on wages and shift patterns.",
    "Shipping lines said container traffic would return to normal by the weekend.",
]
METEO = [
    "MARSEILLE (AFP) - Météo-France a placé quatre départements du sud-est en vigilance orange aux "
    "orages pour la journée de jeudi, avec des cumuls de pluie importants attendus.",
    "Les autorités recommandent de limiter les déplacements pendant l'épisode orageux.",
]
BUDGET = [
    "Wien (APA) - Das österreichische Parlament hat den Haushalt für das kommende Jahr mit knapper "
    "Mehrheit beschlossen, die Opposition stimmte geschlossen dagegen.",
    "Kritik gab es vor allem an fehlenden Mitteln für Schulen und Krankenhäuser im ganzen Land.",
]


FILED, FILED_UPDATE = "2024-03-05T06:10:00Z", "2024-03-05T07:45:00Z"
"""The agency's own times on some wire items (published, updated): fixed and long past, so the desk
shows them with their date while the received time is today's."""


def wire_documents() -> list[tuple[str, bytes, dict[str, Any]]]:
    """(origin, bytes, ingest options) for a small but complete wire, in arrival order."""
    later = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        ("afp-aleppo.json", ninjs("urn:afp:1", "Lawrow: Gespräche über Aleppo gehen weiter", ALEPPO, provider="AFP", urgency=2, firstcreated=FILED, versioncreated=FILED_UPDATE), {"feed": "afp-de"}),
        ("dpa-hafen-1.json", ninjs("urn:dpa:7", "Sturm im Hafen", HAFEN_V1, provider="dpa"), {"feed": "dpa-de"}),
        ("rtr-trade.json", ninjs("urn:rtr:3", "Rotterdam port strike ends", TRADE, provider="Reuters", urgency=4), {"feed": "reuters-en"}),
        ("afp-meteo.json", ninjs("urn:afp:2", "Alerte orange aux orages", METEO, provider="AFP", embargoed=later), {"feed": "afp-fr"}),
        ("dpa-hafen-2.json", ninjs("urn:dpa:7", "Nach dem Sturm: Hafen räumt auf", HAFEN_V2, provider="dpa", version=2, urgency=1, signals=["correction"]), {"feed": "dpa-de"}),
        ("xss.json", ninjs("urn:evil:1", "Haushalt in Wien beschlossen", BUDGET, provider="dpa"), {"feed": "dpa-de"}),
        ("kna-hafen-copy.json", ninjs("urn:kna:9", "Hafen: Aufräumen nach dem Sturm", HAFEN_V2, provider="KNA", urgency=3, versioncreated=FILED), {"feed": "kna"}),
        ("killed.json", ninjs("urn:afp:5", "Zurückgezogen: Meldung über Wien", [BUDGET[1], "Diese Meldung wurde zurückgezogen und darf nicht verwendet werden."], provider="AFP", pubstatus="canceled"), {"feed": "afp-de"}),
        ("broken.xml", b"<?xml version='1.0'?><NewsML><NewsItem><broken", {"feed": "dpa-de"}),
    ]  # fmt: skip


HOSTILE_ORIGIN = "xss.json"


def save_hostile(store: Store, raw: bytes, origin: str, feed: str) -> int:
    """Store ``raw``'s record with :data:`XSS` before its headline, straight through the store API.

    Parsers (rightly) strip tags from headlines, so hostile text no longer survives the pipeline; but the
    store may hold it (an older parser, a format that keeps ``<`` as text, a direct write), and the desk
    must still show it as text."""
    (record,) = parse_records(raw, origin, feed=feed)
    record.headline = f"{XSS} {record.headline}"
    record.body = [f"{XSS} & <b>{record.body[0]}</b>", *record.body[1:]]
    with store.transaction() as conn:
        raw_id = store.save_raw(conn, raw, origin, feed=feed, source_format=record.source_format)
        return store.save_article(conn, record, raw_id).article_id


def ingest_wire(store: Store) -> dict[str, int]:
    """Ingest :func:`wire_documents` (the hostile one via :func:`save_hostile`); origin -> first article
    id (quarantined ones absent)."""
    stored: dict[str, int] = {}
    for origin, raw, options in wire_documents():
        if origin == HOSTILE_ORIGIN:
            stored[origin] = save_hostile(store, raw, origin, options["feed"])
            continue
        result = ingest_document(store, raw, origin, **options)
        if result.article_ids:
            stored[origin] = result.article_ids[0]
    return stored


FEEDS = [
    FeedConfig(name=name, path=None, url=f"https://wire.example/{name}.json")
    for name in ("afp-de", "afp-fr", "dpa-de", "reuters-en", "kna")
]


@pytest.fixture
def wire(store: Store) -> dict[str, int]:
    return ingest_wire(store)


@pytest.fixture
def client(store: Store, wire: dict[str, int]) -> Iterator[TestClient]:
    with TestClient(create_app(store, feeds=FEEDS)) as test_client:
        yield test_client


def get_ids(client: TestClient, **params: Any) -> list[int]:
    response = client.get("/api/articles", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_default_list_is_publishable_copy_newest_first(
    client: TestClient, wire: dict[str, int]
) -> None:
    items = client.get("/api/articles").json()["items"]
    got = [item["id"] for item in items]
    assert got == sorted(got, reverse=True)
    assert wire["dpa-hafen-2.json"] in got and wire["afp-aleppo.json"] in got
    for hidden in ("dpa-hafen-1.json", "afp-meteo.json", "killed.json"):
        assert wire[hidden] not in got
    assert all(item["publishable"] and item["is_current"] for item in items)
    first = items[0]
    for name in (
        "guid",
        "version",
        "agencies",
        "dateline",
        "body",
        "embargo_until",
        "duplicate_of",
    ):
        assert name in first


def test_all_switch_marks_what_is_not_publishable(client: TestClient, wire: dict[str, int]) -> None:
    items = {i["id"]: i for i in client.get("/api/articles", params={"all": 1}).json()["items"]}
    assert items[wire["afp-meteo.json"]]["publishable"] is False
    assert items[wire["afp-meteo.json"]]["embargo_until"]
    assert items[wire["killed.json"]]["status"] == "canceled"
    assert items[wire["dpa-hafen-1.json"]]["is_current"] is False


def test_filters(client: TestClient, wire: dict[str, int]) -> None:
    assert get_ids(client, agency="Reuters") == [wire["rtr-trade.json"]]
    assert get_ids(client, lang="en") == [wire["rtr-trade.json"]]
    assert get_ids(client, feed="afp-de") == [wire["afp-aleppo.json"]]
    assert get_ids(client, urgency=1) == [wire["dpa-hafen-2.json"]]
    assert get_ids(client, urgency=2) == [wire["dpa-hafen-2.json"], wire["afp-aleppo.json"]]
    assert get_ids(client, status="embargoed") == [wire["afp-meteo.json"]]
    assert get_ids(client, status="corrected") == [wire["dpa-hafen-2.json"]]
    assert get_ids(client, status="canceled") == [wire["killed.json"]]
    assert wire["kna-hafen-copy.json"] in get_ids(client, q="Hafen")
    assert get_ids(client, q="Hafen", dups="hide") == [wire["dpa-hafen-2.json"]]
    assert get_ids(client, since="1h") != [] and get_ids(client, until="1h") == []


def test_search_is_folded_and_highlighted(client: TestClient, wire: dict[str, int]) -> None:
    for words in ("Aleppo", "Lawrow", "Außenminister", "Aussenminister"):
        assert get_ids(client, q=words) == [wire["afp-aleppo.json"]], words
    item = client.get("/api/articles", params={"q": "aussenminister"}).json()["items"][0]
    assert "<mark>Außenminister</mark>" in item["snippet"]
    xss = client.get("/api/articles", params={"q": "Haushalt Wien"}).json()["items"][0]
    assert xss["headline"].startswith(XSS)  # JSON carries the text as sent


def test_every_article_says_where_it_came_from(client: TestClient, wire: dict[str, int]) -> None:
    items = client.get("/api/articles", params={"after": 0, "limit": 500}).json()["items"]
    origins = {item["id"]: item["origin"] for item in items}
    for origin, article_id in wire.items():
        assert origins[article_id] == origin


def test_bad_parameters_are_400_with_reasons(client: TestClient) -> None:
    response = client.get("/api/articles", params={"since": "yesterday-ish"})
    assert response.status_code == 400
    assert "since" in response.json()["detail"][0]
    assert client.get("/api/articles", params={"status": "lost"}).status_code == 400
    assert (
        client.get("/api/articles", params={"limit": 0}).status_code == 400
    )  # out of range: 400, like every bad parameter


def test_one_article_and_versions(client: TestClient, wire: dict[str, int]) -> None:
    article = client.get(f"/api/articles/{wire['dpa-hafen-2.json']}").json()
    assert article["version"] == 2 and article["signals"] == ["correction"]
    assert client.get("/api/articles/999999").status_code == 404
    chain = client.get(f"/api/articles/{wire['dpa-hafen-1.json']}/versions").json()["items"]
    assert [(v["version"], v["is_current"]) for v in chain] == [(1, False), (2, True)]
    assert chain[0]["changed"] == []
    assert {"headline", "urgency", "signals", "body"} <= set(chain[1]["changed"])


def test_feeds_and_health(client: TestClient, store: Store) -> None:
    save_state(
        store,
        FeedHealth(
            name="dpa-de", last_status="ok", last_success=datetime.now(UTC), items_new_last_run=3
        ),
    )
    feeds = {f["name"]: f for f in client.get("/api/feeds").json()["feeds"]}
    assert set(feeds) == {feed.name for feed in FEEDS}
    assert feeds["dpa-de"]["health"]["last_status"] == "ok"
    assert feeds["dpa-de"]["health"]["items_new_last_run"] == 3
    assert feeds["afp-fr"]["health"] == {}
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["last_article_id"] > 0


def test_openapi_describes_the_api(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/articles/{article_id}/versions",
        "/api/feeds",
        "/healthz",
    ):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/articles"]["get"]["parameters"]}
    assert {"q", "agency", "lang", "feed", "urgency", "since", "status", "after", "limit"} <= params


def test_bearer_token(store: Store, wire: dict[str, int], caplog: pytest.LogCaptureFixture) -> None:
    token = "s3cret-token-value"
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(store, feeds=FEEDS, api_token=token)) as guarded:
        assert guarded.get("/api/articles").status_code == 401
        assert guarded.get("/api/articles").headers["www-authenticate"] == "Bearer"
        wrong = guarded.get("/api/articles", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and token not in wrong.text
        ok = guarded.get("/api/articles", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        assert guarded.get("/api/feeds").status_code == 401
        assert guarded.get("/healthz").status_code == 200
    assert token not in caplog.text


def test_settings_read_the_token_from_the_environment() -> None:
    settings = Settings.from_env({"WIREDESK_API_TOKEN": "abc"})
    assert settings.api_token == "abc"
    assert "abc" not in repr(settings)
    assert Settings.from_env({}).api_token == ""
    assert Settings.from_env({}).desk_host == "127.0.0.1"


def test_cursor_polling_loses_nothing_during_concurrent_ingest(store: Store) -> None:
    """Two writer threads ingest while a poller follows ``after``; the poller must see every stored
    article exactly once, in ascending order."""
    app = create_app(store)
    per_writer = 40
    done = threading.Event()
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for number in range(per_writer):
                body = [
                    f"Berlin (dpa) - Meldung {name} {number} über den Stand der Verhandlungen "
                    f"zwischen {name} und der Regierung, Runde {number * 7 + 3}.",
                    f"Weitere Einzelheiten {number} wurden zunächst nicht bekannt.",
                ]
                raw = ninjs(f"urn:{name}:{number}", f"{name} {number}", body, provider="dpa")
                ingest_document(store, raw, f"{name}-{number}.json", feed=name)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("alpha", "beta")]
    seen: list[int] = []
    cursor = 0
    with TestClient(app) as client:
        for thread in threads:
            thread.start()
        while True:
            finished = not any(thread.is_alive() for thread in threads)
            page = client.get("/api/articles", params={"after": cursor, "limit": 7}).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_after"]
            if finished and not page["items"] and not page["has_more"]:
                break
        done.set()
    assert not errors
    stored = [hit["id"] for hit in _all_ids(store)]
    assert len(stored) == 2 * per_writer
    assert seen == sorted(seen), "cursor pages must be ascending"
    assert len(seen) == len(set(seen)), "an article was delivered twice"
    assert seen == stored, "an article was lost"


def _all_ids(store: Store) -> list[dict[str, int]]:
    with TestClient(create_app(store)) as client:
        items = client.get("/api/articles", params={"after": 0, "limit": 500}).json()["items"]
    return [{"id": item["id"]} for item in items]


def test_desk_escapes_feed_text(client: TestClient, wire: dict[str, int]) -> None:
    page = client.get("/", params={"all": 1}).text
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    story = client.get(f"/story/{wire['xss.json']}").text
    assert XSS not in story and "&lt;script&gt;" in story
    assert "&lt;b&gt;Das" in story and "<b>Das" not in story  # body text stays text, too
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_sanitizer_and_links_allow_list() -> None:
    assert str(sanitize('<mark onclick="x()">a</mark><img src=x onerror=y><b>b</b>')) == (
        "<mark>a</mark><b>b</b>"
    )
    assert http_url("javascript:alert(1)") is None
    assert http_url("https://example.com/a") == "https://example.com/a"
    assert http_url("//evil.example") is None


def test_desk_pages_render(client: TestClient, wire: dict[str, int]) -> None:
    listing = client.get("/", params={"agency": "AFP", "lang": "de", "urgency": 2, "since": "1h"})
    assert listing.status_code == 200 and "Lawrow" in listing.text and "URGENT" in listing.text
    assert "Rotterdam" not in listing.text
    story = client.get(f"/story/{wire['dpa-hafen-2.json']}").text
    assert "Versions (2)" in story and "fünf" in story and "corrected" in story
    assert f"/story/{wire['kna-hafen-copy.json']}" in story  # duplicate cluster
    assert client.get("/story/424242").status_code == 404
    feeds = client.get("/feeds").text
    assert all(feed.name in feeds for feed in FEEDS)
    assert "broken.xml" in client.get("/quarantine").text
    bad = client.get("/", params={"since": "soon"})
    assert bad.status_code == 400 and "since wants" in bad.text  # refused, as the API refuses it


def test_raw_download_is_an_attachment(
    client: TestClient, store: Store, wire: dict[str, int]
) -> None:
    story = client.get(f"/api/articles/{wire['xss.json']}").json()
    assert story["id"] == wire["xss.json"]
    entry = quarantine_items(store)[0]
    response = client.get(f"/raw/{entry.raw.id}")
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-type"] == "application/octet-stream"
    assert client.get("/raw/99999").status_code == 404


def test_quarantine_rerun_resolves_a_document_that_now_parses(store: Store) -> None:
    """A feed once forced the wrong format; with the format fixed, re-run stores the story."""
    raw = ninjs("urn:dpa:77", "Wieder da", HAFEN_V1, provider="dpa")
    result = ingest_document(store, raw, "inbox/77.json", feed="inbox", format_name="nitf")
    assert result.quarantined
    (entry,) = quarantine_items(store)
    settings = Settings.from_env({})
    app = _desk_app(settings, store, [FeedConfig(name="inbox", path=None, url="https://x/y")])
    with TestClient(app, base_url="http://127.0.0.1:8080") as client:  # a host the desk serves
        page = client.get("/quarantine").text
        assert f'action="/quarantine/{entry.id}/rerun"' in page
        refused = client.post(
            f"/quarantine/{entry.id}/rerun", headers={"Origin": "https://evil.example"}
        )
        assert refused.status_code == 403
        response = client.post(f"/quarantine/{entry.id}/rerun", follow_redirects=False)
        assert response.status_code == 303
        assert "outcome=resolved" in response.headers["location"]
        assert "re-ran cleanly" in client.get(response.headers["location"]).text
    assert quarantine_items(store) == []
    assert store.count_articles() == 1


def test_rerun_is_absent_without_an_action(client: TestClient, store: Store) -> None:
    entry = quarantine_items(store)[0]
    assert "re-run</button>" not in client.get("/quarantine").text
    assert client.post(f"/quarantine/{entry.id}/rerun").status_code == 404
