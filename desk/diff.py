"""What changed between two versions of a story: metadata fields and a paragraph-level body diff.

Editors need to see a correction at a glance, so paragraphs are aligned (difflib on whole paragraphs) and a
paragraph that was edited, rather than added or removed, also gets a word-level diff. The word diff is built
as escaped HTML with ``<del>``/``<ins>`` only, and the template still passes it through the sanitizer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from markupsafe import escape

from normalizers.record import ArticleRecord

COMPARED_FIELDS = (
    "kicker",
    "headline",
    "caption",
    "byline",
    "dateline",
    "status",
    "urgency",
    "embargo_until",
    "language",
    "agencies",
    "subjects",
    "keywords",
    "signals",
    "ednotes",
    "related",
)
_WORDS = re.compile(r"\S+|\s+")
SIMILAR = 0.6
"""Paragraphs at least this similar (difflib ratio) count as one edited paragraph."""
# difflib is quadratic: bounds keep one story page under a second however large the versions are
# (two 20,000-paragraph versions took 30 s, two 64 KB paragraphs 115 s before these bounds).
MAX_PARAGRAPHS = 2_000  # more in either version: no paragraph diff, a "too large to compare" note
MAX_ALIGN = 40  # paragraphs on either side of one replaced block that are paired by similarity
MAX_WORDS = 3_000  # words (and spaces) in either paragraph for an inline word diff
MAX_RATIO_CHARS = 5_000  # longer paragraphs are compared by difflib's linear quick_ratio


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    op: Literal["added", "removed", "changed"]
    old: str | None
    new: str | None
    inline_html: str | None = None
    """For ``changed``: the new paragraph with ``<del>``/``<ins>`` word marks (already escaped)."""


@dataclass(slots=True)
class VersionChanges:
    """Changes from ``previous`` (None for the first version) to ``current``."""

    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    paragraphs: list[ParagraphChange] = field(default_factory=list)
    unchanged_paragraphs: int = 0
    first: bool = False
    too_large: bool = False
    """The bodies differ but are too large to compare paragraph by paragraph (``MAX_PARAGRAPHS``)."""

    @property
    def changed_names(self) -> list[str]:
        names = [name for name, _old, _new in self.fields]
        if self.paragraphs or self.too_large:
            names.append("body")
        return names

    @property
    def empty(self) -> bool:
        return not self.fields and not self.paragraphs and not self.too_large


def word_diff_html(old: str, new: str) -> str:
    """``new`` as escaped HTML, with removed words in ``<del>`` and added words in ``<ins>``."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    if len(a) > MAX_WORDS or len(b) > MAX_WORDS:
        return f"<ins>{escape(new)}</ins>"  # too long to mark word by word: shown whole as new text
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(parts)


def _comparable(record: ArticleRecord, name: str) -> Any:
    value = record.to_dict()[name]
    return value if value not in (None, [], "") else None


def compare(previous: ArticleRecord | None, current: ArticleRecord) -> VersionChanges:
    """Field and paragraph changes from ``previous`` to ``current``."""
    if previous is None:
        return VersionChanges(first=True, unchanged_paragraphs=len(current.body))
    changes = VersionChanges()
    for name in COMPARED_FIELDS:
        old, new = _comparable(previous, name), _comparable(current, name)
        if old != new:
            changes.fields.append((name, old, new))
    if len(previous.body) > MAX_PARAGRAPHS or len(current.body) > MAX_PARAGRAPHS:
        changes.too_large = previous.body != current.body
        return changes
    matcher = difflib.SequenceMatcher(None, previous.body, current.body, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = previous.body[i1:i2], current.body[j1:j2]
        if op == "equal":
            changes.unchanged_paragraphs += len(new_part)
            continue
        changes.paragraphs += _align(old_part, new_part)
    return changes


def _align(old_part: list[str], new_part: list[str]) -> list[ParagraphChange]:
    """Pair edited paragraphs inside a replaced block (in order, by similarity); the rest are removed
    or added. Wire corrections usually edit a sentence and append a paragraph, which this shows as one
    ``changed`` and one ``added`` instead of two removals and three additions."""
    out: list[ParagraphChange] = []
    if len(old_part) > MAX_ALIGN or len(new_part) > MAX_ALIGN:
        out += [ParagraphChange("removed", old, None) for old in old_part]
        return out + [ParagraphChange("added", None, new) for new in new_part]
    start = 0
    for old in old_part:
        best, best_ratio = None, SIMILAR
        for index in range(start, len(new_part)):
            ratio = _similarity(old, new_part[index])
            if ratio >= best_ratio:
                best, best_ratio = index, ratio
        if best is None:
            out.append(ParagraphChange("removed", old, None))
            continue
        out += [ParagraphChange("added", None, new) for new in new_part[start:best]]
        out.append(
            ParagraphChange("changed", old, new_part[best], word_diff_html(old, new_part[best]))
        )
        start = best + 1
    out += [ParagraphChange("added", None, new) for new in new_part[start:]]
    return out


def _similarity(old: str, new: str) -> float:
    """difflib's ratio, or its linear upper bound ``quick_ratio`` for long paragraphs."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR:
        return 0.0
    if len(old) + len(new) > MAX_RATIO_CHARS:
        return matcher.quick_ratio()
    return matcher.ratio()
