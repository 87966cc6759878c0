"""A bad filter in a real browser (headless Chromium, as tests/test_desk_browser.py): the desk answers 400
with the reason and no rows -- never an unfiltered list that looks filtered -- and the kept form fixes it.

Needs Debian's ``chromium`` and Playwright for Python (see tests/test_desk_browser.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.app import create_app
from desk.server import DeskThread
from storage.store import Store
from tests.test_fresh_user_review import WIRE, free_port

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not installed (apt-get install -y chromium; .ci/run does this)",
)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')"
)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def base(store: Store) -> Iterator[str]:
    with store.transaction() as conn:
        for record in WIRE.values():
            store.save_article(conn, record)
    server = DeskThread(create_app(store), "127.0.0.1", free_port())
    assert server.start(), "the desk did not start"
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def test_a_bad_filter_in_a_real_browser(base: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            console_errors: list[str] = []
            page.on(
                "console",
                lambda msg: console_errors.append(msg.text) if msg.type == "error" else None,
            )
            response = page.goto(base + "/?urgency=12&lang=en")
            assert response is not None and response.status == 400
            notice = page.locator("#filter-errors")
            expect(notice).to_be_visible()
            expect(notice).to_contain_text("urgency wants a number from 1 (flash) to 8")
            expect(page.locator("#incoming tbody tr[data-id]")).to_have_count(0)
            expect(page.locator('input[name="lang"]')).to_have_value("en")  # the form is kept
            page.screenshot(path=str(tmp_path / "desk-bad-filter.png"), full_page=True)
            # the editor picks a valid urgency and applies: the list comes back, filtered
            page.select_option('select[name="urgency"]', "")
            page.click('button[type="submit"]')
            expect(page).to_have_url(re.compile(r"lang=en"))
            expect(notice).to_have_count(0)
            english = sum(1 for record in WIRE.values() if record.language == "en")
            expect(page.locator("#incoming tbody tr[data-id]")).to_have_count(english)
            # the 400 itself is a console error in Chromium ("Failed to load resource"); nothing else
            assert all("400" in text for text in console_errors), console_errors
        finally:
            browser.close()
