"""JSON wire formats: dpa digitalwires and ninjs (incl. the AP Media API envelope).

Hand-written fixtures pin one behaviour each; the corpus tests check parser-level facts from
``expected.jsonl`` on the real agency files and that broken or hostile JSON only ever raises ParseError.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from parsers import ParseError, detect_format, digitalwires, ninjs, parse_document
from parsers import _jsonwire as jsonwire
from tests.fixture_check import check_fixture, fixture_cases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FORMAT_OF_FILE = {
    "dpa_digitalwires/": "digitalwires",
    "other/360info_en_2022_ninjs_embargoed.json": "ninjs",
    "other/tt_sv_2020_ninjs.json": "ninjs",
    "other/ap_en_media_api_text_item.json": "ninjs",
}


def _format_for(name: str) -> str | None:
    return next((fmt for prefix, fmt in FORMAT_OF_FILE.items() if name.startswith(prefix)), None)


def _expected() -> list[dict[str, Any]]:
    path = CORPUS / "expected.jsonl"
    if not path.exists():
        return []
    lines = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [line for line in lines if _format_for(line["file"])]


def _corpus_files() -> list[Path]:
    if not CORPUS.exists():
        return []
    files = sorted((CORPUS / "dpa_digitalwires").glob("*.json"))
    return files + [CORPUS / name for name in FORMAT_OF_FILE if name.endswith(".json")]


def _require_corpus() -> None:
    if not CORPUS.exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- fixtures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("document", "expected"), fixture_cases("digitalwires"))
def test_digitalwires_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


@pytest.mark.parametrize(("document", "expected"), fixture_cases("ninjs"))
def test_ninjs_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


# --- sniffing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"foo": 1, "bar": [1, 2]}',
        b"<?xml version='1.0'?><versioncreated/>",
        b'plain text mentioning "body_html": and "article_html":',
        b"",
        b"\xff\xfe\x00garbage",
    ],
)
def test_json_sniffers_refuse_other_documents(raw: bytes) -> None:
    assert not digitalwires.can_parse(raw)
    assert not ninjs.can_parse(raw)


def test_sniffers_accept_bom_and_leading_whitespace() -> None:
    assert digitalwires.can_parse(b'\xef\xbb\xbf \n {"entry_id": "x", "article_html": null}')
    assert ninjs.can_parse(b'\n\t[{"uri": "u", "versioncreated": "2020-01-01T00:00:00Z"}]')
    assert not digitalwires.can_parse(b'{"uri": "u", "versioncreated": "2020-01-01T00:00:00Z"}')


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [digitalwires, ninjs])
def test_refuses_non_object_json(module: Any) -> None:
    with pytest.raises(ParseError, match="JSON str"):
        module.parse(b'"just a string"')


def test_unrelated_json_object_is_an_error_not_an_empty_result() -> None:
    with pytest.raises(ParseError, match="no digitalwires entry"):
        digitalwires.parse(b'{"foo": 1}')
    with pytest.raises(ParseError, match="no ninjs item"):
        ninjs.parse(b'[{"foo": 1}]')


@pytest.mark.parametrize(
    "document",
    [
        # A Reuters Connect item forced as ninjs: other key spellings, nothing ninjs can read.
        {
            "uri": "tag:reuters.com,2024:newsml_X1",
            "type": "text",
            "headLine": "Gold rises",
            "bodyXhtml": "<p>Gold rose.</p>",
        },
        # An AFP API document: ``news`` paragraphs, no ninjs body keys.
        {
            "uno": "ABC123",
            "uri": "afp:ABC123",
            "type": "text",
            "title": "x",
            "news": ["Paris (AFP) - ..."],
        },
    ],
)
def test_text_item_with_nothing_readable_is_an_error_not_an_empty_record(
    document: dict[str, Any],
) -> None:
    with pytest.raises(ParseError, match="neither headline nor body"):
        ninjs.parse(json.dumps(document).encode())


def test_canceled_item_without_text_is_still_a_record() -> None:
    (item,) = ninjs.parse(
        json.dumps({"uri": "urn:x:1", "type": "text", "pubstatus": "canceled"}).encode()
    )
    assert item.status == "canceled"


def test_deep_nesting_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="JSON"):
        ninjs.parse(b"[" * 200_000 + b"]" * 200_000)


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonwire, "MAX_DOCUMENT_BYTES", 64)
    with pytest.raises(ParseError, match="over the limit"):
        digitalwires.parse(b'{"urn": "x", "article_html": "' + b"a" * 100 + b'"}')


def test_item_count_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonwire, "MAX_ITEMS_PER_DOCUMENT", 2)
    entries = [{"urn": f"u{i}", "article_html": "<p>x</p>"} for i in range(3)]
    with pytest.raises(ParseError, match="3 items"):
        digitalwires.parse(json.dumps({"entries": entries}).encode())


def test_wrong_value_types_are_treated_as_absent() -> None:
    raw = json.dumps(
        {
            "urn": ["not", "a", "string"],
            "version": True,
            "urgency": {"value": 1},
            "headline": 42,
            "dateline": ["x"],
            "article_html": "<p>Text.</p>",
            "categories": "nope",
            "ednotes": [None, 1, {"ednote": ["x"]}],
            "creditline": {"name": "dpa"},
            "associations": {"type": "image"},
        }
    ).encode()
    (item,) = digitalwires.parse(raw)
    assert item.body == ["Text."]
    assert (item.guid, item.version, item.urgency, item.headline) == (None, None, None, None)
    assert item.dateline is None and item.agencies == [] and item.ednotes == []


# --- corpus -----------------------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("line", _expected(), ids=lambda line: line["file"])
def test_corpus_expected_facts(line: dict[str, Any]) -> None:
    _require_corpus()
    raw = (CORPUS / line["file"]).read_bytes()
    assert detect_format(raw) == _format_for(line["file"])
    items = parse_document(raw)
    if line["kind"] == "skip":
        assert items == []
        return
    assert len(items) == 1
    item = items[0]
    assert item.headline == line["headline"]
    assert item.urgency == line["urgency"]
    assert item.version == line["version"]
    assert item.status == line["status"]
    assert (item.embargo_until is not None) == line["embargo"]
    assert len(item.body) >= line["min_paragraphs"]
    place = item.dateline.place if item.dateline else None
    assert place == line["dateline_place"]
    if line["first_paragraph_starts"]:
        assert _nfc(item.body[0]).startswith(line["first_paragraph_starts"])


@pytest.mark.corpus
def test_corpus_known_details() -> None:
    """Facts the notes in expected.jsonl spell out, beyond the tabulated fields."""
    _require_corpus()
    folder = CORPUS / "dpa_digitalwires"
    (dw1,) = digitalwires.parse((folder / "dw-1.json").read_bytes())
    assert dw1.kicker == "Frauenrechte" and dw1.signals == ["correction"]
    assert dw1.guid == "urn:newsml:dpa.com:20090101:240923-930-240378"
    assert not any(p.startswith("Ein Unternehmen aus Baden") for p in dw1.body), (
        "teaser is not body"
    )
    (dated,) = digitalwires.parse((folder / "with_dateline.json").read_bytes())
    assert dated.body[0].startswith("New York (dpa) - Ein Chatbot")
    assert dated.dateline is not None and dated.dateline.place == "New York"
    (infobox,) = digitalwires.parse((folder / "with_infobox.json").read_bytes())
    assert not any("DW-Faktencheck" in p for p in infobox.body), "infobox is not body"
    (ap_via_dpa,) = digitalwires.parse((folder / "no_notepad.json").read_bytes())
    assert ap_via_dpa.agencies == ["ASSOCIATED PRESS"]
    assert ap_via_dpa.ednotes[0].startswith("Eds: CORRECTS")
    (embargoed,) = digitalwires.parse((folder / "embargoed.json").read_bytes())
    assert embargoed.embargo_until is not None
    assert embargoed.embargo_until.isoformat() == "2025-01-23T18:00:00+00:00"
    (tt,) = ninjs.parse((CORPUS / "other" / "tt_sv_2020_ninjs.json").read_bytes())
    assert tt.agencies == ["TT"] and "Krisen allt djupare" not in tt.body[0]
    assert not any(p == "Martin Hardenberger" for p in tt.body), "in-body byline is not body"
    (ap,) = ninjs.parse((CORPUS / "other" / "ap_en_media_api_text_item.json").read_bytes())
    assert ap.guid == "5ee9b4b40ea5fe9c9ca60f890fb2e1d9" and ap.agencies == ["AP"]


def _mutations(raw: bytes) -> list[bytes]:
    """Truncations, and copies whose top-level values are replaced by every wrong JSON type."""
    cuts = [raw[: len(raw) * k // 7] for k in range(1, 7)]
    document = json.loads(raw)
    if not isinstance(document, dict):
        return cuts
    swapped = []
    for wrong in (None, 0, -1, "", [], {}, [None], {"x": [1]}, "<p>"):
        swapped.append(json.dumps({key: wrong for key in document}).encode())
    nested = document.get("data")
    if isinstance(nested, dict) and isinstance(nested.get("item"), dict):
        swapped.append(json.dumps({"data": {"item": {k: [] for k in nested["item"]}}}).encode())
    return cuts + swapped


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_corpus_mutations_raise_only_parse_error(path: Path) -> None:
    _require_corpus()
    raw = path.read_bytes()
    module = digitalwires if _format_for(str(path.relative_to(CORPUS))) == "digitalwires" else ninjs
    for mutated in _mutations(raw):
        try:
            items = module.parse(mutated)
        except ParseError as error:
            assert error.reason
        else:
            assert all(isinstance(item.body, list) for item in items)
