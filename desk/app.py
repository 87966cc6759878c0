"""The FastAPI application: desk pages at ``/``, the JSON API at ``/api``, ``/healthz``.

Everything the app needs is handed in (store, feed list, API token, the re-run action), so the CLI, the
tests and the service build it the same way and the desk imports nothing from ``ingest``.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.feeds import FeedConfig
from storage.store import Store


@dataclass(frozen=True, slots=True)
class RerunResult:
    """What re-running a quarantined document did."""

    resolved: bool
    stored: int = 0
    error: str | None = None


Rerun = Callable[[int], RerunResult]
"""Re-ingest the raw bytes of quarantine entry ``id``; mark it resolved when the document now parses."""


@dataclass(slots=True)
class DeskContext:
    store: Store
    feeds: list[FeedConfig] = field(default_factory=list)
    api_token: str | None = None
    rerun: Rerun | None = None


SECURITY_HEADERS = {
    # No inline script or style anywhere: an escaping bug elsewhere still cannot run code.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class HeadAsGet:
    """Answer ``HEAD`` on every ``GET`` route (RFC 9110 9.3.2: same status and headers, no body).

    FastAPI routes declared with ``get`` answer ``HEAD`` with 405, which breaks monitors and link checkers
    (``curl -I``). This outermost ASGI layer runs a ``HEAD`` request as ``GET`` -- through every check a
    ``GET`` passes (host, token) -- and drops the body it produces; ``Content-Length`` stays as ``GET``'s."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def _desk_token_ok(header: str, expected: str) -> bool:
    """``Authorization: Bearer TOKEN`` or HTTP Basic with the token as password (any user name: what a
    browser's login prompt sends), compared in constant time."""
    scheme, _, value = header.partition(" ")
    given = ""
    if scheme.lower() == "bearer":
        given = value.strip()
    elif scheme.lower() == "basic":
        try:
            given = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            given = ""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def create_app(
    store: Store,
    *,
    feeds: list[FeedConfig] | None = None,
    api_token: str | None = None,
    rerun: Rerun | None = None,
    allowed_hosts: list[str] | None = None,
    desk_token: str | None = None,
) -> FastAPI:
    """The desk + API over ``store``. ``api_token`` (if set) guards ``/api``; ``rerun`` enables the
    quarantine page's re-run button.

    ``allowed_hosts``: Host header values served (others get 400), the defence against DNS rebinding, in
    which a foreign page reaches the desk under its own name; None serves any (for embedding in tests).
    ``desk_token``: when set, every page but ``/healthz`` needs it (bearer or HTTP Basic password), and it
    also guards ``/api`` when no ``api_token`` is given."""
    from desk import api, apidocs, pages
    from desk.render import STATIC

    app = FastAPI(
        title="wiredesk",
        summary="Wire desk and JSON API over the wiredesk store",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,  # desk.apidocs serves Swagger UI from the installed package, not a CDN
        redoc_url=None,
    )
    app.state.desk = DeskContext(store, list(feeds or []), api_token or desk_token or None, rerun)
    if desk_token:

        @app.middleware("http")
        async def require_desk_token(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            if request.url.path == "/healthz" or request.url.path.startswith("/api/"):
                return await call_next(request)  # /api has its own bearer check (same token)
            if _desk_token_ok(request.headers.get("authorization", ""), desk_token):
                return await call_next(request)
            return PlainTextResponse(
                "desk token required",
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="wiredesk", charset="UTF-8"'},
            )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        """A parameter outside what the store holds is the client's mistake: 400 with what was wrong
        (the message only, never the value echoed back), for pages and API alike."""
        problems = [
            f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', 'invalid')}"
            for error in exc.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=400)

    if allowed_hosts is not None:
        # Added last, so it runs first: nothing is served under a name the desk was not given.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(HeadAsGet)  # outermost: HEAD passes every check a GET passes
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(apidocs.router)
    app.include_router(pages.router)
    return app


def context_of(request: Request) -> DeskContext:
    context: DeskContext = request.app.state.desk
    return context
