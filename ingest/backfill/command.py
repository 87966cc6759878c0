"""``wiredesk backfill`` and ``scripts/backfill.py``: options or ``--resume``, the run, the summary line."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import asdict
from pathlib import Path

from config.feeds import ConfigError
from config.oneline import shown
from config.settings import Settings
from ingest.backfill import checkpoint as checkpoints
from ingest.backfill.checkpoint import Checkpoint
from ingest.backfill.engine import (
    Backfill,
    RunResult,
    default_workers,
    start_workers,
    warranted_workers,
)
from ingest.backfill.options import BackfillOptions, add_arguments, options_from_args
from ingest.cli_args import OneLineParser
from ingest.logsetup import LOG_LEVELS, configure_logging, log_level, log_level_problem
from storage import replay
from storage.store import Store

log = logging.getLogger(__name__)


def _prepare(
    args: argparse.Namespace, store: Store, directory: Path
) -> tuple[BackfillOptions, Checkpoint]:
    """Options and checkpoint of a new run, or of the run named by ``--resume``."""
    if args.resume:
        checkpoint = checkpoints.load(directory, args.resume)
        options = BackfillOptions.from_dict(checkpoint.options)
        # A path that is gone (or relative, in a run started elsewhere before paths were stored
        # absolute) would be skipped and the run marked done with most of its input unread.
        gone = [
            path for path in options.paths if not (Path(path).exists() or Path(path).is_symlink())
        ]
        if gone:
            raise ValueError(
                f"cannot resume {checkpoint.run_id}: {shown(gone[0])} is not there"
                + (
                    " (a relative path: resume from the folder the run started in)"
                    if not Path(gone[0]).is_absolute()
                    else ""
                )
            )
        return options, checkpoint
    options = options_from_args(args)
    if options.mode == "paths" and not options.paths:
        raise ValueError("name files, folders or archives, or use --from-store / --quarantine")
    if options.mode != "paths" and options.paths:
        raise ValueError("paths cannot be combined with --from-store / --quarantine")
    checkpoint = Checkpoint(run_id=checkpoints.new_run_id(), options=asdict(options))
    if options.mode == "store":
        checkpoint.upto = replay.max_raw_id(store.engine)
    elif options.mode == "quarantine":
        checkpoint.upto = replay.max_quarantine_id(store.engine)
    return options, checkpoint


def run_backfill(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """``wiredesk backfill``: returns the exit status (0 done, 2 usage error, 130 interrupted)."""
    settings = settings or Settings.from_env()
    directory = checkpoints.checkpoint_dir()
    workers = default_workers() if args.workers is None else args.workers
    if args.paths and not args.resume:
        workers = warranted_workers(workers, [Path(p) for p in args.paths])
    executor = start_workers(workers)
    try:
        return _run_with(args, settings, directory, workers, executor)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _run_with(
    args: argparse.Namespace, settings: Settings, directory: Path, workers: int, executor: Executor
) -> int:
    store = Store.open(settings.db_url)
    try:
        try:
            options, checkpoint = _prepare(args, store, directory)
        except FileNotFoundError:
            print(
                f"wiredesk: no backfill run {args.resume!r} in {shown(directory)}", file=sys.stderr
            )
            return 2
        except ValueError as exc:
            print(f"wiredesk: {exc}", file=sys.stderr)
            return 2
        if not args.quiet:
            verb = "resuming" if args.resume else "starting"
            print(
                f"backfill run {checkpoint.run_id} ({verb}; resume with --resume {checkpoint.run_id})",
                file=sys.stderr,
                flush=True,
            )
        if not options.dry_run:
            checkpoint.state = "running"
            checkpoints.save(directory, checkpoint)
        log.info(
            "backfill started",
            extra={"run_id": checkpoint.run_id, "mode": options.mode, "dry_run": options.dry_run},
        )
        result = Backfill(
            store,
            options,
            checkpoint,
            directory=directory,
            workers=workers,
            batch=args.batch,
            quiet=args.quiet,
            settings=settings,
            executor=executor,
        ).run()
    finally:
        store.close()
    _report(result, args)
    return 130 if result.state == "interrupted" else 0


def _report(result: RunResult, args: argparse.Namespace) -> None:
    log.info("backfill finished", extra={"run_id": result.run_id, **result.counts.to_dict()})
    if args.json:
        print(result.to_json())
    elif not args.quiet:
        prefix = "dry run (nothing stored): " if result.dry_run else ""
        print(
            f"{prefix}{result.counts.line()} — {result.elapsed_s:.1f} s, "
            f"{result.docs_per_s:.0f} docs/s, run {result.run_id} {result.state}"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="backfill",
        description="Re-ingest archives, folders, stored raw documents or the quarantine.",
        epilog="The store is WIREDESK_DB_URL; checkpoints go to WIREDESK_BACKFILL_DIR (var/backfill).",
    )
    parser.add_argument(
        "--log-level",
        type=log_level,
        default="WARNING",
        help=f"logging level, any case: {', '.join(LOG_LEVELS)} (default WARNING)",
    )
    add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = log_level_problem(args.log_level)
    if problem:
        print(f"backfill: {problem}", file=sys.stderr)
        return 2
    configure_logging(args.log_level)
    try:
        return run_backfill(args)
    except ConfigError as exc:
        print(f"wiredesk: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
