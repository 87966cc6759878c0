"""A disk copy of the language-profile matrix, so a short-lived process does not rebuild it.

``normalizers.language_profiles.load`` builds its n-gram matrix from langdetect's JSON profiles: about 60 ms
of CPU, a fifth of ``wiredesk parse`` on one file (issue 17's start-up budget is 0.3 s). The finished matrix
is kept in the user's cache directory (``WIREDESK_CACHE_DIR``, else ``$XDG_CACHE_HOME/wiredesk``, else
``~/.cache/wiredesk``) as two files named by a hash of everything it is built from: this format's version,
the language list and each profile file's name, size and modification time. The matrix file is plain
little-endian float32 in row order, read into an ``array`` without numpy: ``wiredesk parse`` on one file
then never imports numpy (0.17 s of CPU, more than the rest of the command). A copy is written atomically
(temporary file, then rename), so concurrent processes never read half a file; a copy that is missing,
unreadable or inconsistent is rebuilt, and a cache directory that cannot be written is simply not used
(logged at debug level). Only the newest ``KEEP_COPIES`` copies are kept: every virtual environment (every
CI clone) has profile files of its own modification time, hence copies of its own.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
from array import array
from itertools import count
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT_VERSION = "2"
KEEP_COPIES = 8
_SEPARATOR = "\x00"  # between n-grams in the grams file; no profile n-gram holds it
_FLOAT32 = "f"


def cache_directory(environ: dict[str, str] | None = None) -> Path:
    """Where the copies live (see the module docstring for the order of choices)."""
    env = os.environ if environ is None else environ
    if env.get("WIREDESK_CACHE_DIR"):
        return Path(env["WIREDESK_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wiredesk"


def cache_key(languages: tuple[str, ...], directory: Path) -> str:
    """A name for the matrix of ``languages`` built from the profile files in ``directory``."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}".encode())
    for code in languages:
        stat = (directory / code).stat()
        digest.update(f"|{code}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _paths(key: str, root: Path) -> tuple[Path, Path]:
    return root / f"profiles-{key}.grams", root / f"profiles-{key}.f32"


def read(
    key: str, languages: int, root: Path | None = None
) -> tuple[dict[str, int], array[float]] | None:
    """The rows (n-gram -> row) and the flat row-major float32 matrix (``len(rows) + 1`` rows of
    ``languages`` values) stored under ``key``, or ``None`` when there is no usable copy (a matrix of another
    size, an unknown-strings row that is not all zeros)."""
    grams_path, matrix_path = _paths(key, root or cache_directory())
    matrix: array[float] = array(_FLOAT32)
    try:
        grams = grams_path.read_text(encoding="utf-8").split(_SEPARATOR)
        data = matrix_path.read_bytes()
        matrix.frombytes(data)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if sys.byteorder == "big":
        matrix.byteswap()
    if len(matrix) != (len(grams) + 1) * languages or any(matrix[len(matrix) - languages :]):
        log.debug("language profile cache %s is inconsistent; rebuilding", key)
        return None
    return dict(zip(grams, count())), matrix


def write(key: str, rows: dict[str, int], matrix: array[float], root: Path | None = None) -> None:
    """Store ``rows`` (numbered 0.. in order) and the flat float32 ``matrix`` under ``key``, then drop all
    but the newest ``KEEP_COPIES`` copies; never raises for a directory that cannot be written."""
    grams = list(rows)
    if any(_SEPARATOR in gram for gram in grams):
        return
    directory = root or cache_directory()
    grams_path, matrix_path = _paths(key, directory)
    little_endian = array(_FLOAT32, matrix)
    if sys.byteorder == "big":
        little_endian.byteswap()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _replace(grams_path, _SEPARATOR.join(grams).encode("utf-8"))
        _replace(matrix_path, little_endian.tobytes())
        _prune(directory)
    except OSError as exc:
        log.debug(
            "language profile cache not written",
            extra={"directory": str(directory), "error": str(exc)},
        )


def _replace(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


def _prune(directory: Path) -> None:
    """Remove every copy but the ``KEEP_COPIES`` newest (and copies of older format versions)."""
    copies = sorted(
        directory.glob("profiles-*.f32"), key=lambda path: path.stat().st_mtime, reverse=True
    )
    for path in [*copies[KEEP_COPIES:], *directory.glob("profiles-*.npy")]:
        for companion in (path, path.with_suffix(".grams")):
            companion.unlink(missing_ok=True)
