"""Line utilities shared by the line-oriented wire formats (IPTC 7901, ANPA 1312, News Bites).

These formats come from teleprinter days: control characters frame the message, lines are hard-wrapped,
paragraphs start with an indent or follow a blank line, and take labels (``1ST LEAD``, ``REFILE``,
``1st Ld-Writethru``) say which version of a story this is. The helpers here turn such text into clean
lines and paragraphs and read the labels into ``signals``, so the three parsers differ only in layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from parsers.base import ParseError
from parsers.encoding import decode_bytes
from parsers.limits import MAX_ITEMS_PER_DOCUMENT

SOH, STX, ETX = "\x01", "\x02", "\x03"

# C0 controls (tab and newline kept) and DEL. C1 is left alone: in decoded text it is almost always a
# windows-1252 character the normalizer restores (``\x92`` -> ``’``).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_ENDS = re.compile(r"\r\n?")
# Only ``+ * •`` bullets: a wrapped line may well start with ``- `` or ``2.`` (``2. Bundesliga``).
_BULLET = re.compile(r"^(?P<indent>[ \t]*)[+*•][ \t]+\S")
_DIGIT = re.compile(r"\d")


def decode_text(raw: bytes) -> str:
    """Bytes -> text with ``\\n`` line ends (CRLF, lone CR and mixed endings all occur on the wire)."""
    text, _encoding = decode_bytes(raw)
    return _LINE_ENDS.sub("\n", text) if "\r" in text else text


def strip_controls(text: str) -> str:
    """Remove framing and terminal control characters (SOH, STX, ETX, BEL, DEL ...)."""
    return _CONTROL.sub("", text)


def collapse(text: str) -> str:
    """One line, single spaces, no padding (``\\s+`` -> one space, stripped: ``str.split()`` and ``re``'s
    ``\\s`` agree on what white space is, tests/test_parser_speed.py)."""
    return " ".join(text.split())


def is_blank(line: str) -> bool:
    return not line.strip()


def head_lines(text: str, limit: int = 4096) -> list[str]:
    """The first lines of ``text`` with control characters removed, for cheap sniffing."""
    return strip_controls(text[:limit]).split("\n")


def is_table_row(line: str) -> bool:
    """A row of tabular copy (results, standings, election tables, stock lists): cells separated by a tab,
    or by a column gap of three spaces or more in a line holding a digit. Wrapped prose never has either
    (two spaces after a full stop are not a column gap)."""
    cells = line.strip()
    if "\t" in cells:
        return True
    return "   " in cells and _DIGIT.search(cells) is not None


def _indent_width(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def paragraphs(lines: Iterable[str], *, rows: bool = False) -> list[str]:
    """Join hard-wrapped lines into paragraphs.

    A blank line ends a paragraph; an indented line (tab or 2+ spaces) or a bullet starts one -- except
    that a line indented deeper than the bullet it follows continues that bullet (wrapped list items).
    With ``rows`` (wire copy, which carries results and tables), a table row (:func:`is_table_row`) is a
    paragraph of its own.
    """
    result: list[str] = []
    current: list[str] = []
    bullet_indent: int | None = None

    def flush() -> None:
        nonlocal bullet_indent
        if current:
            joined = " ".join(current)
            text = collapse(joined)
            # Rows are looked for only in a paragraph of several lines whose text lost more white space
            # to collapsing than its indent and one space per line (a column gap), or that has a tab
            # past its start: one length test per paragraph, not a test per line.
            if rows and len(current) > 1 and _may_hold_rows(current, joined, text):
                result.extend(_row_paragraphs(current))
            elif text:
                result.append(text)
            current.clear()
        bullet_indent = None

    for line in lines:
        if not line.strip():  # blank
            flush()
            continue
        bullet = _BULLET.match(line)
        # An indent is a tab or two spaces; the width is needed only inside a bullet.
        if bullet or (
            line.startswith(("\t", "  "))
            and not (bullet_indent is not None and _indent_width(line) > bullet_indent)
        ):
            flush()
            if bullet:
                bullet_indent = _indent_width(bullet.group("indent"))
        current.append(line)
    flush()
    return result


def _may_hold_rows(lines: list[str], joined: str, text: str) -> bool:
    extra = len(joined) - len(text)
    if extra > len(lines) and extra > len(lines[0]) - len(lines[0].lstrip()) + len(lines):
        return True
    return joined.find("\t", 1) > 0


def _row_paragraphs(lines: list[str]) -> list[str]:
    """One paragraph's lines: each table row (:func:`is_table_row`) a paragraph of its own, the lines
    between rows joined as before."""
    found: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if line and not is_table_row(line):
            run.append(line)
            continue
        if run and (text := collapse(" ".join(run))):
            found.append(text)
        run = []
        if line and (text := collapse(line)):
            found.append(text)
    return found


def check_count(fmt: str, count: int, unit: str) -> None:
    """Refuse documents with more messages than one document may hold, before parsing them."""
    if count > MAX_ITEMS_PER_DOCUMENT:
        raise ParseError(f"{fmt}: {count} {unit}, over the limit of {MAX_ITEMS_PER_DOCUMENT}")


def split_blocks(lines: list[str], starts: re.Pattern[str]) -> Iterator[list[str]]:
    """Split a multi-message transmission at every line matching ``starts`` (text before the first is
    dropped: it is line noise, not a message)."""
    block: list[str] | None = None
    for line in lines:
        if starts.match(line):
            if block is not None:
                yield block
            block = [line]
        elif block is not None:
            block.append(line)
    if block is not None:
        yield block


# --- take labels ------------------------------------------------------------------------------------

_ORDINAL = r"(?P<n>\d{1,2})\.?\s*(?:ST|ND|RD|TH)?"


@dataclass(frozen=True, slots=True)
class Label:
    """A take/service label: the pattern and the signals it gives (``{n}`` = the captured number)."""

    pattern: re.Pattern[str]
    signals: tuple[str, ...]
    status: str | None = None


def _label(pattern: str, *signals: str, status: str | None = None) -> Label:
    return Label(re.compile(pattern, re.IGNORECASE), signals, status)


# One table for dpa/ATS 7901 label lines and AP ANPA take fields. Order matters only for overlaps.
LABELS: tuple[Label, ...] = (
    _label(rf"^{_ORDINAL}\s*(?:LEAD|Ld)(?P<wt>[-\s]*Write-?thru)?$", "lead:{n}"),
    _label(rf"^{_ORDINAL}\s*(?:NET)$", "net:{n}"),
    _label(rf"^{_ORDINAL}\s*(?:Zusammenfassung)$", "lead:{n}"),
    _label(rf"^{_ORDINAL}\s*(?:Add|Take)$", "take:{n}"),
    _label(r"^(?:Write-?thru|Writethru)$", "writethru"),
    _label(r"^REFILE$|^Wiederholung$", "refile"),
    _label(r"^EXTRA$", "extra"),
    _label(r"^(?:CORRECTION|CORRECTED|Correction|Berichtigung)\b.*$", "correction"),
    _label(r"^(?:KILL|WITHDRAWN?|Withdrawal)\b.*$", "kill", status="canceled"),
    _label(r"^(?:URGENT|FLASH|Bulletin|Eil)\b.*$", "urgent"),
    _label(r"^(?:APNewsAlert|NewsAlert)$", "alert"),
    _label(r"^(?:Achtung)$", "service"),
    _label(r"^(?:Vorschau)$", "preview"),
)


@dataclass(slots=True)
class LabelResult:
    signals: list[str]
    status: str | None = None


def read_label(text: str) -> LabelResult | None:
    """Signals for a take/service label (``1ST LEAD``, ``1st Ld-Writethru``, ``(Achtung)``), else None.

    A label may be wrapped in parentheses; a writethru part adds ``writethru``.
    """
    value = collapse(text.strip().strip("()").strip())
    for label in LABELS:
        match = label.pattern.match(value)
        if not match:
            continue
        groups = match.groupdict()
        signals = [s.format(n=int(groups["n"])) if "{n}" in s else s for s in label.signals]
        if groups.get("wt"):
            signals.append("writethru")
        return LabelResult(signals, label.status)
    return None


# --- dates ------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "jän", "janv"),
            ("feb", "fév", "fev"),
            ("mar", "mär", "mrz", "mars"),
            ("apr", "avr"),
            ("may", "mai"),
            ("jun", "juin"),
            ("jul", "juil"),
            ("aug", "aoû", "aou"),
            ("sep", "sept"),
            ("oct", "okt"),
            ("nov",),
            ("dec", "dez", "déc"),
        ),
        start=1,
    )
    for name in names
}


def utc_datetime(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> datetime | None:
    """An aware UTC datetime, or None for impossible values (the header is untrusted)."""
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None
