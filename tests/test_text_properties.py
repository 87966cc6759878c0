"""Property tests: the text parser takes any bytes or text and either returns items or raises ParseError;
times are aware UTC or naive (no zone on the page), and a time line never becomes a heading."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalizers.normalize import normalize
from parsers import ParsedItem, ParseError, parse_document
from parsers import text as text_parser
from parsers._timelines import looks_like_time_line, parse_time_line

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
        "\n\n", "\u2028", "\u2029", "\x0c", "\u00a0", " ", "Updated 10:02 PM EST, January 24, 2023",
        "Publié le 24/01/2023 à 22h02, mis à jour le 25/01/2023 à 8h15", "Stand: 24.01.2023 22:02 Uhr",
        "Actualizado el 24 de enero de 2023 a las 22:02 CET", "Pubblicato il 24 gennaio 2023 alle ore 22",
        "Updated 2 hours ago", "By JANE ROE | Updated 1/24/2023 9:00 PM ET", "LOS ANGELES (AP) — SHOTS",
        "Frankfurt (Oder) (dpa) - Text", "ROMA, 24 GEN - Testo", "# Titel", "a,b,c", "x = 1;", "| a | b |",
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
            offset = value.utcoffset() if value is not None else None
            assert offset is None or offset.total_seconds() == 0, "aware values are UTC"
        for heading in (item.headline, item.kicker):
            assert heading is None or parse_time_line(heading) is None, heading
            assert heading is None or not looks_like_time_line(heading), heading
        record = normalize(item)
        for value in (record.published_at, record.updated_at):
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
