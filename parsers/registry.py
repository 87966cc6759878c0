"""Format plug-ins: every module in ``parsers/`` that defines ``FORMAT`` is a format.

Adding a wire format means adding one module with ``FORMAT``, ``SNIFF_ORDER``, ``can_parse`` and ``parse``
(optionally ``SNIFF_OPENS``, the characters its documents open with); nothing here changes. Sniffing asks the modules in ``SNIFF_ORDER`` (specific formats first, the plain-text
fallback last).

Start-up cost: the names and sniffing order are read from the modules' source (their ``FORMAT = "..."`` and
``SNIFF_ORDER = N`` lines), so knowing the formats imports none of them (``wiredesk feeds`` checks forced
format names; the CLI lists them in ``--help``). A format module is imported when it is first asked to
sniff or parse: a NITF file never loads feedparser, the HTML extractor or the text-dump grammars. A module
whose source cannot be read that way (no ``.py`` file, a computed name) is imported to learn its values.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import pkgutil
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import parsers
from parsers.base import FormatModule, ParsedItem, ParseError
from parsers.limits import MAX_DOCUMENT_BYTES

_GZIP_MAGIC = b"\x1f\x8b"
_NOT_FORMATS = frozenset({"registry", "base"})
_FORMAT_LINE = re.compile(r"^FORMAT(?:\s*:\s*\w+)?\s*=\s*([\"'])(\w+)\1\s*(?:#.*)?$", re.MULTILINE)
_ORDER_LINE = re.compile(r"^SNIFF_ORDER(?:\s*:\s*\w+)?\s*=\s*(\d+)\s*(?:#.*)?$", re.MULTILINE)
_OPENS_LINE = re.compile(
    r"^SNIFF_OPENS(?:\s*:\s*\w+)?\s*=\s*\"([^\"\\]+)\"\s*(?:#.*)?$", re.MULTILINE
)
_BLANK = b" \t\r\n\f\v"


@dataclass(frozen=True, slots=True)
class FormatEntry:
    """One format as the registry knows it before importing it: name, sniffing rank, module."""

    name: str
    order: int
    module: str  # dotted module name
    opens: str | None = None  # ``SNIFF_OPENS``: the characters its documents start with ("<", "{[")


def _entry_of(module_name: str) -> FormatEntry | None:
    """The module's format from its source lines, else from the imported module; ``None`` when the module
    is no format (a helper such as ``parsers.dates``)."""
    spec = importlib.util.find_spec(module_name)
    origin = spec.origin if spec is not None else None
    if origin and origin.endswith(".py"):
        source = Path(origin).read_text(encoding="utf-8")
        name, order = _FORMAT_LINE.search(source), _ORDER_LINE.search(source)
        if name is None and "FORMAT" not in source:
            return None
        if name is not None and order is not None:
            opens = _OPENS_LINE.search(source)
            return FormatEntry(
                name.group(2), int(order.group(1)), module_name, opens.group(1) if opens else None
            )
    module = importlib.import_module(module_name)
    if not (hasattr(module, "FORMAT") and hasattr(module, "parse")):
        return None
    opens_value = getattr(module, "SNIFF_OPENS", None)
    return FormatEntry(
        str(module.FORMAT), int(module.SNIFF_ORDER), module_name, opens_value and str(opens_value)
    )


@cache
def format_entries() -> tuple[FormatEntry, ...]:
    """Every format module in sniffing order (``SNIFF_ORDER``, then name), without importing them."""
    found = []
    for info in pkgutil.iter_modules(parsers.__path__):
        if info.name.startswith("_") or info.name in _NOT_FORMATS:
            continue
        entry = _entry_of(f"parsers.{info.name}")
        if entry is not None:
            found.append(entry)
    return tuple(sorted(found, key=lambda e: (e.order, e.name)))


@cache
def _load(entry: FormatEntry) -> FormatModule:
    """The format's module, imported on first use; its ``FORMAT`` must be the name its source shows."""
    module = importlib.import_module(entry.module)
    if getattr(module, "FORMAT", None) != entry.name or not hasattr(module, "parse"):
        raise ParseError(f"format module {entry.module} does not define format {entry.name!r}")
    return cast(FormatModule, module)


def format_names() -> list[str]:
    """Every known format name, in sniffing order."""
    return [entry.name for entry in format_entries()]


def _module(name: str) -> FormatModule:
    for entry in format_entries():
        if name == entry.name:
            return _load(entry)
    raise ParseError(f"unknown format {name!r} (known: {', '.join(format_names())})")


def gunzip_if_needed(raw: bytes) -> bytes:
    """Transparently open gzip-compressed documents (archived pages), refusing decompression bombs."""
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(raw, MAX_DOCUMENT_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise ParseError(f"broken gzip data: {exc}") from exc
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"gzip document expands beyond {MAX_DOCUMENT_BYTES} bytes")
    return data


def opening_character(data: bytes) -> str | None:
    """The document's first character after a UTF-8 byte-order mark and white space, when it is ASCII
    and the encoding is byte-compatible with ASCII; ``None`` otherwise (UTF-16/32, binary, empty)."""
    head = data[:1024].lstrip(_BLANK)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip(_BLANK)
    if not head or b"\x00" in data[:4] or head[0] >= 0x80:
        return None
    return chr(head[0])


def detect_format(raw: bytes) -> str:
    """Name of the first format whose ``can_parse`` accepts the bytes. A format that declares what its
    documents open with (``SNIFF_OPENS``: XML formats ``<``, JSON formats ``{[``) is not imported or asked
    for a document that opens with something else: a text dump loads no XML or JSON parser."""
    data = gunzip_if_needed(raw)
    first = opening_character(data)
    for entry in format_entries():
        if entry.opens is not None and first is not None and first not in entry.opens:
            continue
        if _load(entry).can_parse(data):
            return entry.name
    raise ParseError("unrecognised document format")


def parse_document(raw: bytes, format_name: str | None = None) -> list[ParsedItem]:
    """Parse one document; ``format_name`` forces a format instead of sniffing."""
    data = gunzip_if_needed(raw)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"document is {len(data)} bytes, over the {MAX_DOCUMENT_BYTES}-byte limit")
    if not data.strip():
        raise ParseError("empty document")
    module = _module(format_name) if format_name else _module(detect_format(data))
    return module.parse(data)
