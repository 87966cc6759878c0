"""``/api/docs``: Swagger UI for the JSON API, served by the desk itself, so it works without a network.

FastAPI's own docs page loads Swagger UI from a CDN and bootstraps it with an inline script, which needs a
network and a relaxed Content-Security-Policy. Here the assets come from the installed ``fastapi-offline``
package (it vendors Swagger UI 5, which reads the OpenAPI 3.1 schema FastAPI writes; the older
``swagger-ui-bundle`` ships 4.x, which refuses 3.1), the page is our template and the bootstrap is our
static ``api-docs.js``: the page runs under the desk's strict CSP like every other. Only the files the
page needs are served (an allow-list), never the package folder as a whole.
"""

from __future__ import annotations

from importlib import metadata, resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from desk.pages import templates

PACKAGE = "fastapi_offline"
ASSETS = Path(str(resources.files(PACKAGE) / "static"))
"""The folder of vendored Swagger UI release files inside the installed package."""
ASSET_PREFIX = "/api/docs/assets"
SERVED = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon.png"})
_TYPES = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}

router = APIRouter(include_in_schema=False)


def assets_version() -> str:
    """The installed asset package and its version, shown in the page header (``fastapi-offline 1.7.7``)."""
    return f"fastapi-offline {metadata.version('fastapi-offline')}"


@router.get("/api/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The Swagger UI page over ``/api/openapi.json``: same-origin assets only, no inline script."""
    spec_url = request.app.openapi_url or "/api/openapi.json"
    return templates.TemplateResponse(
        request,
        "api_docs.html",
        {"spec_url": spec_url, "assets": ASSET_PREFIX, "version": assets_version()},
    )


@router.get(ASSET_PREFIX + "/{name}")
def docs_asset(name: str) -> FileResponse:
    """One allow-listed Swagger UI file from the installed package (404 for anything else)."""
    path = ASSETS / name
    if name not in SERVED or not path.is_file():
        raise HTTPException(status_code=404, detail="no such documentation asset")
    return FileResponse(
        path,
        media_type=_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=86400"},
    )
