"""Argument types and checks shared by ``wiredesk`` and ``scripts/backfill.py`` (``ingest.backfill.options``).

Kept apart from ``ingest.cli`` so that the backfill options (imported by parser processes too) take the
same rules without loading the whole command line: one message per mistake, whichever entry point."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NoReturn

from config.oneline import shown

#: Parser processes per core, and in all, that ``--workers`` accepts: more only adds processes that wait
#: (each costs about 30 MB and a start-up), and 100,000 exhausted the machine (rc 137).
WORKERS_PER_CORE = 4
MAX_WORKERS = 64


def _int(value: str) -> int:
    """ASCII digits only: ``int()`` also reads ``٣`` (an Arabic-Indic three) and ``1_000``."""
    text = value.strip()
    if not text.lstrip("+-").isascii() or not text.lstrip("+-").isdigit():
        raise argparse.ArgumentTypeError(f"want a whole number, not {value!r}")
    return int(text)


class OneLineParser(argparse.ArgumentParser):
    """``argparse`` that refuses in one line (``wiredesk ingest: argument --workers: ... (see wiredesk
    ingest --help)``), exit 2: the usage block printed above every error pushed the error out of sight."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def positive_int(value: str) -> int:
    """An argument that must be a whole number of at least 1 (``--batch``, ``--limit``)."""
    number = _int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"want a whole number of at least 1, not {value!r}")
    return number


def non_negative_int(value: str) -> int:
    """An argument that must be a whole number of at least 0 (``--workers``: 0 = in this process)."""
    number = _int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"want a whole number of at least 0, not {value!r}")
    return number


def worker_ceiling() -> int:
    """The most parser processes a run may start: ``WORKERS_PER_CORE`` per core, at most ``MAX_WORKERS``."""
    return min(MAX_WORKERS, WORKERS_PER_CORE * (os.cpu_count() or 1))


def workers_problem(workers: int | None) -> str | None:
    """What is wrong with a ``--workers`` value, in one line, or None (None itself: the default)."""
    if workers is None:
        return None
    if workers < 0:
        return f"--workers: want 0 (parse in this process) or more, not {workers}"
    ceiling = worker_ceiling()
    if workers > ceiling:
        return (
            f"--workers: at most {ceiling} parser processes ({WORKERS_PER_CORE} per core on "
            f"{os.cpu_count() or 1} cores, never over {MAX_WORKERS}), not {workers}"
        )
    return None


MAX_BATCH = 10_000


def batch_size(value: str) -> int:
    """``--batch``: documents per write transaction, 1 to ``MAX_BATCH`` (a run holds a batch's documents in
    memory until it commits; more than this gains no speed, and a huge value held the whole run)."""
    number = positive_int(value)
    if number > MAX_BATCH:
        raise argparse.ArgumentTypeError(f"at most {MAX_BATCH:,} documents per batch, not {number}")
    return number


def worker_count(value: str) -> int:
    """``--workers``: 0 (parse in this process) up to ``worker_ceiling()``."""
    number = non_negative_int(value)  # the same words as ``wiredesk ingest --workers -1``
    problem = workers_problem(number)
    if problem:
        raise argparse.ArgumentTypeError(problem.removeprefix("--workers: "))
    return number


def article_id(value: str) -> int:
    """An article id (the store's 64-bit range)."""
    number = _int(value)
    if not 0 <= number <= 2**63 - 1:
        raise argparse.ArgumentTypeError(f"want an article id (0 or more), not {value!r}")
    return number


EMPTY_PATH = "an empty path names no file (use . for the current folder)"


def missing(path: Path, verb: str) -> str | None:
    """``cannot VERB PATH: No such file or directory`` when nothing is at ``path``, else None (a dangling
    symlink is something: reading it later says why it cannot be read)."""
    if path.exists() or path.is_symlink():
        return None
    return f"cannot {verb} {shown(path)}: No such file or directory"


def path_argument(value: str) -> Path:
    """A path argument; an empty one is refused: ``Path("")`` is the current folder, and ``ingest ""``
    (an unset shell variable) would read everything there, the store included."""
    if not value.strip():
        raise argparse.ArgumentTypeError(EMPTY_PATH)
    return Path(value)


def backfill_path(value: str) -> Path:
    """A backfill input that exists (a missing one would otherwise be counted as a refused member and the
    run would exit 0)."""
    path = path_argument(value)
    problem = missing(path, "backfill")
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return path


def backfill_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with parsed backfill arguments before a run starts (the argument types refuse the
    same on the command line; this also holds for a namespace built by a caller)."""
    problem = workers_problem(args.workers)
    if problem:
        return problem
    if args.batch < 1:
        return f"--batch: want at least 1 document per transaction, not {args.batch}"
    for path in args.paths:
        problem = missing(path, "backfill")
        if problem:
            return problem
    return None
