"""Text cleanup applied to every string of a record: one definition of "clean" for all formats.

Unicode NFC; soft hyphens, zero-width characters, directional marks (U+200E/U+200F/U+061C) and bidirectional
embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069: they can make text display other than it
reads) removed; C1 control characters read as the windows-1252 characters they almost always are (``\\x92``
-> ``’``), whitespace (incl. no-break space) collapsed; typographic dashes and quotes are kept. Metadata
fields also lose placeholder values agencies send for "nothing" (``No-Data-Available``, ``N/A``): the one
list the parsers use too (``parsers._placeholders``).
"""

from __future__ import annotations

import re
import unicodedata

from parsers._placeholders import is_placeholder

_INVISIBLE_CHARS = (
    "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_C1 = re.compile(r"[\x80-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Anything the slow path changes besides whitespace and NFC: most text has none, and one scan proves it.
_UNUSUAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_INVISIBLE_CHARS}]")


def _c1_as_cp1252(match: re.Match[str]) -> str:
    try:
        return match.group().encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return ""


def clean_text(value: str | None) -> str | None:
    """Cleaned single-line text, or ``None`` when nothing is left."""
    if value is None:
        return None
    text = value
    if _UNUSUAL.search(text):
        text = text.translate(_INVISIBLE)
        if _C1.search(text):
            text = _C1.sub(_c1_as_cp1252, text)
        text = _CONTROL.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())  # str.split() and re's \s agree on what Unicode whitespace is
    return text or None


def clean_field(value: str | None) -> str | None:
    """A cleaned metadata value (headline, kicker, caption, byline, dateline place or date ...), or ``None``
    when nothing -- or only a placeholder -- is left."""
    text = clean_text(value)
    return None if text is None or is_placeholder(text) else text


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Cleaned paragraphs with empty ones dropped."""
    cleaned = (clean_text(p) for p in paragraphs)
    return [p for p in cleaned if p]


def clean_list(values: list[str]) -> list[str]:
    """Cleaned, de-duplicated list keeping first-seen order, placeholders dropped."""
    seen: dict[str, None] = {}
    for value in values:
        text = clean_field(value)
        if text and text not in seen:
            seen[text] = None
    return list(seen)
