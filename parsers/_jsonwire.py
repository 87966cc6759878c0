"""Helpers shared by the JSON wire formats (digitalwires, ninjs / AP Media API).

JSON from the wire is untrusted twice over: it may be malformed, and a well-formed document may put a list
where a string belongs. Everything here reads values defensively so that a wrong type becomes "absent"
instead of an exception, and the only error that escapes is ``ParseError`` with a line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import lxml.html
from lxml import etree

from parsers._inline import clean_items
from parsers.base import ParsedDateline, ParsedItem, ParseError
from parsers.encoding import decode_bytes, strip_bom
from parsers.limits import MAX_DOCUMENT_BYTES, MAX_ITEMS_PER_DOCUMENT

SNIFF_BYTES = 8192
_LEADING_SPACE = b" \t\r\n"
_HTML_DOCUMENT = re.compile(r"^\s*(?:<!doctype|<html[\s>])", re.IGNORECASE)
_CLASS_TEMPLATE = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_DIGIT = re.compile(r"\d")
_DATELINE_END = re.compile(r"\s*(?:--|[-–—_])\s*$")
_CREDIT = re.compile(r"\(([^()]{1,60})\)")


def json_head(raw: bytes) -> bytes | None:
    """The first few KB of ``raw`` when it starts like a JSON object or array, else ``None``."""
    head, _ = strip_bom(raw[:SNIFF_BYTES])
    head = head.lstrip(_LEADING_SPACE)
    return head if head[:1] in (b"{", b"[") else None


def json_sniff(raw: bytes, keys: re.Pattern[bytes]) -> bool:
    """JSON whose first few KB match ``keys`` (the format's distinctive field names)."""
    head = json_head(raw)
    return head is not None and keys.search(head) is not None


def load_json(raw: bytes, what: str) -> Any:
    """Decode and parse a JSON document; errors say where (line/column) for a person to look."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"{what} JSON is {len(raw)} bytes, over the limit of {MAX_DOCUMENT_BYTES}")
    text, _encoding = decode_bytes(raw)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"malformed {what} JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except (ValueError, RecursionError) as exc:  # e.g. absurdly deep nesting or huge integers
        raise ParseError(f"unreadable {what} JSON: {exc}") from exc


def parse_json_items(
    raw: bytes,
    what: str,
    records: Callable[[Any], list[dict[str, Any]]],
    item: Callable[[dict[str, Any]], ParsedItem | None],
) -> list[ParsedItem]:
    """The shape both JSON formats share: load, find the records, bound their number, map each (records
    without a text story map to None and are left out); escaped inline markup converted in every field."""
    found = records(load_json(raw, what))
    check_item_count(len(found), what)
    return clean_items([parsed for parsed in map(item, found) if parsed is not None])


def check_item_count(count: int, what: str) -> None:
    if count > MAX_ITEMS_PER_DOCUMENT:
        raise ParseError(
            f"{what} document holds {count} items, over the limit of {MAX_ITEMS_PER_DOCUMENT}"
        )


def text(value: Any) -> str | None:
    """A non-empty stripped string, or ``None`` for anything else (null, numbers, lists ...)."""
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def integer(value: Any) -> int | None:
    """An int from an int or a string of digits (ninjs writes ``"version": "11"``); never a bool."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 9:
        return int(value.strip())
    return None


def urgency(value: Any) -> int | None:
    """Urgency 1 (flash) .. 8 (routine); out-of-range values are not urgencies."""
    number = integer(value)
    return number if number is not None and 1 <= number <= 8 else None


def dicts(value: Any) -> list[dict[str, Any]]:
    """The dict members of a JSON list (other members are ignored)."""
    if not isinstance(value, list):
        return []
    return [entry for entry in value if isinstance(entry, dict)]


def candidate_objects(document: Any, what: str) -> list[dict[str, Any]]:
    """The objects a JSON document offers as items: the dict members of a list, or the object itself.
    Raises ``ParseError`` for a bare string, number or null."""
    if isinstance(document, list):
        return dicts(document)
    if isinstance(document, dict):
        return [document]
    raise ParseError(f"{what} document is a JSON {type(document).__name__}, not an object")


def with_keys(
    candidates: list[dict[str, Any]], keys: tuple[str, ...], what: str, *, empty_ok: bool = False
) -> list[dict[str, Any]]:
    """The candidates holding at least one of ``keys`` (the format's identifying fields); ``what`` names
    one (``digitalwires entry``). Raises
    ``ParseError`` naming them when there were candidates but none is an item (another JSON format), or
    when there were none at all unless ``empty_ok`` (an empty search page)."""
    found = [c for c in candidates if any(key in c for key in keys)]
    if not found and (candidates or not empty_ok):
        raise ParseError(f"no {what} found (no {', '.join(keys)})")
    return found


def strings(value: Any) -> list[str]:
    """The non-empty string members of a JSON list, or a lone string as a one-item list."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [s for s in (text(v) for v in value) if s]


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def class_xpath(*classes: str) -> str:
    """XPath predicate body matching an element carrying any of ``classes`` in its class attribute."""
    return " or ".join(_CLASS_TEMPLATE.format(name) for name in classes)


def html_root(markup: str | None) -> lxml.html.HtmlElement | None:
    """Parse an HTML body held in a JSON string: a fragment under a ``div``, or a whole document's
    ``body``. ``None`` when there is nothing to parse. lxml's HTML parser never fetches anything."""
    if not markup or not markup.strip():
        return None
    try:
        if _HTML_DOCUMENT.match(markup):
            document = lxml.html.document_fromstring(markup)
            body = document.find("body")
            root = body if body is not None else document
        else:
            root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    return root if isinstance(root, lxml.html.HtmlElement) else None


def select(xpath: etree.XPath, root: etree._Element) -> list[lxml.html.HtmlElement]:
    """The HTML elements a compiled XPath finds (strings and numbers it might return are ignored)."""
    found = xpath(root)
    if not isinstance(found, list):
        return []
    return [element for element in found if isinstance(element, lxml.html.HtmlElement)]


def drop_elements(elements: list[lxml.html.HtmlElement]) -> None:
    """Remove elements from their tree, keeping the text that follows each (its tail)."""
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()


def split_dateline_text(raw: str | None) -> ParsedDateline | None:
    """Minimal split of a dateline *field* such as ``Waghäusel (dpa) -`` or
    ``MADRID, 21 Nov. 2024 (Europa Press) -``: the bracketed credit gives the agencies (split on ``/``),
    the first comma segment holding a digit starts the date, the rest before it is the place. Anything
    cleverer belongs to the normalizer, which sees the text datelines of every format."""
    value = text(raw)
    if value is None:
        return None
    value = _DATELINE_END.sub("", value)
    credit = _CREDIT.search(value)
    agencies: list[str] = []
    if credit:
        agencies = [a.strip() for a in credit.group(1).split("/") if a.strip()]
        value = (value[: credit.start()] + " " + value[credit.end() :]).strip()
    segments = [segment.strip() for segment in value.strip(" ,").split(",")]
    cut = next((i for i, segment in enumerate(segments) if _DIGIT.search(segment)), len(segments))
    place = ", ".join(s for s in segments[:cut] if s) or None
    date = ", ".join(s for s in segments[cut:] if s) or None
    if not (place or date or agencies):
        return None
    return ParsedDateline(place=place, date=date, agencies=agencies)
