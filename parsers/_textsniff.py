"""What a rendered-page text dump is not: Markdown, delimited tables (CSV/TSV, pipe tables) and source code.

The text format is the sniffing fallback, so anything readable would otherwise be taken for a news page and
come out as a silently wrong record. These checks look at the first lines of a document for the marks each
of those kinds leaves on most of its lines (or once, unmistakably: a code fence, a table rule, a shebang).
A page dump -- even a one-paragraph flash, all capitals, or a page with a few list bullets, a ``Stand:``
line or lynx link numbers -- leaves none of them in quantity.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_LINES = 60
_ATX_HEADING = re.compile(r"^#{1,6}\s+\S")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_LINK = re.compile(r"!?\[[^\]\n]{1,200}\]\((?:https?://|/|#|\./)[^)\s]*\)")
_EMPHASIS = re.compile(r"(?:\*\*|__)[^*_\n]{1,80}(?:\*\*|__)|`[^`\n]{1,80}`")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S")
_CODE_LINE = re.compile(
    r"^\s*(?:(?:def|class|import|package|namespace|using|function|func|fn|var|let|const|public|private|"
    r"protected|static|return|elif|except|try|catch|finally|switch|case|struct|enum|interface|impl|"
    r"module|require|export|#include|#define|#import)\b"
    r"|(?:if|for|while)\s*\(|from\s+[\w.]+\s+import\b|//|/\*|\*/|[{}]\s*$|</?\w+[^>]*>\s*$)"
    r"|[;{}]\s*$|\)\s*(?:->\s*[\w\[\], .]+)?:\s*$"
    r"|^\s*[\w.\[\]]+\s*(?:[+\-*/|&]?=|:=)\s*[\w\"'(\[{]"
)
_DELIMITERS = ("\t", ";", ",", "|")


def _markdown(lines: list[str]) -> bool:
    """A code fence or table rule alone; else an ATX heading opening the document, or marks adding up
    (heading or link 2 each, emphasis or list item 1 each) to 3."""
    if any(_FENCE.match(line) or _TABLE_RULE.match(line) for line in lines):
        return True
    if _ATX_HEADING.match(lines[0]):
        return True
    strong = sum(2 * (bool(_ATX_HEADING.match(x)) + len(_LINK.findall(x))) for x in lines)
    if not strong:
        return False
    weak = sum(bool(_EMPHASIS.search(x)) + bool(_LIST_ITEM.match(x)) for x in lines)
    return strong + weak >= 3


def _table(lines: list[str]) -> bool:
    """At least three lines, 80 % of them splitting into the same number of fields (at least two for tabs,
    three for ``;``, ``,`` and ``|``). Prose punctuates with ``, `` and ``; `` (a space after), records
    mostly without one; pipe rows open and close with ``|`` or hold a few words per cell."""
    if len(lines) < 3:
        return False
    for delimiter in _DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        count, lines_with = counts.most_common(1)[0]
        if count < (1 if delimiter == "\t" else 2) or lines_with < 0.8 * len(lines):
            continue
        rows = [line for line in lines if line.count(delimiter) == count]
        if delimiter == "\t":
            return True
        if delimiter == "|":
            cells = [cell for row in rows for cell in row.split(delimiter)]
            words = sum(len(cell.split()) for cell in cells) / len(cells)
            if all(row.startswith("|") and row.endswith("|") for row in rows) or words <= 4:
                return True
            continue
        spaced = sum(row.count(delimiter + " ") for row in rows)
        if spaced < 0.5 * count * len(rows):
            return True
    return False


def _code(lines: list[str]) -> bool:
    """A shebang, or at least three lines and 30 % of the lines shaped like statements or declarations."""
    if lines[0].startswith("#!"):
        return True
    code = sum(1 for line in lines if _CODE_LINE.search(line))
    return code >= 3 and code >= 0.3 * len(lines)


def kind_of_non_dump(text: str) -> str | None:
    """``"markdown"``, ``"table"`` or ``"source code"`` when the start of ``text`` is one of them, else
    ``None`` (it may be a page dump). Looks at the first ``MAX_LINES`` non-empty lines only."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()][:MAX_LINES]
    if not lines:
        return None
    if _markdown(lines):
        return "markdown"
    if _table([line.strip() for line in lines]):
        return "table"
    if _code(lines):
        return "source code"
    return None
