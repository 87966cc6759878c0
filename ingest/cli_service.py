"""``wiredesk run``, ``serve`` and ``poll``: the service, the desk and one feed now."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys
from typing import TYPE_CHECKING

from config.feeds import FeedConfig, load_feeds
from config.redact import redact_url
from config.settings import Settings, desk_hosts
from config.wording import counted
from parsers import format_names

if TYPE_CHECKING:  # the desk (FastAPI, uvicorn) is imported only by the commands that serve it
    from fastapi import FastAPI

    from desk.server import DeskThread
    from storage.store import Store

log = logging.getLogger("wiredesk")


def load_feed_list(settings: Settings, *, optional: bool = False) -> list[FeedConfig]:
    """The feed list, forced formats checked against the parsers' format names (read from the format
    modules' sources by ``parsers.registry``: no parser is imported).

    ``optional`` (``serve``, ``feeds``): when no feeds file was configured and the default one is not
    in this folder, there are no feeds (a warning says so) instead of a configuration error: the desk
    and the health table work from any folder. A configured file that is missing stays an error."""
    default = Settings().feeds_file
    configured = os.environ.get("WIREDESK_FEEDS") or settings.feeds_file != default
    if optional and not configured and not settings.feeds_file.exists():
        log.warning(
            "no feeds file: showing no feeds (set WIREDESK_FEEDS)",
            extra={"feeds_file": str(settings.feeds_file)},
        )
        return []
    return load_feeds(settings.feeds_file, format_names())


def cmd_run(args: argparse.Namespace) -> int:
    """The service: every enabled feed on its schedule until SIGTERM/SIGINT; SIGHUP reloads the feeds."""
    settings = Settings.from_env()
    feeds = load_feed_list(
        settings
    )  # a configuration error is one line, before anything else loads
    from ingest.demo import DEMO_DOCUMENTS, DEMO_INBOX, DemoSeeder
    from ingest.service import WireService
    from storage.store import Store

    store = Store.open(settings.db_url)
    service = WireService(store, settings, feeds, reload=lambda: load_feed_list(settings))
    seeder = DemoSeeder(DEMO_DOCUMENTS, DEMO_INBOX, service.stopping) if args.demo else None
    log.info(
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


def desk_app(
    settings: Settings, store: Store, feeds: list[FeedConfig], host: str | None = None
) -> FastAPI:
    """The desk with its one write action: re-ingest a quarantined document through the pipeline."""
    from desk.app import RerunResult, create_app
    from ingest.pipeline import ingest_document
    from storage.replay import resolve_quarantine
    from storage.search import quarantine_item, raw_document

    by_name = {feed.name: feed for feed in feeds}

    def rerun(entry_id: int) -> RerunResult:
        if store.readonly:  # a desk over a read-only store still shows the quarantine
            return RerunResult(resolved=False, error="store is read-only")
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

    desk = DeskThread(desk_app(settings, store, feeds), settings.desk_host, settings.desk_port)
    return desk if desk.start() else None


def cmd_serve(args: argparse.Namespace) -> int:
    """The desk alone, in the foreground, until SIGINT/SIGTERM. The socket is bound first, so a busy port
    is one line and exit 1, before anything says "serving"."""
    from desk.server import serve
    from storage.store import Store

    settings = Settings.from_env()
    host = args.host or settings.desk_host
    port = settings.desk_port if args.port is None else args.port
    try:
        listener = socket.create_server((host, port), reuse_port=False)
    except OSError as exc:
        print(
            f"wiredesk: cannot serve on {host}:{port}: {exc.strerror or exc}"
            + (
                " (another program listens there; try --port)"
                if exc.errno == errno.EADDRINUSE
                else ""
            ),
            file=sys.stderr,
        )
        return 1
    feeds = load_feed_list(settings, optional=True)
    store = Store.open(settings.db_url, readonly=None)  # a read-only store is still served
    log.info("wiredesk desk serving", extra={"url": f"http://{host}:{port}/"})
    try:
        return serve(desk_app(settings, store, feeds, host), host, port, listener)
    finally:
        listener.close()
        store.close()


def cmd_poll(args: argparse.Namespace) -> int:
    from ingest.poller import FeedPoller
    from storage.store import Store

    settings = Settings.from_env()
    feeds = {feed.name: feed for feed in load_feed_list(settings)}
    if args.name not in feeds:
        print(
            f"wiredesk: no feed named {args.name!r} (known: {', '.join(feeds) or 'none'})",
            file=sys.stderr,
        )
        return 2
    feed = feeds[args.name]
    if not feed.enabled and not args.force:
        print(
            f"wiredesk: feed {feed.name!r} is disabled in {settings.feeds_file} "
            "(enabled = false); use --force to poll it anyway",
            file=sys.stderr,
        )
        return 2
    store = Store.open(settings.db_url)
    poller = FeedPoller(store, settings)
    try:
        outcome = poller.poll(feed)
    finally:
        poller.fetcher.close()
        store.close()
    print(
        f"{outcome.feed}: {outcome.status}, {counted(outcome.documents, 'document')}, "
        f"{outcome.new} new, {counted(outcome.duplicates, 'duplicate')}, {outcome.unchanged} unchanged, "
        f"{outcome.quarantined} quarantined, {counted(outcome.bytes, 'byte')}, {outcome.ms:.1f} ms"
        + (f" — {outcome.error}" if outcome.error else "")
    )
    return 1 if outcome.failed else 0
