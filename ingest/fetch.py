"""Where bytes come from: HTTP feeds (httpx) and local drop folders.

HTTP: connect/read timeouts plus a total deadline (a server dripping one byte a second never trips a read
timeout), a streamed size cap (the rest is never read), gzip/deflate, a bounded number of redirects, a
descriptive User-Agent, conditional GET (ETag / Last-Modified; a 304 costs no parse), and retries with
exponential backoff and jitter for connect errors and 5xx answers. Credentials come from environment
variables named in the feed config and never appear in logs or error messages, and they go to the feed's
own origin only: httpx drops ``Authorization`` on a redirect to another origin, but not an agency's key
header (``X-Api-Key``) or a key the server echoes into the redirect's query; every request hook here drops
all of the feed's credential headers and query parameters from a request to another origin.
"""

from __future__ import annotations

import base64
import logging
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from config.feeds import AuthConfig, FeedConfig
from config.redact import redact, redact_url, register_secret
from config.settings import Settings
from ingest.httpclient import SCOPE_EXTENSION, CredentialScope, new_client

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class FetchError(Exception):
    """A feed could not be fetched; the message is safe to log and show (no secrets)."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: int
    content: bytes | None
    etag: str | None
    last_modified: str | None
    url: str
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _secret(env: Mapping[str, str], name: str | None, what: str) -> str:
    """The secret in environment variable ``name``: surrounding whitespace (a trailing newline from a
    secrets file) removed, registered for redaction, and checked to be printable ASCII -- an HTTP header
    cannot carry anything else, and the error must name the variable, never a character of the value."""
    value = env.get(name or "")
    if value is None or not value.strip():
        raise FetchError(f"{what} variable {name} is not set")
    register_secret(value)
    value = value.strip()
    if not value.isascii() or not value.isprintable():
        raise FetchError(f"{what} variable {name} holds characters other than printable ASCII")
    return value


def auth_request(
    auth: AuthConfig | None, environ: Mapping[str, str] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, query parameters) that authenticate a request, from the variables the config names.

    Raises ``FetchError`` (naming the variable only) when a variable is unset or unusable."""
    if auth is None:
        return {}, {}
    env = os.environ if environ is None else environ
    if auth.type == "bearer":
        return {"Authorization": f"Bearer {_secret(env, auth.token_env, 'bearer token')}"}, {}
    if auth.type == "header":
        return {str(auth.name): _secret(env, auth.value_env, f"header {auth.name}")}, {}
    if auth.type == "query":
        return {}, {str(auth.name): _secret(env, auth.value_env, f"query parameter {auth.name}")}
    user = _secret(env, auth.username_env, "basic auth user")
    password = _secret(env, auth.password_env, "basic auth password")
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    register_secret(credentials)
    return {"Authorization": f"Basic {credentials}"}, {}


def auth_headers(
    auth: AuthConfig | None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The authentication headers alone (``auth_request`` without query parameters)."""
    return auth_request(auth, environ)[0]


class HttpFetcher:
    """One httpx client shared by all HTTP feeds (connection reuse); thread-safe for concurrent polls."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.client = new_client(settings)

    def close(self) -> None:
        self.client.close()

    def fetch(
        self, feed: FeedConfig, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET the feed, retrying transient failures; raises ``FetchError`` with a safe message."""
        if feed.url is None:
            raise FetchError(f"feed {feed.name} has no url")
        headers, params = auth_request(feed.auth)
        secrets = frozenset(headers) | {"Authorization"}, frozenset(params)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                result = self._get_once(feed.url, headers, params, secrets)
            except _Retryable as exc:
                if attempt == attempts:
                    raise FetchError(redact(f"{exc} (after {attempts} attempts)")) from None
                delay = min(self.settings.backoff_cap, 2 ** (attempt - 1)) * (
                    0.5 + self.rng.random()
                )
                log.warning(
                    "fetch failed, retrying",
                    extra={
                        "feed": feed.name,
                        "attempt": attempt,
                        "error": redact(str(exc)),
                        "retry_in": round(delay, 2),
                    },
                )
                self.sleep(delay)
                continue
            return result
        raise AssertionError("unreachable")

    def _get_once(
        self,
        url: str,
        headers: dict[str, str],
        params: dict[str, str] | None = None,
        secrets: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    ) -> FetchResult:
        cap = self.settings.max_document_bytes
        deadline = time.monotonic() + self.settings.total_timeout
        try:
            # Merged into the URL's own query (httpx's ``params=`` would replace it).
            target = httpx.URL(url).copy_merge_params(params) if params else httpx.URL(url)
            scope = CredentialScope.for_url(target, *secrets)
            with self.client.stream(
                "GET", target, headers=headers, extensions={SCOPE_EXTENSION: scope}
            ) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(f"server error HTTP {response.status_code}")
                if response.status_code == 304:
                    return FetchResult(
                        304,
                        None,
                        _etag(response),
                        _last_modified(response),
                        redact_url(str(response.url)),
                    )
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise FetchError(
                        f"response of {int(declared)} bytes is over the {cap}-byte limit; not read"
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise FetchError(
                            f"response exceeded the {cap}-byte limit; the rest was not read"
                        )
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"response took longer than {self.settings.total_timeout:g} s; abandoned"
                        )
                    chunks.append(chunk)
                return FetchResult(
                    response.status_code,
                    b"".join(chunks),
                    _etag(response),
                    _last_modified(response),
                    redact_url(str(response.url)),  # the origin: never with a query credential
                    response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                )
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {self.settings.max_redirects} redirects") from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retryable(f"connection failed: {type(exc).__name__}") from None
        except (httpx.ReadError, httpx.RemoteProtocolError):
            raise _Retryable("connection reset while reading the response") from None
        except httpx.ReadTimeout:
            raise FetchError(
                f"no data for {self.settings.read_timeout:g} s (read timeout)"
            ) from None
        except httpx.DecodingError:
            raise FetchError("response body could not be decoded (broken gzip/deflate)") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"HTTP failure: {type(exc).__name__}") from None


class _Retryable(Exception):
    """A failure worth another attempt (connection trouble, 5xx)."""


def _etag(response: httpx.Response) -> str | None:
    value: str | None = response.headers.get("ETag")
    return value


def _last_modified(response: httpx.Response) -> str | None:
    value: str | None = response.headers.get("Last-Modified")
    return value
