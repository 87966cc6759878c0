"""Format plug-ins: every module in ``parsers/`` that defines ``FORMAT`` is a format.

Adding a wire format means adding one module with ``FORMAT``, ``SNIFF_ORDER``, ``can_parse`` and ``parse``;
nothing here changes. Sniffing asks the modules in ``SNIFF_ORDER`` (specific formats first, the plain-text
fallback last).
"""

from __future__ import annotations

import gzip
import importlib
import pkgutil
import zlib
from functools import cache
from typing import cast

import parsers
from parsers.base import FormatModule, ParsedItem, ParseError
from parsers.limits import MAX_DOCUMENT_BYTES

_GZIP_MAGIC = b"\x1f\x8b"


@cache
def _modules() -> tuple[FormatModule, ...]:
    found: list[FormatModule] = []
    for info in pkgutil.iter_modules(parsers.__path__):
        if info.name.startswith("_") or info.name in {"registry", "base"}:
            continue
        module = importlib.import_module(f"parsers.{info.name}")
        if hasattr(module, "FORMAT") and hasattr(module, "parse"):
            found.append(cast(FormatModule, module))
    return tuple(sorted(found, key=lambda m: (m.SNIFF_ORDER, m.FORMAT)))


def format_names() -> list[str]:
    """Every known format name, in sniffing order."""
    return [m.FORMAT for m in _modules()]


def _module(name: str) -> FormatModule:
    for module in _modules():
        if name == module.FORMAT:
            return module
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


def detect_format(raw: bytes) -> str:
    """Name of the first format whose ``can_parse`` accepts the bytes."""
    data = gunzip_if_needed(raw)
    for module in _modules():
        if module.can_parse(data):
            return module.FORMAT
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
