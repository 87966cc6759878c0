"""The shared text cases (``../shared/cases/text``) through the real parse + normalize pipeline.

Each case is judged by the shared checker (``../shared/tools/checkcases.py``, imported at test time, never
copied) with its own semantics: the record ``wiredesk parse`` would print, as JSON, against
``NAME.expected.json``. Skips with a reason when ``../shared`` is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ingest.pipeline import parse_records
from parsers import ParseError
from tests.conftest import SHARED

CASES = SHARED / "cases" / "text"
CHECKER = SHARED / "tools" / "checkcases.py"


def _checker() -> ModuleType | None:
    if not CHECKER.is_file():
        return None
    spec = importlib.util.spec_from_file_location("checkcases", CHECKER)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKCASES = _checker()


def _cases() -> list[Any]:
    if CHECKCASES is None or not CASES.is_dir():
        reason = f"shared text cases or checker not found ({CASES}, {CHECKER}); ../shared is present in CI"
        return [
            pytest.param(None, None, marks=pytest.mark.skip(reason=reason), id="no-shared-cases")
        ]
    found: list[tuple[Path, Path]] = CHECKCASES.cases([CASES])
    return [pytest.param(source, expected, id=source.stem) for source, expected in found]


def _records(source: Path) -> list[dict[str, Any]]:
    """What ``wiredesk parse SOURCE`` prints, one dict per record; none when the file is refused."""
    try:
        records = parse_records(source.read_bytes(), str(source))
    except ParseError:
        return []
    return [json.loads(record.to_json()) for record in records]


@pytest.mark.parametrize(("source", "expected_path"), _cases())
def test_shared_text_case(source: Path, expected_path: Path) -> None:
    assert CHECKCASES is not None
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    records = _records(source)
    if "entries" in expected:
        fails = [] if len(records) == len(expected["entries"]) else ["record count"]
        for index, (record, want) in enumerate(zip(records, expected["entries"], strict=False)):
            fails += [f"record {index}: {f}" for f in CHECKCASES.check_record(record, want)]
    else:
        index = expected.get("record", 0)
        assert index < len(records), f"no record {index} for {source.name}"
        fails = CHECKCASES.check_record(records[index], expected)
    assert not fails, f"{source.name} ({expected.get('kind', '')}): " + "; ".join(fails)
