"""Fingerprints: the exact-duplicate content hash and the fallback guid.

xxh3 is used because hashing must be free next to parsing (PERFORMANCE.md: 10,850 docs/s incl. normalize).
The content hash ignores case, punctuation spacing and paragraph breaks, so the same copy re-wrapped by a
different format hashes the same.
"""

from __future__ import annotations

import re

import xxhash

_NON_WORD = re.compile(r"[\W_]+")


def body_key(paragraphs: list[str]) -> str:
    """The body reduced to lower-case words separated by single spaces."""
    return _NON_WORD.sub(" ", " ".join(paragraphs).casefold()).strip()


def content_hash(paragraphs: list[str]) -> str:
    """Hash of the normalized body text ('' for an empty body, which is nobody's duplicate)."""
    key = body_key(paragraphs)
    return xxhash.xxh3_128_hexdigest(key.encode("utf-8")) if key else ""


def fallback_guid(source: str, headline: str | None, first_paragraph: str | None) -> str:
    """Stable id for formats without one: a hash of source + headline + first paragraph."""
    material = "\x1f".join((source, headline or "", first_paragraph or ""))
    return "wiredesk:" + xxhash.xxh3_128_hexdigest(material.encode("utf-8"))
