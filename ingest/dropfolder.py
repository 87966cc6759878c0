"""Drop folders (the FTP-delivery pattern): agencies write files into a folder; we take the finished ones.

A file still being written (modified less than ``settle_seconds`` ago, or a temporary name such as
``*.part``/``*.tmp``) is left for the next run. After ingest a file moves to ``done/`` or, if it was
quarantined, to ``failed/``; its bytes are also in the store either way. What a folder walk leaves out is
left out here too (``ingest.files.skip_reason``, one check): symlinks leading out of the folder (a drop
folder can never be used to read other files), FIFOs, sockets and devices, the store's own files.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

from config.oneline import shown
from config.patterns import FilePatterns, file_wanted
from ingest.files import skip_reason

log = logging.getLogger(__name__)
DONE, FAILED = "done", "failed"
TEMPORARY_SUFFIXES = (".part", ".tmp", ".filepart", ".partial", ".crdownload", "~")


def ready_files(
    folder: Path,
    settle_seconds: float,
    now: float | None = None,
    patterns: FilePatterns | None = None,
    protected: frozenset[tuple[int, int]] = frozenset(),
) -> Iterator[Path]:
    """Finished files directly in ``folder`` (oldest first) that the feed's ``patterns`` take, excluding
    ``done/`` and ``failed/``. Dot-files are always skipped: uploaders write them before the rename.
    ``protected``: ``ingest.files.identities`` of the store's files. A file left out for what it is (a
    FIFO, an outside link) is logged at debug level: the next poll finds it again."""
    moment = time.time() if now is None else now
    root = folder.resolve()
    candidates = []
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(".") or name.endswith(TEMPORARY_SUFFIXES) or name in {DONE, FAILED}:
            continue
        if not file_wanted(name, patterns):
            continue
        try:
            why = skip_reason(entry, root, protected)
            if why is not None:
                log.debug("drop-folder file skipped", extra={"path": shown(entry), "reason": why})
                continue
            stat = entry.stat()
        except OSError:
            continue
        if moment - stat.st_mtime < settle_seconds:
            continue  # still growing; next run
        candidates.append((stat.st_mtime, name, entry))
    for _mtime, _name, entry in sorted(candidates):
        yield entry


def move_processed(path: Path, failed: bool) -> Path:
    """Move ``path`` into ``done/`` or ``failed/`` next to it, never overwriting an earlier file."""
    target_dir = path.parent / (FAILED if failed else DONE)
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    counter = 1
    while target.exists():
        target = target_dir / f"{path.stem}.{counter}{path.suffix}"
        counter += 1
    path.replace(target)
    return target
