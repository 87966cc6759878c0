"""``/api/docs`` works offline (issue 17 item 5): the page and every asset it references come from the app
(Swagger UI from the installed ``fastapi-offline`` package), under the desk's strict CSP. The Chromium
test (tests/test_desk_browser.py) renders it with every request outside the desk refused and recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from desk.apidocs import ASSETS, SERVED
from desk.app import SECURITY_HEADERS, create_app
from storage.store import Store

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = Store.open(f"sqlite:///{tmp_path / 'wiredesk.db'}")
    try:
        with TestClient(create_app(store, desk_token="desk-secret")) as test_client:
            yield test_client
    finally:
        store.close()


def references(html: str) -> list[str]:
    """Every URL the page loads or links to (scripts, stylesheets, icons, images, links)."""
    document = lxml.html.fromstring(html)
    found = document.xpath("//script/@src | //link/@href | //img/@src | //a/@href")
    return [str(value) for value in found]


def test_docs_page_and_every_asset_it_references_come_from_the_app(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert "<script>" not in page.text and "cdn" not in page.text.lower()
    urls = references(page.text)
    assert {"/api/docs/assets/swagger-ui-bundle.js", "/api/docs/assets/swagger-ui.css"} <= set(urls)
    assert "/static/api-docs.js" in urls
    fetched: dict[str, bytes] = {}
    pending = list(urls)
    while pending:
        url = pending.pop()
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"external reference on /api/docs: {url}"
        if url in fetched:
            continue
        response = client.get(url, headers={"Authorization": "Bearer desk-secret"})
        assert response.status_code == 200, url
        fetched[url] = response.content
        if url.endswith(".css"):  # images and fonts the stylesheet pulls in
            for found in _CSS_URL.findall(response.content.decode("utf-8", "replace")):
                if not found.startswith("data:"):
                    pending.append(urljoin(url, found))
    # the bytes are the installed package's
    bundle = fetched["/api/docs/assets/swagger-ui-bundle.js"]
    assert bundle == (ASSETS / "swagger-ui-bundle.js").read_bytes()
    assert len(bundle) > 500_000 and b"SwaggerUIBundle" in bundle  # the real Swagger UI
    spec = client.get("/api/openapi.json").json()
    assert "/api/articles" in spec["paths"]
    assert "/api/docs" not in spec["paths"]  # the page is not part of the API it documents
    tags = {path: op["tags"] for path, ops in spec["paths"].items() for op in ops.values()}
    assert tags["/api/feeds"] == ["feeds"] and tags["/api/articles"] == ["articles"]


def test_only_the_listed_files_are_served(client: TestClient) -> None:
    assert {"swagger-ui.css", "swagger-ui-bundle.js"} <= SERVED
    for name in ("redoc.standalone.js", "core.py", "..%2Fcore.py", "swagger-ui.css.map"):
        assert client.get(f"/api/docs/assets/{name}").status_code == 404, name
    assert client.get("/api/docs/assets/../../desk/app.py").status_code == 404
    css = client.get("/api/docs/assets/swagger-ui.css")
    assert css.headers["content-type"].startswith("text/css")
    assert css.headers["x-content-type-options"] == "nosniff"
