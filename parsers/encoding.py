"""Turn document bytes into text, trusting the bytes over what the document declares.

Agency files lie about their encoding (declared ISO-8859-1 but UTF-8; no declaration but Latin-1; a single
Latin-1 byte in ASCII text). Valid UTF-8 is almost never accidental, so it wins; otherwise the declared
charset is used when it decodes, and windows-1252 (a superset of Latin-1 for printable text) is the last
resort, which never fails.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def strip_bom(raw: bytes) -> tuple[bytes, str | None]:
    """Remove a byte-order mark; return the rest and the encoding it names."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :], name
    return raw, None


def declared_encoding(raw: bytes) -> str | None:
    """The charset an XML declaration or HTML meta tag claims, if any."""
    head = raw[:4096]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode ``raw``; return the text and the encoding actually used."""
    body, bom_encoding = strip_bom(raw)
    if bom_encoding and bom_encoding != "utf-8":
        return body.decode(bom_encoding, errors="replace"), bom_encoding
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(body)
    if declared and declared not in {"utf-8", "iso8859-1", "latin-1", "ascii"}:
        try:
            return body.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    # Latin-1 declarations in the wild are windows-1252 in practice (smart quotes at 0x80-0x9F).
    return body.decode("cp1252", errors="replace"), "cp1252"
