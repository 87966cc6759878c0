"""The one way wiredesk reads XML: hardened lxml parsers and errors a person can act on.

Entities are never resolved, nothing is fetched, no DTD is loaded, and huge trees are refused, so an
entity bomb or an XXE file becomes a ``ParseError`` for that document instead of a crash or a leak.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from parsers.base import ParseError
from parsers.encoding import decode_bytes
from parsers.limits import MAX_DOCUMENT_BYTES

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def make_parser(*, recover: bool = False) -> etree.XMLParser:
    """A fresh hardened parser (lxml parsers are not thread-safe, so never share one)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


# A DOCTYPE whose internal subset only declares and references *external parameter* entities (the
# NewsML/NITF DTD pattern of Kyodo and SDA-ATS). Nothing in it is ever loaded, so it is dropped before
# parsing; any other DOCTYPE is left for ``parse_xml``, which refuses entity declarations.
_QUOTED = rb"""(?:"[^"]*"|'[^']*')"""
_EXTERNAL_ID = (
    rb"(?:SYSTEM\s+" + _QUOTED + rb"|PUBLIC\s+" + _QUOTED + rb"(?:\s+" + _QUOTED + rb")?)"
)
_BENIGN_DOCTYPE = re.compile(
    rb"<!DOCTYPE\s+[\w:.-]+(?:\s+" + _EXTERNAL_ID + rb")?\s*"
    rb"(?:\[(?:\s|<!ENTITY\s+%\s+[\w.-]+\s+" + _EXTERNAL_ID + rb"\s*>|%[\w.-]+;)*\]\s*)?>"
)
_DOCTYPE_START = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _drop_benign_doctype(raw: bytes) -> bytes:
    start = _DOCTYPE_START.search(raw, 0, 4096)
    if start is None:
        return raw
    match = _BENIGN_DOCTYPE.match(raw, start.start())
    if match is None:
        return raw
    return raw[: match.start()] + raw[match.end() :]


_ENTITY_HEAD = 64 * 1024  # where a DOCTYPE and its declarations are looked for


def _reject_entity_declarations(raw: bytes) -> None:
    """Internal entity declarations are how billion-laughs bombs work; agency files never need them."""
    head_end = min(len(raw), _ENTITY_HEAD)
    if raw.find(b"<!DOCTYPE", 0, head_end) < 0:
        return  # no DOCTYPE in the head: nothing declared (the usual case, one scan, no copy)
    doctype_end = raw.find(b"]>", 0, head_end)
    if _ENTITY_DECL.search(raw, 0, doctype_end + 2 if doctype_end >= 0 else head_end):
        raise ParseError(
            "XML declares entities in its DOCTYPE; refused (entity expansion is unsafe)"
        )


def parse_xml(raw: bytes, *, recover: bool = False) -> etree._Element:
    """Parse untrusted XML bytes to the root element, or raise ``ParseError`` saying what and where.

    Bytes are decoded first (see ``parsers.encoding``) so a false encoding declaration cannot garble text.
    """
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ParseError(
            f"XML document is {len(raw)} bytes, over the limit of {MAX_DOCUMENT_BYTES}"
        )
    raw = _drop_benign_doctype(raw)
    _reject_entity_declarations(raw)
    text, _encoding = decode_bytes(raw)
    text = _XML_DECL.sub("", text, count=1)
    parser = make_parser(recover=recover)
    try:
        root: etree._Element | None = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        where = f" at line {line}" if line else ""
        raise ParseError(f"malformed XML{where}: {exc.msg}") from exc
    if root is None:
        raise ParseError("XML document has no root element")
    return root


ElementQuery = Callable[[etree._Element], list[etree._Element]]
StringQuery = Callable[[etree._Element], list[str]]


def element_query(path: str) -> ElementQuery:
    """A compiled XPath returning elements, typed for callers (compile at import, run many times)."""
    return etree.XPath(path)  # type: ignore[return-value]


def string_query(path: str) -> StringQuery:
    """A compiled XPath returning plain strings (``smart_strings=False``: no tree references kept)."""
    return etree.XPath(path, smart_strings=False)  # type: ignore[return-value]


def local_name(element: etree._Element) -> str:
    """Tag without namespace; '' for comments and processing instructions."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


@lru_cache(maxsize=2)  # every XML format's can_parse asks about the same document in turn
def xml_root_name(raw: bytes) -> str | None:
    """Cheap sniff: the local name of the first element, without building a tree."""
    match = re.search(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]", _skip_prolog(raw[:8192]))
    return match.group(2).decode("ascii") if match else None


def _skip_prolog(head: bytes) -> bytes:
    """Drop BOM, XML declaration, comments, PIs and DOCTYPE before the root element."""
    data = head.lstrip(b"\xef\xbb\xbf").lstrip()
    while True:
        if data.startswith(b"<?"):
            end = data.find(b"?>")
            data = data[end + 2 :].lstrip() if end >= 0 else b""
        elif data.startswith(b"<!--"):
            end = data.find(b"-->")
            data = data[end + 3 :].lstrip() if end >= 0 else b""
        elif data.startswith(b"<!DOCTYPE") or data.startswith(b"<!doctype"):
            bracket = data.find(b"[")
            close = data.find(b">")
            if 0 <= bracket < close:
                end = data.find(b"]>")
                data = data[end + 2 :].lstrip() if end >= 0 else b""
            else:
                data = data[close + 1 :].lstrip() if close >= 0 else b""
        else:
            return data


def sniff_root(
    raw: bytes, root: str, marker: bytes | None = None, *, any_case: bool = False
) -> bool:
    """Cheap format sniff: the first element is ``root`` (in any letter case with ``any_case``: exporters
    that change the case of every name) and ``marker`` occurs; never raises."""
    try:
        name = xml_root_name(raw)
    except Exception:  # a sniff must never raise
        return False
    if name is None or (name != root and not (any_case and name.lower() == root.lower())):
        return False
    return marker is None or marker in raw


def parse_root(raw: bytes, root: str, format_label: str) -> etree._Element:
    """``parse_xml`` plus the check that the document is the format it claims to be."""
    element = parse_xml(raw)
    if local_name(element) != root:
        raise ParseError(
            f"not {format_label}: root element is <{local_name(element)}>, expected <{root}>"
        )
    return element


@dataclass(frozen=True, slots=True)
class Spellings:
    """Element (and attribute) names as a specification spells them, and the same keyed by their folded
    form (:func:`fold_name`)."""

    names: frozenset[str]
    by_lower: dict[str, str]
    attributes: frozenset[str] = frozenset()
    attributes_by_fold: dict[str, str] = field(default_factory=dict)


def fold_name(name: str) -> str:
    """A name without case and without the separators exporters swap (``body_content``, ``Body.Content``
    and ``bodycontent`` are one name; ``News-Lines`` is ``NewsLines``)."""
    return name.lower().replace("_", "").replace(".", "").replace("-", "")


def spelling_table(names: Iterable[str], attributes: Iterable[str] = ()) -> Spellings:
    """The :class:`Spellings` of ``names`` and ``attributes`` (for :func:`canonical_tags`)."""
    listed = tuple(names)
    attrs = tuple(attributes)
    return Spellings(
        frozenset(listed),
        {fold_name(name): name for name in listed},
        frozenset(attrs),
        {fold_name(name): name for name in attrs},
    )


_ATTRIBUTE_HEAD = 2048


@lru_cache(maxsize=16)
def _attribute_probes(attributes: tuple[str, ...]) -> tuple[tuple[bytes, bytes, bytes | None], ...]:
    """Per attribute: its bytes, lower-cased, and its camel humps joined by ``_`` (None when it has none)."""
    probes = []
    for name in attributes:
        spelled = name.encode()
        compound = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower().encode()
        probes.append((spelled, spelled.lower(), compound if compound != spelled.lower() else None))
    return tuple(probes)


def has_attribute_variant(raw: bytes, attributes: tuple[str, ...]) -> bool:
    """Whether ``raw`` spells one of ``attributes`` otherwise (``formalname``, ``FORMALNAME``,
    ``formal_name``, ``QCode``): the cheap test (byte counts, no regex) before :func:`canonical_tags`
    visits attributes. Names in text count alike on both sides, so they never trigger it. Only the head
    is read: an exporter spells its attributes one way throughout, and the metadata comes first."""
    head = raw[:_ATTRIBUTE_HEAD]
    lowered = head.lower()
    for spelled, lower, compound in _attribute_probes(attributes):
        if lowered.count(lower) != head.count(spelled) or (
            compound is not None and compound in lowered
        ):
            return True
    return False


def canonical_tags(
    root: etree._Element,
    spellings: Spellings,
    opaque: frozenset[str] = frozenset(),
    *,
    attributes: bool = False,
) -> None:
    """Drop namespaces and give every element its specified spelling, in one pass over the tree.

    Agencies send variants of element names (Belga ``<Headline>`` for NewsML 1.2 ``<HeadLine>``,
    ``<ContentMeta>`` in G2, ``<body_content>`` for ``<body.content>``): a tag whose folded name
    (:func:`fold_name`) is a specified name is renamed to the specified spelling, and with ``attributes``
    (the caller saw a variant: :func:`has_attribute_variant`) so are the listed attributes (``formalname``,
    ``DUID``, ``QCode``; namespace-prefixed ones too). Elements inside an
    ``opaque`` element (embedded XHTML or NITF in ``DataContent`` or ``inlineXML``) belong to another
    vocabulary and keep their names, apart from the namespace.
    """
    if attributes and spellings.attributes:
        _canonical_attributes(root, spellings, opaque)
    names = spellings.names
    # tag -> (local name, specified spelling or None), worked out once per distinct tag of the document
    renames: dict[str, tuple[str, str | None]] = {}
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in names:
            continue
        found = renames.get(tag)
        if found is None:
            local = tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag
            found = (local, None if local in names else spellings.by_lower.get(fold_name(local)))
            renames[tag] = found
        local, wanted = found
        if wanted is not None and not _inside(element, opaque):
            element.tag = wanted
        elif local != tag:
            element.tag = local


def _canonical_attributes(
    root: etree._Element, spellings: Spellings, opaque: frozenset[str]
) -> None:
    """Give the listed attributes their specified spelling (not inside ``opaque`` elements). Callers run
    this only when the bytes show a variant (it visits every attribute of the document)."""
    attributes = spellings.attributes
    # attribute name -> specified spelling or None (None: leave as is), once per distinct name
    renames: dict[str, str | None] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for raw_key in element.keys():  # noqa: SIM118 (iterating an lxml element yields children)
            key = str(raw_key)
            if key in attributes:
                continue
            wanted = renames.get(key, "")
            if wanted == "":
                local_key = key.rsplit("}", 1)[-1] if key.startswith("{") else key
                wanted = spellings.attributes_by_fold.get(fold_name(local_key))
                renames[key] = wanted
            if wanted is not None and element.get(wanted) is None and not _inside(element, opaque):
                element.set(wanted, element.attrib.pop(key))


def _inside(element: etree._Element, opaque: frozenset[str]) -> bool:
    """Whether ``element`` sits inside an ``opaque`` element (content of another vocabulary)."""
    return bool(opaque) and any(
        isinstance(a.tag, str) and local_name(a) in opaque for a in element.iterancestors()
    )
