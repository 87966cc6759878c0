"""Property tests: the text parser takes any bytes or text and either returns items or raises ParseError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import ParsedItem, ParseError, parse_document
from parsers import text as text_parser

FAST = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Text shaped like a page dump: furniture words, markers, dates and datelines mixed with noise.
_PIECES = st.sampled_from(
    [
        "+", "Foto: X/dpa", "Auch interessant", "Meistgelesene Artikel", "Kommentare (3)", "Anzeige",
        "Lesen Sie auch: Titel", "Most Read", "Comments", "Lire aussi", "Von Anna Muster", "By Jo Doe",
        "28.09.2016, 14:05 Uhr", "Sept. 28, 2016 2:05 p.m.", "Publié le 28/09/2016 à 14h05",
        "31.02.2016", "00.00.0000, 99:99 Uhr", "January 1, 0001 00:00", "Moskau - Text.", "AFP", "(dpa)",
        "Berlin (dpa) - Die Regierung hat am Mittwoch beschlossen.", "Titel ohne Punkt", "\r\n", "\n",
        "\n\n", "\u2028", "\u2029", "\x0c", "\u00a0", " ",
    ]
)  # fmt: skip
_DUMP = st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=30).map("\n".join)


def _check(result: list[ParsedItem]) -> None:
    assert isinstance(result, list)
    for item in result:
        assert isinstance(item, ParsedItem)
        assert item.body, "an item always has body text"
        assert all(p.strip() for p in item.body)
        for value in (item.published_at, item.updated_at):
            assert value is None or value.utcoffset() is not None


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_give_items_or_parse_error(raw: bytes) -> None:
    try:
        _check(text_parser.parse(raw))
    except ParseError as error:
        assert error.reason
    try:
        _check(parse_document(raw, "text"))
    except ParseError as error:
        assert error.reason


@FAST
@given(st.text(max_size=2000))
def test_any_text_gives_items_or_parse_error(value: str) -> None:
    for raw in (value.encode("utf-8"), value.encode("utf-8")[:999], value.encode("utf-16")):
        try:
            _check(text_parser.parse(raw))
        except ParseError as error:
            assert error.reason


@FAST
@given(_DUMP)
def test_dump_shaped_text_gives_items_or_parse_error(value: str) -> None:
    for raw in (value.encode("utf-8"), value.encode("cp1252", "replace")):
        try:
            _check(text_parser.parse(raw))
        except ParseError as error:
            assert error.reason
        try:
            _check(parse_document(raw, "text"))
        except ParseError as error:
            assert error.reason
