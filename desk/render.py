"""Templates and the only ways data becomes HTML.

Jinja2 autoescapes every value. Templates never use ``|safe``: the two places where the desk emits markup
built from feed text (search snippets and version word diffs) escape the text first, add their own tags,
and then go through :func:`sanitize`, an nh3 allow-list, so a bug in either step still cannot inject a tag
or attribute the list does not name. Links from feed data are only rendered for http(s) URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nh3
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from config.wording import counted, noun_for
from storage.search import HIT_END, HIT_START, Hit

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
ALLOWED_TAGS = frozenset({"mark", "del", "ins", "em", "strong", "b", "i", "br"})


def sanitize(html: str) -> Markup:
    """Allow-listed inline markup only; no attributes, no links, no scripts or styles."""
    return Markup(nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={}, strip_comments=True))


def snippet_html(snippet: str | None) -> Markup:
    """An FTS snippet (text with hit markers) as HTML with ``<mark>`` around the hits."""
    if not snippet:
        return Markup("")
    escaped = str(escape(snippet))
    return sanitize(escaped.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>"))


def http_url(value: str | None) -> str | None:
    """``value`` if it is an absolute http(s) URL (never ``javascript:`` and friends), else None."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def when(value: datetime | None, now: datetime | None = None) -> str:
    """Compact UTC time for lists: ``14:05`` today, ``27.11. 14:05`` otherwise."""
    if value is None:
        return "–"
    moment = now or datetime.now(UTC)
    value = value.astimezone(UTC)
    if value.date() == moment.date():
        return value.strftime("%H:%M")
    if value.year == moment.year:
        return value.strftime("%d.%m. %H:%M")
    return value.strftime("%d.%m.%Y %H:%M")


def full_time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else "–"


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


URGENCY_WORDS = {1: "FLASH", 2: "URGENT", 3: "PRIORITY"}
"""The agency urgencies a wire editor reads as words (IPTC 1-3: flash, urgent/bulletin, priority)."""


def urgency_label(value: int | None) -> str | None:
    """``FLASH`` / ``URGENT`` / ``PRIORITY`` for 1-3; None for 4-8 (shown as the number) and None."""
    return URGENCY_WORDS.get(value) if value is not None else None


def urgency_title(value: int | None) -> str:
    """Tooltip for an urgency: IPTC's scale runs from 1 (most urgent) over 5 (normal) to 8 (least)."""
    if value is None:
        return "no urgency given by the source"
    where = "normal" if value == 5 else ("above normal" if value < 5 else "below normal")
    return f"urgency {value} of 8 ({where}; 1 flash, 2 urgent, 3 priority, 5 normal, 8 lowest)"


def _minute(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(second=0, microsecond=0)


def agency_times(record: Any) -> tuple[datetime | None, datetime | None]:
    """(published, updated) as the agency stamped them, either may be None; ``updated`` only when it
    differs from the publication time in the minute the desk shows (several formats repeat one time in
    both fields, others stamp the update seconds later: "14:05 upd 14:05" tells the editor nothing)."""
    published, updated = record.published_at, record.updated_at
    if published is not None and updated is not None and _minute(updated) == _minute(published):
        updated = None
    return published, updated


def badges(hit: Hit, now: datetime | None = None) -> list[tuple[str, str]]:
    """(css class, text) status badges for one article, most important first."""
    moment = now or datetime.now(UTC)
    record = hit.record
    out: list[tuple[str, str]] = []
    if record.status == "canceled":
        out.append(("canceled", "canceled"))
    elif record.status == "withheld":
        out.append(("withheld", "withheld"))
    if record.embargo_until and record.embargo_until > moment:
        out.append(("embargo", f"embargoed until {full_time(record.embargo_until)}"))
    if "correction" in record.signals:
        out.append(("corrected", "corrected"))
    if not hit.is_current:
        out.append(("old", "old version"))
    if record.duplicate_of:
        out.append(("dup", f"duplicate of #{record.duplicate_of}"))
    return out


def dateline_text(value: Any) -> str:
    """A dateline as the wire prints it: ``Place, date (AGENCY)``; each part only when present, so a
    dateline without a place reads ``Jan 3 (Reuters)``, never ``, Jan 3 (Reuters)``."""
    if not value:
        return ""
    head = ", ".join(part.strip() for part in (value.place or "", value.date or "") if part.strip())
    credit = f"({'/'.join(value.agencies)})" if value.agencies else ""
    return " ".join(part for part in (head, credit) if part)


def field_value(value: Any) -> str:
    """A record field (as in ``to_dict``) as compact text for the version comparison table."""
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(field_value(item) for item in value) or "–"
    if isinstance(value, dict):
        if "title" in value:
            return str(value["title"])
        place = value.get("place") or ""
        credit = f" ({'/'.join(value.get('agencies') or [])})" if value.get("agencies") else ""
        return f"{place}{credit}".strip() or "–"
    return str(value)


def make_templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        when=when,
        full_time=full_time,
        iso=iso,
        snippet=snippet_html,
        sanitize=sanitize,
        http_url=http_url,
        urgency_label=urgency_label,
        urgency_title=urgency_title,
        dateline=dateline_text,
        field_value=field_value,
        counted=counted,
        noun_for=noun_for,
    )
    environment.globals.update(badges=badges, agency_times=agency_times)
    return Jinja2Templates(env=environment)
