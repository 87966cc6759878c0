"""Which files in a folder are wire documents: include/exclude name patterns, shared by ``wiredesk ingest``,
drop-folder feeds and the delivery transports (one rule, one function: :func:`file_wanted`).

Agencies' folders also hold things that are not copy: a README, a delivery log (``.tsv``/``.csv``), test
expectations (``*.expected.json``), editor and sync files (dot-files). Stored as articles they would be
garbage on the desk, so the default skips them; a feed or an ``ingest`` run may give its own lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePath

DEFAULT_INCLUDE: tuple[str, ...] = ("*",)
DEFAULT_EXCLUDE: tuple[str, ...] = (".*", "*.md", "*.tsv", "*.csv", "*.expected.json")


@dataclass(frozen=True, slots=True)
class FilePatterns:
    """Shell-style patterns (``*``, ``?``, ``[abc]``), matched without regard to case.

    A pattern without ``/`` is tried on the file name and, for ``exclude``, on every folder name on the way
    (``.*`` skips dot-folders, ``drafts`` a drafts folder); a pattern with ``/`` is tried on the path
    relative to the folder being walked. An ``exclude`` list given replaces :data:`DEFAULT_EXCLUDE`."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE


def _matches(pattern: str, relative: PurePath, parts: tuple[str, ...]) -> bool:
    pattern = pattern.lower()
    if "/" in pattern:
        return fnmatchcase(relative.as_posix().lower(), pattern.strip("/"))
    return any(fnmatchcase(part.lower(), pattern) for part in parts)


def file_wanted(relative: PurePath | str, patterns: FilePatterns | None = None) -> bool:
    """True if the file at ``relative`` (its path below the walked folder, or just its name) is taken:
    its name matches an include pattern and neither it nor a folder on the way matches an exclude one."""
    rules = patterns or FilePatterns()
    path = PurePath(relative)
    if not path.parts:
        return False
    if not any(_matches(p, path, (path.name,)) for p in rules.include):
        return False
    return not any(_matches(p, path, path.parts) for p in rules.exclude)


def check_patterns(value: object) -> tuple[str, ...]:
    """A TOML value as a pattern list; raises ``ValueError`` saying what is wrong."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError('want a list of file name patterns, e.g. ["*.xml", "*.json"]')
    return tuple(v.strip() for v in value)
