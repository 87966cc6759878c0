"""The one HTTP client set-up every fetch uses (feeds and delivery transports): timeouts, redirects, size of
the connection pool, and the rule that credentials stay with their origin.

httpx drops only ``Authorization`` on a redirect to another host; agencies also authenticate with their own
headers (``X-Api-Key``) and query keys (``apikey=``). A request carries a :class:`CredentialScope` in its
extensions; the request hook below removes the named headers and query parameters on every hop that leaves
the origin (scheme, host and port; an http:80 -> https:443 upgrade of the same host keeps them, as httpx does
for ``Authorization``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

from config.settings import Settings

log = logging.getLogger(__name__)

SCOPE_EXTENSION = "wiredesk.credentials"  # request extension: where the credentials may go
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: httpx.URL) -> tuple[str, str, int]:
    """(scheme, host, port) with the scheme's default port filled in."""
    return url.scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(url.scheme, 0)


@dataclass(frozen=True, slots=True)
class CredentialScope:
    """The origin the credentials belong to and the names of the headers and query parameters that carry
    them."""

    origin: tuple[str, str, int]
    headers: frozenset[str] = frozenset()
    params: frozenset[str] = frozenset()

    @classmethod
    def for_url(
        cls,
        url: httpx.URL | str,
        headers: frozenset[str] = frozenset(),
        params: frozenset[str] = frozenset(),
    ) -> CredentialScope:
        return cls(origin(httpx.URL(url)), headers, params)


def same_origin(scope: tuple[str, str, int], url: httpx.URL) -> bool:
    """Same scheme, host and port; or the same host moved from http:80 to https:443."""
    target = origin(url)
    upgrade = scope[0] == "http" and scope[2] == 80 and target[0] == "https" and target[2] == 443
    return target == scope or (upgrade and target[1] == scope[1])


def drop_credentials_off_origin(request: httpx.Request) -> None:
    """httpx request hook (every hop of a redirect chain): a request to another origin than the scope's
    carries none of its credential headers or query parameters."""
    scope = request.extensions.get(SCOPE_EXTENSION)
    if not isinstance(scope, CredentialScope) or same_origin(scope.origin, request.url):
        return
    for name in scope.headers:
        request.headers.pop(name, None)
    kept = [(k, v) for k, v in request.url.params.multi_items() if k not in scope.params]
    if len(kept) != len(request.url.params.multi_items()):
        request.url = request.url.copy_with(params=kept)
    log.info("redirect to another origin: credentials not sent", extra={"host": request.url.host})


def new_client(settings: Settings) -> httpx.Client:
    """An httpx client with the settings' timeouts and redirect limit, gzip/deflate, our User-Agent and the
    credential rule above."""
    return httpx.Client(
        timeout=httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.connect_timeout,
        ),
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        event_hooks={"request": [drop_credentials_off_origin]},
    )
