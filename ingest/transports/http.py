"""HTTP for the API transports (httpx): the same limits as feed fetching, for any method.

Connect/read timeouts plus a total deadline per request, a streamed size cap (the rest is never read), a
bounded number of redirects, the service's User-Agent, and retries with exponential backoff and jitter for
connection errors and 5xx answers. 429 is returned to the caller, which knows what waiting means for its
protocol (``retry_after``). Error messages never carry a URL's credentials or a header value.

A redirect to another origin (an agency's rendition link answered by a storage host) never carries the
caller's credential headers: httpx drops only ``Authorization``, so a request hook drops every header the
caller gave except the plain ones in ``PLAIN_HEADERS`` (an ``X-Api-Key`` stays with the API's origin).
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from config.redact import redact, redact_url
from config.settings import Settings
from ingest.httpclient import SCOPE_EXTENSION, CredentialScope, new_client
from ingest.transports.base import TransportError

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({500, 502, 503, 504})
PLAIN_HEADERS = frozenset(
    {"accept", "accept-language", "content-type", "if-none-match", "if-modified-since"}
)


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """One response: status, headers, the whole body (at most the cap) and the final URL (redacted)."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    def json(self) -> Any:
        import json

        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise TransportError(f"answer from {self.url} is not JSON: {exc}") from None

    @property
    def retry_after(self) -> float | None:
        return retry_after_seconds(self.headers.get("Retry-After"))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (RFC 9110 10.2.3: delay-seconds or an HTTP-date); ``None`` if absent
    or unreadable. Capped at one day, so a broken header cannot stop a feed for good."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), 86400.0)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), 86400.0)


class TransportHttp:
    """One httpx client per transport (connection reuse within a feed)."""

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

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        cap: int | None = None,
    ) -> HttpAnswer:
        """Send one request, retrying transient failures; raises ``TransportError`` (safe message).

        ``cap`` (bytes, default ``max_document_bytes``): a longer body raises ``Oversize``."""
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(method, url, headers, params, json, data, cap)
            except _Retryable as exc:
                if attempt == attempts:
                    raise TransportError(redact(f"{exc} (after {attempts} attempts)")) from None
                delay = min(self.settings.backoff_cap, 2 ** (attempt - 1)) * (
                    0.5 + self.rng.random()
                )
                log.warning(
                    "request failed, retrying",
                    extra={"url": redact_url(url), "attempt": attempt, "error": str(exc)},
                )
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _once(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        json: Any,
        data: Mapping[str, str] | None,
        cap: int | None,
    ) -> HttpAnswer:
        limit = cap or self.settings.max_document_bytes
        deadline = time.monotonic() + self.settings.total_timeout
        secret_names = [k for k in headers or {} if k.lower() not in PLAIN_HEADERS]
        try:
            scope = CredentialScope.for_url(url, frozenset(secret_names))
            with self.client.stream(
                method,
                url,
                headers=headers,
                params=params,
                json=json,
                data=data,
                extensions={SCOPE_EXTENSION: scope},
            ) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(f"server error HTTP {response.status_code}")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise Oversize(int(declared), limit, b"")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    chunks.append(chunk)
                    if size > limit:
                        raise Oversize(size, limit, b"".join(chunks)[: 64 * 1024])
                    if time.monotonic() > deadline:
                        raise TransportError(
                            f"response took longer than {self.settings.total_timeout:g} s; abandoned"
                        )
                return HttpAnswer(
                    response.status_code,
                    response.headers,
                    b"".join(chunks),
                    redact_url(str(response.url)),
                )
        except httpx.TooManyRedirects:
            raise TransportError(f"more than {self.settings.max_redirects} redirects") from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retryable(f"connection failed: {type(exc).__name__}") from None
        except (httpx.ReadError, httpx.RemoteProtocolError):
            raise _Retryable("connection reset while reading the response") from None
        except httpx.ReadTimeout:
            raise TransportError(
                f"no data for {self.settings.read_timeout:g} s (read timeout)"
            ) from None
        except httpx.DecodingError:
            raise TransportError(
                "response body could not be decoded (broken gzip/deflate)"
            ) from None
        except httpx.HTTPError as exc:
            raise TransportError(f"HTTP failure: {type(exc).__name__}") from None


class Oversize(TransportError):
    """A response over the size cap; ``prefix`` holds its first bytes (for the quarantine)."""

    def __init__(self, size: int, limit: int, prefix: bytes) -> None:
        super().__init__(
            f"response of at least {size} bytes is over the {limit}-byte limit; not read"
        )
        self.size, self.limit, self.prefix = size, limit, prefix


class _Retryable(Exception):
    """A failure worth another attempt (connection trouble, 5xx)."""


def expect(answer: HttpAnswer, what: str, ok: frozenset[int] = frozenset({200})) -> HttpAnswer:
    """``answer`` when its status is in ``ok``; else ``TransportError`` (429 carries ``retry_after``)."""
    if answer.status in ok:
        return answer
    if answer.status == 429:
        raise TransportError(f"{what}: rate limited (HTTP 429)", retry_after=answer.retry_after)
    raise TransportError(f"{what}: HTTP {answer.status}")
