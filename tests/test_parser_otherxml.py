"""Proprietary agency XML: Canadian Press Publish, Ritzau RBNews, NTB info press releases."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from parsers import ParsedItem, ParseError, cpxml, ntbinfo, ritzau
from parsers.registry import detect_format
from tests.fixture_check import check_fixture, fixture_cases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
OTHER = CORPUS / "other"
MODULES: dict[str, ModuleType] = {"cpxml": cpxml, "ritzau": ritzau, "ntbinfo": ntbinfo}
CORPUS_FILES = {
    "cp_en_publish.xml": "cpxml",
    "ritzau_da_2018_flash.xml": "ritzau",
    "ritzau_da_2018_net.xml": "ritzau",
    "ntb-info_no_press-release.xml": "ntbinfo",
}


@pytest.mark.parametrize(
    ("document", "expected"),
    fixture_cases("cpxml") + fixture_cases("ritzau") + fixture_cases("ntbinfo"),
)
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


def _need_corpus() -> None:
    if not OTHER.is_dir():
        pytest.skip(f"shared corpus not found at {OTHER} (tests read it in place, never copy it)")


def _expected_lines() -> list[dict[str, Any]]:
    path = CORPUS / "expected.jsonl"
    if not path.exists():
        return []
    lines = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return [line for line in lines if line["file"].removeprefix("other/") in CORPUS_FILES]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


EXPECTED = _expected_lines()


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED] or None)
def test_corpus_expected_values(case: dict[str, Any]) -> None:
    """Parser-level facts from expected.jsonl: headline, urgency, version, status, embargo, text."""
    _need_corpus()
    name = case["file"].removeprefix("other/")
    raw = (OTHER / name).read_bytes()
    fmt = CORPUS_FILES[name]
    assert detect_format(raw) == fmt
    items = MODULES[fmt].parse(raw)
    assert len(items) == 1
    item = items[0]
    assert item.source_format == fmt
    assert item.headline == case["headline"]
    assert item.urgency == case["urgency"]
    assert item.version == case["version"]
    assert item.status == case["status"]
    assert (item.embargo_until is not None) == case["embargo"]
    assert len(item.body) >= case["min_paragraphs"]
    assert _norm(item.body[0]).startswith(_norm(case["first_paragraph_starts"]))
    if case["dateline_place"]:
        assert item.dateline is not None and item.dateline.place == case["dateline_place"]


def test_corpus_cp_publish_details() -> None:
    _need_corpus()
    item = _only(cpxml, "cp_en_publish.xml")
    assert item.agencies == ["THE ASSOCIATED PRESS"]  # Credit, not CP: CP relays an AP story
    assert item.dateline is None  # empty <Placeline/>
    assert "favour" in item.body[4] and "<replaced" not in item.body[4]
    assert not any("&lt;" in p or "<p>" in p for p in item.body)
    assert item.byline == "Mark Kennedy"
    assert item.ednotes == ["UPDATES: With AP Photos."]


def test_corpus_ritzau_details() -> None:
    _need_corpus()
    flash = _only(ritzau, "ritzau_da_2018_flash.xml")
    assert flash.headline is None and flash.agencies == ["ritzau"]
    net = _only(ritzau, "ritzau_da_2018_net.xml")
    assert net.headline == "Forsvaret sender satellit ud i rummet for første gang"
    assert net.urgency == 4 and net.version == 1 and net.status == "usable"
    assert net.dateline is not None and net.dateline.place == "København"
    assert net.subjects[0] == "04000000"
    assert net.body[0].startswith("En danskudviklet minisatellit – en såkaldt cubesat")
    assert not any("En ny, danskudviklet satellit" in p for p in net.body)  # subtitle is no body
    assert net.body[-1] == "/ritzau/"
    assert net.published_at is not None and net.published_at.isoformat() == (
        "2018-01-31T17:45:36.730000+00:00"
    )


def test_corpus_ntbinfo_details() -> None:
    _need_corpus()
    item = _only(ntbinfo, "ntb-info_no_press-release.xml")
    assert item.agencies == ["NTB info"]
    assert item.language == "no"
    assert not any(
        "&" in p and ";" in p.split("&", 1)[1][:8] for p in item.body
    )  # no entities left
    assert any("Leonhard Nilsen & Sønner" in p for p in item.body)
    assert not any(p.startswith("Nye Veier har signert kontrakt") for p in item.body)  # leadtext
    assert not any("905 823 34" in p for p in item.body)  # contacts are not body
    assert item.published_at is not None and item.published_at.isoformat() == (
        "2018-09-28T09:15:00+00:00"
    )


def _only(module: ModuleType, name: str) -> ParsedItem:
    items: list[ParsedItem] = module.parse((OTHER / name).read_bytes())
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_damaged_corpus_files_raise_only_parse_error(name: str) -> None:
    """Truncated and byte-flipped copies either parse or raise ParseError, never anything else."""
    _need_corpus()
    raw = (OTHER / name).read_bytes()
    module = MODULES[CORPUS_FILES[name]]
    variants = [raw[: len(raw) * k // 7] for k in range(1, 7)]
    variants += [raw.replace(b"<", b"\xff<", 3), raw.replace(b"&lt;", b"&lt", 2), raw[::-1]]
    for variant in variants:
        try:
            items = module.parse(variant)
        except ParseError as error:
            assert error.reason
        else:
            assert all(isinstance(item, ParsedItem) for item in items)


SNIFF_CASES = [
    (cpxml, b'<?xml version="1.0"?><Publish><ContentItem/></Publish>', True),
    (cpxml, b"\xef\xbb\xbf<Publish><PublishID>1</PublishID></Publish>", False),
    (cpxml, b"<Other><ContentItem/></Other>", False),
    (ritzau, b'<?xml version="1.0"?><RBNews xmlns=""><NewsID>x</NewsID></RBNews>', True),
    (ritzau, b"<RBNews><headline/></RBNews>", False),
    (ntbinfo, b"<release id='1'><leadtext/><publicationDate/></release>", True),
    (ntbinfo, b"<release id='1'><notes>software release</notes></release>", False),
    (ntbinfo, b"<nitf><leadtext/><publicationDate/></nitf>", False),
]


@pytest.mark.parametrize(("module", "raw", "accepted"), SNIFF_CASES)
def test_can_parse_is_precise(module: ModuleType, raw: bytes, accepted: bool) -> None:
    assert module.can_parse(raw) is accepted


@pytest.mark.parametrize("module", list(MODULES.values()), ids=list(MODULES))
@pytest.mark.parametrize("raw", [b"", b"\x00\xff", b"<", "<RBNews/>".encode("utf-16")])
def test_can_parse_never_raises(module: ModuleType, raw: bytes) -> None:
    assert module.can_parse(raw) in (True, False)


@pytest.mark.parametrize(
    ("module", "raw", "reason"),
    [
        (cpxml, b"<nitf/>", "expected <Publish>"),
        (ritzau, b"<Publish/>", "expected <RBNews>"),
        (ntbinfo, b"<RBNews/>", "expected <release>"),
        (ritzau, b"<RBNews><content>", "malformed XML"),
    ],
)
def test_wrong_documents_are_clear_errors(module: ModuleType, raw: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        module.parse(raw)
