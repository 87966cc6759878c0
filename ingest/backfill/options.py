"""What a backfill run does: its options (kept in the checkpoint, so ``--resume`` repeats the same run), the
command-line arguments that set them, and the per-feed defaults documents are parsed with."""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from config.feeds import ConfigError, FeedConfig, load_feeds
from config.settings import Settings
from ingest.cli_args import backfill_path, batch_size, worker_count
from parsers import format_names

log = logging.getLogger(__name__)
_DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(slots=True)
class BackfillOptions:
    """What a run does; kept in its checkpoint so ``--resume`` repeats exactly the same run."""

    paths: list[str] = field(default_factory=list)
    from_store: bool = False
    quarantine: bool = False
    feed: str | None = None
    format: str | None = None
    since: str | None = None  # ISO 8601, aware UTC
    until: str | None = None
    dry_run: bool = False

    @property
    def mode(self) -> str:
        return "quarantine" if self.quarantine else "store" if self.from_store else "paths"

    def window(self) -> tuple[datetime | None, datetime | None]:
        return (
            datetime.fromisoformat(self.since) if self.since else None,
            datetime.fromisoformat(self.until) if self.until else None,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BackfillOptions:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def parse_when(value: str, now: datetime | None = None) -> datetime:
    """``36h``, ``7d`` (before now) or an ISO date/datetime (UTC unless it carries an offset)."""
    text = value.strip()
    unit = _DURATION_UNITS.get(text[-1:])
    if unit and text[:-1].isdigit():
        return (now or datetime.now(UTC)) - timedelta(**{unit: int(text[:-1])})
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"want a duration like 36h/7d or a date like 2024-01-31: {value!r}"
        ) from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The backfill options, shared by ``wiredesk backfill`` and ``scripts/backfill.py``."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=backfill_path,
        metavar="PATH",
        help="files, folders, .zip/.tar[.gz]/.tgz/.gz",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--from-store", action="store_true", help="re-parse stored raw documents, update in place"
    )
    source.add_argument("--quarantine", action="store_true", help="retry quarantined documents")
    source.add_argument("--resume", metavar="RUN", help="continue an interrupted run")
    parser.add_argument(
        "--feed", help="attribute documents to this feed (with --from-store: only this feed)"
    )
    parser.add_argument(
        "--format",
        choices=format_names(),
        help="force this format (with --from-store/--quarantine: only documents of this format)",
    )
    parser.add_argument("--since", type=parse_when, help="document date from (36h, 7d, 2024-01-31)")
    parser.add_argument("--until", type=parse_when, help="document date before")
    parser.add_argument(
        "--dry-run", action="store_true", help="parse and count; roll every batch back"
    )
    parser.add_argument(
        "--workers",
        type=worker_count,
        default=None,
        help="parser processes (0 = in this process; default: cores - 1, at most 4; never more "
        "than 4 per core or 64, nor than the documents need)",
    )
    parser.add_argument(
        "--batch",
        type=batch_size,
        default=200,
        help="documents per write transaction (1 to 10,000)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress, no summary line")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def options_from_args(args: argparse.Namespace) -> BackfillOptions:
    return BackfillOptions(
        # Absolute: ``--resume`` may run from another folder (cron, a different shell).
        paths=[str(Path(p).expanduser().absolute()) for p in args.paths],
        from_store=args.from_store,
        quarantine=args.quarantine,
        feed=args.feed,
        format=args.format,
        since=args.since.isoformat() if args.since else None,
        until=args.until.isoformat() if args.until else None,
        dry_run=args.dry_run,
    )


@dataclass(slots=True)
class FeedDefaults:
    """What the feed configuration says about a feed's documents (as the service would parse them)."""

    format: str | None = None
    agency: str | None = None
    language: str | None = None


def load_feed_defaults(settings: Settings) -> dict[str, FeedDefaults]:
    """Per-feed format/agency/language from ``config/feeds.toml``; none when there is no feed file."""
    if not settings.feeds_file.exists():
        return {}
    try:
        feeds: list[FeedConfig] = load_feeds(settings.feeds_file, format_names())
    except ConfigError as exc:
        log.warning("feed file unusable; parsing without feed defaults", extra={"error": str(exc)})
        return {}
    return {f.name: FeedDefaults(f.format, f.agency, f.language) for f in feeds}
