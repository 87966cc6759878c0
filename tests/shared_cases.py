"""The shared fault cases (``../shared/cases``) judged by the shared checker's own rules, in process.

``../shared/tools/checkcases.py`` is imported at test time (never copied), so strings compare after NFC and
whitespace collapsing, datetimes as instants, and ``*_acceptable``/``body_*`` keys mean what the checker
says. The records are what ``wiredesk parse`` prints: the real parse + normalize stages
(``ingest.parse_stage.parse_records``), format sniffed. Without ``../shared`` every case is skipped with the
reason (CI has it).
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ingest.parse_stage import parse_records
from parsers import ParseError
from tests.conftest import SHARED

CASES = SHARED / "cases"
CHECKER = SHARED / "tools" / "checkcases.py"


@cache
def checker() -> ModuleType:
    """The shared checker module; skips the calling test when it is absent."""
    spec = importlib.util.spec_from_file_location("checkcases", CHECKER)
    if not CHECKER.is_file() or spec is None or spec.loader is None:
        pytest.skip(f"shared checker not found at {CHECKER} (../shared is present in CI)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case_params(folder: str, pattern: str = "*.expected.json") -> list[Any]:
    """pytest params ``(input, expected)`` for the cases in ``../shared/cases/<folder>``; one skipped param
    saying why when the folder or the checker is absent."""
    where = CASES / folder
    if not where.is_dir() or not CHECKER.is_file():
        reason = f"shared cases not found at {where} (../shared is present in CI)"
        return [
            pytest.param(None, None, id=f"{folder}-absent", marks=pytest.mark.skip(reason=reason))
        ]
    found: list[tuple[Path, Path]] = checker().cases(sorted(where.glob(pattern)))
    return [pytest.param(src, exp, id=f"{folder}/{src.name}") for src, exp in found]


def records(source: Path) -> list[dict[str, Any]]:
    """What ``wiredesk parse SOURCE`` prints, as dicts; none when the document is refused."""
    try:
        parsed = parse_records(source.read_bytes(), str(source))
    except ParseError:
        return []
    return [json.loads(record.to_json()) for record in parsed]


def failures(source: Path, expected_path: Path) -> list[str]:
    """The checker's complaints about ``source``'s records (empty when the case passes)."""
    check = checker()
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    got = records(source)
    if "entries" in expected:
        fails = [] if len(got) == len(expected["entries"]) else [f"{len(got)} records"]
        for index, (record, want) in enumerate(zip(got, expected["entries"], strict=False)):
            fails += [f"record {index}: {f}" for f in check.check_record(record, want)]
        return fails
    index = expected.get("record", 0)
    if index >= len(got):
        return [f"no record {index}"]
    result: list[str] = check.check_record(got[index], expected)
    return result
