"""The one small interface every delivery transport implements, and what they share.

A transport fetches a *batch* of raw documents, each with a delivery *handle*; the runner
(``ingest.transports.runner``) commits each document (stored or quarantined) and only then hands the handle
back to ``acknowledge``. At-least-once delivery plus the idempotent store gives exactly-once records
(DESIGN.md, storage rules): a crash between commit and acknowledgement redelivers a document the store
already holds, a crash before commit redelivers one it does not hold yet -- nothing is lost.

Credentials always come from environment variables named in the feed's ``auth`` table; every value read
is registered with ``config.redact`` so that no log line, error or health entry can show it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from config.patterns import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, FilePatterns
from config.redact import register_secret
from ingest.transports.state import TransportState


class TransportError(Exception):
    """A delivery could not be fetched or acknowledged; the message is safe to log (no secrets).

    ``retry_after`` (seconds) is set when the server said when to come back (HTTP 429/503)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class TransportSpec:
    """What a transport needs of a configured feed (built from ``config.feeds.FeedConfig``).

    ``auth`` is the feed's auth table as written (``type`` plus ``*_env`` variable names and non-secret
    names such as a header name); ``options`` holds the transport's own keys (``mode``, ``query``,
    ``patterns``, ``max_per_poll`` ...)."""

    name: str
    transport: str
    url: str | None = None
    path: str | None = None
    auth: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    format: str | None = None
    agency: str | None = None
    language: str | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE

    @property
    def patterns(self) -> FilePatterns:
        """Which remote files this feed takes (``config.patterns.file_wanted``)."""
        return FilePatterns(self.include, self.exclude)

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def int_option(self, key: str, default: int, minimum: int = 1) -> int:
        value = self.options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise TransportError(f"feed {self.name}: {key} must be an integer >= {minimum}")
        return value

    def strings_option(self, key: str) -> list[str]:
        value = self.options.get(key, [])
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TransportError(f"feed {self.name}: {key} must be a string or a list of strings")
        return list(value)


@dataclass(slots=True)
class Delivery:
    """One raw document as delivered, with what its transport needs to acknowledge it.

    ``origin`` names the entry, item or remote file (never a credential). ``oversized`` marks ``data`` as
    only the first bytes of a document over the size cap (``size`` bytes): it is quarantined, not parsed.
    ``format_name`` overrides the feed's format for this document (an AP NITF rendition);
    ``language_hint`` the feed's language (from the item's metadata); ``hints`` fill fields the document
    leaves empty (``ingest.transports.hints``). ``failure`` marks a delivery that cannot become a document
    (an item whose text is gone): ``data`` (what is known of it) is quarantined with that reason."""

    data: bytes
    origin: str
    handle: Any = None
    size: int = 0
    oversized: bool = False
    format_name: str | None = None
    language_hint: str | None = None
    hints: dict[str, str] = field(default_factory=dict)
    failure: str | None = None

    def __post_init__(self) -> None:
        if not self.size:
            self.size = len(self.data)


@dataclass(slots=True)
class Batch:
    """What one ``fetch`` returned.

    ``retry_after``: seconds the server asked us to wait before the next poll. ``more``: the server holds
    more right now (the runner fetches again, within the feed's cap). ``on_complete`` advances a cursor;
    the runner calls it only after every delivery of the batch was committed and acknowledged."""

    deliveries: list[Delivery] = field(default_factory=list)
    retry_after: float | None = None
    more: bool = False
    on_complete: Callable[[TransportState], None] | None = None


class Transport(Protocol):
    """One delivery mechanism for one feed."""

    kind: str

    def fetch(self, state: TransportState) -> Batch:
        """The next batch of documents; raises ``TransportError``."""
        ...

    def acknowledge(self, delivery: Delivery, quarantined: bool, state: TransportState) -> None:
        """Tell the source ``delivery`` is committed (stored, or quarantined when ``quarantined``);
        raises ``TransportError`` when the source refused (the document will come again)."""
        ...

    def close(self) -> None: ...


def secret(
    name: str | None,
    what: str,
    environ: Mapping[str, str] | None = None,
    *,
    register: bool = True,
) -> str:
    """The value of environment variable ``name``, stripped and registered for redaction.

    ``register=False`` for a login *name* (FTP/SFTP/OAuth2 user): it is not a secret, and a short one
    (``dpa``, ``wire``) registered for redaction would mask that word in every log line and origin.
    Raises ``TransportError`` naming the variable (never a character of its value) when it is unset."""
    env = os.environ if environ is None else environ
    if not name:
        raise TransportError(f"{what}: the auth table names no environment variable")
    value = env.get(name)
    if value is None or not value.strip():
        raise TransportError(f"environment variable {name} ({what}) is not set")
    if register:
        register_secret(value)
    value = value.strip()
    if not value.isprintable():
        raise TransportError(f"environment variable {name} ({what}) holds unprintable characters")
    return value


def auth_headers(spec: TransportSpec, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Headers for the simple auth types a transport may reuse: ``bearer`` (``token_env``) and
    ``header`` (``name`` + ``value_env``, e.g. AP's ``x-api-key``); no auth gives none."""
    kind = spec.auth.get("type")
    if kind is None:
        return {}
    if kind == "bearer":
        return {
            "Authorization": "Bearer " + secret(spec.auth.get("token_env"), "bearer token", environ)
        }
    if kind == "header":
        name = spec.auth.get("name") or ""
        return {name: secret(spec.auth.get("value_env"), f"header {name}", environ)}
    raise TransportError(
        f"feed {spec.name}: auth type {kind!r} does not fit transport {spec.transport}"
    )
