"""Normalization shared by all formats: cleanup, credit lines, datelines, agencies, guid, hashes."""

from __future__ import annotations

from datetime import UTC, datetime

from normalizers.fingerprint import content_hash
from normalizers.normalize import normalize
from normalizers.text import clean_text
from parsers.base import ParsedDateline, ParsedItem

BODY_DE = [
    "Berlin (dpa) - Die Bundesregierung hat am Mittwoch neue Regeln für den Schutz der Wälder beschlossen.",
    "Umweltverbände begrüßten die Entscheidung, forderten aber mehr Geld für die Länder.",
]


def test_clean_text_rules() -> None:
    assert clean_text("Be\u00adlieb\u00adte  Marke\u200b") == "Beliebte Marke"
    assert clean_text("A\u00a0B\tC\nD") == "A B C D"
    assert clean_text("don\x92t") == "don’t"  # C1 control read as windows-1252
    assert clean_text("Cafe\u0301") == "Café"  # NFC
    assert clean_text("Berlin – Paris — Rom") == "Berlin – Paris — Rom"  # dashes kept
    assert clean_text(" \u200b ") is None


def test_dateline_and_credit_line_are_taken_out_of_the_body() -> None:
    item = ParsedItem(source_format="text", headline="Wald", body=[*BODY_DE, "dpa/AFP"])
    record = normalize(item)
    assert record.body[0].startswith("Die Bundesregierung")
    assert record.body[-1].startswith("Umweltverbände")
    assert record.dateline is not None and record.dateline.place == "Berlin"
    assert record.agencies == ["dpa", "AFP"]
    assert record.language == "de"


def test_dateline_alone_in_a_paragraph_is_dropped() -> None:
    item = ParsedItem(source_format="text", body=["Berlin (dpa) -", *BODY_DE[1:]])
    record = normalize(item)
    assert record.body == BODY_DE[1:]
    assert record.dateline is not None and record.dateline.agencies == ["dpa"]


def test_metadata_fills_what_the_text_does_not_say() -> None:
    item = ParsedItem(
        source_format="newsmlg2",
        guid="urn:newsml:dpa.com:20090101:123",
        version=3,
        agencies=["Deutsche Presse-Agentur"],
        dateline=ParsedDateline(place="Hamburg"),
        body=["Die meisten Kundinnen bestellen nur einmal, sagt die Händlerin in ihrem Laden."],
        published_at=datetime(2024, 1, 1, 9, 30, tzinfo=UTC),
    )
    record = normalize(item)
    assert record.agencies == ["dpa"]
    assert record.dateline is not None and record.dateline.place == "Hamburg"
    assert record.guid == "urn:newsml:dpa.com:20090101:123"
    assert record.version == 3
    assert record.to_dict()["published_at"] == "2024-01-01T09:30:00Z"


def test_text_dateline_wins_over_metadata() -> None:
    item = ParsedItem(
        source_format="nitf",
        dateline=ParsedDateline(place="Stockholm"),
        body=["København /ritzau/: En mand blev anholdt onsdag aften i det centrale København."],
    )
    record = normalize(item)
    assert record.dateline is not None and record.dateline.place == "København"
    assert record.agencies == ["Ritzau"]


def test_fallback_guid_is_stable_and_path_independent() -> None:
    item = ParsedItem(source_format="text", headline="Wald", body=list(BODY_DE))
    assert normalize(item).guid == normalize(item).guid
    assert normalize(item).guid.startswith("wiredesk:")
    other = ParsedItem(source_format="text", headline="Anderer Wald", body=list(BODY_DE))
    assert normalize(other).guid != normalize(item).guid


def test_content_hash_ignores_layout_but_not_words() -> None:
    assert content_hash(["Ein  Satz.", "Noch einer!"]) == content_hash(["ein satz noch einer"])
    assert content_hash(["Ein Satz."]) != content_hash(["Ein anderer Satz."])
    assert content_hash([]) == ""


def test_out_of_range_urgency_is_dropped() -> None:
    assert normalize(ParsedItem(source_format="x", urgency=9, body=["x"])).urgency is None
    assert normalize(ParsedItem(source_format="x", urgency=2, body=["x"])).urgency == 2
