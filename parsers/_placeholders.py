"""Placeholder values that fill empty metadata fields: they are no value, so they never become one.

Agency systems write a filler instead of leaving a field empty (Reuters' video profile:
``No-Data-Available`` in ``located``, ``infoSource``, ``by``; other exporters ``N/A``, ``none``, ``-``,
``unknown``, ``N.N.``, ``#N/A``, a lone dash, "unknown" in the agencies' languages). A place, credit or
byline built from one is silently wrong, so parsers test values with
:func:`is_placeholder` where they build structure (a G2 ``located`` list, a NewsML 1.2 ``Location``), and
``parsers._inline.clean_item`` drops any that remain in single-value and list fields.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SEPARATORS = re.compile(r"[\s_\-.\u2010-\u2015\u2212]+")  # dashes of every width fold away too
_PLACEHOLDERS = frozenset(
    {
        "", "n/a", "n a", "na/na", "#n/a", "n/d", "n d", "s/d", "none", "null", "nil", "(null)", "[null]",
        "(none)", "[none]", "<null>", "unknown", "unknow", "not known", "not available", "no data available",
        "no data", "nodata", "not applicable", "undefined", "not specified", "unspecified", "tbd", "tba",
        "?", "??", "???", "xx", "xxx", "/", "*", "void",
        # ``N.N.`` (nomen nescio): the name is not known
        "n n",
        # fillers for a missing author, source or place
        "unknown author", "unknown source", "unknown location", "unknown place", "no author", "no byline",
        "no source", "anonymous author",
        # "unknown" / "not available" in the languages of the agency table
        "unbekannt", "keine angabe", "k a", "inconnu", "inconnue", "non disponible", "desconocido",
        "desconocida", "no disponible", "sconosciuto", "sconosciuta", "non disponibile", "desconhecido",
        "desconhecida", "não disponível", "onbekend", "okänd", "ukjent", "ukendt", "tuntematon", "nieznany",
        "nieznana", "neznámý", "neznámá", "neznámy", "ismeretlen", "necunoscut", "nepoznat", "nepoznato",
        "neznano", "bilinmiyor", "bilinmeyen", "άγνωστο", "άγνωστος", "неизвестно", "неизвестен",
        "невідомо", "невідомий", "непознат", "不明", "未知",
    }
)  # fmt: skip
MAX_LENGTH = _MAX_LENGTH = 24  # no placeholder is longer
# Every placeholder starts with one of these (after leading spaces, in either case): a cheap first test
# for real values.
_FIRST = frozenset(
    {first for entry in _PLACEHOLDERS if entry for first in (entry[0], entry[0].upper())}
    | set(" \t_-.\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
)
# An author label before the value (``By N/A``, ``Von unbekannt``): the value decides.
_AUTHOR_LABEL = re.compile(r"^(?:by|von|par|por|door|av|af|di|da|de|od|от|від)\s+", re.IGNORECASE)


def is_placeholder(text: str | None) -> bool:
    """``text`` is a filler for 'no value' (``No-Data-Available``, ``N/A``, ``none``, ``-``, ``unknown``),
    compared without case, spacing, dashes, dots and underscores. ``None`` counts as a placeholder."""
    if text is None:
        return True
    if len(text) > _MAX_LENGTH or (text and text[0] not in _FIRST):
        return False
    return _folds_to_placeholder(text)


@lru_cache(maxsize=4096)
def _folds_to_placeholder(text: str) -> bool:
    """:func:`is_placeholder` past its cheap tests, once per short value (feeds repeat their agency
    names, keywords and bylines on every item)."""
    folded = text.casefold()
    if folded in _PLACEHOLDERS:
        return True
    if folded.isalnum():  # nothing to fold away, and not a placeholder as it is
        return False
    return _SEPARATORS.sub(" ", folded).strip() in _PLACEHOLDERS


def real(text: str | None) -> str | None:
    """``text`` unless it is a placeholder."""
    return None if is_placeholder(text) else text


def is_placeholder_author(text: str | None) -> bool:
    """``text`` is a placeholder, also after an author label (``By N/A``, ``Von unbekannt``)."""
    if text is None:
        return True
    if len(text) > _MAX_LENGTH + 6:  # speed: a name, not a filler
        return False
    return _is_placeholder_author(text)


@lru_cache(maxsize=4096)
def _is_placeholder_author(text: str) -> bool:
    """:func:`is_placeholder_author` past its length test, once per short author string."""
    if is_placeholder(text):
        return True
    label = _AUTHOR_LABEL.match(text)
    return label is not None and is_placeholder(text[label.end() :])
