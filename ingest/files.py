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

from config.patterns import FilePatterns, file_wanted

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


ARCHIVE_SUFFIXES = (
    ".zip",
    ".tar",
    ".tar.gz",
    ".tgz",
    ".gz",
    ".tar.bz2",
    ".tbz2",
    ".tar.xz",
    ".txz",
)


def is_archive(path: Path) -> bool:
    """An archive by name (``wiredesk backfill`` reads these member by member; a document parser would
    take one for a truncated text file)."""
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A path that could not be listed or does not exist, with the operating system's reason."""

    path: Path
    reason: str


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def walk_files(
    paths: list[Path], patterns: FilePatterns | None = None
) -> Iterator[Path | Unreadable]:
    """Files named directly (always taken), and the files below named folders that ``patterns`` take
    (``config.patterns``: defaults skip dot-files, ``*.md``, ``*.tsv``, ``*.csv``, ``*.expected.json``),
    in a stable order. A missing path or a folder that cannot be listed comes out as ``Unreadable``;
    symlinked folders are not followed."""
    for path in paths:
        if path.is_dir():
            yield from _walk_folder(path, patterns)
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield Unreadable(path, "No such file or directory")


def _walk_folder(root: Path, patterns: FilePatterns | None) -> Iterator[Path | Unreadable]:
    problems: list[OSError] = []
    for folder, dirs, names in os.walk(root, onerror=problems.append):
        while problems:
            exc = problems.pop()
            yield Unreadable(Path(exc.filename or folder), _reason(exc))
        dirs.sort()
        base = Path(folder)
        for name in sorted(names):
            child = base / name
            if file_wanted(child.relative_to(root), patterns):
                yield child
    for exc in problems:
        yield Unreadable(Path(exc.filename or root), _reason(exc))


def iter_files(paths: list[Path], patterns: FilePatterns | None = None) -> Iterator[Path]:
    """The files of :func:`walk_files`, leaving out what cannot be listed."""
    for entry in walk_files(paths, patterns):
        if isinstance(entry, Path):
            yield entry
