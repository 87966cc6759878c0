"""RSS 0.9x, RSS 1.0 (RDF) and RSS 2.0 feeds: one item per entry.

The reading is shared with Atom in ``parsers._feeds`` (feeds mix both vocabularies freely); this module only
says which roots are RSS: ``<rss>`` and an RSS ``<rdf:RDF>``.
"""

from __future__ import annotations

from parsers._feeds import parse_feed, sniff_feed
from parsers.base import ParsedItem

FORMAT = "rss"
SNIFF_ORDER = 40
SNIFF_OPENS = "<"  # markup: registry skips it for documents opening otherwise


def can_parse(raw: bytes) -> bool:
    """Root element ``rss`` or an RSS 0.90/1.0 ``RDF``; never raises."""
    return sniff_feed(raw) == "rss"


def parse(raw: bytes) -> list[ParsedItem]:
    """Items of the feed; ``source_format`` says what the document really is (Atom forced here stays atom)."""
    return parse_feed(raw, "rss")
