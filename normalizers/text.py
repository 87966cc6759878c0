"""Text cleanup applied to every string of a record: one definition of "clean" for all formats.

Unicode NFC, soft hyphens and zero-width characters removed, C1 control characters read as the windows-1252
characters they almost always are (``\\x92`` -> ``’``), whitespace (incl. no-break space) collapsed;
typographic dashes and quotes are kept.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"), None)
_C1 = re.compile(r"[\x80-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Anything the slow path changes besides whitespace and NFC: most text has none, and one scan proves it.
_UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff\u180e]")


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


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Cleaned paragraphs with empty ones dropped."""
    cleaned = (clean_text(p) for p in paragraphs)
    return [p for p in cleaned if p]


def clean_list(values: list[str]) -> list[str]:
    """Cleaned, de-duplicated list keeping first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        text = clean_text(value)
        if text and text not in seen:
            seen[text] = None
    return list(seen)
