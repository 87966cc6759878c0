"""IPTC 7901 wire text (dpa, dpa-tns, SDA-ATS) and AAP's ZCZC/NNNN variant.

IPTC 7901 frames a message as SOH, a header line (``eca062 4 i 211 ccccb dpa 061``: source + message
number, priority digit, category, word count, ..., source), keyword line, STX, a heading block ending in
`` =`` (take labels, kicker, headline -- possibly wrapped --, byline), the text, ETX and a
``DDHHMM GMT Mon YY`` trailer. dpa appends a Markdown-like ``# Notebook`` (notes to editors, links,
contacts) that is not body. Some feeds strip the control characters, so every step also works on the bare
lines. The 7901 priority digit is the urgency (CONVENTIONS.md); take labels become ``signals`` and the
version stays unknown. AAP's ZCZC format marks header fields with a leading character (``#`` slug,
``$`` headline) and ends at ``NNNN``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import datetime

from parsers._inline import clean_items, has_markup
from parsers._wirelines import (
    ETX,
    MONTHS,
    SOH,
    STX,
    check_count,
    collapse,
    decode_text,
    head_lines,
    is_blank,
    paragraphs,
    read_label,
    split_blocks,
    strip_controls,
    utc_datetime,
)
from parsers._wiretext import lift_lead_notes
from parsers.base import ParsedItem, ParseError, Status

FORMAT = "iptc7901"
SNIFF_ORDER = 60

# The word count is optional (APA, ANSA and others leave it out or send optional fields straight after the
# category: ``apa0312 4 ii  APA0312``, ``ans0021 3 pol``).
_HEADER = re.compile(
    r"^\s*(?P<service>[A-Za-z]{2,4})(?P<number>\d{1,6})\s+(?P<priority>\d)\s+"
    r"(?P<category>[A-Za-z]{1,3})(?:\s+(?P<words>\d{1,6}))?(?P<rest>(?:\s+\S+)*)\s*$"
)
_HEADLINE_END = re.compile(r"\s=\s*$")
_KEYWORD_LINE = re.compile(r"^\s*(?:/\S.*|\S.*/)\s*$")
_SLASHED_WORDS = re.compile(r"^\s*[^\s/][^/]{0,40}(?:/[^\s/][^/]{0,40})+\s*$")
# A lead credited to an agency: ``PLACE, date (Agency) - `` / ``PLACE (Agency) -- ``.
_CREDITED_LEAD = re.compile(r"^[^()]{2,80}\([^()]{2,30}\)\s*(?:-{1,2}|–|—|_)\s+\S")
_BYLINE = re.compile(r"^(?:By|Von|Par|Door|Por)\s+\S")
_PARENTHESISED = re.compile(r"^\((?P<text>[^()]*)\)$")
_TRAILER = re.compile(
    r"^\s*(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})\s+(?P<gmt>GMT\s+)?"
    r"(?P<month>[^\W\d_]{3,4})\.?\s+(?P<year>\d{2})\s*$"
)
_NOTEBOOK = re.compile(r"^#\s+\S")
_SECTION = re.compile(r"^##\s+(?P<title>.+?)\s*$")
_NOT_FOR_PUBLICATION = re.compile(r"^\s*\*\s\*\s\*")
_NOTE_ITEM = re.compile(r"^-\s+(?P<text>.+)$")
# ``dpa wsz jln npr``, ``dpa kre/su yysw a3 lön mda`` (agency + desk and authors' initials, several
# authors joined by ``/``, initials may hold any lower-case letter) and ``(SDA\/sj)``: sign-offs, not text;
# the agency they name credits the item when the header's source field does not.
_INITIALS = r"[^\W_A-Z]{1,5}"
_SIGN_OFF = re.compile(
    rf"^(?:(?P<dpa>dpa(?:-[a-z]+)?)(?:\s+{_INITIALS}(?:/{_INITIALS})*)+"
    r"|\((?P<desk>[A-Za-z]{2,8})\s*\\?/\s*[a-z]{1,4}(?:\s*\\?/\s*[a-z]{1,4})*\))$"
)
_WRAP_MIN = 50  # a heading line this long that precedes the headline's last line is its first half
_MAX_HEADING_LINES = 12

# Credits the header's source field gives; unknown sources give none (the text credit still counts).
_SOURCE_AGENCIES: dict[str, str] = {"dpa": "dpa", "dpa-tns": "dpa", "dpa-afx": "dpa-AFX"}

# dpa notebook sections: what each one means for the item.
_SECTION_ROLES: dict[str, str] = {
    "note to editors": "ednote",
    "notes to editors": "ednote",
    "redaktionelle hinweise": "ednote",
    "hinweis an die redaktion": "ednote",
    "berichtigung": "correction",
    "correction": "correction",
    "refile": "refile",
    "wiederholung": "refile",
}

# ZCZC header fields: every line after ``ZCZC`` that starts with a marker character directly followed by
# text is header, up to the first line that does not. AAP's BOB copy: ``%`` priority, ``#`` slug, ``$``
# headline, ``:`` take key (``:(BRISBANE)``), ``&`` sender/operator, ``*`` IPTC subject code, ``@`` state,
# ``~`` service; the older ZCZC profile writes ``^`` headline, ``$`` category letter, ``=`` take key,
# ``+`` subject code and ``*X``/``*T`` text or tabular format.
_AAP_START = re.compile(r"^\s*ZCZC\b")
_FRAME_HEAD = 512  # where a message's ZCZC (start) or NNNN (end) frame line is looked for
# A telex frame line around a 7901 message: ``ZCZC`` (with an optional channel/sequence) or ``NNNN``.
_FRAME_LINE = re.compile(
    r"^[\x00-\x1f\x7f ]*(?:ZCZC(?:[ \t]+\S+){0,3}|NNNN)[\x00-\x1f\x7f \t]*$", re.M
)
_AAP_END = re.compile(r"^\s*NNNN\s*$")
_AAP_FIELD = re.compile(r"^(?P<marker>[%#$:*~@&+=^])(?P<value>\S.*)$")
_AAP_ROLES: dict[str, str] = {
    "%": "priority",
    "#": "slug",
    "$": "headline",
    "^": "headline",
    ":": "take",
    "=": "take",
    "*": "subject",
    "+": "subject",
    "~": "service",
    "@": "region",
    "&": "sender",
}
_SUBJECT_CODE = re.compile(r"^\d{8}$")
_CATEGORY_CODE = re.compile(r"^[A-Za-z]$")


def can_parse(raw: bytes) -> bool:
    """A 7901 header line as the first line (SOH-framed, or bare followed by a `` =`` heading), or an
    AAP ``ZCZC`` line followed by a marker field."""
    lines = [
        ln
        for ln in head_lines(raw.removeprefix(codecs.BOM_UTF8)[:4096].decode("latin-1"))
        if ln.strip()
    ]
    if len(lines) < 2:
        return False
    if _AAP_START.match(lines[0]):
        if _AAP_FIELD.match(lines[1]):
            return True
        lines = lines[1:]  # a 7901 message framed by ZCZC ... NNNN (SDA, ANSA, telex-era feeds)
    if not _HEADER.match(lines[0]):
        return False
    framed = SOH.encode() in raw[:64]
    return framed or any(_HEADLINE_END.search(ln) for ln in lines[1:12])


def parse(raw: bytes) -> list[ParsedItem]:
    text = decode_text(raw)
    lines = head_lines(text)
    first = next((ln for ln in lines if ln.strip()), "")
    if _AAP_START.match(first) and not _framed_7901(lines):
        blocks = list(split_blocks(text.split("\n"), _AAP_START))
        check_count(FORMAT, len(blocks), "ZCZC messages")
        items = [_parse_aap(block) for block in blocks]
    else:
        chunks = _messages(text)
        check_count(FORMAT, len(chunks), "messages")
        items = [_parse_message(chunk) for chunk in chunks]
    found = [item for item in items if item is not None]
    return clean_items(found) if has_markup(text) else found  # speed: one scan of the whole message


def _framed_7901(lines: list[str]) -> bool:
    """``ZCZC`` followed by a 7901 header line: a 7901 message in a telex frame, not AAP's ZCZC format."""
    filled = [ln for ln in lines[:8] if ln.strip()]
    return len(filled) > 1 and _HEADER.match(filled[1]) is not None


def _messages(text: str) -> list[str]:
    """SOH-delimited messages; a file without SOH (control characters stripped) is one message."""
    if (
        "ZCZC" in text[:_FRAME_HEAD] or "NNNN" in text[-_FRAME_HEAD:]
    ):  # telex frames: no part of them
        text = _FRAME_LINE.sub("", text)
    if SOH not in text:
        return [text]
    return [chunk for chunk in text.split(SOH)[1:] if chunk.strip(" \r\n\t\x7f\x04")]


# --- IPTC 7901 --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Heading:
    headline: str | None = None
    kicker: str | None = None
    byline: str | None = None
    keywords: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    ednotes: list[str] = field(default_factory=list)
    status: Status = "usable"


def _read_header(lines: list[str]) -> tuple[re.Match[str], list[str]]:
    """The header line (first non-blank line) and the lines after it."""
    for index, line in enumerate(lines):
        if line.strip():
            header = _HEADER.match(line)
            if header is None:
                break
            return header, lines[index + 1 :]
    shown = next((ln.strip()[:60] for ln in lines if ln.strip()), "")
    raise ParseError(
        f"iptc7901: message does not start with a header line like 'eca062 4 i 211 dpa 061' "
        f"(found {shown!r})"
    )


def _parse_message(chunk: str) -> ParsedItem | None:
    text, _, trailer = chunk.partition(ETX)
    before_stx, has_stx, after_stx = text.partition(STX)
    header, rest = _read_header(strip_controls(before_stx).split("\n"))
    if has_stx:
        keyword_lines = [ln for ln in rest if ln.strip()]
        lines = strip_controls(after_stx).split("\n")
    else:
        keyword_lines, lines = _split_keyword_line(rest)
    lines, bare_trailer = _cut_trailer(lines)
    heading_lines, body_lines = _split_heading(lines)
    heading = _read_heading(heading_lines)
    body_lines, notebook = _cut_notebook(body_lines)
    body = paragraphs(body_lines, rows=True)
    signed_by: list[str] = []
    if body and (sign_off := _SIGN_OFF.match(body[-1])):
        body.pop()
        signed_by = [sign_off.group("dpa") or sign_off.group("desk")]  # ``(SDA/sj)`` credits SDA
    if not body and heading.headline is None:
        return None
    lead = lift_lead_notes(body)  # ``(Ajoute ...)`` and ``Par ...`` opening the text
    item = ParsedItem(
        source_format=FORMAT,
        headline=heading.headline,
        kicker=heading.kicker,
        byline=heading.byline or lead.byline,
        body=lead.body,
        urgency=_urgency(header.group("priority")),
        status=heading.status,
        keywords=_keywords(keyword_lines) + heading.keywords,
        signals=list(heading.signals),
        ednotes=[*heading.ednotes, *lead.ednotes],
        agencies=_agencies(header.group("rest")) or signed_by,
        published_at=_trailer_time(strip_controls(trailer) if trailer else bare_trailer),
    )
    _apply_notebook(item, notebook)
    item.signals = list(dict.fromkeys(item.signals))
    return item


def _split_keyword_line(lines: list[str]) -> tuple[list[str], list[str]]:
    """Without STX: the first non-blank line after the header is the keyword line if it looks like one
    (``Germany-politics/``)."""
    for index, line in enumerate(lines):
        if line.strip():
            if _KEYWORD_LINE.match(line) or _is_bare_keyword_line(line, lines, index + 1):
                return [line], lines[index + 1 :]
            return [], lines[index:]
    return [], []


def _is_bare_keyword_line(line: str, lines: list[str], after: int) -> bool:
    """APA's and others' keyword line without a leading or trailing slash (``Wirtschaft/Börse/Wien``):
    words joined by slashes, not the heading's `` =`` line, with that line following within a few lines."""
    if "/" not in line or _HEADLINE_END.search(line) or not _SLASHED_WORDS.match(line):
        return False
    return any(_HEADLINE_END.search(ln) for ln in lines[after : after + _MAX_HEADING_LINES])


def _cut_trailer(lines: list[str]) -> tuple[list[str], str | None]:
    """Without ETX the ``DDHHMM GMT Mon YY`` trailer is the last non-blank line."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip():
            if _TRAILER.match(lines[index]):
                return lines[:index], lines[index]
            break
    return lines, None


def _split_heading(lines: list[str]) -> tuple[list[str], list[str]]:
    """The heading is the first run of lines; it ends with the line carrying `` =``."""
    start = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
    for index in range(start, min(len(lines), start + _MAX_HEADING_LINES)):
        if is_blank(lines[index]):
            break
        if _HEADLINE_END.search(lines[index]):
            return lines[start : index + 1], lines[index + 1 :]
    # No `` =`` marker: a single short first line followed by a blank is still the headline, unless it
    # reads as the story's first sentence (a credited dateline lead: ``ZAGREB, 30. studenog (Hina) - ...``).
    if (
        start + 1 < len(lines)
        and is_blank(lines[start + 1])
        and len(lines[start].strip()) < 100
        and not _CREDITED_LEAD.search(lines[start])
    ):
        return lines[start : start + 1], lines[start + 1 :]
    return [], lines[start:]


def _read_heading(lines: list[str]) -> _Heading:
    heading = _Heading()
    if not lines:
        return heading
    lines = [*lines[:-1], _HEADLINE_END.sub("", lines[-1])]
    content: list[tuple[int, str]] = []
    for index, value in _joined_notes(lines):
        if _read_label_line(value, heading):
            continue
        content.append((index, value))
    if len(content) >= 2 and _BYLINE.match(content[-1][1]):
        heading.byline = content.pop()[1]
    if not content:
        return heading
    end = len(content) - 1
    start = end
    while (
        start > 0
        and content[start - 1][0] == content[start][0] - 1
        and len(content[start - 1][1]) >= _WRAP_MIN
    ):
        start -= 1
    heading.headline = " ".join(text for _, text in content[start : end + 1])
    before = [text for _, text in content[:start]]
    if before:
        heading.kicker = before.pop().rstrip(":").strip() or None
        heading.keywords.extend(before)
    return heading


def _joined_notes(lines: list[str]) -> list[tuple[int, str]]:
    """Non-blank heading lines as (index, text), a parenthesis opened on one line and closed on a later
    one joined into one line: an editor's note wrapped over several header lines is one note."""
    joined: list[tuple[int, str]] = []
    open_note: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        value = collapse(line)
        if not value:
            continue
        open_note.append((index, value))
        text = " ".join(part for _, part in open_note)
        if text.count("(") > text.count(")") and len(open_note) < _MAX_HEADING_LINES:
            continue
        joined.append((open_note[0][0], text))
        open_note = []
    joined.extend(open_note)  # a parenthesis never closed: the lines stay as they were
    return joined


def _read_label_line(value: str, heading: _Heading) -> bool:
    """Record a take/service label line; False when the line is not one."""
    label = read_label(value)
    parenthesised = _PARENTHESISED.match(value)
    if label is None and parenthesised is None:
        return False
    if label is not None:
        heading.signals.extend(label.signals)
        if label.status == "canceled":
            heading.status = "canceled"
    inner = collapse(parenthesised.group("text")) if parenthesised else value
    if label is None or ":" in inner:
        heading.ednotes.append(inner)
    return True


def _cut_notebook(lines: list[str]) -> tuple[list[str], list[str]]:
    for index, line in enumerate(lines):
        if _NOTEBOOK.match(line):
            return lines[:index], lines[index + 1 :]
    return lines, []


def _apply_notebook(item: ParsedItem, lines: list[str]) -> None:
    """Notes to editors -> ``ednotes``; ``## Refile`` / ``## Berichtigung`` -> signals. Contacts and
    everything after the not-for-publication rule are dropped."""
    role: str | None = None
    notes: list[list[str]] = []
    for line in lines:
        if _NOT_FOR_PUBLICATION.match(line):
            break
        section = _SECTION.match(line)
        if section:
            role = _SECTION_ROLES.get(section.group("title").strip().lower())
            if role in {"correction", "refile"}:
                item.signals.append(role)
            continue
        if role not in {"ednote", "correction"} or is_blank(line):
            continue
        note = _NOTE_ITEM.match(line.strip())
        if note:
            notes.append([note.group("text")])
        elif notes and line.startswith(" "):
            notes[-1].append(line)
    item.ednotes.extend(collapse(" ".join(parts)) for parts in notes)


def _keywords(lines: list[str]) -> list[str]:
    words: list[str] = []
    for line in lines:
        words.extend(part.strip() for part in line.split("/") if part.strip())
    return words


def _urgency(priority: str) -> int | None:
    value = int(priority)
    return value if 1 <= value <= 8 else None


def _agencies(rest: str) -> list[str]:
    for token in reversed(rest.split()):
        agency = _SOURCE_AGENCIES.get(token.lower())
        if agency:
            return [agency]
    return []


def _trailer_time(line: str | None) -> datetime | None:
    """``131137 GMT Nov 13`` -> 2013-11-13 11:37 UTC. A trailer without ``GMT`` (dpa's ``241205 Sep 24``)
    is the sender's local time: it comes back naive, and the normalizer places it in the credited agency's
    zone (``parsers.base.ParsedItem``); no zone is guessed here."""
    if not line:
        return None
    match = _TRAILER.match(line.strip().split("\n")[0])
    if not match:
        return None
    month = MONTHS.get(match.group("month").lower())
    if month is None:
        return None
    value = utc_datetime(
        int(match.group("year")),
        month,
        int(match.group("day")),
        int(match.group("hour")),
        int(match.group("minute")),
    )
    if value is None or match.group("gmt"):
        return value
    return value.replace(tzinfo=None)


# --- AAP ZCZC ---------------------------------------------------------------------------------------


def _aap_sign_off(agency: str) -> re.Pattern[str]:
    """The closing line: the sender's name and a desk or operator code (``AAP RTV``, ``AAP ms/jm``)."""
    name = re.escape(agency) if agency else "AAP"
    return re.compile(rf"^{name}(?:\s+(?:[A-Z]{{2,5}}|[a-z]{{1,3}}(?:/[a-z]{{1,3}})*)){{1,3}}$")


def _parse_aap(block: list[str]) -> ParsedItem | None:
    lines = [strip_controls(ln) for ln in block]
    agency = lines[0].strip()[4:].strip()
    fields: dict[str, list[str]] = {}
    index = 1
    while index < len(lines):
        match = _AAP_FIELD.match(lines[index])
        if not match:
            break
        role = _AAP_ROLES[match.group("marker")]
        fields.setdefault(role, []).append(collapse(match.group("value")))
        if match.group("marker") == "^":  # the older profile: ``$`` is then a category letter
            fields["headline"].insert(0, fields["headline"].pop())
        index += 1
    body_lines = []
    for line in lines[index:]:
        if _AAP_END.match(line):
            break
        body_lines.append(line)
    body = paragraphs(body_lines, rows=True)
    sign_off = _aap_sign_off(agency)
    while body and sign_off.match(body[-1]):
        body.pop()
    headline = next((h for h in fields.get("headline", []) if not _CATEGORY_CODE.match(h)), None)
    if not body and headline is None:
        return None
    lead = lift_lead_notes(body)  # ``(Updates ...)`` and ``By ...`` opening the text
    return ParsedItem(
        source_format=FORMAT,
        headline=headline,
        byline=lead.byline,
        ednotes=lead.ednotes,
        body=lead.body,
        agencies=[agency] if agency else [],
        keywords=fields.get("slug", []) + fields.get("region", []),
        subjects=[code for code in fields.get("subject", []) if _SUBJECT_CODE.match(code)],
        signals=[f"priority:{p}" for p in fields.get("priority", [])],
    )
