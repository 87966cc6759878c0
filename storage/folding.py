"""Letters search folds to plain Latin, on both stores: one table, so the index and the query agree.

SQLite's FTS5 ``unicode61`` tokenizer (``remove_diacritics 2``) folds case and strips combining marks, so
``Čapek`` and ``Lawrów`` are found as ``capek`` and ``lawrow``. Letters that carry no combining mark in
Unicode (no canonical decomposition) stay as they are: without this table ``Walesa`` never finds
``Wałęsa``, ``Lodz`` never ``Łódź``, ``Tromso`` never ``Tromsø``, ``Kilicdaroglu`` never ``Kılıçdaroğlu``.
PostgreSQL's ``unaccent`` folds them (its ``unaccent.rules``: ł -> l, ø -> o, ı -> i, þ -> th, ...), so the
targets here are unaccent's, lower-cased: a search means the same on either store.
The table covers the letters of Latin-1 Supplement and Latin Extended-A (U+00C0-U+017F: the alphabets of
European languages) that unicode61 leaves non-ASCII, except ``ŉ`` (unaccent makes it ``'n``, two tokens);
``tests/test_search_folding.py`` checks that against SQLite itself. Each fold keeps a word one token.
Every fold is one more nested ``replace`` per indexed column in the index triggers, so letters of rarer
alphabets (Latin Extended-B: African and phonetic letters) are left to a later table.
"""

from __future__ import annotations

import unicodedata

FOLDS: tuple[tuple[str, str], ...] = (
    ("ß", "ss"), ("ẞ", "ss"),
    ("æ", "ae"), ("Æ", "ae"),
    ("œ", "oe"), ("Œ", "oe"),
    ("ł", "l"), ("Ł", "l"),
    ("ø", "o"), ("Ø", "o"),
    ("đ", "d"), ("Đ", "d"),
    ("ð", "d"), ("Ð", "d"),
    ("ı", "i"),
    ("þ", "th"), ("Þ", "th"),
    ("ħ", "h"), ("Ħ", "h"),
    ("ŧ", "t"), ("Ŧ", "t"),
    ("ŀ", "l"), ("Ŀ", "l"),
    ("ĳ", "ij"), ("Ĳ", "ij"),
    ("ŋ", "n"), ("Ŋ", "n"),
    ("ĸ", "q"),
)  # fmt: skip
"""(letter, folded) pairs, applied in order by :func:`fold_text` and :func:`fold_sql`."""

FOLDS_BEFORE_0011: tuple[tuple[str, str], ...] = FOLDS[:6]
"""The table of schema revisions 0004-0010 (``ß`` and the ligatures): what those migrations index with."""


def composed(value: str) -> str:
    """What an editor typed, in the form stored text has: NFC (a query pasted from a PDF or typed on a Mac
    arrives decomposed: ``e`` + U+0328 for ``ę``, which neither tokenizer joins), and ``i`` + U+0307 (what
    ``"İ".lower()`` gives) as ``i``."""
    return unicodedata.normalize("NFC", value).replace("i\u0307", "i")


def fold_text(value: str) -> str:
    """Query-side folding (after :func:`composed`); the same table as :func:`fold_sql` applies to the
    index."""
    value = composed(value)
    for source, target in FOLDS:
        if source in value:
            value = value.replace(source, target)
    return value


def fold_sql(expression: str, folds: tuple[tuple[str, str], ...] = FOLDS) -> str:
    """SQL that folds ``expression`` like :func:`fold_text` (nested ``replace``, no Python function, so the
    triggers that use it work from any SQLite client). ``folds``: another table (a migration's earlier one)."""
    for source, target in folds:
        expression = f"replace({expression}, '{source}', '{target}')"
    return expression
