"""Delivery hints: what a transport knows of a document from outside it (AP item metadata, a feed entry's
title/time/author) filled into the parsed items where the document itself says nothing.

The document wins: a hint only fills an empty field, so a page or rendition that states its headline,
times or authors keeps them. Keys: ``headline``, ``published``, ``updated`` (ISO 8601 / RFC 822 text,
read by ``parsers.dates``), ``author``, ``url``. Unknown keys are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from parsers import ParsedItem
from parsers.dates import parse_datetime

HINT_KEYS = ("headline", "published", "updated", "author", "url")


def apply_hints(items: list[ParsedItem], hints: Mapping[str, str] | None) -> list[ParsedItem]:
    """``items`` with each empty field that a hint covers filled in (edited in place; returned)."""
    if not hints:
        return items
    published = parse_datetime(hints["published"]) if hints.get("published") else None
    updated = parse_datetime(hints["updated"]) if hints.get("updated") else None
    for item in items:
        if not item.headline and hints.get("headline"):
            item.headline = hints["headline"].strip()
        if item.published_at is None and published is not None:
            item.published_at = published
        if item.updated_at is None and updated is not None:
            item.updated_at = updated
        if not item.authors and not item.byline and hints.get("author"):
            item.authors = [hints["author"].strip()]
        if not item.url and hints.get("url"):
            item.url = hints["url"]
    return items
