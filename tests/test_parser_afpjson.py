"""AFP API JSON: own fixtures (Spanish search answer with a flash, German canceled/embargoed, refusal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import ParseError, detect_format, parse_document
from tests.fixture_check import check_fixture, fixture_cases


@pytest.mark.parametrize(("document", "expected"), fixture_cases("afpjson"))
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


def test_other_json_formats_are_not_taken_for_afp() -> None:
    fixtures = Path(__file__).parent / "fixtures"
    for name in (
        "ninjs/superdesk_v1.json",
        "digitalwires/entry_basic.json",
        "reutersconnect/bare_item_fr.json",
    ):
        assert detect_format((fixtures / name).read_bytes()) != "afpjson", name


def test_an_empty_search_answer_is_no_error_and_no_record() -> None:
    assert parse_document(b'{"response": {"docs": [], "numFound": 0}}', "afpjson") == []


def test_a_routine_item_without_headline_keeps_its_first_line_in_the_body() -> None:
    raw = b'{"uno": "u1", "urgency": 4, "news": ["Erster Absatz.", "Zweiter."]}'
    (item,) = parse_document(raw)
    assert item.headline is None and item.body == ["Erster Absatz.", "Zweiter."]


def test_truncated_json_is_refused() -> None:
    with pytest.raises(ParseError, match="malformed AFP JSON"):
        parse_document(b'{"uno": "u1", "news": ["x"', "afpjson")
