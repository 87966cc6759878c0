"""``wiredesk search``, ``show`` and ``feeds``: reading the store. These start often (scripts, cron) and
import only the query layer: no parsers, no pipeline, no numpy, no backfill."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from config.settings import Settings

if TYPE_CHECKING:
    from normalizers.record import ArticleRecord
    from storage.search import ArticleQuery
    from storage.store import Store

PAGE = 500  # rows per keyset page; equals storage.search.MAX_LIMIT


def open_store(readonly: bool | None = False) -> Store:
    """The store named by ``WIREDESK_DB_URL`` (``Store.open``). Reading commands pass ``readonly=None``:
    read-write when the store allows it, else read as it is (permissions, a read-only mount, ``mode=ro``,
    a standby). A store at this code's schema opens with one query, without Alembic (``storage.db``)."""
    from storage.store import Store

    return Store.open(Settings.from_env().db_url, readonly=readonly)


def stream(store: Store, query: ArticleQuery, limit: int) -> Iterator[ArticleRecord]:
    """Up to ``limit`` matching records, fetched in keyset pages (``after`` ascending, else ``before``
    descending), so any limit is honoured without one huge result set."""
    from storage.search import MAX_LIMIT, search_page

    left = limit
    while left > 0:
        page = search_page(store, replace(query, limit=min(left, MAX_LIMIT)))
        for hit in page.hits:
            yield hit.record
        left -= len(page.hits)
        if not page.has_more or not page.hits:
            return
        if query.after is not None:
            query = replace(query, after=page.hits[-1].id)
        else:
            query = replace(query, before=page.hits[-1].id)


def line(record: ArticleRecord) -> str:
    when = record.received_at.strftime("%Y-%m-%d %H:%M") if record.received_at else "-"
    agencies = "/".join(record.agencies) or "-"
    flags = []
    if record.status != "usable":
        flags.append(record.status.upper())
    if record.embargo_until and record.embargo_until > datetime.now(UTC):
        flags.append("EMBARGOED")
    if record.duplicate_of:
        flags.append(f"dup of {record.duplicate_of}")
    if record.urgency is not None and record.urgency <= 3:
        flags.append({1: "FLASH", 2: "URGENT", 3: "PRIORITY"}[record.urgency])
    title = (
        " — ".join(t for t in (record.kicker, record.headline) if t)
        or (record.body[:1] or ["-"])[0]
    )
    marker = f" [{', '.join(flags)}]" if flags else ""
    return (
        f"{record.id:>7}  {when}  {agencies:<12} {record.language or '--':<3} {title[:90]}{marker}"
    )


def cmd_search(args: argparse.Namespace) -> int:
    from storage.search import MAX_LIMIT, ArticleQuery, query_problems

    if args.sort == "relevance" and args.limit > MAX_LIMIT:
        print(
            f"wiredesk: --sort relevance returns at most {MAX_LIMIT} rows (ranks are not a cursor); "
            "use --sort newest or --after ID to read more",
            file=sys.stderr,
        )
        return 2
    query = ArticleQuery(
        text=" ".join(args.text) or None,
        agency=args.agency,
        language=args.lang,
        since=args.since,
        until=args.until,
        include_all=args.all,
        feed=args.feed,
        urgency_max=args.urgency,
        status=args.status,
        duplicates=not args.no_duplicates,
        after=args.after,
        order=args.sort,
    )
    problems = query_problems(query, options=True)  # the desk and the API refuse the same (400)
    if problems:
        for problem in problems:
            print(f"wiredesk: {problem}", file=sys.stderr)
        return 2
    store = open_store(readonly=None)
    printed = 0
    try:
        for record in stream(store, query, args.limit):
            print(record.to_json() if args.json else line(record))
            printed += 1
    finally:
        store.close()
    if not args.json and not printed:
        print("no articles match", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    store = open_store(readonly=None)
    try:
        record = store.get(args.id)
    finally:
        store.close()
    if record is None:
        print(f"wiredesk: no article with id {args.id}", file=sys.stderr)
        return 1
    print(record.to_json() if args.json else render(record))
    return 0


def render(record: ArticleRecord) -> str:
    lines = [f"#{record.id}  {record.source_format}  guid={record.guid}  version={record.version}"]
    meta = {
        "origin": record.origin,
        "feed": record.feed,
        "agencies": "/".join(record.agencies) or None,
        "language": record.language,
        "urgency": record.urgency,
        "status": record.status,
        "embargo until": record.embargo_until,
        "published": record.published_at,
        "updated": record.updated_at,
        "received": record.received_at,
        "duplicate of": record.duplicate_of,
        "byline": record.byline,
        "signals": ", ".join(record.signals) or None,
        "subjects": ", ".join(record.subjects) or None,
        "keywords": ", ".join(record.keywords) or None,
    }
    lines += [f"  {key}: {value}" for key, value in meta.items() if value is not None]
    lines += [f"  ednote: {note}" for note in record.ednotes]
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
    if not record.body:
        lines += ["(no text of its own)", ""]
    if record.related:
        lines.append("Related:")
        lines += [
            f"  - {item.title}" + (f"  <{item.url}>" if item.url else "") for item in record.related
        ]
    return "\n".join(lines).rstrip()


def cmd_feeds(args: argparse.Namespace) -> int:
    from ingest.cli_service import load_feed_list
    from ingest.health import feeds_table
    from ingest.transports.state import transport_summaries
    from storage.feeds import all_states

    settings = Settings.from_env()
    feeds = load_feed_list(settings, optional=True)
    store = open_store(readonly=None)
    try:
        states = all_states(store)
        deliveries = transport_summaries(store)
    finally:
        store.close()
    print(feeds_table(feeds, states, deliveries=deliveries))
    return 0
