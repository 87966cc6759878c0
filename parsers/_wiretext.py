"""Preformatted wire text inside one XML/HTML element, and the advisory/byline lines that open it.

Agencies that convert teleprinter copy to XML often put the whole story, still hard-wrapped, into ONE
``<p>`` (Reuters NewsML-G2 and NITF, AFP and Kyodo in NewsML 1.2): a paragraph starts at a line indented
deeper than the flush-left continuation lines, or after a blank line. Pretty-printed markup indents every
line alike and has no blank line inside a paragraph, so it is never taken for wire text.

The first lines of such copy are not story: an advisory in parentheses (``(Adds comments, detail)``,
``(Corrects name in paragraph 3)``) and a ``By ...`` author line; :func:`lift_lead_notes` takes them out of
the paragraph list, for every XML format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MIN_LINES = 3  # content lines after the first: fewer is a wrapped paragraph, not a laid-out story

# Advisories that open wire copy: the verb says what the take does (English ``Adds``/``Corrects``, French
# ``Ajoute``/``Corrige``, Spanish ``Añade``/``Actualiza``, German ``Ergänzt``/``Berichtigt``, Italian
# ``Aggiunge``/``Corregge`` ...).
ADVISORY = re.compile(
    r"^\((?=[^)]{0,80}\b(?:corrects?|correcting|adds?|updates?|refiles?|repeats?|fixes|removes?|changes?|"
    r"recasts?|clarifies|inserts?|withdraws?|deletes?|rewrites?|rectifies|"
    r"ajoute|corrige|actualise|rectifie|remplace|précise|"
    r"añade|agrega|actualiza|rectifica|sustituye|amplía|"
    r"ergänzt|berichtigt|korrigiert|aktualisiert|ersetzt|präzisiert|"
    r"aggiunge|corregge|aggiorna|sostituisce|rettifica)\b)[^()]*(?:\([^()]*\)[^()]*)*\)$",
    re.IGNORECASE,
)
# A paragraph that is only an author line: ``By Jane Doe``, ``Von Max Muster``, ``Par Jean Dupont``, ``Por ...``.
BYLINE = re.compile(
    r"^(?:By|Von|Par|Por|Door|Av|Af)\s+[^\W\d_][\w.'’-]*(?:,?\s+(?:and\s+|und\s+|et\s+|y\s+)?"
    r"[^\W\d_][\w.'’-]*){0,6}$"
)
_LEAD_WINDOW = 6  # advisories and bylines sit in the first few paragraphs, before the story proper


def _indent(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def preformatted_paragraphs(text: str) -> list[str] | None:
    """Paragraphs of hard-wrapped wire text held in one element, or ``None`` when ``text`` is not laid out
    that way (then the caller treats it as ordinary flowing text).

    Laid out = at least three content lines after the first, and either a blank line between content
    lines or both flush-left and deeper-indented lines. A paragraph starts after a blank line or at a line
    indented deeper than the flush-left margin; other lines continue the paragraph before them.
    """
    if text.count("\n") < _MIN_LINES:
        return None
    lines = [line.rstrip() for line in text.split("\n")]
    rest = lines[1:]
    indents = [_indent(line) for line in rest if line.strip()]
    if len(indents) < _MIN_LINES:
        return None
    margin = min(indents)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    inner_blank = filled[-1] - filled[0] + 1 > len(filled)
    if not inner_blank and max(indents) == margin:
        return None
    paragraphs: list[str] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        starts = index > 0 and _indent(line) > margin
        if starts and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return [p for p in (" ".join(p.split()) for p in paragraphs) if p]


@dataclass(slots=True)
class LeadNotes:
    """The body without its opening advisories and author line, and what was taken out."""

    body: list[str]
    ednotes: list[str] = field(default_factory=list)
    byline: str | None = None


def lift_lead_notes(body: list[str]) -> LeadNotes:
    """Advisories (``(Adds comments, detail)``) at the very start go to ``ednotes``; one ``By ...``
    paragraph among the first few (after bullet summaries, before the dateline paragraph) goes to
    ``byline``. The story keeps at least one paragraph."""
    result = LeadNotes(list(body))
    paragraphs = result.body
    while len(paragraphs) > 1 and ADVISORY.match(paragraphs[0]):
        result.ednotes.append(paragraphs.pop(0))
    for index, paragraph in enumerate(paragraphs[:_LEAD_WINDOW]):
        if len(paragraphs) > 1 and BYLINE.match(paragraph):
            result.byline = paragraphs.pop(index)
            break
    return result
