"""Reuters Connect API item JSON: own fixtures (German, French, errors) and the shared F11 case."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ingest.parse_stage import parse_records
from parsers import ParseError, detect_format, parse_document
from tests.conftest import SHARED
from tests.fixture_check import check_fixture, fixture_cases

F11 = SHARED / "cases" / "wire" / "F11_reuters_connect_api_item.json"
TOOL = SHARED / "tools" / "checkcases.py"


@pytest.mark.parametrize(("document", "expected"), fixture_cases("reutersconnect"))
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


def _check_f11(format_name: str | None) -> list[str]:
    if not F11.is_file() or not TOOL.is_file():
        pytest.skip(f"shared case F11 or checkcases not found under {SHARED} (shared/ absent)")
    spec = importlib.util.spec_from_file_location("checkcases", TOOL)
    assert spec is not None and spec.loader is not None
    checkcases = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checkcases)
    records = parse_records(F11.read_bytes(), str(F11), format_name=format_name)
    expected = json.loads(F11.with_name(F11.stem + ".expected.json").read_text(encoding="utf-8"))
    fails: list[str] = checkcases.check_record(json.loads(records[0].to_json()), expected)
    return fails


@pytest.mark.parametrize("format_name", [None, "reutersconnect"])
def test_shared_case_f11_sniffed_and_forced(format_name: str | None) -> None:
    assert not _check_f11(format_name)


def test_other_json_formats_are_not_taken_for_reuters_connect() -> None:
    fixtures = Path(__file__).parent / "fixtures"
    for name in ("ninjs/superdesk_v1.json", "digitalwires/entry_basic.json"):
        assert detect_format((fixtures / name).read_bytes()) != "reutersconnect", name


def test_a_picture_only_item_yields_no_record() -> None:
    raw = json.dumps({"data": {"item": {"uri": "tag:x", "type": "picture", "headLine": "Bild"}}})
    assert parse_document(raw.encode()) == []


def test_a_truncated_document_is_refused_with_its_position() -> None:
    with pytest.raises(ParseError, match="malformed Reuters Connect JSON at line 1"):
        parse_document(b'{"data": {"item": {"headLine": "x"', "reutersconnect")
