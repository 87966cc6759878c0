"""ANPA 1312 wire text (AP) and Kyodo's ANPA-like text.

A message is SYN SYN SOH, a service line, a header line (``r a BC-US--Ethanol 1stLd-Writethru 11-13 1693``:
priority letter, category, selector/slug, take, date and an optional word count -- AP omits it on agate
and some sports copy), STX, the keyword line (``^BC-US--Ethanol-Losing Grassland, 1st Ld-Writethru,1140<``),
``^``-prefixed heading lines (headline, ``Eds:`` notes, photo refs, an abstract, the ``=``-terminated
byline), indented paragraphs, ETX and a trailer.

Tabular copy (agate: standings, results) is laid out with format codes, never text: ``^...=`` is a centred
heading line (only ``^By ...=`` and the title lines after it are the byline), a line starting with BS
(0x08) is a table row, DLE/RS/US inside rows are tab and space codes, and a line ending in ``<`` or ``=``
is ended by a quad code. Each heading and row is one paragraph, without its markers; the first centred
heading of a story without a ``<`` headline line is its headline. The priority is a letter, so urgency stays None (CONVENTIONS.md) and the letter goes to
``signals``; take labels become signals too, never a version. AP and Kyodo differ only in the data of
their ``_Source`` row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from parsers._inline import clean_items, has_markup
from parsers._wirelines import (
    ETX,
    SOH,
    STX,
    check_count,
    collapse,
    decode_text,
    is_blank,
    paragraphs,
    read_label,
    strip_controls,
    utc_datetime,
)
from parsers._wiretext import LeadNotes, lift_lead_notes
from parsers.base import ParsedItem, ParseError

FORMAT = "anpa1312"
SNIFF_ORDER = 65

_SNIFF = re.compile(
    rb"\A[\x00\x16\x7f\s]*\x01[^\r\n\x02]{1,40}\r?\n[a-z] [a-z][\x11-\x14]{0,2} +\S.*?"
    rb"\d{2}-\d{2}(?: +\d{3,5})? *\r?\n"
)
_HEADER = re.compile(
    r"^(?P<priority>[a-z]) (?P<category>[a-z])\s+(?P<selector>\S+)(?:\s+(?P<take>\S+))?"
    r"\s+(?P<date>\d{2}-\d{2})(?:\s+(?P<words>\d{3,5}))?\s*$"
)
_BODY_LINE = re.compile(r"^(?:\t[ ]*|[ ]{3,})\S")
_EDNOTE = re.compile(
    r"^(?:Eds?:|Editors?:|EDITOR'?S NOTE|Editor'?s Note|With AP Photos?\b|AP Video\b"
    r"|AP Photos? [A-Z]{2,}\d)"
)
_END = re.compile(r"^\^?END<?\s*$")
_MAX_NOTE_LINES = 6
_LINE_CLOSERS = (
    "<",
    "=",
)  # marks that close a heading line (a note not closed wraps onto the next)
# A credit in a byline part: agency words in the languages of ANPA senders (CP's French service included).
_AGENCY_WORD = re.compile(
    r"\b(?:Press|Presse|Prensa|Stampa|News Agency|Agency|Agence|Agencia|Agenzia|Newswires?|Wire)\b"
)
_DEFAULT_CREDIT = re.compile(r"\bAP\b|Associated Press|AP-")
# ``OTTAWA (CP) _``, ``SEOUL, Nov. 30 (Yonhap) --``: a place, then a credit in brackets and a dash.
_DATELINE_CREDIT = re.compile(r"^[^()]{2,60}\((?P<credit>[^()]{2,20})\)\s*(?:_|--|—|-|–)")
# ``By``, and the author prepositions of other ANPA senders' languages (CP French ``Par``, ``Por``, ``Von``).
_BYLINE_START = re.compile(r"^(?:By|Par|Por|Von|Door)\s+\S")
# Title lines that continue a byline (``^By JANE DOE=`` ``^AP Sports Writer=``).
_BYLINE_TITLE = re.compile(
    r"\b(?:Writer|Press|Correspondent|Editor|Reporter|Columnist|Critic|Analyst|Bureau|Chief|Staff)\b"
)
_TABLE_ROW = "\x08"
# Tab and space codes inside agate rows (DLE, RS, US) separate cells; other controls are framing.
_CELL_CODES = re.compile(r"[\x10\x1e\x1f]")
_LINE_END_MARKS = " \t<="
_SEPARATOR = re.compile(r"^_{3,}$")
_AP_TRAILER = re.compile(
    r"(?P<month>\d{2})-(?P<day>\d{2})-(?P<year>\d{2})\s+(?P<hour>\d{2})(?P<minute>\d{2})GMT"
)
_AP_QUOTES = (("``", "“"), ("''", "”"), (" _ ", " — "))


@dataclass(frozen=True, slots=True)
class _Source:
    """What differs between ANPA senders: how to recognise them and their house conventions."""

    agency: str
    service_line: re.Pattern[str]  # matched against the line after SOH
    headline_end: str  # marker that closes the headline line
    sign_off: re.Pattern[str]  # closing line that is not text
    replacements: tuple[tuple[str, str], ...] = ()  # typewriter conventions -> characters
    trailer_gmt: re.Pattern[str] | None = None  # trailer with an explicit GMT time


_SOURCES: tuple[_Source, ...] = (
    _Source(
        agency="Kyodo",
        service_line=re.compile(r"KYODO", re.IGNORECASE),
        headline_end="+",
        sign_off=re.compile(r"^==\s*Kyodo\s*$", re.IGNORECASE),
    ),
    _Source(  # the default: AP
        agency="AP",
        service_line=re.compile(r""),
        headline_end="<",
        sign_off=re.compile(r"^\^?AP-WF-"),
        replacements=_AP_QUOTES,
        trailer_gmt=_AP_TRAILER,
    ),
)


def _is_table_row(raw_line: str) -> bool:
    """An agate table row starts with BS (after the line's framing noise). Most lines hold no BS at all:
    that test is one C scan, before any copy of the line."""
    return _TABLE_ROW in raw_line and raw_line.lstrip("\x16\x00 ").startswith(_TABLE_ROW)


def can_parse(raw: bytes) -> bool:
    """SOH, a service line, then the ANPA header line with its priority/category letters."""
    return bool(_SNIFF.match(raw[:1024]))


def parse(raw: bytes) -> list[ParsedItem]:
    text = decode_text(raw)
    chunks = text.split(SOH)[1:]
    if not chunks:
        raise ParseError("anpa1312: no SOH-framed message found")
    check_count(FORMAT, len(chunks), "messages")
    items: list[ParsedItem] = []
    recognised = 0
    for chunk in chunks:
        message = _Message.read(chunk)
        if message is None:
            continue
        recognised += 1
        item = message.item()
        if item is not None:
            items.append(item)
    if not recognised:
        raise ParseError(
            "anpa1312: no message has an ANPA header line like 'r a BC-US--Slug 11-13 1693' "
            "on the line after SOH"
        )
    return clean_items(items) if has_markup(text) else items  # speed: one scan of the whole message


@dataclass(slots=True)
class _Message:
    source: _Source
    header: re.Match[str]
    lines: list[str]  # controls removed
    raw_lines: list[str]  # as sent: format codes (BS rows, cell codes) still in place
    trailer: str
    headline: str | None = None
    byline_parts: list[str] = field(default_factory=list)
    ednotes: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    digest: list[str] = field(default_factory=list)
    tabular: bool = False

    @classmethod
    def read(cls, chunk: str) -> _Message | None:
        """Split one SOH chunk into its header and text lines; None when it is not an ANPA message."""
        text, _, trailer = chunk.partition(ETX)
        before, has_stx, after = text.partition(STX)
        pre = before.split("\n")
        filled = [i for i, ln in enumerate(pre) if ln.strip()]
        if len(filled) < 2:
            return None
        header = _HEADER.match(collapse(strip_controls(pre[filled[1]])))
        if header is None:
            return None
        source = next(s for s in _SOURCES if s.service_line.search(pre[filled[0]]))
        # Without STX (stripped in transit) the text simply follows the header line.
        text_part = after if has_stx else "\n".join(pre[filled[1] + 1 :])
        raw_lines = text_part.split("\n")
        lines = strip_controls(text_part).split("\n")  # controls never include the newline
        return cls(source, header, lines, raw_lines, strip_controls(trailer))

    def item(self) -> ParsedItem | None:
        self.signals.append(f"priority:{self.header.group('priority')}")
        self._take_signals(self.header.group("take") or "")
        body_start = self._read_heading()
        body = [self._fix(p) for p in self.digest + self._body(body_start)]
        if not self.tabular:  # in prose a rule only decorates; in agate it separates two tables
            body = [p for p in body if not _SEPARATOR.match(p)]
        if not body and self.headline is None:
            return None
        lead = (
            lift_lead_notes(body) if not self.tabular else LeadNotes(body)
        )  # ``(Updates ...)``, ``By ...``
        return ParsedItem(
            source_format=FORMAT,
            headline=self.headline,
            byline=", ".join(self.byline_parts) or lead.byline,
            body=lead.body,
            agencies=[] if self._credits_other(lead.body) else [self.source.agency],
            keywords=self.keywords,
            ednotes=[*self.ednotes, *lead.ednotes],
            signals=list(dict.fromkeys(self.signals)),
            published_at=self._published(),
        )

    def _credits_other(self, body: list[str]) -> bool:
        """Whether copy from a sender matched by no service line (AP is only the default) credits another
        agency itself: a byline credit (``By The Canadian Press``, ``Par La Presse Canadienne``, ``Yonhap
        News Agency``) or a dateline credit (``OTTAWA (CP) _``). Its credit is then the normalizer's to
        read through the agency table, never AP's."""
        if self.source.service_line.pattern:
            return False
        for part in self.byline_parts:
            if _AGENCY_WORD.search(part) and not _DEFAULT_CREDIT.search(part):
                return True
        lead = _DATELINE_CREDIT.match(body[0]) if body else None
        return lead is not None and not _DEFAULT_CREDIT.fullmatch(lead.group("credit"))

    def _fix(self, text: str) -> str:
        for old, new in self.source.replacements:
            text = text.replace(old, new)
        return text

    def _take_signals(self, label: str) -> None:
        found = read_label(label) if label else None
        if found:
            self.signals.extend(found.signals)

    def _read_keyword_line(self, line: str) -> None:
        """``^BC-US--Slug, 1st Ld-Writethru,1140<``: slug -> keywords, take labels -> signals."""
        segments = [s.strip(" <") for s in line.split("^")]
        value = next((s for s in reversed(segments) if s), "")
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts:
            return
        self.keywords.append(parts[0])
        self._take_signals(parts[0].rsplit("--", 1)[-1])
        for part in parts[1:]:
            if not part.isdigit():
                self._take_signals(part)

    def _read_heading(self) -> int:
        """Read the lines between the keyword line and the first indented paragraph or table row; return
        where the body starts."""
        index = next((i for i, ln in enumerate(self.lines) if ln.strip()), len(self.lines))
        if index < len(self.lines):
            self._read_keyword_line(self.lines[index])
            index += 1
        in_byline = False
        while index < len(self.lines):
            line = self.lines[index]
            if _BODY_LINE.match(line) or _is_table_row(self.raw_lines[index]):
                break
            index += 1
            if is_blank(line) or _END.match(line.strip()):
                continue
            value = collapse(line).removeprefix("^").strip()
            if not value.endswith(_LINE_CLOSERS) and _EDNOTE.match(value):  # a note left open
                value, index = self._wrapped_note(value, index)
            in_byline = self._heading_line(value, in_byline)
        return index

    def _wrapped_note(self, value: str, index: int) -> tuple[str, int]:
        """An editor's note wrapped over several heading lines is one note: lines after one not closed by
        a line-end mark (``<``, ``=``) continue it, up to the line that closes it."""
        end_marks = (*_LINE_CLOSERS, self.source.headline_end)
        parts = [value]
        while (
            not parts[-1].endswith(end_marks)
            and index < len(self.lines)
            and len(parts) < _MAX_NOTE_LINES
        ):
            line = self.lines[index]
            if is_blank(line) or _BODY_LINE.match(line) or _is_table_row(self.raw_lines[index]):
                break
            next_value = collapse(line).removeprefix("^").strip()
            if _EDNOTE.match(next_value) or _BYLINE_START.match(next_value):
                break
            parts.append(next_value)
            index += 1
        return " ".join(parts), index

    def _heading_line(self, value: str, in_byline: bool) -> bool:
        """File one heading line; return whether a byline is being read (its title lines follow it)."""
        end = self.source.headline_end
        if value.endswith("="):
            text = value.rstrip("= ")
            if _BYLINE_START.match(text) or (in_byline and _BYLINE_TITLE.search(text)):
                self.byline_parts.append(text)
                return True
            if self.headline is None and not self.byline_parts and not self.digest:
                self.headline = self._fix(text)  # agate: the first centred line is the title
            elif text:
                self.digest.append(self._fix(text))  # a centred section heading: body
        elif _EDNOTE.match(value):
            self.ednotes.append(self._fix(value.rstrip("< ")))
        elif value.endswith(end) and self.headline is None:
            self.headline = self._fix(value.removesuffix(end).strip())
        elif value.endswith(end):
            pass  # a summary/abstract line repeating the lead: not body
        else:
            self.digest.append(self._fix(value))  # headline digests list items as bare ^ lines
        return False

    def _body(self, start: int) -> list[str]:
        """Paragraphs from ``start``: indented lines open paragraphs, wrapped lines continue them, and
        every table row and centred heading is a paragraph of its own."""
        result: list[str] = []
        pending: list[str] = []
        for raw, line in zip(self.raw_lines[start:], self.lines[start:], strict=True):
            value = line.strip()
            if _END.match(value) or self.source.sign_off.match(value):
                break
            row = _is_table_row(raw)
            self.tabular = self.tabular or row
            if row or (value.startswith("^") and value.endswith(("=", "<"))):
                result.extend(paragraphs(pending, rows=True))
                pending = []
                cells = strip_controls(_CELL_CODES.sub(" ", raw)) if row else line
                text = collapse(cells.strip().lstrip("^").rstrip(_LINE_END_MARKS))
                if text:
                    result.append(text)
                continue
            pending.append(line.rstrip(_LINE_END_MARKS) if value else line)
        result.extend(paragraphs(pending, rows=True))
        return result

    def _published(self) -> datetime | None:
        pattern = self.source.trailer_gmt
        match = pattern.search(self.trailer) if pattern else None
        if match is None:
            return None
        return utc_datetime(
            int(match.group("year")),
            int(match.group("month")),
            int(match.group("day")),
            int(match.group("hour")),
            int(match.group("minute")),
        )
