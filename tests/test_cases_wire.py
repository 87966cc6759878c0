"""Issue 15 wire-format fault kinds, end to end (parse + normalize), with the semantics of checkcases.py.

Two sources: the shared wire cases (``shared/cases/wire``; skipped when shared/ is absent), checked with the
shared ``checkcases.check_record`` imported at test time, and this project's own fixtures of the same kinds
(other agencies and languages), checked for the invariants each kind promises: no literal tags, no format
codes and no placeholder values in any text field of the normalized record.

Fields that the normalizer decides (datelines without a place, agency-credit bylines) are listed in
``NORMALIZER_SIDE`` with the reason; they are checked in a separate non-strict xfail test, so they show up
in the report without failing the parser's suite while the normalizer is being changed.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ingest.parse_stage import parse_records
from parsers import parse_document
from tests.conftest import SHARED

CASES = SHARED / "cases" / "wire"
TOOL = SHARED / "tools" / "checkcases.py"
FIXTURES = Path(__file__).parent / "fixtures"

# The wire cases this side owns, by kind (F11 is the Reuters Connect JSON issue, feed_* the feed parsers').
KINDS = {
    "F01": "escaped inline markup",
    "F02": "preformatted wire text in one element",
    "F03": "element-name case variants",
    "F04": "components by role",
    "F05": "ZCZC header grammar",
    "F06": "ANPA agate headings and rows",
    "F07": "ANPA header without word count",
    "F08": "IPTC 7901 multi-line note and sign-offs",
    "F09": "offset-less local times",
    "F10": "NITF <pre> and tables",
    "F13": "placeholder values",
}
# case stem prefix -> fields the normalizer owns, and why
NORMALIZER_SIDE: dict[str, dict[str, str]] = {
    "F02": {
        "dateline": "a placeless 'Jan 30 (Reuters) -' dateline in the 3rd paragraph (after bullets)",
        "body": "that dateline stays in its paragraph until the normalizer reads it (parser side: below)",
    },
    "F06": {"byline": "'By The Associated Press' is dropped as an agency credit"},
    "F07": {"byline": "'By The Associated Press' is dropped as an agency credit"},
}


def _checkcases() -> ModuleType:
    if not TOOL.is_file():
        pytest.skip(f"shared checkcases tool not found at {TOOL} (shared/ absent)")
    spec = importlib.util.spec_from_file_location("checkcases", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _case_files() -> list[Any]:
    if not CASES.is_dir():
        return [pytest.param(None, id="shared-cases-absent")]
    found = []
    for expected in sorted(CASES.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        if stem[:3] not in KINDS:
            continue
        inputs = [p for p in CASES.glob(stem + ".*") if not p.name.endswith(".expected.json")]
        if inputs:
            found.append(pytest.param(min(inputs, key=lambda p: len(p.name)), id=stem))
    return found


def _records(path: Path) -> list[dict[str, Any]]:
    """What ``wiredesk parse PATH`` prints, as dicts."""
    return [json.loads(record.to_json()) for record in parse_records(path.read_bytes(), str(path))]


def _failures(path: Path) -> list[str]:
    checkcases = _checkcases()
    expected = json.loads(
        path.with_name(_stem(path) + ".expected.json").read_text(encoding="utf-8")
    )
    records = _records(path)
    index = expected.get("record", 0)
    assert index < len(records), f"no record {index}"
    fails: list[str] = checkcases.check_record(records[index], expected)
    return fails


def _stem(path: Path) -> str:
    return path.name.rsplit(".", 1)[0]


def _owned_by_normalizer(stem: str, failure: str) -> bool:
    fields = NORMALIZER_SIDE.get(stem[:3], {})
    return any(failure.startswith(f"{field}:") or failure.startswith(field) for field in fields)


@pytest.mark.parametrize("path", _case_files())
def test_wire_case(path: Path | None) -> None:
    """Every parser-side field of the shared case is right (normalizer-owned fields: see below)."""
    if path is None:
        pytest.skip(f"shared wire cases not found at {CASES}")
    stem = _stem(path)
    fails = [f for f in _failures(path) if not _owned_by_normalizer(stem, f)]
    assert not fails, f"{KINDS[stem[:3]]}: " + "; ".join(fails)


@pytest.mark.parametrize(
    "path", [p for p in _case_files() if p.id[:3] in NORMALIZER_SIDE or p.values[0] is None]
)
@pytest.mark.xfail(reason="normalizer-side fields of issue 15 (the lead's change)", strict=False)
def test_wire_case_normalizer_fields(path: Path | None) -> None:
    if path is None:
        pytest.skip(f"shared wire cases not found at {CASES}")
    assert not _failures(path)


def test_wire_case_f02_parser_side() -> None:
    """Reuters' one-<p> story: paragraphs rebuilt, advisory and byline lifted, dateline kept in place."""
    path = CASES / "F02_reuters_single_p_wiretext.xml"
    if not path.is_file():
        pytest.skip(f"shared wire case not found at {path}")
    expected = json.loads(
        path.with_name(_stem(path) + ".expected.json").read_text(encoding="utf-8")
    )
    (item,) = parse_document(path.read_bytes())
    want = list(expected["body"])
    want[2] = "Jan 30 (Reuters) - " + want[2]
    assert item.body == want
    assert item.byline == expected["byline"]
    assert any(expected["ednotes_contains"] in note for note in item.ednotes)


# --- own fixtures of the same kinds, end to end ---------------------------------------------------------

OWN = [
    "nitf/ansa_escaped_inline_markup.xml",
    "nitf/kyodo_single_p_wiretext.xml",
    "nitf/efe_case_variants_pre_table.xml",
    "newsml12/anp_case_variants_roles.xml",
    "newsml12/afp_escaped_markup_wiretext.xml",
    "newsmlg2/ntb_case_variants_placeholder_naive.xml",
    "anpa1312/no_word_count_story.tst",
    "anpa1312/agate_hockey.tst",
    "iptc7901/zczc_older_profile.tst",
    "iptc7901/sda_multiline_note.iptc",
]
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][\w.:-]*[^<>]*>")
_CODES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|^\^|[=<]$")
_PLACEHOLDERS = re.compile(r"^(?:No-Data-Available|N/A|none|unknown|-)$", re.IGNORECASE)
_TEXT_FIELDS = ("headline", "kicker", "caption", "byline")
_LIST_FIELDS = ("body", "ednotes", "keywords", "subjects", "agencies")


def _texts(record: dict[str, Any]) -> list[tuple[str, str]]:
    found = [(name, record[name]) for name in _TEXT_FIELDS if record.get(name)]
    found += [(name, value) for name in _LIST_FIELDS for value in record.get(name) or []]
    dateline = record.get("dateline") or {}
    found += [(f"dateline.{k}", v) for k, v in dateline.items() if isinstance(v, str)]
    return found


@pytest.mark.parametrize("name", OWN)
def test_own_fixture_record_is_clean(name: str) -> None:
    """No literal tag, format code or placeholder value reaches any text field of the stored record."""
    records = _records(FIXTURES / name)
    assert records, "the fixture yields a record"
    for record in records:
        assert record["body"], "a story body"
        for field, text in _texts(record):
            assert not _TAG.search(text), f"{field}: literal tag in {text!r}"
            assert not _CODES.search(text), f"{field}: format code in {text!r}"
            assert not _PLACEHOLDERS.match(text), f"{field}: placeholder {text!r}"


def test_naive_local_time_is_placed_in_the_agency_zone() -> None:
    """A NewsML 1.2 Belga time without offset (January: CET) is 12:45:50 local = 11:45:50 UTC."""
    (record,) = _records(FIXTURES / "newsml12" / "belga_escaped_iso-8859-15.xml")
    assert record["published_at"] in {"2024-01-29T11:45:50Z", "2024-01-29T11:45:50+00:00"}
