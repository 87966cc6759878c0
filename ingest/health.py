"""The feed health table operators read (``wiredesk feeds``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from config.feeds import FeedConfig
from storage.feeds import FeedHealth


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    if seconds < 0:
        return f"in {-seconds}s" if -seconds < 120 else f"in {-seconds // 60}m"
    if seconds < 120:
        return f"{seconds}s ago"
    if seconds < 7200:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


def feeds_table(
    feeds: list[FeedConfig],
    states: dict[str, FeedHealth],
    now: datetime | None = None,
    deliveries: Mapping[str, str] | None = None,
) -> str:
    """One line per configured feed: state, last success, failures, new items, next run, last error.

    A transport feed gets a second, indented line from ``deliveries`` (feed name -> the delivery line of
    ``ingest.transports.state.transport_summaries``): transport, cursor/seen-list, acknowledged and pending
    acknowledgements, expired receipts, the server's Retry-After; ``never polled`` before its first poll."""
    moment = now or datetime.now(UTC)
    header = f"{'feed':<20} {'status':<13} {'every':>6} {'last ok':>10} {'fails':>5} {'new':>4} {'next':>8}  error"
    lines = [header, "-" * len(header)]
    for feed in feeds:
        state = states.get(feed.name, FeedHealth(name=feed.name))
        status = "disabled" if not feed.enabled else (state.last_status or "not polled")
        lines.append(
            f"{feed.name[:20]:<20} {status:<13} {int(feed.interval):>5}s {_ago(state.last_success, moment):>10} "
            f"{state.consecutive_failures:>5} {state.items_new_last_run:>4} {_ago(state.next_run, moment):>8}  "
            f"{(state.last_error or '')[:80]}"
        )
        if feed.transport and deliveries is not None:
            line = deliveries.get(feed.name) or f"{feed.transport}, never polled"
            lines.append(f"{'':<20} {line[:120]}")
    return "\n".join(lines)
