"""End to end in real headless Chromium: a uvicorn desk on 127.0.0.1 over an ingested wire; search, filter,
open a story, see its versions; a hostile headline stays text. Screenshots go to the test's tmp dir.

Needs Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it) and Playwright for
Python, which drives that binary directly: no browser download.
"""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.app import create_app
from desk.server import DeskThread
from ingest.pipeline import ingest_document
from storage.store import Store
from tests.test_api import FEEDS, XSS, ingest_wire, ninjs
from tests.test_desk_list import BULK, ingest_bulk

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not installed (apt-get install -y chromium; .ci/run does this)",
)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def desk_url(store: Store) -> Iterator[tuple[str, dict[str, int]]]:
    wire = ingest_wire(store)
    server = DeskThread(create_app(store, feeds=FEEDS), "127.0.0.1", free_port())
    assert server.start(), "the desk did not start"
    try:
        yield f"http://127.0.0.1:{server.port}", wire
    finally:
        server.stop()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[sync_api.Page]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            yield context.new_page()
        finally:
            browser.close()


def test_desk_in_a_real_browser(
    desk_url: tuple[str, dict[str, int]], page: sync_api.Page, tmp_path: Path
) -> None:
    base, wire = desk_url
    expect = sync_api.expect
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    # 1. incoming list: newest first, flash/urgent marked, a hostile headline shown as text
    page.goto(base + "/")
    rows = page.locator("#incoming tbody tr[data-id]")
    expect(rows.first).to_be_visible()
    shown = [int(i) for i in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")]
    assert shown == sorted(shown, reverse=True)
    hostile = page.locator(f'tr[data-id="{wire["xss.json"]}"] .headline')
    expect(hostile).to_have_text(f"{XSS} Haushalt in Wien beschlossen")
    assert page.locator("#incoming script").count() == 0
    expect(page.locator(f'tr[data-id="{wire["dpa-hafen-2.json"]}"] .urg')).to_have_text("FLASH")
    expect(page.locator(f'tr[data-id="{wire["afp-aleppo.json"]}"] .urg')).to_have_text("URGENT")
    priority = page.locator(f'tr[data-id="{wire["kna-hafen-copy.json"]}"] .urg')
    expect(priority).to_have_text("PRIORITY")
    routine = page.locator(f'tr[data-id="{wire["rtr-trade.json"]}"] .urg-n')
    expect(routine).to_have_text("4")
    expect(routine).to_have_attribute("title", re.compile(r"^urgency 4 of 8"))
    colours = {
        name: page.locator(f'tr[data-id="{wire[origin]}"] .urg').evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        for name, origin in (("flash", "dpa-hafen-2.json"), ("urgent", "afp-aleppo.json"))
    }
    assert colours == {"flash": "rgb(196, 22, 28)", "urgent": "rgb(224, 123, 0)"}  # red, orange
    # the agency's time beside the received time
    filed = page.locator(f'tr[data-id="{wire["afp-aleppo.json"]}"] td.filed time')
    expect(filed).to_have_text(["05.03.2024 06:10", "upd 05.03.2024 07:45"])
    expect(filed.first).to_have_attribute("title", re.compile(r"published 2024-03-05 06:10:00 UTC"))
    page.screenshot(path=str(tmp_path / "desk-incoming.png"), full_page=True)

    # 2. full-text search, folded: ss finds ß, the hit is highlighted
    page.fill('input[name="q"]', "Aussenminister")
    page.press('input[name="q"]', "Enter")
    expect(page).to_have_url(re.compile(r"q=Aussenminister"))
    expect(rows).to_have_count(1)
    expect(page.locator("#incoming mark").first).to_have_text("Außenminister")
    page.screenshot(path=str(tmp_path / "desk-search.png"), full_page=True)

    # 3. filters in the URL: agency + urgency, then all copy shows the embargoed story, badged
    page.goto(base + "/")
    page.fill('input[name="agency"]', "AFP")
    page.select_option('select[name="urgency"]', "2")
    page.click('button[type="submit"]')
    expect(page).to_have_url(re.compile(r"agency=AFP.*urgency=2"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lawrow")
    page.goto(base + "/?agency=AFP")
    page.check('input[name="all"]')
    page.click('button[type="submit"]')
    expect(page).to_have_url(re.compile(r"all=1"))
    embargoed = page.locator(f'tr[data-id="{wire["afp-meteo.json"]}"]')
    expect(embargoed.locator(".badge.embargo")).to_contain_text("embargoed until")
    expect(page.locator(f'tr[data-id="{wire["killed.json"]}"] .badge.canceled')).to_be_visible()
    page.goto(base + "/?feed=dpa-de&all=1")
    expect(page.locator(f'tr[data-id="{wire["dpa-hafen-1.json"]}"] .ver')).to_have_text("v1 of 2")
    expect(page.locator(f'tr[data-id="{wire["dpa-hafen-2.json"]}"] .ver')).to_have_text("v2 of 2")
    expect(page.locator(f'tr[data-id="{wire["xss.json"]}"] .ver')).to_have_count(0)

    # 4. hide duplicates
    page.goto(base + "/?q=Hafen")
    expect(rows).to_have_count(2)
    page.check('input[name="dups"]')
    page.click('button[type="submit"]')
    expect(rows).to_have_count(1)

    # 5. a story: fields, versions with what changed, the duplicate cluster, the raw download link
    page.goto(base + "/")
    page.click(f'tr[data-id="{wire["dpa-hafen-2.json"]}"] a')
    expect(page.locator("#headline")).to_have_text("Nach dem Sturm: Hafen räumt auf")
    versions = page.locator("#versions .version")
    expect(versions).to_have_count(2)
    expect(page.locator(".storyhead .ver")).to_have_text("v2 of 2")
    expect(page.locator("#field-version")).to_contain_text("2 (the source's number; stored as v2")
    expect(versions.first.locator("ins").first).to_have_text("fünf")
    expect(versions.first.locator(".para.added")).to_contain_text("Containerstapel")
    expect(versions.first.locator(".changes")).to_contain_text("Sturm im Hafen")
    expect(page.locator("#cluster")).to_contain_text("Hafen: Aufräumen nach dem Sturm")
    expect(page.locator("#raw-link")).to_have_attribute("href", re.compile(r"^/raw/\d+$"))
    page.screenshot(path=str(tmp_path / "desk-story.png"), full_page=True)

    # 6. the hostile story page: still text, and no dialog ever opened
    page.goto(f"{base}/story/{wire['xss.json']}")
    expect(page.locator("#headline")).to_contain_text(XSS)
    page.screenshot(path=str(tmp_path / "desk-xss-story.png"), full_page=True)
    assert dialogs == []
    assert console_errors == []  # no CSP violation, no failed asset

    # 7. feed health and quarantine
    page.goto(base + "/feeds")
    expect(page.locator("table.feeds")).to_contain_text("reuters-en")
    page.goto(base + "/quarantine")
    expect(page.locator("table.quarantine")).to_contain_text("broken.xml")
    failed = page.locator("table.quarantine tr.failed").first
    assert failed.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 240, 240)"
    expect(failed.locator(".badge.failed")).to_have_text("failed")
    assert console_errors == []

    saved = shutil.copy(tmp_path / "desk-story.png", tmp_path / "desk.png")
    print(f"\nscreenshots: {tmp_path} (desk-incoming.png, desk-search.png, desk-story.png) {saved}")
    assert (tmp_path / "desk-story.png").stat().st_size > 10_000


def test_older_pages_and_a_killed_story_in_a_real_browser(
    desk_url: tuple[str, dict[str, int]], store: Store, page: sync_api.Page, tmp_path: Path
) -> None:
    """Every article of a feed is reachable through "older" (filters kept), and a kill notice without
    text still shows the story it withdrew."""
    base, _ = desk_url
    expect = sync_api.expect
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    bulk = ingest_bulk(store)
    page.goto(base + "/?feed=bulk")
    rows = page.locator("#incoming tbody tr[data-id]")
    seen: list[int] = []
    for _ in range(BULK):  # bounded: one page per article at worst
        expect(rows.first).to_be_visible()
        seen += [int(i) for i in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")]
        older = page.locator("#older-link")
        if older.count() == 0:
            break
        older.click()
        expect(page).to_have_url(re.compile(r"feed=bulk.*before=\d+"))
        expect(page.locator("#newest-link")).to_be_visible()
    assert seen == sorted(bulk, reverse=True)
    page.screenshot(path=str(tmp_path / "desk-older.png"), full_page=True)
    page.click("#newest-link")
    expect(page).to_have_url(re.compile(r"/\?feed=bulk$"))

    # auto-refresh brings new copy in and moves the "older" link with the rows it shows
    page.clock.install()
    page.goto(base + "/?feed=bulk")
    expect(rows).to_have_count(100)
    fresh = ingest_bulk(store, 5, feed="bulk", first=BULK)
    page.clock.run_for(31_000)
    expect(rows.first).to_have_attribute("data-id", str(fresh[-1]))
    expect(rows.first).to_have_class(re.compile(r"\bfresh\b"))
    last = rows.last.get_attribute("data-id")
    expect(page.locator("#older-link")).to_have_attribute("href", re.compile(rf"before={last}$"))

    kill = ninjs("urn:afp:5", "KILL", [], provider="AFP", version=2, pubstatus="canceled")
    notice = ingest_document(store, kill, "kill.json", feed="afp-de").article_ids[0]
    page.goto(f"{base}/story/{notice}")
    expect(page.locator(".storyhead .badge.canceled")).to_be_visible()
    expect(page.locator("#killnote")).to_contain_text("v1 of 2")
    expect(page.locator("#body")).to_contain_text("Diese Meldung wurde zurückgezogen")
    page.screenshot(path=str(tmp_path / "desk-killed.png"), full_page=True)
    assert console_errors == []


def test_api_docs_render_offline_in_a_real_browser(
    desk_url: tuple[str, dict[str, int]], page: sync_api.Page, tmp_path: Path
) -> None:
    """Swagger UI comes up from the desk alone: every request the page makes goes to the desk (any other
    is aborted and recorded), and the strict CSP reports nothing."""
    base, _ = desk_url
    expect = sync_api.expect
    outside: list[str] = []
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    def only_the_desk(route: sync_api.Route) -> None:
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_desk)
    page.goto(base + "/api/docs")
    operations = page.locator(".swagger-ui .opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = operations.evaluate_all(
        "nodes => nodes.map(n => n.textContent.replace(/\\u200b/g, ''))"
    )
    assert "/api/articles" in paths and "/api/articles/{article_id}/versions" in paths
    expect(page.locator(".opblock-summary-path", has_text="/api/feeds")).to_have_count(1)
    page.locator(".opblock-summary-path", has_text="/api/feeds").click()
    expect(page.locator(".opblock.is-open")).to_contain_text("Configured feeds and health")
    page.screenshot(path=str(tmp_path / "desk-api-docs.png"), full_page=True)
    assert outside == []
    assert console_errors == []  # a CSP violation would be logged here
