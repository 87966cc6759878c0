"""parsers: the shortcuts taken for speed give the plain rules' answers."""

from __future__ import annotations

import itertools
import random
import re
import sys
from datetime import datetime

import lxml.html
import pytest
from lxml import etree

from parsers import dates, newsml12, xmlsafe
from parsers import markup as markup_module
from parsers._wirelines import collapse, decode_text, paragraphs
from parsers.base import ParseError

_NEVER = re.compile(r"(?!)")
_WEEKDAYS = ["", "Sun, ", "Fri,", "Xyz, "]
_DAYS = ["1", "01", "29", "31", "0", "32"]
_MONTHS = ["Feb", "Jun", "Dec", "jun", "June"]
_YEARS = ["2023", "2024", "1000", "9999", "0050", "23", "10000"]
_TIMES = ["10:00", "23:59:59", "00:00:00", "24:00:00", "12:60:00", "23:59:60", "1:00:00"]
_ZONES = [
    "+0000", "-0000", "+0200", "-0530", "+1400", "-2359", "+2400", "+9999", "GMT", "UT", "UTC", "EST",
    "Z", "gmt", "+02:00", "",
]  # fmt: skip


def _values(zone: str) -> list[str]:
    return [
        f"{weekday}{day} {month} {year} {time} {zone}".strip()
        for weekday, day, month, year, time in itertools.product(
            _WEEKDAYS, _DAYS, _MONTHS, _YEARS, _TIMES
        )
    ]


@pytest.mark.parametrize("zone", _ZONES)
def test_common_rfc822_shortcut_agrees_with_email_reading(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = _values(zone)
    found = [dates.parse_datetime(value) for value in values]
    taken = sum(dates._RFC822_COMMON.match(value) is not None for value in values)
    monkeypatch.setattr(
        dates, "_RFC822_COMMON", _NEVER
    )  # the plain rule: email.utils reads them all
    for value, got in zip(values, found, strict=True):
        expected = dates.parse_datetime(value)
        assert got == expected, value
        assert (got and got.tzinfo) == (expected and expected.tzinfo), value
    assert taken or zone not in {"+0000", "-0000", "+0200", "GMT", "UTC"}


def test_common_rfc822_values() -> None:
    """Offsets are kept exactly; ``-0000`` and GMT are UTC; impossible dates are no date."""
    assert dates.parse_datetime("Sun, 11 Jun 2023 10:00:00 +0200") == datetime.fromisoformat(
        "2023-06-11T08:00:00+00:00"
    )
    assert dates.parse_datetime("11 Jun 2023 10:00 -0000") == datetime.fromisoformat(
        "2023-06-11T10:00:00+00:00"
    )
    assert dates.parse_datetime("Tue, 31 Feb 2023 10:00:00 GMT") is None


ALL_CHARACTERS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_str_split_and_re_agree_on_white_space() -> None:
    """``" ".join(text.split())`` stands for ``re.sub(r"\\s+", " ", text).strip()`` (``collapse``)."""
    assert set(re.findall(r"\s", ALL_CHARACTERS)) == {c for c in ALL_CHARACTERS if c.isspace()}


@pytest.mark.parametrize(
    "text",
    ["", " ", "a", "  a  b  ", "a\u00a0\u2009b\u3000c", "\x1c\x1d\x1e\x1fx\x85y\u2028", "\tT\r\n"],
)
def test_collapse_is_the_plain_rule(text: str) -> None:
    assert collapse(text) == re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("raw", [b"a\r\nb\rc\nd", b"no breaks", b"a\n\nb", b"\r", b"x\r\r\n"])
def test_decode_text_line_ends(raw: bytes) -> None:
    assert decode_text(raw) == re.sub(r"\r\n?", "\n", raw.decode("utf-8"))


def _plain_paragraphs(lines: list[str]) -> list[str]:
    """``paragraphs`` as first written: every line's width measured, the indent as a regex."""
    indent = re.compile(r"^(?:\t|[ ]{2,})")
    bullet_line = re.compile(r"^(?P<indent>[ \t]*)[+*•][ \t]+\S")

    def width(line: str) -> int:
        return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())

    result: list[str] = []
    current: list[str] = []
    bullet_indent: int | None = None
    for line in [*lines, ""]:
        if not line.strip():
            if current and (text := re.sub(r"\s+", " ", " ".join(current)).strip()):
                result.append(text)
            current, bullet_indent = [], None
            continue
        continues_bullet = bullet_indent is not None and width(line) > bullet_indent
        bullet = bullet_line.match(line)
        if bullet or (indent.match(line) and not continues_bullet):
            if current and (text := re.sub(r"\s+", " ", " ".join(current)).strip()):
                result.append(text)
            current, bullet_indent = [], None
            if bullet:
                bullet_indent = width(bullet.group("indent"))
        current.append(line)
    return result


def test_paragraphs_shortcuts_agree_with_plain_rule() -> None:
    rng = random.Random(7901)
    pieces = [
        "",
        " ",
        "  ",
        "\t",
        "   ",
        " \t",
        "* ",
        "+ ",
        "• ",
        "- ",
        "2. ",
        "word",
        "Wort two",
        "\u00a0",
    ]
    for _ in range(2000):
        lines = [
            "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 5)))
            for _ in range(rng.randrange(0, 12))
        ]
        assert paragraphs(lines) == _plain_paragraphs(lines), lines


def _plain_refuses_entities(raw: bytes) -> bool:
    """The definition: an ``<!ENTITY`` (any case) in the first 64 KiB, up to the DOCTYPE's ``]>``."""
    head = raw[: 64 * 1024]
    end = head.find(b"]>")
    return (
        b"<!DOCTYPE" in head
        and re.search(rb"<!ENTITY", head[: end + 2 if end >= 0 else None], re.IGNORECASE)
        is not None
    )


def _refuses_entities(raw: bytes) -> bool:
    try:
        xmlsafe._reject_entity_declarations(raw)
    except ParseError:
        return True
    return False


def test_entity_check_agrees_with_plain_rule() -> None:
    pad = b"x" * (64 * 1024 - 20)
    parts = [b"", b"<!DOCTYPE a [", b"<!doctype a [", b"<!ENTITY e 'v'>", b"<!entity e 'v'>", b"]>"]
    parts += [b"<a/>", pad, b" ", b"<!DOCTYPE", b"<!ENTITY"]
    rng = random.Random(64)
    documents = [
        b"".join(rng.choice(parts) for _ in range(rng.randrange(0, 6))) for _ in range(3000)
    ]
    documents += [
        pad + b"<!DOCTYPE a [<!ENTITY e 'v'>]>",
        b"<!DOCTYPE a [" + pad + b"<!ENTITY e 'v'>",
    ]
    for raw in documents:
        assert _refuses_entities(raw) == _plain_refuses_entities(raw), raw[:80]


_FRAGMENT_PIECES = [
    "", "text", " ", "\n", "\n\n", "\t", "<p>", "</p>", "<br>", "<br/>", "<div>", "</div>", "<!-- c -->",
    "<html>", "</html>", "<!DOCTYPE html>", " <!doctype html>", "<head>", "<title>t</title>", "</head>",
    "<body class='x'>", "</body>", "<pre>a\n b</pre>", "<table><tr><td>a</td><td>b</td></tr></table>",
    "<script>x()</script>", "<style>p{}</style>", "<iframe>", "<?pi x?>", "<![CDATA[x]]>", "<html:p>",
    "<", ">", "&amp;", "&nbsp;", "&bogus;", "é", "Wort\nzwei\ndrei\nvier\n", "<b>", "</b>", "<li>x",
    "<meta charset='utf-8'>", "<frameset>", "\x00",
]  # fmt: skip


def _plain_fragment(markup: str, skip: frozenset[str]) -> tuple[list[str], bytes] | None:
    """Paragraphs and serialised tree of ``lxml.html``'s fragment, ``None`` when it refuses it."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    except AssertionError as exc:  # lxml.html's check of a whole document without one body
        return [type(exc).__name__], b""
    return markup_module.element_paragraphs(root, skip=skip), etree.tostring(root)


def _fast_fragment(markup: str, skip: frozenset[str]) -> tuple[list[str], bytes] | None:
    try:
        root = markup_module.fragment_root(markup)
    except (etree.ParserError, ValueError):
        return None
    except AssertionError as exc:  # lxml.html's check of a whole document without one body
        return [type(exc).__name__], b""
    return markup_module.element_paragraphs(root, skip=skip), etree.tostring(root)


def test_fragment_shortcut_builds_lxml_html_tree() -> None:
    """Same tree (serialised) and paragraphs as ``lxml.html.fragment_fromstring(..., "div")``."""
    rng = random.Random(1312)
    fragments = [
        "".join(rng.choice(_FRAGMENT_PIECES) for _ in range(rng.randrange(0, 9)))
        for _ in range(3000)
    ]
    for markup in fragments:
        for skip in (markup_module.SKIP_TAGS, frozenset()):
            assert _fast_fragment(markup, skip) == _plain_fragment(markup, skip), markup


def test_newsml12_child_is_find() -> None:
    """``_child`` answers as ``find`` does for a plain name: namespaces, comments, repeats, absence."""
    root = etree.fromstring(
        '<a xmlns:p="urn:x"><!--c--><p:Name/><Name2/><Name>1</Name><Name>2</Name>'
        '<b xmlns="urn:y"><Name/></b><c><Name>deep</Name></c></a>'
    )
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("Name", "Name2", "b", "c", "Missing"):
            assert newsml12._child(element, name) is element.find(name), (element.tag, name)
    assert newsml12._child(None, "Name") is None
