"""Backfill run checkpoints: one small JSON file per run, ``<dir>/<run-id>.json``, replaced atomically.

Why a file and not a table: a checkpoint is operator state about one command invocation, not news data; it
needs no migration, can be read with ``cat`` and deleted with ``rm``. Correctness never depends on it:

- for paths and archives, progress is derived from the store itself -- a document whose raw bytes (sha256)
  are stored was committed together with its articles in one transaction, so a resumed run skips it
  without parsing; the checkpoint keeps the run's options and counts;
- for ``--from-store``/``--quarantine`` the checkpoint's ``cursor`` is the last raw document / quarantine
  id whose batch was committed (written only *after* the commit), and replaying is idempotent, so a
  checkpoint one batch behind costs one batch of repeated work, never a lost or duplicated article.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path("var/backfill")
_RUN_ID_CHARS = set("0123456789abcdefghijklmnopqrstuvwxyzTZ-")


def checkpoint_dir() -> Path:
    """``WIREDESK_BACKFILL_DIR`` or ``var/backfill`` (next to the default store)."""
    return Path(os.environ.get("WIREDESK_BACKFILL_DIR") or DEFAULT_DIR)


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: ``20261127T101500Z-3f9a1c``."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{moment}-{secrets.token_hex(3)}"


def valid_run_id(run_id: str) -> bool:
    """A run id names a file: nothing but the characters ``new_run_id`` uses (no paths)."""
    return bool(run_id) and len(run_id) <= 64 and set(run_id) <= _RUN_ID_CHARS


@dataclass(slots=True)
class Checkpoint:
    run_id: str
    options: dict[str, Any]
    state: str = "running"  # running | interrupted | done
    cursor: int = 0  # --from-store / --quarantine: last committed id
    upto: int = 0  # --from-store / --quarantine: the newest id when the run started
    counts: dict[str, int] = field(default_factory=dict)
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    updated_at: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        data = json.loads(text)
        return cls(
            run_id=str(data["run_id"]),
            options=dict(data["options"]),
            state=str(data.get("state", "running")),
            cursor=int(data.get("cursor", 0)),
            upto=int(data.get("upto", 0)),
            counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            created_at=str(data.get("created_at", "")),
            updated_at=str(data.get("updated_at", "")),
        )


def path_for(directory: Path, run_id: str) -> Path:
    if not valid_run_id(run_id):
        raise ValueError(f"not a backfill run id: {run_id!r}")
    return directory / f"{run_id}.json"


def save(directory: Path, checkpoint: Checkpoint) -> Path:
    """Write via a temporary file in the same directory, fsync, rename: a reader sees old or new, whole."""
    directory.mkdir(parents=True, exist_ok=True)
    checkpoint.updated_at = datetime.now(UTC).isoformat()
    target = path_for(directory, checkpoint.run_id)
    fd, temporary = tempfile.mkstemp(prefix=f".{checkpoint.run_id}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(checkpoint.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def load(directory: Path, run_id: str) -> Checkpoint:
    """The checkpoint of ``run_id``; ``FileNotFoundError`` when there is none."""
    return Checkpoint.from_json(path_for(directory, run_id).read_text(encoding="utf-8"))
