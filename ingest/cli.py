"""The ``wiredesk`` command line. Its commands and outputs are a contract (DESIGN.md).

This module builds the argument parser and nothing else: each command's module is imported when that
command runs (``ingest.cli_store`` for search/show/feeds, ``ingest.cli_files`` for parse/ingest,
``ingest.cli_service`` for run/serve/poll, ``ingest.backfill`` for backfill), so ``wiredesk --help`` or a
search starts without parsers, numpy, the pipeline or the backfill machinery.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any, TextIO, cast

from config.feeds import ConfigError
from config.patterns import ALWAYS_EXCLUDE, DEFAULT_EXCLUDE
from ingest.cli_args import (
    OneLineParser,
    article_id,
    backfill_problem,
    batch_size,
    non_negative_int,
    path_argument,
    positive_int,
    worker_count,
)
from ingest.logsetup import LOG_LEVELS, log_level, log_level_problem

__all__ = [
    "article_id",
    "backfill_problem",
    "build_parser",
    "main",
    "non_negative_int",
    "positive_int",
]

STATUS_FILTERS = ("usable", "withheld", "canceled", "embargoed", "corrected")  # storage.search's
SEARCH_DEFAULT_LIMIT = 50
Command = Callable[[argparse.Namespace], int]


@cache
def _invocation_time() -> datetime:
    """One "now" per command: ``--since 1h --until 1h`` are the same instant (an empty window, refused as
    the desk and the API refuse it), not two readings of the clock microseconds apart."""
    return datetime.now(UTC)


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """``2h``, ``30m``, ``3d`` (before now) or an ISO date/datetime (UTC unless it has an offset)."""
    from storage.search import MomentError, parse_moment

    try:
        return parse_moment(value, now or _invocation_time())
    except (
        MomentError
    ) as exc:  # well formed but out of range: "too far back", not "want a duration"
        raise argparse.ArgumentTypeError(str(exc)) from exc
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"want a duration like 2h/30m/3d or a date like 2026-11-27, not {value!r}"
        ) from exc


def port_number(value: str) -> int:
    """``--port``: a TCP port, 0-65535 (0: any free port); refused here, not by ``bind()``."""
    from config.settings import port_problem

    try:
        port = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"want a port number, not {value!r}") from exc
    problem = port_problem(port)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return port


class _FormatNames:
    """The parsers' format names, read only when an argument is checked or help is printed (cheap, as
    ``parsers.registry`` reads them from the format modules' sources, but no command besides ``parse`` and
    ``ingest`` needs them)."""

    def _names(self) -> list[str]:
        from parsers import format_names

        return list(format_names())

    def __contains__(self, item: object) -> bool:
        return item in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


def _lazy(module: str, name: str) -> Command:
    def run(args: argparse.Namespace) -> int:
        command: Command = getattr(importlib.import_module(module), name)
        return command(args)

    return run


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=_FormatNames(),
        metavar="FORMAT",
        help="force a format instead of sniffing: %(choices)s",
    )


def _add_patterns(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--include",
        action="append",
        metavar="PATTERN",
        help="in folders, take only files matching this pattern (repeatable; default: all); it wins "
        "over the default excludes, not over an --exclude given",
    )
    p.add_argument(
        "--exclude",
        action="append",
        metavar="PATTERN",
        help="in folders, skip files (or folders) matching this pattern (repeatable); replaces the "
        f"default: {' '.join(p for p in DEFAULT_EXCLUDE if p not in ALWAYS_EXCLUDE)} (the store's own "
        f"files, {' '.join(ALWAYS_EXCLUDE)}, are never read)",
    )


def _add_search(commands: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = commands.add_parser(
        "search",
        help="search stored articles, newest first",
        description='Words must all occur; "a phrase" as written; -word excludes (no -- needed).',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("text", nargs="*", help='full-text words, "a phrase", -exclude')
    p.add_argument("--agency", help="canonical agency name, e.g. dpa, AFP, Reuters")
    p.add_argument("--lang", help="ISO 639-1 language code, e.g. de")
    p.add_argument("--since", type=parse_since, help="received since: 2h, 30m, 3d or a date")
    p.add_argument("--until", type=parse_since, help="received before: 2h, 30m, 3d or a date")
    p.add_argument("--feed", help="configured feed name")
    p.add_argument(
        "--urgency",
        type=int,
        choices=range(1, 9),
        metavar="N",
        help="urgency N or higher (1 = flash)",
    )
    p.add_argument("--status", choices=STATUS_FILTERS, help="only copy in this state")
    p.add_argument(
        "--no-duplicates", action="store_true", help="hide duplicates of earlier articles"
    )
    p.add_argument(
        "--sort",
        choices=("newest", "relevance"),
        default="newest",
        help="order (relevance needs words; at most 500 rows)",
    )
    p.add_argument(
        "--after",
        type=article_id,
        metavar="ID",
        help="cursor: articles stored after this id, oldest first (as the API's after=)",
    )
    p.add_argument(
        "--limit",
        type=positive_int,
        default=SEARCH_DEFAULT_LIMIT,
        help="rows to print; any number (read in pages)",
    )
    p.add_argument(
        "--all", action="store_true", help="include embargoed, canceled and old versions"
    )
    p.add_argument("--json", action="store_true", help="JSON Lines of full records")
    p.set_defaults(func=_lazy("ingest.cli_store", "cmd_search"))
    return p


def build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The parser and its ``search`` sub-parser (whose words may start with ``-``)."""
    parser = OneLineParser(
        prog="wiredesk",
        description="Wire-agency ingestion: parse, normalize, dedup and store agency copy.",
        epilog="The store is chosen by WIREDESK_DB_URL (default sqlite:///var/wiredesk.db).",
    )
    parser.add_argument(
        "--log-level",
        type=log_level,
        choices=LOG_LEVELS,
        default=None,
        help="logging level, any case: %(choices)s (default INFO for run and serve, else WARNING)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("parse", help="print one JSON record per line; stores nothing")
    p.add_argument("paths", nargs="+", type=path_argument, metavar="PATH")
    _add_format(p)
    _add_patterns(p)
    p.set_defaults(func=_lazy("ingest.cli_files", "cmd_parse"))

    p = commands.add_parser(
        "ingest",
        help="parse and store files/directories; quarantine failures",
        description="Runs on backfill's engine; archives (.zip, .tar.gz ...) are read member by member.",
    )
    p.add_argument("paths", nargs="+", type=path_argument, metavar="PATH")
    _add_format(p)
    _add_patterns(p)
    p.add_argument(
        "--workers",
        type=worker_count,
        help="parser processes (0 = in this process; default: one per core, at most 4; never over 4 "
        "per core or 64)",
    )
    p.add_argument(
        "--batch",
        type=batch_size,
        default=200,
        help="documents per write transaction (1 to 10,000)",
    )
    p.set_defaults(func=_lazy("ingest.cli_files", "cmd_ingest"))

    search = _add_search(commands)

    p = commands.add_parser("show", help="one stored article")
    p.add_argument("id", type=article_id)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_lazy("ingest.cli_store", "cmd_show"))

    p = commands.add_parser(
        "run", help="the service: poll every feed on its schedule (SIGTERM stops, SIGHUP reloads)"
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="also drip the bundled demo documents into var/demo-inbox",
    )
    p.add_argument("--no-desk", action="store_true", help="do not serve the web desk alongside")
    p.set_defaults(func=_lazy("ingest.cli_service", "cmd_run"))

    p = commands.add_parser("serve", help="the web desk and JSON API alone (127.0.0.1:8080)")
    p.add_argument("--host", help="bind address (default WIREDESK_DESK_HOST or 127.0.0.1)")
    p.add_argument(
        "--port", type=port_number, help="port 0-65535 (default WIREDESK_DESK_PORT or 8080)"
    )
    p.set_defaults(func=_lazy("ingest.cli_service", "cmd_serve"))

    p = commands.add_parser("feeds", help="table of configured feeds and their health")
    p.set_defaults(func=_lazy("ingest.cli_store", "cmd_feeds"))

    p = commands.add_parser("poll", help="poll one feed now")
    p.add_argument("name")
    p.add_argument("--force", action="store_true", help="poll it even if it is disabled")
    p.set_defaults(func=_lazy("ingest.cli_service", "cmd_poll"))

    commands.add_parser(
        "backfill",
        add_help=False,
        help="re-ingest archives, folders, stored raw documents or the quarantine (backfill --help)",
    )
    return parser, search


def search_words_last(tokens: list[str], search: argparse.ArgumentParser) -> list[str]:
    """``search`` arguments with the query words moved behind ``--``, in their order, so that ``-word``
    (exclude) and ``"a phrase"`` need no ``--``. A token is an option only if it names one of search's
    options (``--opt``, ``--opt=value``, an unambiguous ``--op`` prefix, ``-h``)."""
    valued: dict[str, bool] = {}
    for action in search._actions:
        for name in action.option_strings:
            valued[name] = action.nargs != 0
    options: list[str] = []
    words: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            words += tokens[index:]
            break
        name = token.split("=", 1)[0]
        known = [n for n in valued if n == name] or (
            [n for n in valued if n.startswith(name)] if name.startswith("--") else []
        )
        if not known:
            words.append(token)
            continue
        options.append(token)
        if len(known) == 1 and valued[known[0]] and "=" not in token and index < len(tokens):
            options.append(tokens[index])
            index += 1
    return [*options, "--", *words] if words else options


def _command_index(argv: list[str]) -> int | None:
    """Where the command name is in ``argv`` (after the global options)."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--log-level":
            index += 2
        elif token.startswith("-"):
            index += 1
        else:
            return index
    return None


class OutputError(Exception):
    """Standard output could not be written: the reader went away (``| head``) or the target is full
    (``> /dev/full``, a full disk). Raised by :class:`_GuardedOutput`, so it is told apart from an
    ``OSError`` of the command's own work (a file it reads), which keeps its own message."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _GuardedOutput:
    """``sys.stdout`` while a command runs: every write and flush that fails becomes :class:`OutputError`."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError as exc:
            raise OutputError(exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard_output(stream: Any) -> None:
    """Point file descriptor 1 at ``/dev/null`` so the interpreter's final flush of what is still buffered
    cannot fail again ("Exception ignored ... BrokenPipeError" after the one line we print)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing is flushed at exit


def run_printing(command: Callable[[], int]) -> int:
    """Run a command that prints to stdout; a failed write is one line on stderr and exit status 1 (a
    reader that went away, ``| head``, gets no line: it stopped reading on purpose), never a traceback."""
    stdout = sys.stdout
    sys.stdout = cast(TextIO, _GuardedOutput(stdout))
    try:
        code = command()
        sys.stdout.flush()
        return code
    except OutputError as exc:
        _discard_output(stdout)
        if not isinstance(exc.error, BrokenPipeError):
            print(f"wiredesk: cannot write the output: {exc}", file=sys.stderr)
        return 1
    finally:
        sys.stdout = stdout


def backfill(argv: list[str]) -> int:
    """``wiredesk backfill ARGS`` = ``scripts/backfill.py ARGS``, with its arguments checked first."""
    from ingest.backfill import build_parser as backfill_parser
    from ingest.backfill import run_backfill
    from ingest.logsetup import configure_logging

    parser = backfill_parser()
    parser.prog = "wiredesk backfill"
    args = parser.parse_args(argv)
    problem = backfill_problem(args)
    if problem:
        print(f"wiredesk: {problem}", file=sys.stderr)
        return 2
    args.log_level = log_level(str(args.log_level))
    level_problem = log_level_problem(args.log_level)  # backfill's parser takes any text
    if level_problem:
        print(f"wiredesk backfill: {level_problem}", file=sys.stderr)
        return 2
    configure_logging(args.log_level)
    try:
        return run_printing(lambda: int(run_backfill(args)))
    except ConfigError as exc:
        print(f"wiredesk: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    _invocation_time.cache_clear()  # a new command, a new "now" (tests call main() many times)
    tokens = list(sys.argv[1:] if argv is None else argv)
    parser, search = build_parser()
    at = _command_index(tokens)
    if at is not None and tokens[at] == "backfill":
        return backfill(tokens[:at] + tokens[at + 1 :])
    if at is not None and tokens[at] == "search":
        tokens = tokens[: at + 1] + search_words_last(tokens[at + 1 :], search)
    args = parser.parse_args(tokens)
    from ingest.logsetup import configure_logging

    configure_logging(args.log_level or ("INFO" if args.command in ("run", "serve") else "WARNING"))
    try:
        return run_printing(lambda: int(args.func(args)))
    except ConfigError as exc:
        print(f"wiredesk: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def __getattr__(name: str) -> Any:
    """Functions tests and tools reach through this module, loaded on first use (PEP 562)."""
    homes = {"ingest_paths": "ingest.cli_files", "_desk_app": "ingest.cli_service"}
    if name not in homes:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    attribute = "desk_app" if name == "_desk_app" else name
    return getattr(importlib.import_module(homes[name]), attribute)


if __name__ == "__main__":
    sys.exit(main())
