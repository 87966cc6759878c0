"""Which files in a folder are wire documents: include/exclude name patterns, shared by ``wiredesk ingest``,
backfill, archive members, drop-folder feeds and the delivery transports (one rule, one function:
:func:`file_wanted`; one check of a pattern: :func:`check_pattern`).

Agencies' folders also hold things that are not copy: a README, delivery logs and manifests (``*.log``,
``*.tsv``, ``*.csv``), test expectations (``*expected.json``, ``*expected.jsonl``), editor and sync files
(dot-files, ``__MACOSX``) and, when the store lives next to the copy, SQLite's own files (``*.db``,
``*.sqlite``, ``*-wal``, ``*-shm``, ``*-journal``). Stored as articles they would be garbage on the desk (or,
for the store, the store read into itself), so the default skips them. Wire formats keep their usual
names (``.xml``, ``.json`` for ninjs/digitalwires, ``.txt``, ``.html`` ...) and are all taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePath

DEFAULT_INCLUDE: tuple[str, ...] = ("*",)
#: Hidden files and folders: uploaders write ``.name`` before the rename, sync tools keep state in them.
HIDDEN: tuple[str, ...] = (".*", "__MACOSX")
#: SQLite's database, write-ahead log, shared memory and rollback journal (sqlite.org/tempfiles.html).
STORE_FILES: tuple[str, ...] = (
    "*.db",
    "*.sqlite",
    "*.sqlite3",
    "*-wal",
    "*-shm",
    "*-journal",
)
#: Files that travel with copy but are not copy: notes, delivery logs and manifests, test expectations.
NOT_COPY: tuple[str, ...] = (
    "README",
    "README.*",
    "*.md",
    "*.log",
    "*.tsv",
    "*.csv",
    "*expected.json",
    "*expected.jsonl",
)
DEFAULT_EXCLUDE: tuple[str, ...] = (*HIDDEN, *STORE_FILES, *NOT_COPY)
#: Skipped whatever the lists say: a store file is never a document.
ALWAYS_EXCLUDE: tuple[str, ...] = STORE_FILES


@dataclass(frozen=True, slots=True)
class FilePatterns:
    """Shell-style patterns (``*``, ``?``, ``[abc]``), matched without regard to case.

    A pattern without ``/`` is tried on the file name and, for ``exclude``, on every folder name on the way
    (``.*`` skips dot-folders, ``drafts`` a drafts folder); a pattern with ``/`` is tried on the path
    relative to the folder being walked. An ``exclude`` list given replaces :data:`DEFAULT_EXCLUDE`; an
    ``include`` list given wins over the default exclude list (``*.md`` takes ``.md`` files) but for
    :data:`HIDDEN`, and not over an exclude list given. :data:`ALWAYS_EXCLUDE` (the store's files) holds
    whatever the lists say."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE


def _matches(pattern: str, relative: PurePath, parts: tuple[str, ...]) -> bool:
    pattern = pattern.lower()
    if "/" in pattern:
        return fnmatchcase(relative.as_posix().lower(), pattern.strip("/"))
    return any(fnmatchcase(part.lower(), pattern) for part in parts)


def file_wanted(relative: PurePath | str, patterns: FilePatterns | None = None) -> bool:
    """True if the file at ``relative`` (its path below the walked folder, or just its name) is taken:
    its name matches an include pattern and neither it nor a folder on the way matches an exclude one
    (with the precedence of :class:`FilePatterns`)."""
    rules = patterns or FilePatterns()
    path = PurePath(relative)
    if not path.parts:
        return False
    if not any(_matches(p, path, (path.name,)) for p in rules.include):
        return False
    if any(_matches(p, path, path.parts) for p in ALWAYS_EXCLUDE):
        return False
    if rules.exclude == DEFAULT_EXCLUDE and rules.include != DEFAULT_INCLUDE:
        # An include list given names what is wanted: the default exclusions give way, but for hidden
        # files (an upload not yet renamed, a sync tool's state).
        return not any(_matches(p, path, path.parts) for p in HIDDEN)
    return not any(_matches(p, path, path.parts) for p in rules.exclude)


def _bracket_end(pattern: str, start: int) -> int:
    """Where the ``]`` closing the ``[`` at ``start`` is, by fnmatch's rules (a leading ``!`` and a first
    ``]`` are members), or -1."""
    index = start + 1
    if index < len(pattern) and pattern[index] == "!":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    return pattern.find("]", index)


def check_pattern(pattern: str) -> str:
    """``pattern`` without surrounding blanks; raises ``ValueError`` (a one-line reason) for an empty one
    or one with an unclosed ``[``, which fnmatch would silently take as a literal and match nothing."""
    text = pattern.strip()
    if not text.strip("/"):
        raise ValueError(f"empty file name pattern {pattern!r}")
    if "\x00" in text:
        raise ValueError(f"NUL in file name pattern {pattern!r}")
    index = text.find("[")
    while index != -1:
        end = _bracket_end(text, index)
        if end == -1:
            raise ValueError(f"unclosed '[' in file name pattern {pattern!r}")
        index = text.find("[", end + 1)
    return text


def check_patterns(value: object) -> tuple[str, ...]:
    """A TOML value (or command-line list) as a pattern list; raises ``ValueError`` saying what is wrong."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError('want a list of file name patterns, e.g. ["*.xml", "*.json"]')
    return tuple(check_pattern(v) for v in value)
