"""The shared RSS/Atom fault cases (``../shared/cases/wire``), judged by the shared checker's own rules.

Each case is a feed with ``NAME.expected.json`` beside it. The records come from the real pipeline stages
(parse + normalize, as ``wiredesk parse`` prints them) and are judged by ``checkcases.check_record``,
imported from ``../shared/tools/checkcases.py`` at test time so the semantics are the checker's, not a copy.
Skips with the reason when ``../shared`` is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from normalizers.normalize import normalize
from parsers import parse_document
from tests.conftest import SHARED

CASES = SHARED / "cases" / "wire"
CHECKER = SHARED / "tools" / "checkcases.py"
# The feed kinds of issue 15: base64 text, dc:title/description, RSS bodies, Userland namespace,
# embed/object text, script in titles, and agency credits in author fields.
PATTERNS = ("feed_*.expected.json", "rss_dc_creator_agency.expected.json")


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("checkcases", CHECKER)
    if spec is None or spec.loader is None:
        pytest.skip(f"cannot load {CHECKER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases() -> list[Any]:
    if not CASES.is_dir() or not CHECKER.is_file():
        return [pytest.param(None, id="no-shared-cases")]
    found = sorted(path for pattern in PATTERNS for path in CASES.glob(pattern))
    return [pytest.param(path, id=path.name.removesuffix(".expected.json")) for path in found]


def _records(document: Path) -> list[dict[str, Any]]:
    """What ``wiredesk parse`` prints for ``document``, as JSON objects."""
    items = parse_document(document.read_bytes())
    return [json.loads(normalize(item).to_json()) for item in items]


@pytest.mark.parametrize("expected_path", _cases())
def test_shared_feed_case(expected_path: Path | None) -> None:
    if expected_path is None:
        pytest.skip(f"shared cases not found at {CASES} (or checker at {CHECKER})")
    checker = _checker()
    found = checker.cases([expected_path])
    assert found, f"no input beside {expected_path}"
    document, _ = found[0]
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    records = _records(document)
    if "entries" in expected:
        assert len(records) == len(expected["entries"]), "record count"
        fails = [
            f"record {i}: {fail}"
            for i, (record, want) in enumerate(zip(records, expected["entries"], strict=True))
            for fail in checker.check_record(record, want)
        ]
    else:
        index = expected.get("record", 0)
        assert index < len(records), f"no record {index}"
        fails = checker.check_record(records[index], expected)
    assert not fails, f"{expected.get('kind')}: {fails}"
