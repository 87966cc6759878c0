"""The hand-checked page cases in ``../shared/cases/pages`` through the real parse pipeline.

Each case is ``NAME.html`` with ``NAME.expected.json``; the values are compared with the semantics of
``../shared/tools/checkcases.py`` (imported from there, not copied): strings after NFC and whitespace
collapsing, datetimes as instants, ``body_first``/``body_last``/``*_acceptable`` keys. Credit fields
(agencies, byline) are decided by the normalizer, so they are checked too: the whole record is the
contract. Skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from ingest.parse_stage import parse_records
from tests.conftest import SHARED

CASES = SHARED / "cases" / "pages"
TOOL = SHARED / "tools" / "checkcases.py"


def _checkcases() -> ModuleType:
    spec = importlib.util.spec_from_file_location("checkcases", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases() -> list[object]:
    if not CASES.is_dir() or not TOOL.is_file():
        return [pytest.param(None, id="no-shared", marks=pytest.mark.skip(f"{CASES} not found"))]
    found = []
    for expected in sorted(CASES.glob("*.expected.json")):
        page = expected.with_name(expected.name.removesuffix(".expected.json") + ".html")
        found.append(pytest.param(page, id=page.stem))
    return found


@pytest.mark.parametrize("page", _cases())
def test_page_case(page: Path) -> None:
    checkcases = _checkcases()
    expected = json.loads(page.with_name(page.stem + ".expected.json").read_text("utf-8"))
    records = parse_records(page.read_bytes(), str(page), format_name="html")
    index = expected.get("record", 0)
    assert index < len(records), f"no record {index}"
    fails = checkcases.check_record(json.loads(records[index].to_json()), expected)
    assert not fails, "\n".join(fails)
