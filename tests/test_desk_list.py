"""The incoming list and story page as a wire editor reads them (issue 17 item 4), server side: the agency's
time beside the received time, urgency words, version ordinals next to the source's own number, the
"older" keyset link with filters kept, killed stories that keep their text, quarantine failures marked.

Everything goes through the real pipeline and the real app; pages are parsed with lxml and read by class,
as the browser test reads them in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from config.feeds import FeedConfig
from config.settings import Settings
from desk.app import create_app
from desk.pages import PAGE_SIZE
from ingest.cli import _desk_app
from ingest.pipeline import ingest_document, parse_records
from storage.search import version_positions
from storage.store import Store
from tests.test_api import FEEDS, ingest_wire, ninjs

BULK = 130
"""More than one page (``PAGE_SIZE`` is 100), so the list must offer an "older" page."""


def bulk_body(number: int) -> list[str]:
    """A distinct story per number (no near-duplicates), all sharing the word ``Sammelmeldung``."""
    words = " ".join(f"w{number}x{k}" for k in range(12))
    return [
        f"Bonn (epd) - Sammelmeldung {number}: {words} gingen am Abend beim Sender ein.",
        f"Die Redaktion prüft die Angaben {number * 13 + 7} noch.",
    ]


def ingest_bulk(store: Store, count: int = BULK, feed: str = "bulk", first: int = 0) -> list[int]:
    """``count`` publishable stories in ``feed``, numbered from ``first``; their ids in arrival order."""
    ids: list[int] = []
    for number in range(first, first + count):
        raw = ninjs(f"urn:epd:{number}", f"Meldung {number}", bulk_body(number), provider="epd")
        result = ingest_document(store, raw, f"bulk-{number}.json", feed=feed)
        assert result.article_ids, result.error
        ids += result.article_ids
    return ids


def page_of(client: TestClient, url: str, **params: Any) -> lxml.html.HtmlElement:
    response = client.get(url, params=params) if params else client.get(url)
    assert response.status_code == 200, response.text
    return lxml.html.fromstring(response.text)


def row(document: lxml.html.HtmlElement, article_id: int) -> lxml.html.HtmlElement:
    (found,) = document.xpath(f'//table[@id="incoming"]//tr[@data-id="{article_id}"]')
    return found


def cell(element: lxml.html.HtmlElement, css_class: str) -> lxml.html.HtmlElement:
    found = element.xpath(f'.//*[contains(concat(" ", @class, " "), " {css_class} ")]')
    assert found, f"no .{css_class} in {lxml.html.tostring(element, encoding='unicode')}"
    return found[0]


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def row_ids(document: lxml.html.HtmlElement) -> list[int]:
    return [int(i) for i in document.xpath('//table[@id="incoming"]//tr/@data-id')]


def link(document: lxml.html.HtmlElement, element_id: str) -> str | None:
    found = document.xpath(f'//a[@id="{element_id}"]/@href')
    return str(found[0]) if found else None


@pytest.fixture
def wire(store: Store) -> dict[str, int]:
    return ingest_wire(store)


@pytest.fixture
def client(store: Store, wire: dict[str, int]) -> Iterator[TestClient]:
    with TestClient(create_app(store, feeds=FEEDS)) as test_client:
        yield test_client


def test_agency_time_stands_beside_the_received_time(
    client: TestClient, wire: dict[str, int]
) -> None:
    document = page_of(client, "/")
    aleppo = row(document, wire["afp-aleppo.json"])
    filed = cell(aleppo, "filed")
    assert [text_of(t) for t in filed.xpath("./time")] == [
        "05.03.2024 06:10",
        "upd 05.03.2024 07:45",
    ]
    (published,) = filed.xpath("./time[1]")
    assert published.get("datetime") == "2024-03-05T06:10:00Z"
    assert published.get("title") == (
        "agency: published 2024-03-05 06:10:00 UTC, updated 2024-03-05 07:45:00 UTC"
    )
    received = aleppo.xpath('./td[contains(@class, "time")][1]/time')[0]
    assert received.get("title", "").startswith("received ")
    assert received.get("datetime") != published.get("datetime")
    # one time in both fields is one time, not an update
    assert text_of(cell(row(document, wire["kna-hafen-copy.json"]), "filed")) == "05.03.2024 06:10"
    # no time from the source: a dash, never the received time passed off as the agency's
    assert text_of(cell(row(document, wire["rtr-trade.json"]), "filed")) == "–"


def test_an_update_time_alone_is_labelled_as_an_update(client: TestClient, store: Store) -> None:
    raw = ninjs("urn:ap:3", "Storm update", ["NEW YORK (AP) - " + "The storm moved east. " * 4])
    (record,) = parse_records(raw, "ap.json")
    record.published_at = None
    record.updated_at = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    with store.transaction() as conn:
        article_id = store.save_article(conn, record).article_id
    filed = cell(row(page_of(client, "/"), article_id), "filed")
    (only,) = filed.xpath("./time")
    assert text_of(only) == "upd 05.03.2024 09:30"
    assert only.get("title") == "agency: updated 2024-03-05 09:30:00 UTC"


def test_urgency_is_a_word_for_1_to_3_and_a_number_with_a_tooltip_below(
    client: TestClient, wire: dict[str, int]
) -> None:
    document = page_of(client, "/")
    expected = {
        "dpa-hafen-2.json": (1, "urg-1", "FLASH"),
        "afp-aleppo.json": (2, "urg-2", "URGENT"),
        "kna-hafen-copy.json": (3, "urg-3", "PRIORITY"),
        "rtr-trade.json": (4, "urg-n", "4"),
    }
    for origin, (level, css, shown) in expected.items():
        mark = cell(row(document, wire[origin]), css)
        assert text_of(mark) == shown, origin
        assert mark.get("title", "").startswith(f"urgency {level} of 8"), origin
    number = cell(row(document, wire["rtr-trade.json"]), "urg-n")
    assert number.get("title", "").startswith("urgency 4 of 8 (above normal")
    assert not row(document, wire["xss.json"]).xpath('.//*[contains(@class, "urg")]')


def test_versions_are_ordinals_and_the_source_number_is_in_the_field_table(
    client: TestClient, store: Store, wire: dict[str, int]
) -> None:
    # A source that numbers its versions 5 and 9: the desk says v1 of 2 and v2 of 2.
    body = [
        "Zürich (sda) - Die Nationalbank lässt den Leitzins unverändert, teilte sie am Donnerstag mit.",
        "Die Teuerung liege weiterhin im Zielband, hieß es zur Begründung.",
    ]
    first = ingest_document(
        store, ninjs("urn:sda:4", "Leitzins bleibt", body, provider="sda", version=5), "sda-5.json"
    ).article_ids[0]
    second = ingest_document(
        store,
        ninjs(
            "urn:sda:4", "SNB: Leitzins bleibt", [*body, "Ein Zusatz."], provider="sda", version=9
        ),
        "sda-9.json",
    ).article_ids[0]
    assert version_positions(store, [first, second, wire["afp-aleppo.json"], 10**9]) == {
        first: (1, 2),
        second: (2, 2),
        wire["afp-aleppo.json"]: (1, 1),
    }
    document = page_of(client, "/", all="1")
    assert text_of(cell(row(document, second), "ver")) == "v2 of 2"
    old = row(document, first)
    assert text_of(cell(old, "ver")) == "v1 of 2"
    assert text_of(cell(old, "old")) == "old version"
    assert not row(document, wire["afp-aleppo.json"]).xpath('.//*[@class="ver"]')

    story = page_of(client, f"/story/{first}")
    assert text_of(cell(story, "storyhead").xpath('.//*[@class="ver"]')[0]) == "v1 of 2"
    field = story.xpath('//td[@id="field-version"]')[0]
    assert text_of(field) == "5 (the source's number; stored as v1 of 2, not current)"
    headings = [text_of(h) for h in story.xpath('//section[@id="versions"]//h3/a')]
    assert headings == ["v2 of 2", "v1 of 2"]  # newest first
    assert "source version 9" in text_of(story.xpath('//section[@id="versions"]//h3')[0])


def test_older_link_pages_with_the_cursor_and_keeps_the_filters(
    client: TestClient, store: Store
) -> None:
    bulk = ingest_bulk(store)
    first = page_of(client, "/", feed="bulk", lang="de")
    ids = row_ids(first)
    assert ids == sorted(bulk, reverse=True)[:PAGE_SIZE]
    older = link(first, "older-link")
    assert older is not None and link(first, "newest-link") is None
    params = parse_qs(urlsplit(older).query)
    assert params == {"feed": ["bulk"], "lang": ["de"], "before": [str(ids[-1])]}
    # new copy arriving between the two pages neither repeats nor hides a row on the older page
    ingest_bulk(store, 1, feed="bulk-late")
    ingest_document(
        store, ninjs("urn:epd:new", "Neu", bulk_body(999), provider="epd"), "n.json", feed="bulk"
    )
    second = page_of(client, older)
    rest = row_ids(second)
    assert rest == sorted(bulk, reverse=True)[PAGE_SIZE:]
    assert link(second, "older-link") is None
    newest = link(second, "newest-link")
    assert newest is not None and parse_qs(urlsplit(newest).query) == {
        "feed": ["bulk"],
        "lang": ["de"],
    }
    assert second.xpath('//input[@id="autorefresh"]') == []  # an older page does not refresh itself
    assert first.xpath('//input[@id="autorefresh"]') != []


def test_a_ranked_search_offers_paging_newest_first(client: TestClient, store: Store) -> None:
    bulk = ingest_bulk(store)
    ranked = page_of(client, "/", q="Sammelmeldung")
    assert len(row_ids(ranked)) == PAGE_SIZE and link(ranked, "older-link") is None
    more = link(ranked, "more-link")
    assert more is not None
    assert parse_qs(urlsplit(more).query) == {"q": ["Sammelmeldung"], "sort": ["newest"]}
    newest = page_of(client, more)
    older = link(newest, "older-link")
    assert older is not None
    seen = row_ids(newest) + row_ids(page_of(client, older))
    assert seen == sorted(bulk, reverse=True)


def refused(client: TestClient, **params: Any) -> lxml.html.HtmlElement:
    """A desk page refused as the API refuses it: 400, the reasons shown, no rows at all."""
    response = client.get("/", params=params)
    assert response.status_code == 400, response.text
    document = lxml.html.fromstring(response.text)
    assert row_ids(document) == []
    return document


def test_a_bad_cursor_is_reported_not_ignored(client: TestClient) -> None:
    for value in ("abc", "-1", "٣", str(2**63)):
        document = refused(client, before=value)
        assert "before wants a store id" in text_of(document.xpath('//ul[@class="errors"]')[0])
    document = refused(client, q="Hafen", sort="relevance", before="5")
    assert "use sort=newest" in text_of(document.xpath('//ul[@class="errors"]')[0])


def test_a_killed_story_keeps_its_last_text_in_view(client: TestClient, store: Store) -> None:
    text = [
        "Lyon (AFP) - Le maire de la ville a annoncé sa démission lors d'une conférence de presse.",
        "Il invoque des raisons de santé et quittera ses fonctions à la fin du mois.",
    ]
    kept = ingest_document(store, ninjs("urn:afp:77", "Démission", text, provider="AFP"), "a.json")
    notice = ingest_document(
        store,
        ninjs("urn:afp:77", "KILL", [], provider="AFP", version=2, pubstatus="canceled"),
        "kill.json",
    )
    story = page_of(client, f"/story/{notice.article_ids[0]}")
    assert cell(story, "storyhead").xpath('.//*[contains(@class, "canceled")]')
    assert "v1 of 2" in text_of(story.xpath('//p[@id="killnote"]')[0])
    body = text_of(story.xpath('//div[@id="body"]')[0])
    assert "démission" in body and "fin du mois" in body
    # a kill notice with its own line shows it, and the withdrawn text below it
    withdrawal = ["Cette dépêche est annulée. Ne pas utiliser."]
    later = ingest_document(
        store,
        ninjs("urn:afp:77", "KILL", withdrawal, provider="AFP", version=3, pubstatus="canceled"),
        "kill-3.json",
    )
    story = page_of(client, f"/story/{later.article_ids[0]}")
    assert text_of(story.xpath('//div[@id="body"]')[0]) == withdrawal[0]
    section = text_of(story.xpath('//section[@id="killed-text"]')[0])
    assert "v1 of 3" in section and "fin du mois" in section
    # the first version itself is canceled too, and shows its own text without a note
    story = page_of(client, f"/story/{kept.article_ids[0]}")
    assert not story.xpath('//*[@id="killnote"]') and not story.xpath('//*[@id="killed-text"]')
    assert "fin du mois" in text_of(story.xpath('//div[@id="body"]')[0])


def test_a_story_that_was_not_killed_has_no_kill_note(
    client: TestClient, wire: dict[str, int]
) -> None:
    story = page_of(client, f"/story/{wire['dpa-hafen-2.json']}")
    assert not story.xpath('//*[@id="killnote"]') and not story.xpath('//*[@id="killed-text"]')
    assert "withdrawn" not in (story.xpath('//div[@id="body"]')[0].get("class") or "")


def test_quarantine_failures_are_marked_as_failures(store: Store, wire: dict[str, int]) -> None:
    settings = Settings.from_env({})
    app = _desk_app(settings, store, [FeedConfig(name="dpa-de", path=None, url="https://x/y")])
    with TestClient(app, base_url="http://127.0.0.1:8080") as client:
        document = page_of(client, "/quarantine")
        (entry,) = document.xpath('//table[contains(@class, "quarantine")]//tr[@data-id]')
        assert "failed" in entry.get("class", "").split()
        assert text_of(cell(entry, "badge")) == "failed"
        response = client.post(f"/quarantine/{entry.get('data-id')}/rerun", follow_redirects=False)
        assert "outcome=failed" in response.headers["location"]
        after = page_of(client, response.headers["location"])
        message = after.xpath('//p[@id="message"]')[0]
        assert "fail" in message.get("class", "").split()
        assert "still fails" in text_of(message)
