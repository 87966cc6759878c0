"""Local files and directory trees as documents, read with the document size cap.

Every path that reads a local file (``wiredesk parse``/``ingest``, backfill, drop folders, single-file feeds)
goes through ``read_capped``: a file over ``WIREDESK_MAX_DOCUMENT_BYTES`` is never read whole (its size is
checked while streaming, not only by ``stat``, since a file may still grow, and a pipe or device has no
size), and only a bounded prefix of it is kept for the quarantine, so an operator can see what it was.

Folder walks (``walk_files``) and drop folders (``ingest.dropfolder``) take the same files
(``skip_reason``): regular files only (a FIFO would block the run, a device never ends), never a link
whose target leaves the folder, never the store's own SQLite files. Every file is opened with
``O_NONBLOCK`` (``open_document``), so a file swapped for a FIFO after the walk cannot hang a run.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from config.patterns import FilePatterns, file_wanted

QUARANTINE_PREFIX_BYTES = 64 * 1024
_CHUNK = 1 << 16
#: SQLite's companions of a database file (sqlite.org/tempfiles.html).
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def open_document(path: Path, *, streams: bool = False) -> BinaryIO:
    """``path`` opened for reading without blocking on a FIFO (``O_NONBLOCK``), then switched back to
    blocking reads. A FIFO, socket or device is refused (``OSError`` EINVAL, "not a regular file") unless
    ``streams`` (a path named on the command line: ``parse /dev/stdin``): a FIFO is then opened again the
    ordinary way, waiting for its writer. Raises ``OSError``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if not streams:
                raise OSError(errno.EINVAL, "not a regular file", str(path))
            if stat.S_ISFIFO(mode):
                os.close(fd)
                fd = -1
                return path.open("rb")
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        return os.fdopen(fd, "rb")
    except BaseException:
        if fd >= 0:
            os.close(fd)
        raise


@dataclass(frozen=True, slots=True)
class Oversized:
    """A file over the cap: its first ``QUARANTINE_PREFIX_BYTES`` and its size (at least ``size`` bytes)."""

    prefix: bytes
    size: int
    limit: int

    @property
    def over(self) -> str:
        """What is wrong, for a command that keeps nothing (``wiredesk parse``)."""
        return (
            f"document is {'at least ' if self.size > self.limit else ''}{self.size} bytes, over the "
            f"limit of {self.limit} (WIREDESK_MAX_DOCUMENT_BYTES); not read further"
        )

    @property
    def reason(self) -> str:
        return (
            f"document is {self.size} bytes, over the limit of {self.limit} "
            f"(WIREDESK_MAX_DOCUMENT_BYTES); its first {len(self.prefix)} bytes are kept"
        )


def read_capped(path: Path, limit: int, *, streams: bool = False) -> bytes | Oversized:
    """The bytes of ``path``, or ``Oversized`` when it holds more than ``limit`` bytes.

    Memory is bounded by ``limit`` (plus one chunk) whatever the file's size, a pipe or device included
    (their size on disk is 0: they are measured while read). ``streams``: see ``open_document``.
    Raises ``OSError``."""
    with open_document(path, streams=streams) as stream:
        size = _file_size(stream.fileno())
        if size > limit:
            return Oversized(stream.read(QUARANTINE_PREFIX_BYTES), size, limit)
        chunks: list[bytes] = []
        read = 0
        while chunk := stream.read(min(_CHUNK, limit + 1 - read) or 1):
            chunks.append(chunk)
            read += len(chunk)
            if read > limit:  # grew after stat, or a stream
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


def holds_documents(path: Path) -> bool:
    """An archive of several documents by name: every archive suffix but a plain ``.gz``, which compresses
    one document (``page.html.gz``, ``story.xml.gz``: ``parse`` reads it like the document itself)."""
    name = path.name.lower()
    return is_archive(path) and (not name.endswith(".gz") or name.endswith(".tar.gz"))


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A path that could not be listed or does not exist, with the operating system's reason."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a folder that is left out on purpose (not an error): a FIFO, socket or device, a link
    leading out of the folder, or one of the store's own files; ``reason`` says which."""

    path: Path
    reason: str


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def store_files(db_url: str) -> frozenset[Path]:
    """The files of a SQLite store (database, ``-wal``, ``-shm``, ``-journal``), resolved; empty for any
    other database (``sqlite:///var/x.db`` and ``sqlite:///file:PATH?mode=ro&uri=true`` alike)."""
    prefix = "sqlite:///"
    if not db_url.startswith(prefix):
        return frozenset()
    name = db_url[len(prefix) :].split("?", 1)[0].removeprefix("file:")
    if not name or name == ":memory:":
        return frozenset()
    base = Path(name).expanduser().resolve()
    return frozenset(Path(f"{base}{suffix}") for suffix in STORE_SUFFIXES)


def identities(paths: Iterable[Path]) -> frozenset[tuple[int, int]]:
    """(device, inode) of those ``paths`` that exist: how ``skip_reason`` knows a file whatever its name."""
    found = set()
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        found.add((info.st_dev, info.st_ino))
    return frozenset(found)


STORE_FILE = "one of the store's own database files"


def skip_reason(
    entry: Path, root: Path, protected: frozenset[tuple[int, int]] = frozenset()
) -> str | None:
    """Why a file found in folder ``root`` (resolved) is not read, or None to read it: a link whose
    target is outside ``root``, anything but a regular file (FIFO, socket, device), one of
    ``protected`` (``identities(store_files(url))``: the store's own files). One ``lstat`` for a plain
    file. Raises ``OSError`` when it cannot be looked at (a dangling link: ``FileNotFoundError``)."""
    info = os.lstat(entry)
    if stat.S_ISLNK(info.st_mode):
        info = entry.stat()  # a dangling link raises: it is reported as unreadable, not skipped
        if not entry.resolve().is_relative_to(root):
            return "a link leading out of the folder"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO, socket or device)"
    if (info.st_dev, info.st_ino) in protected:
        return STORE_FILE
    return None


def walk_files(
    paths: list[Path], patterns: FilePatterns | None = None, protected: Iterable[Path] = ()
) -> Iterator[Path | Unreadable | Skipped]:
    """Files named directly (always taken, whatever they are: ``read_capped(streams=True)``), and the files
    below named folders that ``patterns`` take (``config.patterns``) and ``skip_reason`` does not leave out,
    in a stable order. ``protected``: the store's own files (``store_files``), never read, also when named.
    A missing path or a folder that cannot be listed comes out as ``Unreadable``; a file left out as
    ``Skipped``; symlinked folders are not followed."""
    guarded = identities(protected)
    for path in paths:
        if path.is_dir():
            yield from _walk_folder(path, patterns, guarded)
        elif guarded and identities([path]) & guarded:
            yield Skipped(path, STORE_FILE)  # named or not: the store never ingests itself
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield Unreadable(path, "No such file or directory")


def _walk_folder(
    root: Path, patterns: FilePatterns | None, protected: frozenset[tuple[int, int]]
) -> Iterator[Path | Unreadable | Skipped]:
    problems: list[OSError] = []
    resolved = root.resolve()
    for folder, dirs, names in os.walk(root, onerror=problems.append):
        while problems:
            exc = problems.pop()
            yield Unreadable(Path(exc.filename or folder), _reason(exc))
        dirs.sort()
        base = Path(folder)
        for name in sorted(names):
            child = base / name
            if not file_wanted(child.relative_to(root), patterns):
                continue
            try:
                why = skip_reason(child, resolved, protected)
            except OSError as error:
                yield Unreadable(child, _reason(error))
                continue
            yield child if why is None else Skipped(child, why)
    for exc in problems:
        yield Unreadable(Path(exc.filename or root), _reason(exc))


def iter_files(
    paths: list[Path], patterns: FilePatterns | None = None, protected: Iterable[Path] = ()
) -> Iterator[Path]:
    """The files of :func:`walk_files`, leaving out what cannot be listed or is skipped."""
    for entry in walk_files(paths, patterns, protected):
        if isinstance(entry, Path):
            yield entry
