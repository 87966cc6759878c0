"""A disk copy of the language-profile matrix, so a short-lived process does not rebuild it.

``normalizers.language_profiles.load`` builds its n-gram matrix from langdetect's JSON profiles: about 60 ms
of CPU, a fifth of ``wiredesk parse`` on one file (issue 17's start-up budget is 0.3 s). The finished matrix
is kept in the user's cache directory (``WIREDESK_CACHE_DIR``, else ``$XDG_CACHE_HOME/wiredesk``, else
``~/.cache/wiredesk``) as two files named by a hash of everything it is built from: this format's version,
the language list, each profile file's name, size and modification time, and numpy's version. A copy is
written atomically (temporary file, then rename), so concurrent processes never read half a file; a copy
that is missing, unreadable or inconsistent is rebuilt, and a cache directory that cannot be written is
simply not used (logged at debug level). Reading the copy takes about a sixth of building it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from itertools import count
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FORMAT_VERSION = "1"
_SEPARATOR = "\x00"  # between n-grams in the grams file; no profile n-gram holds it


def cache_directory(environ: dict[str, str] | None = None) -> Path:
    """Where the copies live (see the module docstring for the order of choices)."""
    env = os.environ if environ is None else environ
    if env.get("WIREDESK_CACHE_DIR"):
        return Path(env["WIREDESK_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wiredesk"


def cache_key(languages: tuple[str, ...], directory: Path) -> str:
    """A name for the matrix of ``languages`` built from the profile files in ``directory``."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}|{np.__version__}".encode())
    for code in languages:
        stat = (directory / code).stat()
        digest.update(f"|{code}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _paths(key: str, root: Path) -> tuple[Path, Path]:
    return root / f"profiles-{key}.grams", root / f"profiles-{key}.npy"


def read(
    key: str, languages: int, root: Path | None = None
) -> tuple[dict[str, int], np.ndarray] | None:
    """The rows (n-gram -> row) and matrix stored under ``key``, or ``None`` when there is no usable copy
    (a matrix of another shape or type, an unknown-strings row that is not all zeros)."""
    grams_path, matrix_path = _paths(key, root or cache_directory())
    try:
        grams = grams_path.read_text(encoding="utf-8").split(_SEPARATOR)
        matrix = np.load(matrix_path, allow_pickle=False)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if (
        matrix.dtype != np.float32
        or matrix.shape != (len(grams) + 1, languages)
        or matrix[-1].any()
    ):
        log.debug("language profile cache %s is inconsistent; rebuilding", key)
        return None
    return dict(zip(grams, count())), matrix


def write(key: str, rows: dict[str, int], matrix: np.ndarray, root: Path | None = None) -> None:
    """Store ``rows`` (numbered 0.. in order) and ``matrix`` under ``key``; never raises for a directory
    that cannot be written."""
    grams = list(rows)
    if any(_SEPARATOR in gram for gram in grams):
        return
    directory = root or cache_directory()
    grams_path, matrix_path = _paths(key, directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _replace(grams_path, _SEPARATOR.join(grams).encode("utf-8"))
        with tempfile.NamedTemporaryFile(dir=directory, suffix=".npy", delete=False) as handle:
            np.save(handle, matrix, allow_pickle=False)
        os.replace(handle.name, matrix_path)
    except OSError as exc:
        log.debug(
            "language profile cache not written",
            extra={"directory": str(directory), "error": str(exc)},
        )


def _replace(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)
