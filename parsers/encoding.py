"""Turn document bytes into text, trusting the bytes over what the document declares.

Agency files lie about their encoding (declared ISO-8859-1 but UTF-8; no declaration but Latin-1; a single
Latin-1 byte in ASCII text). Valid UTF-8 is almost never accidental, so it wins; otherwise the declared
charset is used when it is a non-Latin one that decodes; then a document whose valid multi-byte UTF-8
sequences outnumber its invalid bytes is UTF-8 with damage (a truncated transfer, one spliced Latin-1 byte)
and is decoded as UTF-8 with U+FFFD for the damage -- reading it as cp1252 would turn every umlaut into
mojibake (``AuÃŸenminister``) and make the story unsearchable. Legacy 8-bit text has single high bytes and
(almost) no valid multi-byte sequence, so windows-1252 (a superset of Latin-1 for printable text) stays the
last resort for it, which never fails.
"""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger(__name__)
# Declarations that say "some 8-bit Western charset": in practice windows-1252, or UTF-8 mislabelled.
_LATIN_DECLARATIONS = frozenset({"utf-8", "iso8859-1", "latin-1", "ascii", "cp1252"})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
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


def damaged_utf8(body: bytes) -> str | None:
    """``body`` decoded as UTF-8 with replacement when it is UTF-8 with a few invalid bytes, else None.

    The test: at least one valid multi-byte sequence, and no more invalid bytes than valid multi-byte
    sequences. Legacy 8-bit text (``Außenminister`` as ``Au\xdfenminister``) has no valid sequence, since a
    high byte would need one to three continuation bytes (0x80-0xBF) after it."""
    text = body.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    invalid = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    valid = non_ascii - invalid - body.count(b"\xef\xbf\xbd")
    if valid >= 1 and invalid <= valid:
        log.warning(
            "damaged UTF-8 decoded with replacement characters",
            extra={"invalid_bytes": invalid, "valid_sequences": valid},
        )
        return text
    return None


def utf8_with_surrogates(body: bytes) -> str | None:
    """``body`` as UTF-8 when its only fault is encoded UTF-16 surrogates, else None.

    Java's modified UTF-8 and CESU-8 write a character outside the BMP (an emoji in a headline) as two
    3-byte surrogate sequences (``ED A0..AF ..`` then ``ED B0..BF ..``), and JavaScript strings cut
    mid-pair leave a lone one; strict UTF-8 (RFC 3629, section 3) forbids both. Pairs are joined into the
    character they encode; a lone surrogate becomes U+FFFD. Without this the whole document would fall
    through to cp1252 and every other non-ASCII character would turn into mojibake."""
    try:
        text = body.decode("utf-8", errors="surrogatepass")
    except UnicodeDecodeError:
        return None
    joined = text.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace")
    lone = joined.count("\ufffd") - text.count("\ufffd")
    if lone:
        log.warning("lone UTF-16 surrogates in UTF-8 replaced", extra={"lone_surrogates": lone})
    return joined


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode ``raw``; return the text and the encoding actually used (``utf-8`` also for damaged UTF-8,
    whose invalid bytes become U+FFFD)."""
    body, bom_encoding = strip_bom(raw)
    if bom_encoding and bom_encoding != "utf-8":
        return body.decode(bom_encoding, errors="replace"), bom_encoding
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # An encoded surrogate starts with ED A0..BF: without an ED byte there is none to repair.
    surrogates = utf8_with_surrogates(body) if b"\xed" in body else None
    if surrogates is not None:
        return surrogates, "utf-8"
    declared = declared_encoding(body)
    if declared and declared not in _LATIN_DECLARATIONS:
        try:
            return body.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    # Damaged UTF-8 has at least one valid multi-byte sequence: a lead byte then a continuation byte.
    damaged = damaged_utf8(body) if _UTF8_PAIR.search(body) else None
    if damaged is not None:
        return damaged, "utf-8"
    # Latin-1 declarations in the wild are windows-1252 in practice (smart quotes at 0x80-0x9F).
    return body.decode("cp1252", errors="replace"), "cp1252"
