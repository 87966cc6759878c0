"""Fingerprints: the exact-duplicate content hash and the fallback guid.

xxh3 is used because hashing must be free next to parsing (PERFORMANCE.md: 10,850 docs/s incl. normalize).
The content hash ignores case, punctuation spacing and paragraph breaks, so the same copy re-wrapped by a
different format hashes the same.
"""

from __future__ import annotations

import re

import xxhash

_WORD = re.compile(r"[^\W_]+")
_last_words: tuple[tuple[str, ...], list[str]] = ((), [])


def body_words(paragraphs: list[str]) -> list[str]:
    """The body's case-folded words (letters and digits; punctuation, ``_`` and layout separate them).

    The content hash and the MinHash signature of a record both read them, one right after the other: the
    last answer is kept (compared by content, so a reused list never gets a stale answer)."""
    global _last_words
    key = tuple(paragraphs)
    last = _last_words  # one read: another thread may replace the pair meanwhile (service jobs run in threads)
    if key == last[0]:
        return last[1]
    words = _WORD.findall(" ".join(paragraphs).casefold())
    _last_words = (key, words)
    return words


def body_key(paragraphs: list[str]) -> str:
    """The body reduced to lower-case words separated by single spaces."""
    return " ".join(body_words(paragraphs))


def content_hash(paragraphs: list[str]) -> str:
    """Hash of the normalized body text ('' for an empty body, which is nobody's duplicate)."""
    key = body_key(paragraphs)
    return xxhash.xxh3_128_hexdigest(key.encode("utf-8")) if key else ""


def fallback_guid(source: str, headline: str | None, first_paragraph: str | None) -> str:
    """Stable id for formats without one: a hash of source + headline + first paragraph."""
    material = "\x1f".join((source, headline or "", first_paragraph or ""))
    return "wiredesk:" + xxhash.xxh3_128_hexdigest(material.encode("utf-8"))
