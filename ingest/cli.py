"""The ``wiredesk`` command line. Its commands and outputs are a contract (DESIGN.md)."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from config.feeds import ConfigError, FeedConfig, load_feeds
from config.redact import redact_url
from config.settings import Settings, desk_hosts
from ingest.backfill import add_arguments as add_backfill_arguments
from ingest.backfill import run_backfill
from ingest.demo import DEMO_DOCUMENTS, DEMO_INBOX, DemoSeeder
from ingest.files import Oversized, iter_files, read_capped
from ingest.health import feeds_table
from ingest.logsetup import configure_logging
from ingest.pipeline import IngestSummary, ingest_document, parse_records, quarantine_oversized
from ingest.poller import FeedPoller
from ingest.service import WireService
from normalizers.record import ArticleRecord
from parsers import ParseError, format_names
from storage.feeds import all_states
from storage.search import STATUS_FILTERS, ArticleQuery, search
from storage.store import Store

if TYPE_CHECKING:  # the desk (FastAPI, uvicorn) is imported only by the commands that serve it
    from fastapi import FastAPI

    from desk.server import DeskThread

log = logging.getLogger("wiredesk")
_DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """``2h``, ``30m``, ``3d`` (before now) or an ISO date/datetime (UTC unless it has an offset)."""
    match = _DURATION.match(value.strip())
    moment = now or datetime.now(UTC)
    if match:
        return moment - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"--since wants a duration like 2h/30m/3d or a date like 2026-11-27: {value!r}"
        ) from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _open_store() -> Store:
    return Store.open(Settings.from_env().db_url)


def cmd_parse(args: argparse.Namespace) -> int:
    status = 0
    for path in iter_files(args.paths):
        try:
            raw = path.read_bytes()
            records = parse_records(raw, str(path), format_name=args.format)
        except OSError as exc:
            print(f"wiredesk: cannot parse {path}: {exc.strerror or exc}", file=sys.stderr)
            status = 2
            continue
        except ParseError as exc:
            print(f"wiredesk: cannot parse {path}: {exc.reason}", file=sys.stderr)
            status = 2
            continue
        for record in records:
            print(record.to_json())
    return status


def ingest_paths(
    store: Store, paths: list[Path], format_name: str | None = None, limit: int | None = None
) -> IngestSummary:
    """Ingest files and folders; a file over ``limit`` bytes (default: the settings' document cap) is
    quarantined from its first bytes without being read whole."""
    cap = Settings.from_env().max_document_bytes if limit is None else limit
    summary = IngestSummary()
    for path in iter_files(paths):
        try:
            raw = read_capped(path, cap)
        except OSError as exc:
            log.error("cannot read file", extra={"path": str(path), "error": exc.strerror})
            continue
        if isinstance(raw, Oversized):
            summary.add(quarantine_oversized(store, raw.prefix, raw.size, raw.reason, str(path)))
            continue
        summary.add(ingest_document(store, raw, str(path), format_name=format_name))
    return summary


def cmd_ingest(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        summary = ingest_paths(store, args.paths, args.format)
    finally:
        store.close()
    print(summary.line())
    return 0


def _line(record: ArticleRecord) -> str:
    when = record.received_at.strftime("%Y-%m-%d %H:%M") if record.received_at else "-"
    agencies = "/".join(record.agencies) or "-"
    flags = []
    if record.status != "usable":
        flags.append(record.status.upper())
    if record.embargo_until and record.embargo_until > datetime.now(UTC):
        flags.append("EMBARGOED")
    if record.duplicate_of:
        flags.append(f"dup of {record.duplicate_of}")
    if record.urgency is not None and record.urgency <= 2:
        flags.append("URGENT" if record.urgency == 2 else "FLASH")
    title = (
        " — ".join(t for t in (record.kicker, record.headline) if t)
        or (record.body[:1] or ["-"])[0]
    )
    marker = f" [{', '.join(flags)}]" if flags else ""
    return (
        f"{record.id:>7}  {when}  {agencies:<12} {record.language or '--':<3} {title[:90]}{marker}"
    )


def cmd_search(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        query = ArticleQuery(
            text=" ".join(args.text) or None,
            agency=args.agency,
            language=args.lang,
            since=args.since,
            limit=args.limit,
            include_all=args.all,
            feed=args.feed,
            urgency_max=args.urgency,
            status=args.status,
            duplicates=not args.no_duplicates,
        )
        records = search(store, query)
    finally:
        store.close()
    for record in records:
        print(record.to_json() if args.json else _line(record))
    if not args.json and not records:
        print("no articles match", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        record = store.get(args.id)
    finally:
        store.close()
    if record is None:
        print(f"wiredesk: no article with id {args.id}", file=sys.stderr)
        return 1
    if args.json:
        print(record.to_json())
        return 0
    print(_render(record))
    return 0


def _render(record: ArticleRecord) -> str:
    lines = [f"#{record.id}  {record.source_format}  guid={record.guid}  version={record.version}"]
    meta = {
        "agencies": "/".join(record.agencies) or None,
        "language": record.language,
        "urgency": record.urgency,
        "status": record.status,
        "embargo until": record.embargo_until,
        "published": record.published_at,
        "received": record.received_at,
        "duplicate of": record.duplicate_of,
        "byline": record.byline,
    }
    lines += [f"  {key}: {value}" for key, value in meta.items() if value is not None]
    if record.caption:
        lines += ["", f"[Foto] {record.caption}"]
    lines.append("")
    if record.kicker:
        lines.append(record.kicker)
    lines.append((record.headline or "(no headline)").upper())
    lines.append("")
    for index, paragraph in enumerate(record.body):
        if index == 0 and record.dateline:
            place = record.dateline.place or ""
            credit = f" ({'/'.join(record.dateline.agencies)})" if record.dateline.agencies else ""
            paragraph = f"{place}{credit} - {paragraph}".strip()
        lines += [paragraph, ""]
    if record.related:
        lines.append("Related:")
        lines += [f"  - {item.title}" for item in record.related]
    return "\n".join(lines).rstrip()


def _load_feeds(settings: Settings) -> list[FeedConfig]:
    return load_feeds(settings.feeds_file, format_names())


def cmd_run(args: argparse.Namespace) -> int:
    """The service: every enabled feed on its schedule until SIGTERM/SIGINT."""
    settings = Settings.from_env()
    feeds = _load_feeds(settings)
    store = Store.open(settings.db_url)
    service = WireService(store, settings, feeds)
    seeder = DemoSeeder(DEMO_DOCUMENTS, DEMO_INBOX, service.stopping) if args.demo else None
    log.warning(
        "wiredesk service running",
        extra={
            "feeds": len(service.feeds),
            "store": redact_url(settings.db_url),
            "feeds_file": str(settings.feeds_file),
        },
    )
    desk = None if args.no_desk else _start_desk(settings, store, feeds)
    try:
        if seeder:
            seeder.start()
        return service.run_until_stopped()
    finally:
        if desk is not None:
            desk.stop()
        store.close()


def _desk_app(
    settings: Settings, store: Store, feeds: list[FeedConfig], host: str | None = None
) -> FastAPI:
    """The desk with its one write action: re-ingest a quarantined document through the pipeline."""
    from desk.app import RerunResult, create_app
    from storage.replay import resolve_quarantine
    from storage.search import quarantine_item, raw_document

    by_name = {feed.name: feed for feed in feeds}

    def rerun(entry_id: int) -> RerunResult:
        entry = quarantine_item(store, entry_id)
        found = raw_document(store, entry.raw.id) if entry else None
        if entry is None or found is None:
            return RerunResult(resolved=False, error="no such quarantine entry")
        feed = by_name.get(entry.feed or "")
        forced = feed.format if feed and feed.format not in (None, "auto") else None
        result = ingest_document(
            store,
            found[1],
            entry.origin,
            feed=entry.feed,
            format_name=forced,
            default_agency=feed.agency if feed else None,
            language_hint=feed.language if feed else None,
        )
        if result.error is not None:
            return RerunResult(resolved=False, error=result.error)
        with store.transaction() as conn:
            resolve_quarantine(conn, entry.raw.id)
        log.info("quarantine entry re-run", extra={"entry": entry_id, "stored": result.stored})
        return RerunResult(resolved=True, stored=result.stored)

    return create_app(
        store,
        feeds=feeds,
        api_token=settings.api_token or None,
        rerun=rerun,
        allowed_hosts=desk_hosts(settings, host or settings.desk_host),
        desk_token=settings.desk_token or None,
    )


def _start_desk(settings: Settings, store: Store, feeds: list[FeedConfig]) -> DeskThread | None:
    """The desk next to the service; if its port is taken the service still runs (logged)."""
    from desk.server import DeskThread

    desk = DeskThread(_desk_app(settings, store, feeds), settings.desk_host, settings.desk_port)
    return desk if desk.start() else None


def cmd_serve(args: argparse.Namespace) -> int:
    """The desk alone, in the foreground, until SIGINT/SIGTERM."""
    from desk.server import serve

    settings = Settings.from_env()
    feeds = _load_feeds(settings)
    store = Store.open(settings.db_url)
    host, port = args.host or settings.desk_host, args.port or settings.desk_port
    log.warning("wiredesk desk serving", extra={"url": f"http://{host}:{port}/"})
    try:
        return serve(_desk_app(settings, store, feeds, host), host, port)
    finally:
        store.close()


def cmd_feeds(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    feeds = _load_feeds(settings)
    store = Store.open(settings.db_url)
    try:
        states = all_states(store)
    finally:
        store.close()
    print(feeds_table(feeds, states))
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    feeds = {feed.name: feed for feed in _load_feeds(settings)}
    if args.name not in feeds:
        print(
            f"wiredesk: no feed named {args.name!r} (known: {', '.join(feeds) or 'none'})",
            file=sys.stderr,
        )
        return 2
    store = Store.open(settings.db_url)
    poller = FeedPoller(store, settings)
    try:
        outcome = poller.poll(feeds[args.name])
    finally:
        poller.fetcher.close()
        store.close()
    print(
        f"{outcome.feed}: {outcome.status}, {outcome.documents} documents, {outcome.new} new, "
        f"{outcome.duplicates} duplicates, {outcome.unchanged} unchanged, {outcome.quarantined} quarantined, "
        f"{outcome.bytes} bytes, {outcome.ms:.0f} ms"
        + (f" — {outcome.error}" if outcome.error else "")
    )
    return 1 if outcome.failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wiredesk",
        description="Wire-agency ingestion: parse, normalize, dedup and store agency copy.",
        epilog="The store is chosen by WIREDESK_DB_URL (default sqlite:///var/wiredesk.db).",
    )
    parser.add_argument(
        "--log-level", default=None, help="logging level (default INFO for run, else WARNING)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("parse", help="print one JSON record per line; stores nothing")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--format", choices=format_names(), help="force a format instead of sniffing")
    p.set_defaults(func=cmd_parse)

    p = commands.add_parser("ingest", help="parse and store files/directories; quarantine failures")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--format", choices=format_names(), help="force a format instead of sniffing")
    p.set_defaults(func=cmd_ingest)

    p = commands.add_parser("search", help="search stored articles, newest first")
    p.add_argument("text", nargs="*", help="full-text words (all must occur)")
    p.add_argument("--agency", help="canonical agency name, e.g. dpa, AFP, Reuters")
    p.add_argument("--lang", help="ISO 639-1 language code, e.g. de")
    p.add_argument("--since", type=parse_since, help="2h, 30m, 3d or a date (received since)")
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
    p.add_argument("--limit", type=int, default=50)
    p.add_argument(
        "--all", action="store_true", help="include embargoed, canceled and old versions"
    )
    p.add_argument("--json", action="store_true", help="JSON Lines of full records")
    p.set_defaults(func=cmd_search)

    p = commands.add_parser("show", help="one stored article")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = commands.add_parser(
        "run", help="the service: poll every feed on its schedule (SIGTERM stops)"
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="also drip the bundled demo documents into var/demo-inbox",
    )
    p.add_argument("--no-desk", action="store_true", help="do not serve the web desk alongside")
    p.set_defaults(func=cmd_run)

    p = commands.add_parser("serve", help="the web desk and JSON API alone (127.0.0.1:8080)")
    p.add_argument("--host", help="bind address (default WIREDESK_DESK_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default WIREDESK_DESK_PORT or 8080)")
    p.set_defaults(func=cmd_serve)

    p = commands.add_parser("feeds", help="table of configured feeds and their health")
    p.set_defaults(func=cmd_feeds)

    p = commands.add_parser("poll", help="poll one feed now")
    p.add_argument("name")
    p.set_defaults(func=cmd_poll)

    p = commands.add_parser(
        "backfill", help="re-ingest archives, folders, stored raw documents or the quarantine"
    )
    add_backfill_arguments(p)
    p.set_defaults(func=run_backfill)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level or ("INFO" if args.command in ("run", "serve") else "WARNING"))
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"wiredesk: configuration error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
