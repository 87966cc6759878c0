"""Local files and directory trees as documents, read with the document size cap.

Every path that reads a local file (``wiredesk ingest``, drop folders, single-file feeds) goes through
``read_capped``: a file over ``WIREDESK_MAX_DOCUMENT_BYTES`` is never read whole (its size is checked while
streaming, not only by ``stat``, since a file may still grow), and only a bounded prefix of it is kept for
the quarantine, so an operator can see what it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

QUARANTINE_PREFIX_BYTES = 64 * 1024
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Oversized:
    """A file over the cap: its first ``QUARANTINE_PREFIX_BYTES`` and its size (at least ``size`` bytes)."""

    prefix: bytes
    size: int
    limit: int

    @property
    def reason(self) -> str:
        return (
            f"document is {self.size} bytes, over the limit of {self.limit} "
            f"(WIREDESK_MAX_DOCUMENT_BYTES); its first {len(self.prefix)} bytes are kept"
        )


def read_capped(path: Path, limit: int) -> bytes | Oversized:
    """The bytes of ``path``, or ``Oversized`` when it holds more than ``limit`` bytes.

    Memory is bounded by ``limit`` (plus one chunk) whatever the file's size. Raises ``OSError``."""
    with path.open("rb") as stream:
        size = _file_size(stream.fileno())
        if size > limit:
            return Oversized(stream.read(QUARANTINE_PREFIX_BYTES), size, limit)
        chunks: list[bytes] = []
        read = 0
        while chunk := stream.read(min(_CHUNK, limit + 1 - read) or 1):
            chunks.append(chunk)
            read += len(chunk)
            if read > limit:  # grew after stat
                return Oversized(b"".join(chunks)[:QUARANTINE_PREFIX_BYTES], read, limit)
    return b"".join(chunks)


def _file_size(fileno: int) -> int:
    return os.fstat(fileno).st_size


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Files named directly, and every non-hidden file below named directories, in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                    yield child
        else:
            yield path
