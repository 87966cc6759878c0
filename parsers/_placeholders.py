"""Placeholder values that fill empty metadata fields: they are no value, so they never become one.

Agency systems write a filler instead of leaving a field empty (Reuters' video profile:
``No-Data-Available`` in ``located``, ``infoSource``, ``by``; other exporters ``N/A``, ``none``, ``-``,
``unknown``). A place, credit or byline built from one is silently wrong, so parsers test values with
:func:`is_placeholder` where they build structure (a G2 ``located`` list, a NewsML 1.2 ``Location``), and
``parsers._inline.clean_item`` drops any that remain in single-value and list fields.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-.]+")
_PLACEHOLDERS = frozenset(
    {
        "", "n/a", "n a", "na/na", "none", "null", "nil", "unknown", "unknow", "not available",
        "no data available", "no data", "nodata", "not applicable", "undefined", "not specified",
        "unspecified", "tbd", "tba", "?", "??", "???", "xx", "xxx", "/", "*",
    }
)  # fmt: skip
_MAX_LENGTH = 24
# Every placeholder starts with one of these (after leading spaces): a cheap first test for real values.
_FIRST = frozenset("nNuUtT?xX/*-_. \t")


def is_placeholder(text: str | None) -> bool:
    """``text`` is a filler for 'no value' (``No-Data-Available``, ``N/A``, ``none``, ``-``, ``unknown``),
    compared without case, spacing, dashes, dots and underscores. ``None`` counts as a placeholder."""
    if text is None:
        return True
    if len(text) > _MAX_LENGTH or (text and text[0] not in _FIRST):
        return False
    folded = _SEPARATORS.sub(" ", text.casefold()).strip()
    return folded in _PLACEHOLDERS


def real(text: str | None) -> str | None:
    """``text`` unless it is a placeholder."""
    return None if is_placeholder(text) else text
