"""Counts in the words people read: ``1 document``, ``2 documents``.

One helper for every line the CLI prints and every count the desk shows, so no message says "1 documents"
and a new message has nothing to get wrong. English only: the desk and the CLI speak English.
"""

from __future__ import annotations

_IRREGULAR = {"copy": "copies", "entry": "entries", "quarantine entry": "quarantine entries"}


def noun_for(count: int, noun: str, plural: str | None = None) -> str:
    """``noun`` as it reads after ``count``: singular for exactly 1 (and -1), else ``plural`` (default:
    the irregular table, else ``noun + "s"``). Zero takes the plural, as English does ("0 documents")."""
    if abs(count) == 1:
        return noun
    return plural or _IRREGULAR.get(noun, noun + "s")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``"1 document"``, ``"3 documents"``, ``"0 documents"``: the count and its noun."""
    return f"{count} {noun_for(count, noun, plural)}"
