"""Preformatted wire text inside one XML/HTML element, and the advisory/byline lines that open it.

Agencies that convert teleprinter copy to XML often put the whole story, still hard-wrapped, into ONE
``<p>`` (Reuters NewsML-G2 and NITF, AFP and Kyodo in NewsML 1.2): a paragraph starts at a line indented
deeper than the flush-left continuation lines, or after a blank line. Pretty-printed markup indents every
line alike and has no blank line inside a paragraph, so it is never taken for wire text.

The first lines of such copy are not story: an advisory in parentheses (``(Adds comments, detail)``,
``(Corrects name in paragraph 3)``) and a ``By ...`` author line with, maybe, the author's title or agency
on the next line (AP ``By JANE DOE`` / ``Associated Press``); :func:`lift_lead_notes` takes them out of the
paragraph list, for every XML and JSON format. Plain-text bodies (ninjs ``body_text``, G2 ``text/plain``,
NewsML 1.2 plain ``DataContent``) are read the same way (:func:`plain_text_paragraphs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.base import ParsedItem

_MIN_LINES = 3  # content lines after the first: fewer is a wrapped paragraph, not a laid-out story

# Advisories that open wire copy: the verb says what the take does (English ``Adds``/``Corrects``, French
# ``Ajoute``/``Corrige``, Spanish ``Añade``/``Actualiza``, German ``Ergänzt``/``Berichtigt``/dpa ``neu:``,
# Italian ``Aggiunge``/``Corregge``, Portuguese ``Acrescenta``, Dutch ``Aangevuld``, Nordic ``Uppdaterad``/
# ``Oppdatert``/``Päivitetty``, Polish ``Aktualizacja``, Czech ``Doplněno``, Romanian ``Actualizează``,
# Turkish ``Güncellendi`` ...).
ADVISORY = re.compile(
    r"^\((?=[^)]{0,80}\b(?:corrects?|correcting|adds?|updates?|refiles?|repeats?|fixes|removes?|changes?|"
    r"recasts?|clarifies|inserts?|withdraws?|deletes?|rewrites?|rectifies|"
    r"ajoute|corrige|actualise|rectifie|remplace|précise|actualisée?|mise?\s+à\s+jour|complétée?|corrigée?|"
    r"rectifiée?|ajoutée?|"
    r"añade|agrega|actualiza|rectifica|sustituye|amplía|"
    r"ergänzt|berichtigt|korrigiert|aktualisiert|ersetzt|präzisiert|"
    r"aggiunge|corregge|aggiorna|sostituisce|rettifica|"
    r"neu(?=\s*:)|aktualisierung|neufassung|"
    r"acrescenta|atualiza|actualiza|substitui|"
    r"aangevuld|vult|corrigeert|vervangt|"
    r"uppdaterad|uppdaterar|rättad|rättar|kompletterad|oppdatert|rettet|utvidet|opdateret|tilføjer|"
    r"päivitetty|korjattu|lisätty|"
    r"aktualizacja|poprawia|uzupełnia|aktualizováno|doplněno|opraveno|aktualizované|doplnené|"
    r"frissítve|javítva|actualizează|corectează|adaugă|güncellendi|düzeltildi)\b)"
    r"[^()]*(?:\([^()]*\)[^()]*)*\)$",
    re.IGNORECASE,
)
# A paragraph that is only an author line: ``By Jane Doe``, ``Von Max Muster``, ``Par Jean Dupont``, ``Por ...``,
# ``di Mario Rossi``.
BYLINE = re.compile(
    r"^(?:(?:By|Von|Par|Por|Door|Av|Af)\s+[^\W\d_][\w.'’-]*(?:,?\s+(?:and\s+|und\s+|et\s+|y\s+)?"
    r"[^\W\d_][\w.'’-]*){0,6}"
    # Italian ``di``/``Di``: only before capitalised name words, as the word opens ordinary sentences too
    r"|(?:di|Di|DI)\s+[^\W\d_a-z][\w.'’-]*(?:\s+(?:e\s+|i\s+|och\s+)?[^\W\d_a-z][\w.'’-]*){1,4})$"
)
_LEAD_WINDOW = 6  # advisories and bylines sit in the first few paragraphs, before the story proper
# How an author line starts (``BYLINE``'s labels), for a cheap first test.
_LEAD_STARTS = frozenset({"By", "Vo", "Pa", "Po", "Do", "Av", "Af", "di", "Di", "DI"})
# A line that continues a byline with the author's title or employer (AP ``Associated Press``, ``AP Business
# Writer``, ``PA Political Correspondent``, dpa ``Korrespondent``): short, no sentence end, a title word.
BYLINE_TITLE = re.compile(
    r"^(?=.{2,60}$)(?!.*[.!?:;]$)(?:[^\W\d_][\w.&'’-]*\s+){0,5}?"
    r"(?:[^\W\d_][\w.&'’-]*\s+)?(?:[^\W\d_]+-)?(?:Writer|Press|Correspondent|Editor|Reporter|Columnist|Critic|Analyst|"
    r"Bureau|Chief|Staff|News|Newswires?|Agency|Korrespondent(?:in)?|Redakteur(?:in)?|correspondant(?:e)?|"
    r"corresponsal|corrispondente|Presse|Prensa|Stampa)(?:\s+[^\W\d_][\w.&'’-]*){0,3}$"
)
# A byline line in a laid-out lead: ``By`` and capitalised name words (``By JANE DOE``, ``Par Marie DUPONT``).
_LEAD_BYLINE = re.compile(
    r"^(?:By|Von|Par|Por|Door|Av|Af)\s+[^\W\d_a-z][\w.'’-]*(?:,?\s+(?:and\s+|und\s+|et\s+|y\s+)?"
    r"[^\W\d_a-z][\w.'’-]*){0,5}$"
)


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
        starts = index > 0 and (_indent(line) > margin or ends_lead_line(paragraphs, current))
        if starts and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return [p for p in (" ".join(p.split()) for p in paragraphs) if p]


def ends_lead_line(paragraphs: list[str], current: list[str]) -> bool:
    """Whether the paragraph being read (``current`` lines, after ``paragraphs``) is a complete lead line
    that the next line cannot continue, however it is indented: an advisory (``(Ajoute réaction du
    ministre)``), a one-line byline after advisories only, or the byline's title line right after it
    (``Associated Press``)."""
    if not current or len(paragraphs) >= _LEAD_WINDOW:
        return False
    if current[0].startswith("("):
        return ADVISORY.match(" ".join(current)) is not None
    if len(current) > 1:
        return False
    if all(p.startswith("(") and ADVISORY.match(p) for p in paragraphs):
        return _LEAD_BYLINE.match(current[0]) is not None
    if _LEAD_BYLINE.match(paragraphs[-1]) and all(ADVISORY.match(p) for p in paragraphs[:-1]):
        return BYLINE_TITLE.match(current[0]) is not None
    return False


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
    if not any(p[:1] == "(" or p[:2] in _LEAD_STARTS for p in body[:_LEAD_WINDOW]):
        return LeadNotes(body)  # speed: neither an advisory nor an author line can be there
    result = LeadNotes(list(body))
    paragraphs = result.body
    while len(paragraphs) > 1 and ADVISORY.match(paragraphs[0]):
        result.ednotes.append(paragraphs.pop(0))
    for index, paragraph in enumerate(paragraphs[:_LEAD_WINDOW]):
        if len(paragraphs) > 1 and BYLINE.match(paragraph):
            result.byline = paragraphs.pop(index)
            # the author's title or agency on the next line belongs to the byline (``By JANE DOE`` /
            # ``Associated Press``), as ANPA joins them
            if len(paragraphs) > index + 1 and BYLINE_TITLE.match(paragraphs[index]):
                result.byline = f"{result.byline}, {paragraphs.pop(index)}"
            break
    return result


def plain_text_paragraphs(text: str, *, flush_margin: bool = False) -> list[str] | None:
    """Paragraphs of a plain-text body that is laid out as wire copy (:func:`preformatted_paragraphs`),
    else ``None`` (the caller's own rule then applies). ``flush_margin``: only when some wrapped line
    starts at the left edge right under a text line (a text node of pretty-printed XML indents every
    line; its own rule reads it)."""
    if "\n" not in text:
        return None
    if flush_margin:
        lines = text.split("\n")
        if not any(  # a wrapped line at the left edge continues the line above it
            line[:1].strip() and lines[index].strip() for index, line in enumerate(lines[1:])
        ):
            return None
    return preformatted_paragraphs(text)


def lift_item_lead_notes(item: ParsedItem) -> ParsedItem:
    """:func:`lift_lead_notes` applied to a parsed item (in place; returned for chaining): the advisory to
    ``ednotes``, the ``By ...`` line to ``byline`` unless the format gave one (then the line still leaves
    the story)."""
    lead = lift_lead_notes(item.body)
    item.body = lead.body
    item.ednotes = [*item.ednotes, *lead.ednotes]
    item.byline = item.byline or lead.byline
    return item
