"""Paragraphs out of (X)HTML body markup: one function every format with an HTML-ish body shares.

Block elements (``p``, headings, list items, NITF ``hl2``, table rows ...) become paragraphs; ``<br>``
pairs split paragraphs; ``script``/``style``/figures are dropped. ``<pre>`` (agate, sports results, team
lists) and table rows give one paragraph per line or row, since their line structure is the content. A
text block holding hard-wrapped wire copy (``parsers._wiretext``) is split where the copy's own paragraphs
start. Whitespace is only roughly tidied here -- the normalizer does the real cleanup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import cast

import lxml.html
from lxml import etree

from parsers._wiretext import preformatted_paragraphs
from parsers.xmlsafe import local_name

BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "blockquote", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "hl1", "hl2", "li", "dt", "dd", "ul", "ol", "dl",
        "table", "tbody", "thead", "tfoot", "tr", "caption", "body", "block", "address",
        "body.content", "body.head", "body.end", "hr", "media", "nitf-table", "tagline",
        "bibliography",
    }
)  # fmt: skip
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "iframe", "svg", "button",
        "form", "nav", "figure", "figcaption", "img", "video", "audio", "object", "embed",
        "media-caption", "media-reference", "media-producer", "media-metadata",
    }
)  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})
# Text blocks that may hold a whole preformatted wire story (Reuters' single ``<p>``).
_WIRE_CONTAINERS = frozenset({"p", "div", "blockquote", "block", "body.content", "body"})
_MIN_WIRE_BREAKS = 3
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")


class _Collector:
    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.buffer.append(text.replace("\n", " ").replace("\r", " "))

    def soft_break(self) -> None:
        self.buffer.append("\n")

    def lines(self, texts: list[str]) -> None:
        """Paragraphs that are already final (pre lines, wire-text paragraphs)."""
        self.flush()
        self.paragraphs.extend(texts)

    def flush(self) -> None:
        if not self.buffer:
            return
        joined = "".join(self.buffer)
        self.buffer = []
        # ``add`` turned line breaks into spaces: only ``<br>`` soft breaks can make a blank line.
        chunks = _BLANK_LINE.split(joined) if joined.count("\n") > 1 else (joined,)
        for chunk in chunks:
            text = " ".join(chunk.split())  # str.split() and re's \s agree on Unicode whitespace
            if text:
                self.paragraphs.append(text)


def _walk(element: etree._Element, out: _Collector, skip: frozenset[str]) -> None:
    name = local_name(element).lower()
    if name in skip or not name:
        return
    if name == "br":
        out.soft_break()
        return
    block = name in BLOCK_TAGS
    if name == "pre":
        out.lines(_pre_lines(element, skip))
        return
    if name in _WIRE_CONTAINERS:
        wire = _wire_text(element, skip)
        if wire is not None:
            out.lines(wire)
            return
    if block:
        out.flush()
    if name == "tr":
        cells = [
            " ".join(str(t) for t in c.itertext()).strip()
            for c in element
            if local_name(c).lower() in CELL_TAGS
        ]
        out.add(" | ".join(cell for cell in cells if cell))
        out.flush()
        return
    out.add(element.text)
    for child in element:
        _walk(child, out, skip)
        out.add(child.tail)
    if block:
        out.flush()


def _pre_lines(element: etree._Element, skip: frozenset[str]) -> list[str]:
    """One paragraph per non-blank line of a ``<pre>`` (agate, results, team lists: inline markup inside
    it flattened), unless it holds hard-wrapped prose (AP's indented paragraphs in a NITF ``<pre>``): then
    the paragraphs the layout marks, as for wire text in any other container."""
    text = "".join(_flat_text(element, skip))
    lines = [line for line in (" ".join(ln.split()) for ln in text.split("\n")) if line]
    if _wrapped_prose(text, lines):
        paragraphs = preformatted_paragraphs(text)
        return paragraphs if paragraphs is not None else _joined_sentences(lines)
    return lines


def _joined_sentences(lines: list[str]) -> list[str]:
    """Wrapped prose with no layout marks (no indents, no blank lines): a line that breaks mid-sentence
    continues on the next; a line ending a sentence ends the paragraph (the only boundary left to see)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        if line[-1] in _LINE_END:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


# Column alignment inside a line (a table's padding; a sentence has single spaces, at most two).
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_PROSE_LINE = 30  # characters: a wrapped line of prose is long
_PROSE_WORD = re.compile(r"[^\W\d_]+")
_LINE_END = frozenset(".!?:;\"'”»’)")


def _wrapped_prose(text: str, lines: list[str]) -> bool:
    """Whether preformatted text is running prose wrapped at a fixed width: mostly long lines, most of
    them breaking mid-sentence (a list or a table ends each line), few digits, and many words in lower
    case (results, line-ups and name lists are names and numbers; German prose, with its capitalised
    nouns, still has about half)."""
    if len(lines) < 4:
        return False
    long_lines = sum(1 for line in lines if len(line) >= _PROSE_LINE and line.count(" ") >= 4)
    mid_sentence = sum(1 for line in lines if line[-1] not in _LINE_END)
    if long_lines < 0.6 * len(lines) or mid_sentence < 0.4 * len(lines):
        return False
    joined = " ".join(lines)
    if _COLUMN_GAP.search(text) or sum(map(str.isdigit, joined)) > 0.1 * len(joined):
        return False
    words = _PROSE_WORD.findall(joined)
    return len(words) >= 20 and sum(1 for word in words if word[0].islower()) >= 0.35 * len(words)


def _flat_text(element: etree._Element, skip: frozenset[str]) -> list[str]:
    """Text of ``element`` with line breaks kept, skipped children left out (their tails kept)."""
    parts = [element.text or ""]
    for child in element:
        if local_name(child).lower() not in skip:
            parts.extend(_flat_text(child, skip))
        parts.append(child.tail or "")
    return parts


def _wire_text(element: etree._Element, skip: frozenset[str]) -> list[str] | None:
    """Paragraphs when ``element`` holds hard-wrapped wire copy (text and inline markup only).

    Cheapest tests first: a block child (the usual container) or too few line breaks end it at once."""
    if len(element) == 0:
        head = element.text
        if not head or head.count("\n") < _MIN_WIRE_BREAKS:
            return None
        return preformatted_paragraphs(head)
    breaks = (element.text or "").count("\n")
    for child in element:
        breaks += (child.tail or "").count("\n")
    if breaks < _MIN_WIRE_BREAKS:  # the copy's own line breaks sit between its inline elements
        return None
    if any(_not_inline(child, skip) for child in element):
        return None
    text = "".join(str(t) for t in element.itertext())
    if any(_not_inline(d, skip) for d in element.iterdescendants()):
        return None
    return preformatted_paragraphs(text)


def _not_inline(element: etree._Element, skip: frozenset[str]) -> bool:
    name = local_name(element).lower()
    return name in BLOCK_TAGS or name in skip or name == "br"


def element_paragraphs(element: etree._Element, *, skip: frozenset[str] = SKIP_TAGS) -> list[str]:
    """Paragraph strings of an already parsed element tree, in document order."""
    out = _Collector()
    _walk(element, out, skip)
    out.flush()
    return out.paragraphs


def html_fragment_paragraphs(markup: str, *, skip: frozenset[str] = SKIP_TAGS) -> list[str]:
    """Paragraphs of an HTML fragment held as a string (escaped bodies, feed content, JSON fields)."""
    if not markup or not markup.strip():
        return []
    if "<" not in markup:
        text = html.unescape(markup)
        return [p for p in (" ".join(c.split()) for c in _BLANK_LINE.split(text)) if p]
    try:
        root = fragment_root(markup)
    except (etree.ParserError, ValueError, AssertionError):
        # lxml.html refuses a fragment with no body or two (``</body><head>...<body>``, a feed body pasted
        # from a whole page; an ``AssertionError`` there): read it as a document instead of losing it.
        return _document_paragraphs(markup, skip)
    return element_paragraphs(root, skip=skip)


def _document_paragraphs(markup: str, skip: frozenset[str]) -> list[str]:
    """Paragraphs of ``markup`` parsed as a whole HTML document: every ``body`` the parser kept, in order,
    else the root; no paragraphs when nothing could be parsed."""
    try:
        root = etree.fromstring(markup, etree.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError):
        return []
    if root is None:
        return []
    bodies = root.findall("body")
    paragraphs: list[str] = []
    for element in bodies or [root]:
        paragraphs.extend(element_paragraphs(element, skip=skip))
    return paragraphs


# ``lxml.html.fragments_fromstring``'s test for a string that is a whole document (it is then parsed as it is).
_WHOLE_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)


def fragment_root(markup: str) -> etree._Element:
    """``lxml.html.fragment_fromstring(markup, create_parent="div")``: a ``div`` holding the fragment's
    leading text (unless blank) and its elements; raises what that raises.

    Speed: for a fragment (not a whole document) the same tree is read with a plain ``HTMLParser`` (the
    options of ``lxml.html``'s, without its Python element-class lookup, which runs for every element a
    walk touches) and its ``body`` made the ``div``. Anything unusual is left to ``lxml.html``
    (tests/test_parser_speed.py compares the paragraphs of both)."""
    if not _WHOLE_DOCUMENT.match(markup):
        document = etree.fromstring(f"<html><body>{markup}</body></html>", etree.HTMLParser())
        if document is not None and document.tag == "html":
            bodies = [child for child in document if child.tag == "body"]
            if len(bodies) == 1:
                body = bodies[0]
                text = body.text
                body.text = text if text and text.strip() else None
                body.tail = None
                body.attrib.clear()
                body.tag = "div"
                return body
    root: etree._Element = lxml.html.fragment_fromstring(markup, create_parent="div")
    return root


def element_text(element: etree._Element | None) -> str | None:
    """All text inside ``element``, whitespace collapsed; ``None`` when empty or absent."""
    if element is None:
        return None
    text = " ".join("".join(cast("Iterator[str]", element.itertext())).split())
    return text or None


def remove_keeping_tail(element: etree._Element) -> None:
    """Remove ``element`` from its tree but keep the text that follows it (its tail) in place."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
