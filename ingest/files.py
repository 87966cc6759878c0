"""Local files and directory trees as documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


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
