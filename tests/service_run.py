"""``wiredesk run`` as a real process for service tests: started on a feeds file and its own SQLite store,
always ended (killed if a test failed before stopping it)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WIREDESK = Path(sys.executable).parent / "wiredesk"


@contextmanager
def running_service(
    tmp_path: Path, feeds: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """``wiredesk run ARGS`` with ``WIREDESK_FEEDS=feeds`` and a store in ``tmp_path`` (stderr piped as
    text); ``env`` adds or overrides variables."""
    environ = {
        **os.environ,
        "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'svc.db'}",
        "WIREDESK_FEEDS": str(feeds),
        **(env or {}),
    }
    process = subprocess.Popen(
        [str(WIREDESK), "run", *args], env=environ, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
