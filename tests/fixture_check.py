"""Fixture-driven parser tests (Fundus style): ``NAME.<ext>`` beside ``NAME.expected.json``.

The expected JSON is ``{"format": "...", "items": [{field: value, ...}, ...]}`` or, for documents that must be
refused, ``{"error": "substring of the ParseError reason"}``. Only the fields written down are checked, so a
fixture states exactly the behaviour it is about. Datetimes are compared as ISO 8601 UTC strings with ``Z``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from parsers import ParsedItem, ParseError, detect_format, parse_document

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_cases(format_dir: str) -> list[Any]:
    """pytest params: one per document in ``tests/fixtures/<format_dir>/`` that has an expected JSON."""
    folder = FIXTURES / format_dir
    cases = []
    for expected in sorted(folder.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        documents = [p for p in folder.glob(stem + ".*") if not p.name.endswith(".expected.json")]
        assert len(documents) == 1, f"{expected}: need exactly one document named {stem}.*"
        cases.append(pytest.param(documents[0], expected, id=f"{format_dir}/{documents[0].name}"))
    assert cases, f"no fixtures in {folder}"
    return cases


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def item_as_dict(item: ParsedItem) -> dict[str, Any]:
    return {k: _plain(v) for k, v in asdict(item).items()}


def check_fixture(document: Path, expected_path: Path) -> None:
    """Parse ``document`` (format sniffed) and compare with its expected JSON."""
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    raw = document.read_bytes()
    if "error" in expected:
        with pytest.raises(ParseError) as info:
            parse_document(raw, expected.get("format"))
        assert expected["error"] in info.value.reason
        return
    assert detect_format(raw) == expected["format"], "format sniffing"
    items = parse_document(raw)
    assert len(items) == len(expected["items"]), "item count"
    for index, (item, want) in enumerate(zip(items, expected["items"], strict=True)):
        got = item_as_dict(item)
        for key, value in want.items():
            assert key in got, f"item {index}: unknown field {key}"
            assert got[key] == value, f"item {index}: field {key}"
