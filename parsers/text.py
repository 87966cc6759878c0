"""Rendered-page text dumps: the text a browser shows for a news page, one block per paragraph.

The reference is the seed page (``../shared/seeds``): photo marker ``+`` and caption, kicker, headline,
paragraphs (the first with its dateline), a credit line, then page furniture -- "Auch interessant",
"Meistgelesene Artikel" with teasers listed as title / teaser / title again, "Kommentare". The layout is data
(``TextDumpLayout``) so other sites' furniture words are rows, not code. This is the fallback format: it
accepts any readable text and is asked last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

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

    photo_markers: frozenset[str] = frozenset({"+", "Foto", "Bild", "Photo", "Video", "[Bild]", "▶"})
    related_headings: frozenset[str] = _words(
        "Auch interessant", "Meistgelesene Artikel", "Meistgelesen", "Mehr zum Thema",
        "Das könnte Sie auch interessieren", "Lesen Sie auch", "Weitere Artikel", "Weitere Nachrichten",
        "Weitere Meldungen", "Verwandte Artikel", "Dazu passend", "Empfehlungen", "Top-Themen", "Top Themen",
        "Aktuelle Nachrichten", "Neueste Artikel", "Most Read", "Most read", "Most popular", "Related",
        "Related articles", "Related stories", "Read more", "More on this story", "More stories",
        "You may also like", "Recommended", "Top stories", "Lire aussi", "À lire aussi", "A lire aussi",
        "Les plus lus", "Sur le même sujet", "Articles liés", "Dans la même rubrique", "Lee también",
        "Leggi anche",
    )  # fmt: skip
    terminal_headings: frozenset[str] = _words(
        "Kommentare", "Leserkommentare", "Kommentar schreiben", "Diskussion", "Comments", "Comment",
        "Leave a comment", "Commentaires", "Réagir", "Commenti", "Comentarios", "Newsletter",
        "Artikel teilen", "Teilen", "Share", "Partager", "Impressum", "Datenschutz", "Privacy",
    )  # fmt: skip
    noise_lines: frozenset[str] = _words(
        "Anzeige", "Werbung", "Advertisement", "Publicité", "Sponsored", "Artikel anhören", "Merken",
        "Drucken", "Print", "Mehr lesen", "Weiterlesen", "Read more",
    )  # fmt: skip
    photo_credit: re.Pattern[str] = re.compile(r"^(?:Foto|Bild|Photo|Fotos|Bilder|Image|©|\(c\))\b[:\s]", re.I)
    byline: re.Pattern[str] = re.compile(r"^(?:Von|By|Par|Por|Di|Door|Av)\s+\S.{0,80}$")
    local_timezone: str = "Europe/Berlin"
    max_heading_chars: int = 160
    max_heading_words: int = 24
    related_title_max_chars: int = 160


DEFAULT_LAYOUT = TextDumpLayout()

_DATE_LINE = re.compile(
    r"^(?:(?P<label>Aktualisiert|Stand|Veröffentlicht|Erstellt|Updated|Published)(?: am)?:?\s*)?"
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:\s*(?:,|-|–|um|\|)?\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:\s*Uhr)?)?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.…:;,]$|\.\W?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\u00a0]+")


def can_parse(raw: bytes) -> bool:
    """Any readable text that is not markup or JSON; binary data is refused."""
    head = raw[:4096]
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text or text[0] in "<{[":
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters >= max(8, len(text) // 5)


def _norm(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _key(line: str) -> str:
    return _norm(line).rstrip(":").strip().casefold()


def _is_heading_like(text: str, layout: TextDumpLayout) -> bool:
    """Short, no sentence ending: a kicker, headline or teaser title (not a paragraph, not a caption)."""
    return (
        len(text) <= layout.max_heading_chars
        and len(text.split()) <= layout.max_heading_words
        and not _SENTENCE_END.search(text)
    )


@dataclass
class _Header:
    caption: str | None = None
    headings: list[str] = field(default_factory=list)
    byline: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None


def _parse_date_line(text: str, layout: TextDumpLayout) -> tuple[str, datetime] | None:
    match = _DATE_LINE.match(text)
    if not match:
        return None
    parts = match.groupdict()
    try:
        local = datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            tzinfo=ZoneInfo(layout.local_timezone),
        )
    except ValueError:
        return None
    label = (parts["label"] or "").casefold()
    kind = "updated" if label in {"aktualisiert", "stand", "updated"} else "published"
    return kind, to_utc(local)


def _blocks(text: str) -> list[list[str]]:
    blocks = []
    for chunk in _BLANK.split(text):
        lines = [_norm(line) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
    return blocks


def _split_furniture(blocks: list[list[str]], layout: TextDumpLayout) -> list[list[str]]:
    """Give every furniture heading its own block, so headings inside a block are still seen."""
    headings = layout.related_headings | layout.terminal_headings
    result: list[list[str]] = []
    for block in blocks:
        current: list[str] = []
        for line in block:
            if _key(line) in headings:
                if current:
                    result.append(current)
                result.append([line])
                current = []
            else:
                current.append(line)
        if current:
            result.append(current)
    return result


def _read_header(blocks: list[list[str]], layout: TextDumpLayout) -> tuple[_Header, int]:
    """Photo marker + caption, kicker, headline, byline and date lines; returns where the body starts."""
    header = _Header()
    index = 0
    if blocks and blocks[0][0] in layout.photo_markers:
        # The marker stands alone, with the caption in its own block or on the next line.
        caption_lines = blocks[0][1:]
        index = 1
        if not caption_lines and index < len(blocks):
            caption_lines = blocks[index]
            index += 1
        lines = [ln for ln in caption_lines if not layout.photo_credit.match(ln)]
        header.caption = " ".join(lines) or None
    while index < len(blocks):
        text = " ".join(blocks[index])
        date = _parse_date_line(text, layout)
        if date:
            kind, value = date
            if kind == "updated":
                header.updated_at = value
            else:
                header.published_at = value
        elif layout.byline.match(text) and header.headings:
            header.byline = text
        elif layout.photo_credit.match(text) or _key(text) in layout.noise_lines:
            pass
        elif _is_heading_like(text, layout):
            header.headings.append(text)
        elif not header.headings and header.caption is None and _caption_before_headings(blocks, index, layout):
            header.caption = text
        else:
            break
        index += 1
    return header, index


def _caption_before_headings(blocks: list[list[str]], index: int, layout: TextDumpLayout) -> bool:
    """A sentence right before a heading that is itself followed by text is a photo caption."""
    nxt = index + 1
    return (
        nxt + 1 < len(blocks)
        and _is_heading_like(" ".join(blocks[nxt]), layout)
        and len(" ".join(blocks[index])) < 300
    )


def _teasers(lines: list[str], layout: TextDumpLayout) -> list[ParsedRelated]:
    """``title / teaser / title`` triples (the repeat is how rendered teaser cards read), pairs, or titles."""
    items: list[ParsedRelated] = []
    index = 0
    while index < len(lines):
        title = lines[index]
        index += 1
        if len(title) > layout.related_title_max_chars or _key(title) in layout.noise_lines:
            continue
        teaser = None
        if index < len(lines) and lines[index] != title and not _is_heading_like(lines[index], layout):
            teaser = lines[index]
            index += 1
        if index < len(lines) and lines[index] == title:
            index += 1
        items.append(ParsedRelated(title=title, teaser=teaser))
    return items


def parse_text(text: str, layout: TextDumpLayout = DEFAULT_LAYOUT) -> ParsedItem:
    """Parse decoded dump text into one item; ``ParseError`` when no headline and body can be found."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = _split_furniture(_blocks(text), layout)
    if not blocks:
        raise ParseError("text document is empty")
    header, index = _read_header(blocks, layout)
    body: list[str] = []
    related: list[ParsedRelated] = []
    section: str | None = None
    for block in blocks[index:]:
        key = _key(block[0]) if len(block) == 1 else ""
        if key in layout.terminal_headings:
            break
        if key in layout.related_headings:
            section = key
            continue
        if section is not None:
            related.extend(_teasers(block, layout))
        elif key not in layout.noise_lines and not layout.photo_credit.match(block[0]):
            body.append(" ".join(block))
    if not header.headings and body:
        # No heading line at all: a one-line first block is the headline of a bare text story.
        if len(blocks[index]) == 1 and len(body) > 1 and len(body[0]) <= layout.max_heading_chars:
            header.headings.append(body.pop(0))
    if not body:
        raise ParseError("no body text found (expected paragraphs after the headline)")
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
