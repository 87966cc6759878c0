"""Agency inline markup that arrived escaped, as text: converted or dropped, in every text field.

Some agencies send their own inline markup escaped inside an XML text node (STT's
``800&lt;endash&gt;-&lt;/endash&gt;1 000``, Belga's ``&lt;b&gt;``, escaped ``&lt;br/&gt;`` in captions), so
after XML parsing the text holds literal tags; JSON strings (ninjs ``headline``, ``body_text``) and markup
escaped twice hold them entity-escaped (``Storm &lt;i&gt;Xavier&lt;/i&gt;``), plain-text wire formats (IPTC
7901, ANPA) as they are. Markup is never text: a character element (``endash``,
``emdash`` ...) becomes its character, block tags (``p``, ``br``, ``div``, ``li``) break paragraphs (a space
in one-line fields), and any other tag is dropped with its content kept. Only things shaped like tags are
touched (``<`` letter ... ``>``), so ``x < y`` or ``<< 5`` stay as sent.

Every XML and JSON format calls :func:`clean_item` once on its finished items, so no format can forget a
field; the same pass drops placeholder values (``No-Data-Available``) from one-line and list fields.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from parsers._placeholders import is_placeholder, is_placeholder_author, real
from parsers.base import ParsedItem

# Agency character elements (STT ``<endash>``, SGML-style ``<mdash>``): the element stands for the character,
# its content is only a plain-text fallback for it.
_CHARACTERS: dict[str, str] = {
    "endash": "\u2013",
    "ndash": "\u2013",
    "emdash": "\u2014",
    "mdash": "\u2014",
    "hellip": "\u2026",
    "nbsp": "\u00a0",
    "thinsp": "\u2009",
    "minus": "\u2212",
    "bullet": "\u2022",
}
_NAME = r"[A-Za-z][\w.:-]{0,40}"
_ATTRIBUTES = r"""(?:\s+[\w.:-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>]+))?)*"""
_TAG = re.compile(rf"<(/?)({_NAME}){_ATTRIBUTES}\s*/?>")
_CHARACTER_ELEMENT = re.compile(
    rf"<({'|'.join(_CHARACTERS)}){_ATTRIBUTES}\s*(?:/>|>[^<]{{0,8}}</\1\s*>)", re.IGNORECASE
)
_BLOCK = frozenset({"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})
_BREAK = "\n\n"
_BREAKS = re.compile(r"\s*\n\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v]+")


# A tag sent entity-escaped once more (``&lt;b&gt;``, ``&#60;i&#62;`` in a JSON string or after XML
# parsing): the text around it is escaped the same way, so all of it is unescaped before tags are read.
_ESCAPED_TAG = re.compile(
    r"(?:&lt;|&#0*60;|&#x0*3c;)/?[A-Za-z][^<>]{0,240}?(?:&gt;|&#0*62;|&#x0*3e;)", re.IGNORECASE
)


def unescaped(text: str) -> str:
    """``text`` with its entities decoded when it holds an entity-escaped tag, else ``text`` itself."""
    if "&" not in text or ("&lt;" not in text and "&LT;" not in text and "&#" not in text):
        return text
    for found in _ESCAPED_TAG.finditer(text):
        if _TAG.fullmatch(html.unescape(found.group())):
            return html.unescape(text)
    return text


def has_markup(text: str) -> bool:
    """``text`` holds something shaped like a tag, sent as markup or entity-escaped."""
    if "<" in text and _TAG.search(text) is not None:
        return True
    return "&" in text and unescaped(text) is not text


def _replace_tag(match: re.Match[str]) -> str:
    return _BREAK if match.group(2).lower() in _BLOCK else ""


def _convert(text: str) -> str:
    text = unescaped(text)
    text = _CHARACTER_ELEMENT.sub(lambda m: _CHARACTERS[m.group(1).lower()], text)
    return _TAG.sub(_replace_tag, text)


def clean_line(text: str) -> str:
    """One-line field (headline, byline, caption, note): markup converted, block breaks as spaces."""
    if ("<" not in text and "&" not in text) or not has_markup(
        text
    ):  # speed: most text has neither
        return text
    return _SPACES.sub(" ", _BREAKS.sub(" ", _convert(text))).strip()


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Body paragraphs: markup converted; escaped block tags split a paragraph in several."""
    joined = "\n".join(paragraphs)  # speed: one scan of the whole body in C, no per-paragraph loop
    if "<" not in joined and "&" not in joined:
        return paragraphs
    result: list[str] = []
    for paragraph in paragraphs:
        if not has_markup(paragraph):
            result.append(paragraph)
            continue
        for part in _BREAKS.split(_convert(paragraph)):
            text = _SPACES.sub(" ", part).strip()
            if text:
                result.append(text)
    return result


def _optional(text: str | None) -> str | None:
    if text is None:
        return None
    return real(clean_line(text) or None)


def _lines(values: list[str], clean: Callable[[str], str] = clean_line) -> list[str]:
    if not values:  # speed: most lists of most items are empty
        return values
    return [v for v in map(clean, values) if not is_placeholder(v)]


def clean_item(item: ParsedItem) -> ParsedItem:
    """Convert escaped inline markup in every text field of ``item`` and drop placeholder values
    (``parsers._placeholders``) from its one-line and list fields (in place; returned for chaining)."""
    item.kicker = _optional(item.kicker)
    item.headline = _optional(item.headline)
    item.caption = _optional(item.caption)
    byline = clean_line(item.byline) if item.byline is not None else None
    item.byline = None if not byline or is_placeholder_author(byline) else byline
    item.body = clean_paragraphs(item.body)
    item.ednotes = _lines(item.ednotes)
    item.keywords = _lines(item.keywords)
    item.subjects = _lines(item.subjects)
    if item.authors:
        item.authors = [a for a in map(clean_line, item.authors) if not is_placeholder_author(a)]
    item.agencies = _lines(item.agencies)
    if item.dateline is not None:
        item.dateline.place = _optional(item.dateline.place)
        item.dateline.date = _optional(item.dateline.date)
    for related in item.related:
        related.title = clean_line(related.title)
        related.teaser = _optional(related.teaser)
    return item


def clean_items(items: list[ParsedItem]) -> list[ParsedItem]:
    """:func:`clean_item` for every item of a document."""
    for item in items:
        clean_item(item)
    return items
