"""Remote folders (FTP, FTPS, SFTP): list, take settled wanted files, commit, then move or remember them.

One rule for every protocol (the protocol modules only list, read, make folders and rename):

- A file is taken when its name passes the feed's ``include``/``exclude`` patterns
  (``config.patterns.file_wanted``) and it is *settled*: its size and mtime were the same in the previous
  listing of this feed, or its mtime is at least ``WIREDESK_SETTLE_SECONDS`` old -- a file still being
  uploaded is left for the next poll.
- Default (``read_only = false``): after the document is committed, the file is renamed into ``done/`` (or
  ``failed/`` when it was quarantined) on the server. Unlike a move *before* storing, a crash in between
  only means the file is taken again, and the idempotent store absorbs it.
- ``read_only = true`` (accounts that may not rename): nothing is changed on the server; after commit the
  file's name, size and mtime go to the feed's seen-list in the store (``transport_seen``), a file with
  another size or mtime counts as new, and entries of files gone from the listing are pruned.
"""

from __future__ import annotations

import logging
import posixpath
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import unquote, urlsplit

from config.patterns import file_wanted
from config.settings import Settings
from ingest.transports.base import Batch, Delivery, TransportError, TransportSpec
from ingest.transports.state import TransportState

log = logging.getLogger(__name__)
BATCH_FILES = 20  # files read per fetch: bounded memory, and acknowledgements follow soon


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One regular file of the remote folder: ``name`` (no folder), ``size`` in bytes, ``mtime`` as the
    server states it (compared for equality) and ``modified`` as an aware datetime when it could be read."""

    name: str
    size: int | None
    mtime: str | None
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class RemoteBytes:
    """What ``read`` returned: the whole file, or (``oversized``) only its first bytes."""

    data: bytes
    size: int
    oversized: bool = False


class RemoteFolder(Protocol):
    """A connection to one remote folder; every method raises ``TransportError`` (safe message)."""

    def listing(self) -> list[RemoteFile]: ...

    def read(self, name: str, cap: int) -> RemoteBytes: ...

    def move(self, name: str, folder: str) -> str:
        """Rename ``name`` into subfolder ``folder`` (made when missing); returns the new name."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class RemoteAddress:
    """``scheme://host:port/folder`` of a feed (never credentials: the feed config refuses them)."""

    scheme: str
    host: str
    port: int | None
    folder: str

    @classmethod
    def of(cls, spec: TransportSpec, schemes: Mapping[str, int]) -> RemoteAddress:
        """Parse ``spec.url``; ``schemes`` maps each accepted scheme to its default port."""
        parts = urlsplit(spec.url or "")
        if parts.scheme not in schemes or not parts.hostname:
            wanted = " or ".join(f"{s}://host/folder" for s in schemes)
            raise TransportError(f"feed {spec.name}: url must be {wanted}")
        folder = posixpath.normpath(unquote(parts.path) or "/")
        return cls(parts.scheme, parts.hostname, parts.port or schemes[parts.scheme], folder)

    def origin(self, name: str) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{posixpath.join(self.folder, name)}"


def unique_name(name: str) -> str:
    """``name`` with a UTC timestamp before its extension, for a target that already exists."""
    stem, dot, ext = name.rpartition(".")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{stem}.{stamp}.{ext}" if dot and stem else f"{name}.{stamp}"


class RemoteFolderTransport:
    """The shared logic of ``ftp``, ``ftps`` and ``sftp`` over a ``RemoteFolder``."""

    def __init__(
        self, kind: str, spec: TransportSpec, settings: Settings, folder: RemoteFolder
    ) -> None:
        self.kind, self.spec, self.settings, self.folder = kind, spec, settings, folder
        self.read_only = bool(spec.option("read_only", False))
        self.done_dir = str(spec.option("done_dir", "done"))
        self.failed_dir = str(spec.option("failed_dir", "failed"))
        for value in (self.done_dir, self.failed_dir):
            if not value or "/" in value or value in (".", ".."):
                raise TransportError(f"feed {spec.name}: done_dir/failed_dir must be folder names")
        self.address: RemoteAddress | None = None
        self._previous: dict[str, tuple[int | None, str | None]] = {}

    def close(self) -> None:
        self.folder.close()

    def _settled(self, entry: RemoteFile, now: datetime) -> bool:
        if self._previous.get(entry.name) == (entry.size, entry.mtime):
            return True
        if entry.modified is None:
            return self.settings.settle_seconds <= 0
        return (now - entry.modified).total_seconds() >= self.settings.settle_seconds

    def fetch(self, state: TransportState) -> Batch:
        listing = self.folder.listing()
        now = datetime.now(UTC)
        if self.read_only and state.seen is not None:
            dropped = state.seen.prune({entry.name for entry in listing})
            if dropped:
                log.info("seen-list pruned", extra={"feed": self.spec.name, "dropped": dropped})
        wanted: list[RemoteFile] = []
        for entry in sorted(listing, key=lambda e: (e.mtime or "", e.name)):
            if not file_wanted(entry.name, self.spec.patterns) or not self._settled(entry, now):
                continue
            if (
                self.read_only
                and state.seen is not None
                and state.seen.contains(entry.name, entry.size, entry.mtime)
            ):
                continue
            wanted.append(entry)
        self._previous = {entry.name: (entry.size, entry.mtime) for entry in listing}
        deliveries = [self._delivery(entry) for entry in wanted[:BATCH_FILES]]
        return Batch(deliveries, more=len(wanted) > BATCH_FILES)

    def _delivery(self, entry: RemoteFile) -> Delivery:
        started = time.perf_counter()
        got = self.folder.read(entry.name, self.settings.max_document_bytes)
        log.debug(
            "remote file read",
            extra={
                "feed": self.spec.name,
                "file": entry.name,
                "bytes": got.size,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        assert self.address is not None
        return Delivery(
            data=got.data,
            origin=self.address.origin(entry.name),
            handle=entry,
            size=got.size,
            oversized=got.oversized,
        )

    def acknowledge(self, delivery: Delivery, quarantined: bool, state: TransportState) -> None:
        entry = delivery.handle
        if not isinstance(entry, RemoteFile):
            raise TransportError("delivery without its remote file")
        if self.read_only:
            if state.seen is None:
                raise TransportError("read-only remote folder needs the store's seen-list")
            state.seen.add(entry.name, entry.size, entry.mtime)
            return
        target = self.failed_dir if quarantined else self.done_dir
        moved = self.folder.move(entry.name, target)
        log.info(
            "remote file moved",
            extra={"feed": self.spec.name, "file": entry.name, "to": f"{target}/{moved}"},
        )
