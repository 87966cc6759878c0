"""Where backfill documents come from: files, directory trees and archives, streamed member by member.

Archives are read as streams (``tarfile`` stream mode, ``zipfile`` member by member, ``gzip``), one member in
memory at a time and never written to disk, so a 20 GB archive of a decade of copy costs one document of
memory. Member names are still checked: an absolute path, a ``..`` part, a drive letter or a link is
refused (logged and counted, never followed), because archives come from outside and a name that tries to
escape says the archive is not what it claims to be. A member larger than the document limit is refused
before it is read to the end (zip bombs).

Each document carries ``position``: how many bytes of the inputs (as stored on disk, compressed) had been
consumed once it was read. The progress display measures a run by it against ``input_bytes``, so no
archive is read twice to count its members first (issue 16, finding 12: a compressed tar used to be
decompressed once to count and once to ingest).
"""

from __future__ import annotations

import gzip
import logging
import re
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Protocol

from config.oneline import shown
from config.patterns import file_wanted
from ingest.files import (
    Oversized,
    Skipped,
    Unreadable,
    open_document,
    read_capped,
    walk_files,
)

log = logging.getLogger(__name__)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
ARCHIVE_SUFFIXES = (*TAR_SUFFIXES, ".zip", ".gz")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One document to backfill. ``data`` is None when it was refused (``refused`` says why)."""

    origin: str
    data: bytes | None
    date: datetime | None = None  # delivery time (file/member mtime): the fallback document date
    refused: str | None = None
    position: int = 0  # input bytes consumed so far, this document included (see module doc)
    oversized: str | None = (
        None  # a plain file over the cap: ``data`` is its first bytes, this is why
    )


def archive_kind(path: Path) -> str | None:
    """``tar``, ``zip``, ``gz`` or None, from the file name (a ``.gz`` holding a tar is a tar)."""
    name = path.name.lower()
    if name.endswith(TAR_SUFFIXES):
        return "tar"
    if name.endswith(".zip"):
        return "zip"
    if name.endswith(".gz"):
        return "gz"
    return None


def unsafe_name(name: str) -> str | None:
    """Why an archive member name is refused, or None when it is a plain relative path."""
    if not name or "\x00" in name:
        return "empty or NUL in member name"
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or _DRIVE.match(normalised):
        return "absolute member path"
    if ".." in PurePosixPath(normalised).parts:
        return "member path leaves the archive ('..')"
    return None


def _hidden(name: str) -> bool:
    """Members that are not copy are skipped exactly as in a folder, by ``config.patterns.file_wanted`` with
    the default patterns: dot files, macOS resource forks, a README, a delivery log, test expectations.
    (Called after ``unsafe_name``, so ``..`` is refused, not skipped as hidden.)"""
    return not file_wanted(PurePosixPath(name.replace("\\", "/")))


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _read_limited(stream: _Readable, limit: int) -> bytes | None:
    """At most ``limit`` bytes; None when the stream holds more (read no further than limit + 1)."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _mtime(seconds: float) -> datetime | None:
    try:
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    except (OverflowError, OSError, ValueError):
        return None


def _zip_time(origin: str, date_time: tuple[int, ...]) -> datetime | None:
    """A zip member's DOS timestamp as aware UTC, or None when it is no real date (``1980-00-00`` from a
    broken archiver): it is only the fallback document date, so the member is still read, and logged."""
    try:
        year, month, day, hour, minute, second = date_time[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        log.warning(
            "archive member date unusable; the document's own date is used",
            extra={"origin": origin, "date_time": "-".join(str(part) for part in date_time)},
        )
        return None


def _refused(origin: str, reason: str, position: int = 0) -> SourceDoc:
    log.warning("archive member refused", extra={"origin": origin, "reason": reason})
    return SourceDoc(origin=origin, data=None, refused=reason, position=position)


def iter_tar(path: Path, limit: int) -> Iterator[SourceDoc]:
    """Members of a (compressed) tar, streamed: ``r|*`` never seeks, so nothing is held but one member.
    ``position`` is the compressed bytes read so far."""
    with open_document(path) as raw, tarfile.open(fileobj=raw, mode="r|*") as archive:
        for member in archive:
            # TarFile keeps every member it has read in ``members`` (about 0.7 KB each, unbounded over a
            # million-member archive); a stream never goes back, so the list is dropped as we go.
            archive.members = []  # type: ignore[attr-defined]  # real attribute, not in typeshed
            origin = f"{path}!{member.name}"
            reason = unsafe_name(member.name)
            if member.isdir() or (reason is None and _hidden(member.name)):
                continue
            if reason is None and not member.isfile():
                reason = "link or special file in archive"
            if reason is None and not 0 <= member.size <= limit:
                reason = f"member of {member.size} bytes is over the {limit}-byte limit"
            if reason is not None:
                yield _refused(origin, reason, raw.tell())
                continue
            stream = archive.extractfile(member)
            if stream is None:
                continue
            yield SourceDoc(origin, stream.read(), _mtime(float(member.mtime)), None, raw.tell())


def iter_zip(path: Path, limit: int) -> Iterator[SourceDoc]:
    """Members of a zip, one at a time; sizes are checked while reading, not trusted from the header.

    Archive metadata is untrusted input: whatever is wrong with one member (name, date, size, method,
    compressed data) costs that member, logged and counted as refused, never the rest of the archive."""
    with open_document(path) as raw, zipfile.ZipFile(raw) as archive:
        for info in archive.infolist():
            origin = f"{path}!{info.filename}"
            try:
                doc = _zip_member(archive, info, origin, limit)
            except Exception as exc:  # a member's metadata must not stop the archive
                doc = _refused(origin, f"unreadable member: {type(exc).__name__}")
            if doc is not None:
                yield replace(doc, position=_zip_end(info))


def _zip_end(info: zipfile.ZipInfo) -> int:
    """Where a member's data ends in the file (members are read in central-directory order, which is the
    order they were written in): header, name, extra field and compressed data."""
    try:
        return int(info.header_offset) + 30 + len(info.filename.encode()) + int(info.compress_size)
    except (TypeError, ValueError):
        return 0


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str, limit: int
) -> SourceDoc | None:
    reason = unsafe_name(info.filename)
    if info.is_dir() or (reason is None and _hidden(info.filename)):
        return None
    mode = (info.external_attr >> 16) & 0o170000
    if reason is None and mode == 0o120000:
        reason = "link or special file in archive"
    if reason is None and info.file_size > limit:
        reason = f"member of {info.file_size} bytes is over the {limit}-byte limit"
    if reason is not None:
        return _refused(origin, reason)
    try:
        with archive.open(info) as stream:
            data = _read_limited(stream, limit)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as exc:
        return _refused(origin, f"unreadable member: {exc}")
    if data is None:
        return _refused(origin, f"member expands beyond the {limit}-byte limit")
    return SourceDoc(origin, data, _zip_time(origin, info.date_time))


def iter_gzip(path: Path, limit: int) -> Iterator[SourceDoc]:
    """A single gzip-compressed document, decompressed with a bound."""
    origin = str(path)
    try:
        with open_document(path) as raw, gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            data = _read_limited(stream, limit)
    except (OSError, EOFError, zlib.error) as exc:
        yield _refused(origin, f"broken gzip file: {exc}")
        return
    if data is None:
        yield _refused(origin, f"expands beyond the {limit}-byte limit")
        return
    stat = path.stat()
    yield SourceDoc(origin, data, _mtime(stat.st_mtime), None, stat.st_size)


def _iter_archive(path: Path, kind: str, limit: int) -> Iterator[SourceDoc]:
    try:
        if kind == "tar":
            yield from iter_tar(path, limit)
        elif kind == "zip":
            yield from iter_zip(path, limit)
        else:
            yield from iter_gzip(path, limit)
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        # A truncated archive still yielded every member before the damage.
        yield _refused(str(path), f"broken {kind} archive: {exc}")


def _read_file(path: Path, limit: int, streams: bool) -> SourceDoc:
    """A plain file, read with the streamed cap (``ingest.files.read_capped``): one over the cap keeps its
    first bytes and the reason, for the quarantine, as on every other path (issue 16, finding 4).
    ``streams``: a path named on the command line, which may be a pipe or device."""
    try:
        data = read_capped(path, limit, streams=streams)
        stat = path.stat()
    except OSError as exc:
        return _refused(str(path), f"cannot read: {exc.strerror or exc}")
    when = _mtime(stat.st_mtime)
    size = stat.st_size if isinstance(data, Oversized) else len(data)
    if isinstance(data, Oversized):
        log.warning("file over the size cap", extra={"origin": str(path), "bytes": data.size})
        return SourceDoc(str(path), data.prefix, when, None, size, data.reason)
    return SourceDoc(str(path), data, when, None, size)


def input_files(paths: list[Path], protected: frozenset[Path] = frozenset()) -> Iterator[Path]:
    """The files below ``paths`` a run reads (``ingest.files.walk_files`` with the default patterns):
    what is left out (a FIFO, a link out of its folder, the store's files) or cannot be listed is logged,
    one line each, and skipped."""
    for entry in walk_files(paths, None, protected):
        if isinstance(entry, Skipped | Unreadable):
            log.warning(
                "file skipped" if isinstance(entry, Skipped) else "path unreadable",
                extra={"path": shown(entry.path), "reason": entry.reason},
            )
            continue
        yield entry


def iter_path_documents(
    paths: list[Path],
    limit: int,
    *,
    protected: frozenset[Path] = frozenset(),
    named: frozenset[Path] | None = None,
) -> Iterator[SourceDoc]:
    """Every document below ``paths`` in a stable order: plain files as they are, archives member by member;
    ``position`` counts the input bytes consumed over all paths. ``protected``: files never
    read from a folder (``ingest.files.store_files``); ``named``: the paths the operator named (default ``paths``): only
    those may be pipes or devices, read with the cap (a FIFO found in a folder is skipped)."""
    given = frozenset(paths) if named is None else named
    done = 0
    for path in input_files(paths, protected):
        kind = archive_kind(path)
        docs = (
            [_read_file(path, limit, path in given)]
            if kind is None
            else _iter_archive(path, kind, limit)
        )
        for doc in docs:
            yield replace(doc, position=done + doc.position)
        done += _size(path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def input_bytes(paths: list[Path], protected: frozenset[Path] = frozenset()) -> int:
    """The size of every input file together: the progress display's total (one ``stat`` per file; no
    archive is opened; nothing is logged: ``iter_path_documents`` says what it skips)."""
    return sum(
        _size(entry) for entry in walk_files(paths, None, protected) if isinstance(entry, Path)
    )


def documents_at_most(paths: list[Path], most: int) -> int:
    """How many documents ``paths`` hold, counted up to ``most`` without reading any document: ``most``
    as soon as there are that many. A zip counts its file members (its central directory, read from
    the end of the file), a plain ``.gz`` one document; a tar counts as ``most`` (its members are known
    only by decompressing it whole)."""
    count = 0
    for entry in walk_files(paths):
        if isinstance(entry, Path):
            count += _documents_in(entry, most)
            if count >= most:
                return most
    return count


def _documents_in(path: Path, most: int) -> int:
    kind = archive_kind(path)
    if kind is None or kind == "gz":
        return 1
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return sum(1 for member in archive.infolist() if not member.is_dir())
        except (OSError, zipfile.BadZipFile, ValueError):
            return 1  # read (and quarantined) as one document
    return most
