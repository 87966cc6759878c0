"""Rendered-page text dumps: the text a browser shows for a news page.

The reference is the seed page (``../shared/seeds``): photo marker ``+`` and caption, kicker, headline,
paragraphs (the first with its dateline), a credit line, then page furniture -- "Auch interessant",
"Meistgelesene Artikel" with teasers listed as title / teaser / title again, "Kommentare". Dumps come in three
shapes, all read here: blank lines between paragraphs (the seed), one paragraph per line without blank lines
(a browser copy), and hard-wrapped paragraphs (``lynx -dump``). The site vocabulary is data
(``TextDumpLayout``) so other sites' furniture words are rows, not code. This is the fallback format: it
accepts any readable text and is asked last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsers.base import ParsedItem, ParsedRelated, ParseError
from parsers.dates import to_utc
from parsers.encoding import decode_bytes

FORMAT = "text"
SNIFF_ORDER = 100


def _words(*phrases: str) -> frozenset[str]:
    return frozenset(p.casefold() for p in phrases)


@dataclass(frozen=True, slots=True)
class TextDumpLayout:
    """Words that mark page furniture in a text dump, by what follows them."""

    photo_markers: frozenset[str] = frozenset(
        {"+", "Foto", "Bild", "Photo", "Video", "[Bild]", "▶"}
    )
    # Followed by teasers of other stories (they go to ``related``, never to the body).
    related_headings: frozenset[str] = _words(
        "Auch interessant", "Meistgelesene Artikel", "Meistgelesen", "Meist gelesen", "Mehr zum Thema",
        "Das könnte Sie auch interessieren", "Das könnte dich auch interessieren", "Lesen Sie auch",
        "Lies auch", "Weitere Artikel", "Weitere Nachrichten", "Weitere Meldungen", "Verwandte Artikel",
        "Verwandte Themen", "Dazu passend", "Passend zum Thema", "Empfehlungen", "Top-Themen", "Top Themen",
        "Aktuelle Nachrichten", "Neueste Artikel", "Most Read", "Most popular", "Most viewed", "Related",
        "Related articles", "Related stories", "Related content", "Read more", "Read also", "See also",
        "More on this story", "More stories", "More news", "You may also like", "Recommended",
        "Top stories", "Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "Voir aussi",
        "Les plus lus", "Sur le même sujet", "Sur le même thème", "Articles liés", "Dans la même rubrique",
        "Nos articles", "Lee también", "Leggi anche",
    )  # fmt: skip
    # ``Lesen Sie auch: Titel`` inside the body is a link to another story, not a paragraph.
    inline_related_prefixes: frozenset[str] = _words(
        "Lesen Sie auch", "Lies auch", "Mehr zum Thema", "Auch interessant", "Read more", "Read also",
        "See also", "Related", "Lire aussi", "À lire aussi", "A lire aussi", "Voir aussi", "Lee también",
        "Leggi anche",
    )  # fmt: skip
    # Everything after these is not part of the story (comments, sharing, site footer).
    terminal_headings: frozenset[str] = _words(
        "Kommentare", "Leserkommentare", "Kommentar schreiben", "Kommentieren", "Diskussion", "Comments",
        "Comment", "Leave a comment", "Join the conversation", "Commentaires", "Commentaire", "Réagir",
        "Réactions", "Commenti", "Comentarios", "Newsletter", "Artikel teilen", "Teilen", "Share",
        "Share this article", "Partager", "Partager cet article", "Impressum", "Datenschutz", "Privacy",
        "Mentions légales",
    )  # fmt: skip
    noise_lines: frozenset[str] = _words(
        "Anzeige", "Werbung", "Advertisement", "Advertising", "Publicité", "Sponsored", "Artikel anhören",
        "Merken", "Drucken", "Print", "Mehr lesen", "Weiterlesen", "Mehr", "Zurück", "Continue reading",
        "Lire la suite", "Lire plus", "Fermer", "Schließen", "Close",
    )  # fmt: skip
    # Page chrome that reads as text: reading time, share counts.
    noise_pattern: re.Pattern[str] = re.compile(
        r"^(?:Lesezeit|Lesedauer|Reading time|Temps de lecture)\s*:?\s*(?:ca\.\s*)?\d+\s*\w*\.?$"
        r"|^\d+\s*(?:min|minute|minutes|Min\.?|Minuten)\s*(?:read|Lesezeit|de lecture)$",
        re.IGNORECASE,
    )
    photo_credit: re.Pattern[str] = re.compile(
        r"^(?:(?:Fotos?|Bild(?:er)?|Photos?|Images?|Crédit(?:s)?(?: photo)?|Credit)\s*:|©|\(c\)\s)",
        re.IGNORECASE,
    )
    byline: re.Pattern[str] = re.compile(
        r"^(?:Von|By|Par|Por|Di|Door|Av)\s+[^\W\d_][^.!?…;:]{0,78}[^\W_.]$"
    )
    # Where a date line without an explicit zone was written (the site's local time).
    local_timezone: str = "Europe/Berlin"
    max_heading_chars: int = 160
    max_heading_words: int = 24
    max_byline_words: int = 10
    related_title_max_chars: int = 160
    max_caption_chars: int = 300
    # Dumps wrapped at a fixed width (lynx 76, w3m 80, mail 72) have their longest line in this range.
    min_wrap_width: int = 40
    max_wrap_width: int = 120


DEFAULT_LAYOUT = TextDumpLayout()

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "januar jan january janvier janv jänner",
            "februar feb february février févr fevrier",
            "märz mär maerz march mar mars",
            "april apr avril avr",
            "mai may",
            "juni jun june juin",
            "juli jul july juillet juil",
            "august aug août aout",
            "september sep sept septembre",
            "oktober okt october oct octobre",
            "november nov novembre",
            "dezember dez december dec décembre",
        ),
        start=1,
    )
    for name in names.split()
}
_ZONES: dict[str, tzinfo] = {
    "utc": UTC,
    "gmt": UTC,
    "z": UTC,
    "mez": timezone(timedelta(hours=1)),
    "cet": timezone(timedelta(hours=1)),
    "mesz": timezone(timedelta(hours=2)),
    "cest": timezone(timedelta(hours=2)),
}
_UPDATED_LABELS = frozenset(
    {"aktualisiert", "stand", "updated", "last updated", "mis à jour", "modifié"}
)
_LABEL = (
    r"(?:(?P<label>aktualisiert|stand|veröffentlicht|erstellt|updated|last updated|published|posted|"
    r"publié|mis à jour|modifié)(?:\s+(?:am|on|le))?\s*:?\s*)?"
)
_WEEKDAY = r"(?:[^\W\d_]{2,12}\.?,?\s+)?"
_TIME = (
    r"(?:\s*(?:,|-|–|um|at|à|\|)?\s*(?P<H>\d{1,2})(?:[:.]|\s?h\s?)(?P<M>\d{2})"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?:Uhr|h))?(?:\s*(?P<zone>UTC|GMT|Z|MEZ|MESZ|CET|CEST))?)?"
)
_DATE_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(rf"^{_LABEL}{_WEEKDAY}{date}{_TIME}$", re.IGNORECASE)
    for date in (
        r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})",  # 28.09.2016, 28/09/2016
        r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})",  # 2016-09-28
        r"(?P<d>\d{1,2})\.?\s+(?P<mon>[^\W\d_]{3,10})\.?\s+(?P<y>\d{4})",  # 28. September 2016
        r"(?P<mon>[^\W\d_]{3,10})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})",  # September 28, 2016
    )
)
# A sentence or clause ends here: the unit is prose (paragraph, caption, teaser), not a heading.
_SENTENCE_END = re.compile(r"(?:[.…:;,]|\.\W)$")
# Ends a sentence, for telling paragraph-per-line text from hard-wrapped text.
_TERMINAL = re.compile(r"[.!?…:;\"“”»«’')\]]$")
_INLINE_RELATED = re.compile(r"^(?P<head>[^:]{3,40}?)\s*:\s*(?P<title>\S.*)$")
_COUNT = re.compile(r"^\d+\s+|\s*\(\d+\)$|\s+\d+$")
_MAX_KEY_CHARS = 80
_HAS_DIGIT = re.compile(r"\d")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK = re.compile(r"\n[^\S\n]*\n")
_SPACES = re.compile(r"[^\S\n]+")
_LETTERS = re.compile(r"[^\W\d_]+")


def can_parse(raw: bytes) -> bool:
    """Any readable text that is not markup or JSON; binary data is refused."""
    head = raw[:4096]
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text or text[0] in "<{[":
        return False
    letters = sum(
        map(len, _LETTERS.findall(text))
    )  # runs of letters: one match per word, not per letter
    return letters >= max(8, len(text) // 5)


def _norm(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _key(line: str) -> str:
    """Comparable form of a furniture line: ``Kommentare (3)``, ``12 Comments:`` -> the bare words.
    Furniture lines are short; a long line is never one, and is not scanned."""
    if len(line) > _MAX_KEY_CHARS:
        return ""
    text = line.strip().rstrip(":").rstrip()
    return _COUNT.sub("", text).strip().casefold()


def _is_heading_like(text: str, layout: TextDumpLayout) -> bool:
    """Short, no sentence ending: a kicker, headline or teaser title (not a paragraph, not a caption)."""
    return (
        len(text) <= layout.max_heading_chars
        and len(text.split()) <= layout.max_heading_words
        and not _SENTENCE_END.search(text)
    )


def _is_noise(unit: str, key: str, layout: TextDumpLayout) -> bool:
    """Advertising markers, link labels, reading times, photo credits: page chrome, not story text."""
    return (
        key in layout.noise_lines
        or bool(layout.photo_credit.match(unit))
        or (len(unit) <= _MAX_KEY_CHARS and bool(layout.noise_pattern.match(unit)))
    )


def _is_byline(text: str, layout: TextDumpLayout) -> bool:
    return bool(layout.byline.match(text)) and len(text.split()) <= layout.max_byline_words


# --- dates -------------------------------------------------------------------------------------------


@cache
def _zone(name: str) -> tzinfo | None:
    """The layout's local zone; ``None`` where the system has no time zone data (then no date is set
    rather than a date that is off by an hour or two)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _hour(parts: dict[str, str | None]) -> int:
    hour = int(parts.get("H") or 0)
    ampm = (parts.get("ampm") or "").replace(".", "").casefold()
    if ampm == "pm" and hour < 12:
        return hour + 12
    if ampm == "am" and hour == 12:
        return 0
    return hour


def _parse_date_line(text: str, layout: TextDumpLayout) -> tuple[str, datetime] | None:
    """``28.09.2016, 14:05 Uhr``, ``Aktualisiert am ...``, ``September 28, 2016 2:05 PM UTC``,
    ``Publié le 28/09/2016 à 14h05`` -> (``published`` | ``updated``, aware UTC)."""
    if len(text) > 80:
        return None
    match = next((m for p in _DATE_LINES if (m := p.match(text))), None)
    if match is None:
        return None
    parts = match.groupdict()
    name = parts.get("mon")
    month = _MONTHS.get(name.casefold(), 0) if name else int(parts.get("m") or 0)
    zone = _ZONES.get((parts.get("zone") or "").casefold()) or _zone(layout.local_timezone)
    if not month or zone is None:
        return None
    try:
        local = datetime(
            int(parts.get("y") or 0), month, int(parts.get("d") or 0), _hour(parts),
            int(parts.get("M") or 0),
            tzinfo=zone,
        )  # fmt: skip
        value = to_utc(local)
    except (ValueError, OverflowError):
        return None
    label = " ".join((parts.get("label") or "").split()).casefold()
    return ("updated" if label in _UPDATED_LABELS else "published"), value


# --- blocks and units ----------------------------------------------------------------------------------


def _blocks(text: str, layout: TextDumpLayout) -> list[list[str]]:
    """Blank-line separated blocks of non-empty lines; a furniture heading always gets its own block."""
    headings = layout.related_headings | layout.terminal_headings
    blocks: list[list[str]] = []
    for chunk in _BLANK.split(text):
        current: list[str] = []
        for raw_line in chunk.split("\n"):
            line = _norm(raw_line)
            if not line:
                continue
            if len(line) <= _MAX_KEY_CHARS and _key(line) in headings:
                if current:
                    blocks.append(current)
                blocks.append([line])
                current = []
            else:
                current.append(line)
        if current:
            blocks.append(current)
    return blocks


def _is_hard_wrapped(lines: list[str], width: int) -> bool:
    """Lines broken at a fixed ``width`` (the document's longest line): each line but the last would not
    have fit the next line's first word, and they do not all end a sentence (then they are paragraphs)."""
    if len(lines) < 2:
        return False
    for line, following in pairwise(lines):
        if len(line) + 1 + len(following.split(" ", 1)[0]) <= width:
            return False
    return not all(_TERMINAL.search(line) for line in lines[:-1])


def _units(blocks: list[list[str]], layout: TextDumpLayout) -> list[str]:
    """One string per paragraph, heading or teaser line: hard-wrapped blocks are joined, others split by
    line. Only a document whose longest line is near a usual wrap width can be hard-wrapped at all."""
    width = max((len(line) for lines in blocks for line in lines), default=0)
    wrapped = layout.min_wrap_width <= width <= layout.max_wrap_width
    units: list[str] = []
    for lines in blocks:
        if wrapped and _is_hard_wrapped(lines, width):
            units.append(" ".join(lines))
        else:
            units.extend(lines)
    return units


# --- header ------------------------------------------------------------------------------------------


@dataclass
class _Header:
    caption: str | None = None
    headings: list[str] = field(default_factory=list)
    byline: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None


def _is_furniture(unit: str, layout: TextDumpLayout) -> bool:
    key = _key(unit)
    return key in layout.related_headings or key in layout.terminal_headings


def _read_caption(units: list[str], layout: TextDumpLayout) -> tuple[str | None, int]:
    """Photo marker, then the caption (same block or the next), then any photo credit lines."""
    if not units or units[0] not in layout.photo_markers:
        return None, 0
    index = 1
    caption = None
    if (
        index < len(units)
        and not layout.photo_credit.match(units[index])
        and not _is_furniture(units[index], layout)
    ):
        caption = units[index]
        index += 1
    while index < len(units) and layout.photo_credit.match(units[index]):
        index += 1
    return caption, index


def _read_header(units: list[str], layout: TextDumpLayout) -> tuple[_Header, int]:
    """Caption, kicker, headline, byline and date lines; returns where the body starts."""
    header = _Header()
    header.caption, index = _read_caption(units, layout)
    while index < len(units):
        text = units[index]
        key = _key(text)
        if key in layout.related_headings or key in layout.terminal_headings:
            break
        date = _parse_date_line(text, layout) if _HAS_DIGIT.search(text) else None
        byline = _is_byline(text, layout)
        if date:
            kind, value = date
            if kind == "updated":
                header.updated_at = value
            else:
                header.published_at = value
        elif byline and header.headings and header.byline is None:
            header.byline = text
        elif _is_noise(text, key, layout):
            pass
        elif _is_heading_like(text, layout) and not byline:
            header.headings.append(text)
        elif (
            not header.headings and header.caption is None and _caption_before(units, index, layout)
        ):
            header.caption = text
        else:
            break
        index += 1
    return header, index


def _caption_before(units: list[str], index: int, layout: TextDumpLayout) -> bool:
    """A short sentence right before a heading (photo credits between them skipped) that is itself followed
    by text is a photo caption."""
    nxt = index + 1
    while nxt < len(units) and layout.photo_credit.match(units[nxt]):
        nxt += 1
    return (
        nxt + 1 < len(units)
        and _is_heading_like(units[nxt], layout)
        and len(units[index]) <= layout.max_caption_chars
    )


# --- body and related ----------------------------------------------------------------------------------


def _inline_related(unit: str, layout: TextDumpLayout) -> ParsedRelated | None:
    """``Lesen Sie auch: Titel`` inside the body: a link to another story, not a paragraph."""
    match = _INLINE_RELATED.match(unit)
    if match is None or _key(match.group("head")) not in layout.inline_related_prefixes:
        return None
    title = match.group("title").strip()
    return ParsedRelated(title=title) if _is_heading_like(title, layout) else None


def _teaser_follows(lines: list[str], index: int, title: str, layout: TextDumpLayout) -> bool:
    """The line at ``index`` is the teaser of ``title``: the title repeats after it, or it reads as prose."""
    if index >= len(lines) or lines[index] == title:
        return False
    repeated = index + 1 < len(lines) and lines[index + 1] == title
    return repeated or not _is_heading_like(lines[index], layout)


def _teasers(lines: list[str], layout: TextDumpLayout) -> list[ParsedRelated]:
    """``title / teaser / title`` triples (the repeat is how rendered teaser cards read), pairs, or titles.

    A repeated title marks the line between as the teaser even when that line looks like a heading."""
    lines = [ln for ln in lines if _key(ln) not in layout.noise_lines]
    items: list[ParsedRelated] = []
    index = 0
    while index < len(lines):
        title = lines[index]
        index += 1
        if len(title) > layout.related_title_max_chars:
            continue
        teaser = None
        if _teaser_follows(lines, index, title, layout):
            teaser = lines[index]
            index += 1
        if index < len(lines) and lines[index] == title:
            index += 1
        items.append(ParsedRelated(title=title, teaser=teaser))
    return items


def _read_rest(units: list[str], layout: TextDumpLayout) -> tuple[list[str], list[ParsedRelated]]:
    """Body paragraphs up to the first related heading, then the teaser sections, up to the end or the
    first terminal heading (comments, sharing, footer)."""
    body: list[str] = []
    related: list[ParsedRelated] = []
    section: list[str] | None = None
    for unit in units:
        key = _key(unit)
        if key in layout.terminal_headings:
            break
        if key in layout.related_headings:
            if section:
                related.extend(_teasers(section, layout))
            section = []
        elif section is not None:
            section.append(unit)
        elif _is_noise(unit, key, layout):
            continue
        elif inline := _inline_related(unit, layout):
            related.append(inline)
        else:
            body.append(unit)
    if section:
        related.extend(_teasers(section, layout))
    return body, related


def parse_text(text: str, layout: TextDumpLayout = DEFAULT_LAYOUT) -> ParsedItem:
    """Parse decoded dump text into one item; ``ParseError`` when no body text can be found."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _CONTROL.sub("", text.replace("\u2029", "\n\n")).lstrip("\ufeff")
    units = _units(_blocks(text, layout), layout)
    if not units:
        raise ParseError("text document is empty (no visible characters)")
    header, index = _read_header(units, layout)
    body, related = _read_rest(units[index:], layout)
    if not header.headings and len(body) > 1 and len(body[0]) <= layout.max_heading_chars:
        # No heading line at all: a short first paragraph is the headline of a bare text story.
        header.headings.append(body.pop(0))
    if not body:
        raise ParseError(
            f"no body text found: {len(units)} line(s), none of them a paragraph after the headline "
            "and before the page furniture"
        )
    return ParsedItem(
        source_format=FORMAT,
        kicker=header.headings[-2] if len(header.headings) >= 2 else None,
        headline=header.headings[-1] if header.headings else None,
        caption=header.caption,
        byline=header.byline,
        body=body,
        related=related,
        published_at=header.published_at,
        updated_at=header.updated_at,
    )


def parse(raw: bytes) -> list[ParsedItem]:
    """One item per text document."""
    if b"\x00" in raw[:4096]:
        raise ParseError("binary data, not text (NUL bytes in the first 4 KB)")
    text, _encoding = decode_bytes(raw)
    return [parse_text(text)]
