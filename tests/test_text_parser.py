"""Rendered-page text dumps: hand-written fixtures checked as NORMALIZED records.

Each ``tests/fixtures/text/NAME.txt`` has ``NAME.expected.json`` beside it: ``{"format": "text", "records":
[{field: value, ...}]}`` with ``ArticleRecord`` field names (only the fields written are compared, datetimes as
ISO strings ending in ``Z``), or ``{"format": "text", "error": "substring of the ParseError reason"}``. The
text parser's job is judged by what an editor sees after normalization (dateline and credit handling are the
normalizers'), so the fixtures go through ``normalize`` too. An optional ``"parsed"`` list pins fields of
the ``ParsedItem`` itself (``parsers.base`` names; a naive datetime as ISO without ``Z``: the page gave no
zone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from normalizers.normalize import normalize
from parsers import ParseError, detect_format, parse_document
from parsers.text import can_parse, parse
from tests.fixture_check import fixture_cases, item_as_dict


def _cases() -> list[Any]:
    return fixture_cases("text")


@pytest.mark.parametrize(("document", "expected_path"), _cases())
def test_text_fixture(document: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    raw = document.read_bytes()
    assert detect_format(raw) == expected["format"], "format sniffing"
    if "error" in expected:
        with pytest.raises(ParseError) as info:
            parse_document(raw, expected["format"])
        assert expected["error"] in info.value.reason
        return
    items = parse_document(raw)
    assert len(items) == len(expected["records"]), "record count"
    for index, (item, want) in enumerate(zip(items, expected["records"], strict=True)):
        got = normalize(item).to_dict()
        for key, value in want.items():
            assert key in got, f"record {index}: unknown field {key}"
            assert got[key] == value, f"record {index}: field {key}"
    for index, (item, want) in enumerate(zip(items, expected.get("parsed", []), strict=False)):
        parsed = item_as_dict(item)
        for key, value in want.items():
            assert key in parsed, f"parsed item {index}: unknown field {key}"
            assert parsed[key] == value, f"parsed item {index}: field {key}"


def test_every_fixture_keeps_furniture_out_of_the_body() -> None:
    """No furniture heading, comment or credit ever lands in a body paragraph."""
    furniture = {
        "mehr zum thema", "das könnte sie auch interessieren", "lesen sie auch", "weitere artikel",
        "weitere nachrichten", "meistgelesen", "most read", "related", "comments", "lire aussi",
        "à lire aussi", "commentaires", "kommentare", "leserkommentare", "kommentar schreiben", "anzeige",
    }  # fmt: skip
    for case in fixture_cases("text"):
        document, expected_path = case.values
        if "error" in json.loads(expected_path.read_text(encoding="utf-8")):
            continue
        for item in parse_document(document.read_bytes()):
            for paragraph in normalize(item).body:
                lowered = paragraph.casefold()
                assert not any(lowered.startswith(word) for word in furniture), (
                    document,
                    paragraph,
                )


def test_crlf_and_lf_give_the_same_item() -> None:
    document = Path(__file__).parent / "fixtures" / "text" / "epd_de_crlf_lesen_sie_auch.txt"
    raw = document.read_bytes()
    assert b"\r\n" in raw
    assert parse(raw) == parse(raw.replace(b"\r\n", b"\n"))
    assert parse(raw) == parse(raw.replace(b"\r\n", b"\r"))


@pytest.mark.parametrize(
    "raw",
    [b"<html><body>x</body></html>", b'{"a": 1}', b"\x00\x01binary", b"12 34 56 78 90", b""],
)
def test_sniff_refuses_markup_json_binary_and_numbers(raw: bytes) -> None:
    assert not can_parse(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x00\x01\x02 not text", "binary"),
        (b"   \n\n\t ", "empty"),
        (b"Nur eine Zeile ohne Text dahinter", "no body text"),
    ],
)
def test_refusals_say_why(raw: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(raw)
    assert reason in info.value.reason


@pytest.mark.corpus
def test_text_parser_survives_every_corpus_file(corpus_dir: Path) -> None:
    """Forced onto real agency files of every format (XML, 7901, JSON ...), the fallback parser returns an
    item with body text or refuses with ParseError -- nothing else."""
    files = [p for p in sorted(corpus_dir.rglob("*")) if p.is_file() and p.suffix != ".jsonl"]
    assert files
    parsed = 0
    for path in files:
        try:
            items = parse(path.read_bytes())
        except ParseError as error:
            assert error.reason, path
            continue
        parsed += 1
        assert len(items) == 1 and items[0].body, path
    assert parsed > 0
