"""``wiredesk parse`` and ``wiredesk ingest``: local files in, JSON Lines or stored articles out.

Every path that is missing, unreadable, an archive or not a wire document gets one line on stderr naming
it and why; the exit status is 2 when any path could not be read (the others are still done).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from config.oneline import shown
from config.patterns import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, FilePatterns, check_patterns
from config.redact import redact
from config.settings import Settings
from ingest.cli_args import missing, workers_problem
from ingest.files import (
    Oversized,
    Skipped,
    Unreadable,
    holds_documents,
    is_archive,
    read_capped,
    store_files,
    walk_files,
)
from ingest.parse_stage import parse_records
from normalizers.validate import valid_text
from parsers import ParseError

if TYPE_CHECKING:
    from ingest.pipeline import IngestSummary
    from storage.store import Store

log = logging.getLogger("wiredesk")


def say(message: str) -> None:
    """One line for the operator on stderr (paths in it go through ``ingest.files.shown``)."""
    print(f"wiredesk: {message}", file=sys.stderr)


def archive_hint(path: Path, verb: str = "parse") -> str:
    """The one line for an archive named to a command that reads documents, not archives."""
    return (
        f"{shown(path)} is an archive: use `wiredesk backfill {shown(path)}` or "
        f"`wiredesk ingest {shown(path)}` (they read it member by member; {verb} does not)"
    )


def skipped_line(entry: Skipped) -> str:
    return f"skipped {shown(entry.path)}: {entry.reason}"


def patterns_of(args: argparse.Namespace) -> FilePatterns:
    """``--include``/``--exclude`` as ``FilePatterns``; raises ``ValueError`` (one line) for an empty or
    malformed pattern (``config.patterns.check_pattern``: the rule feeds.toml's lists follow too)."""
    include = check_patterns(args.include) if args.include else DEFAULT_INCLUDE
    exclude = check_patterns(args.exclude) if args.exclude else DEFAULT_EXCLUDE
    return FilePatterns(include, exclude)


def usage_problem(args: argparse.Namespace) -> str | None:
    """What makes ``parse``/``ingest`` arguments unusable, in one line, or None."""
    try:
        patterns_of(args)
    except ValueError as exc:
        return f"--include/--exclude: {exc}"
    return workers_problem(getattr(args, "workers", None))


def cmd_parse(args: argparse.Namespace) -> int:
    """JSON Lines of every record; exit 2 if a file could not be read or parsed, 0 otherwise (a file with
    no text story, such as a photo or audio item, is valid wire copy: one note on stderr). Every file is
    read with the document cap (``ingest.files.read_capped``, as ``ingest`` does): a pipe or device named
    here is read up to the cap, then refused in one line."""
    problem = usage_problem(args)
    if problem:
        say(problem)
        return 2
    settings = Settings.from_env()
    named = frozenset(args.paths)
    status = 0
    for entry in walk_files(args.paths, patterns_of(args), store_files(settings.db_url)):
        if isinstance(entry, Unreadable):
            say(f"cannot parse {shown(entry.path)}: {entry.reason}")
            status = 2
            continue
        if isinstance(entry, Skipped):
            say(skipped_line(entry))
            continue
        if holds_documents(entry):
            say(archive_hint(entry))
            status = 2
            continue
        origin = redact(valid_text(str(entry)))
        try:
            raw = read_capped(entry, settings.max_document_bytes, streams=entry in named)
            if isinstance(raw, Oversized):
                say(f"cannot parse {shown(entry)}: {raw.over}")
                status = 2
                continue
            records = parse_records(raw, origin, format_name=args.format)
        except OSError as exc:
            say(f"cannot parse {shown(entry)}: {exc.strerror or exc}")
            status = 2
            continue
        except ParseError as exc:
            # A ``.gz`` is read as the one document it compresses; a tar inside one is an archive after all.
            say(
                archive_hint(entry)
                if is_archive(entry)
                else f"cannot parse {shown(entry)}: {exc.reason}"
            )
            status = 2
            continue
        if not records:
            say(f"{shown(entry)}: no text story (a photo, audio, video or metadata-only item)")
        for record in records:
            print(record.to_json())
    return status


def ingest_paths(
    store: Store,
    paths: list[Path],
    format_name: str | None = None,
    limit: int | None = None,
    patterns: FilePatterns | None = None,
    problems: list[str] | None = None,
) -> IngestSummary:
    """Ingest files and folders one document at a time; a file over ``limit`` bytes (default: the settings'
    document cap) is quarantined from its first bytes without being read whole. Paths that cannot be read,
    and archives (``wiredesk backfill`` reads those), are appended to ``problems`` as one line each."""
    from ingest.pipeline import IngestSummary, ingest_document, quarantine_oversized

    cap = Settings.from_env().max_document_bytes if limit is None else limit
    summary = IngestSummary()
    found = problems if problems is not None else []
    for entry in walk_files(paths, patterns, store_files(store.engine.url.render_as_string(False))):
        if isinstance(entry, Unreadable):
            found.append(f"cannot ingest {shown(entry.path)}: {entry.reason}")
            continue
        if isinstance(entry, Skipped):
            found.append(skipped_line(entry))
            continue
        if is_archive(entry):
            found.append(archive_hint(entry, "ingest"))
            continue
        try:
            raw = read_capped(entry, cap, streams=entry in paths)
        except OSError as exc:
            found.append(f"cannot ingest {shown(entry)}: {exc.strerror or type(exc).__name__}")
            continue
        if isinstance(raw, Oversized):
            summary.add(quarantine_oversized(store, raw.prefix, raw.size, raw.reason, str(entry)))
            continue
        summary.add(ingest_document(store, raw, str(entry), format_name=format_name))
    return summary


def cmd_ingest(args: argparse.Namespace) -> int:
    """Parse and store on backfill's engine (parser processes, batched writer, progress bar on a
    terminal); folders are expanded here with the file patterns, archives are read member by member.
    The summary line always; one line per path that could not be read, and then exit 2."""
    from ingest.backfill import ingest_paths as engine_ingest
    from storage.store import Store

    problem = usage_problem(args)
    if problem:
        say(problem)
        return 2
    settings = Settings.from_env()
    # A missing path is reported (and the exit status is 2), the other paths are still ingested.
    problems = [problem for path in args.paths if (problem := missing(path, "ingest"))]
    present = [path for path in args.paths if not missing(path, "ingest")]
    files: list[Path] = []
    notes: list[str] = []
    for entry in walk_files(present, patterns_of(args), store_files(settings.db_url)):
        if isinstance(entry, Unreadable):
            problems.append(f"cannot ingest {shown(entry.path)}: {entry.reason}")
        elif isinstance(entry, Skipped):
            notes.append(skipped_line(entry))
        else:
            files.append(entry)
    for note in notes:
        say(note)
    store = Store.open(settings.db_url)
    # A refused archive member comes back in ``problems`` and is printed once below, not also logged.
    sources_log = logging.getLogger("ingest.backfill.sources")
    level = sources_log.level
    sources_log.setLevel(logging.ERROR)
    try:
        summary = engine_ingest(
            files,
            store,
            format_name=args.format,
            workers=args.workers,
            batch=args.batch,
            settings=settings,
            problems=problems,
            named=present,
        )
    finally:
        sources_log.setLevel(level)
        store.close()
    for problem in problems:
        say(problem)
    print(summary.line())
    return 130 if summary.interrupted else (2 if problems else 0)
