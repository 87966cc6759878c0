"""Atom 1.0 (and 0.3) feeds: one item per entry.

The reading is shared with RSS in ``parsers._feeds``; this module only says which roots are Atom: ``<feed>``
in the Atom namespace. Files named ``.atom`` are not trusted: an ``<rss>`` root is RSS whatever the name.
"""

from __future__ import annotations

from parsers._feeds import parse_feed, sniff_feed
from parsers.base import ParsedItem

FORMAT = "atom"
SNIFF_ORDER = 40
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise


def can_parse(raw: bytes) -> bool:
    """Root element ``feed`` with the Atom 1.0 or 0.3 namespace declared; never raises."""
    return sniff_feed(raw) == "atom"


def parse(raw: bytes) -> list[ParsedItem]:
    """Items of the feed; ``source_format`` says what the document really is (RSS forced here stays rss)."""
    return parse_feed(raw, "atom")
