"""Argument types and checks shared by ``wiredesk`` and ``scripts/backfill.py`` (``ingest.backfill.options``).

Kept apart from ``ingest.cli`` so that the backfill options (imported by parser processes too) take the
same rules without loading the whole command line: one message per mistake, whichever entry point."""

from __future__ import annotations

import argparse
from pathlib import Path


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"want a whole number, not {value!r}") from None


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


def article_id(value: str) -> int:
    """An article id (the store's 64-bit range)."""
    number = _int(value)
    if not 0 <= number <= 2**63 - 1:
        raise argparse.ArgumentTypeError(f"want an article id (0 or more), not {value!r}")
    return number


def missing(path: Path, verb: str) -> str | None:
    """``cannot VERB PATH: No such file or directory`` when nothing is at ``path``, else None (a dangling
    symlink is something: reading it later says why it cannot be read)."""
    if path.exists() or path.is_symlink():
        return None
    return f"cannot {verb} {path}: No such file or directory"


def backfill_path(value: str) -> Path:
    """A backfill input that exists (a missing one would otherwise be counted as a refused member and the
    run would exit 0)."""
    path = Path(value)
    problem = missing(path, "backfill")
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return path


def backfill_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with parsed backfill arguments before a run starts (the argument types refuse the
    same on the command line; this also holds for a namespace built by a caller)."""
    if args.workers is not None and args.workers < 0:
        return f"--workers: want 0 (parse in this process) or more, not {args.workers}"
    if args.batch < 1:
        return f"--batch: want at least 1 document per transaction, not {args.batch}"
    for path in args.paths:
        problem = missing(path, "backfill")
        if problem:
            return problem
    return None
