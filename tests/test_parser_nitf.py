"""NITF parser: hand-written fixtures (one behaviour each) and the real NITF files of the shared corpus."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import ParsedItem, ParseError, nitf
from parsers.registry import detect_format
from tests.fixture_check import check_fixture, fixture_cases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NITF_DIR = CORPUS / "nitf"


@pytest.mark.parametrize(("document", "expected"), fixture_cases("nitf"))
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


def _corpus_lines(prefix: str) -> list[dict[str, Any]]:
    path = CORPUS / "expected.jsonl"
    if not path.exists():
        return []
    lines = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [line for line in lines if line["file"].startswith(prefix)]


def _need_corpus() -> None:
    if not NITF_DIR.is_dir():
        pytest.skip(
            f"shared corpus not found at {NITF_DIR} (tests read it in place, never copy it)"
        )


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


EXPECTED = _corpus_lines("nitf/")


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED] or None)
def test_corpus_expected_values(case: dict[str, Any]) -> None:
    """Parser-level facts from expected.jsonl: headline, urgency, version, status, embargo, text."""
    _need_corpus()
    raw = (CORPUS / case["file"]).read_bytes()
    assert nitf.can_parse(raw)
    assert detect_format(raw) == "nitf"
    items = nitf.parse(raw)
    assert len(items) == 1
    item = items[0]
    assert item.headline == case["headline"]
    assert item.urgency == case["urgency"]
    assert item.version == case["version"]
    assert item.status == case["status"]
    assert (item.embargo_until is not None) == case["embargo"]
    assert len(item.body) >= case["min_paragraphs"]
    # The first paragraph may still start with its dateline (the normalizer strips it).
    assert _norm(case["first_paragraph_starts"]) in _norm(item.body[0])
    place = case["dateline_place"]
    if place:
        from_metadata = item.dateline.place if item.dateline else None
        assert place == from_metadata or place.casefold() in item.body[0].casefold()


def test_corpus_extra_files() -> None:
    """Corpus NITF files without an expected.jsonl line, judged by hand here."""
    _need_corpus()
    item = _only(NITF_DIR / "cp_en_2020_invalid_fields.xml")
    assert (item.headline or "").startswith("Man accused of ramming gate at Rideau Hall")
    assert item.urgency == 2  # <urgency> sits beside docdata, not inside it
    assert item.embargo_until is None  # date.release holds an unfilled template
    assert item.byline == "Mia Rabson and Jordan Press"
    assert item.dateline is not None and item.dateline.place == "Ottawa, Ontario, Canada"
    assert item.agencies == ["THE CANADIAN PRESS"]
    assert item.body[0].startswith("OTTAWA - A Manitoba man")
    assert item.ednotes == []  # empty ed-msg


def test_corpus_details() -> None:
    """Traps named in the corpus notes, checked at parser level."""
    _need_corpus()
    pa = _only(NITF_DIR / "pa_en_embargoed.xml")
    assert (
        pa.embargo_until is not None and pa.embargo_until.isoformat() == "2016-09-08T23:01:00+00:00"
    )
    assert pa.ednotes == ["(see also POLITICS EU) Embargoed to 0001 Friday September 9"]
    sport = _only(NITF_DIR / "pa_en_sport_iso-8859-1.xml")
    assert sport.body[-1].startswith("Answers:")  # the trailing "ends" sign-off is dropped
    assert "Mark Bosnich, then of Aston Villa" in sport.body[2]
    aap = _only(NITF_DIR / "aap_en_anpa-meta.xml")
    assert "" not in aap.body and aap.body[-1].startswith("5. The Syrian conflict")
    assert aap.dateline is not None and aap.dateline.place == "Sydney"
    ntb = _only(NITF_DIR / "ntb_nb_2020_iso-8859-1.xml")
    assert ntb.guid == "faktisk-d9cde75b-256e-4989-b6a3-b8ad27f43a5c"
    assert ntb.ednotes[0].startswith("Dette stoffet distribuerer NTB på vegne av Faktisk.no")
    iptc = _only(NITF_DIR / "iptc_sample_doctype_update.xml")
    assert iptc.dateline is not None and iptc.dateline.place == "Newport News, VA"
    assert not any("sample article" in p for p in iptc.body)  # the editors' note is not body
    ritzau = _only(NITF_DIR / "ritzau_da_flash_iso-8859-1_crlf.xml")
    assert ritzau.body[0].startswith("København /ritzau/: En 41-årig mand")
    assert ritzau.agencies == ["Ritzau"]


def _only(path: Path) -> ParsedItem:
    items = nitf.parse(path.read_bytes())
    assert len(items) == 1
    return items[0]


def _corpus_files() -> list[Path]:
    return sorted(NITF_DIR.glob("*.xml")) if NITF_DIR.is_dir() else []


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_damaged_corpus_files_raise_only_parse_error(path: Path) -> None:
    """Truncated and byte-flipped copies either parse or raise ParseError, never anything else."""
    raw = path.read_bytes()
    variants = [raw[: len(raw) * k // 7] for k in range(1, 7)]
    variants += [raw.replace(b"<", b"\xff<", 3), raw.replace(b">", b"", 1), raw[::-1]]
    for variant in variants:
        try:
            items = nitf.parse(variant)
        except ParseError as error:
            assert error.reason
        else:
            assert all(isinstance(item, ParsedItem) for item in items)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xef\xbb\xbf",
        b"<nitf",
        b"<?xml version='1.0'?><NewsML/>",
        b"\x00\x01\x02",
        "<nitf>é</nitf>".encode("utf-16"),
    ],
)
def test_can_parse_never_raises(raw: bytes) -> None:
    assert nitf.can_parse(raw) in (True, False)


def test_can_parse_sniffs_root_only() -> None:
    assert nitf.can_parse(
        b"<?xml version='1.0'?>\n<!DOCTYPE nitf SYSTEM 'x.dtd'>\n<nitf><head/></nitf>"
    )
    assert not nitf.can_parse(b"<?xml version='1.0'?><NewsML><nitf/></NewsML>")


def test_wrong_root_is_a_clear_error() -> None:
    with pytest.raises(ParseError, match="root element is <NewsML>"):
        nitf.parse(b"<NewsML><nitf/></NewsML>")


_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<nitf baselang="{v}">
  <head><title>{t}</title><docdata management-status="{v}">
    <doc-id id-string="{v}"/><du-key key="{v}" version="{v}"/><urgency ed-urg="{v}"/>
    <date.issue norm="{v}"/><date.release norm="{v}"/><ed-msg info="{v}"/>
  </docdata></head>
  <body><body.head><hedline><hl1>{t}</hl1></hedline><byline>{t}</byline>
    <dateline><location>{t}</location><story.date norm="{v}">{t}</story.date></dateline></body.head>
    <body.content><p>{t}</p></body.content></body>
</nitf>"""


@given(value=st.text(max_size=40), text=st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_metadata_values_parse_or_raise_parse_error(value: str, text: str) -> None:
    """Whatever sits in the attributes and text nodes, the parser returns items or a ParseError."""
    raw = _TEMPLATE.format(v=xml_escape(value, {'"': "&quot;"}), t=xml_escape(text)).encode(
        "utf-8", "surrogatepass"
    )
    try:
        items = nitf.parse(raw)
    except ParseError as error:
        assert error.reason
        return
    for item in items:
        assert item.urgency is None or 1 <= item.urgency <= 8
        assert item.published_at is None or item.published_at.utcoffset() is not None


PRE_TABLES = [
    "Bundesliga, 12. Spieltag:\nBayern München - Borussia Dortmund 3:1\nVfB Stuttgart - Werder Bremen 2:2\n"
    "RB Leipzig - SC Freiburg 1:0\n\nTabelle: 1. Bayern 30 Punkte, 2. Leipzig 27, 3. Stuttgart 24",
    "England: Jordan Pickford; Kyle Walker, John Stones, Harry Maguire, Luke Shaw; Declan Rice\n"
    "Substitutes: Aaron Ramsdale, Trent Alexander-Arnold, Conor Gallagher, Jarrod Bowen\n"
    "Referee: Michael Oliver (England)\nAttendance: 81,432",
    "Team            P  W  D  L  Pts\nArsenal        14 10  3  1   33\nLiverpool      14  9  4  1   31\n"
    "Manchester City 14  9  2  3  29",
]


@pytest.mark.parametrize("table", PRE_TABLES)
def test_pre_with_a_table_or_results_keeps_one_paragraph_per_line(table: str) -> None:
    (item,) = nitf.parse(_nitf_pre(table))
    assert item.body == [" ".join(line.split()) for line in table.split("\n") if line.strip()]


def test_pre_with_wrapped_prose_and_no_layout_marks_joins_its_sentences() -> None:
    """Prose wrapped at a fixed width with neither indents nor blank lines: a line breaking mid-sentence
    goes on in the next; a line ending a sentence ends the paragraph."""
    prose = (
        "Die Bundesregierung will die Liste der Massnahmen am Dienstag\n"
        "veroeffentlichen, teilte ein Sprecher in Berlin mit.\n"
        "Die Opposition kritisierte den Plan als verpasste Chance und\n"
        "kuendigte an, im Bundestag dagegen zu stimmen.\n"
        "Oekonomen sind uneins ueber die Wirkung auf die Inflation im\n"
        "kommenden Jahr."
    )
    (item,) = nitf.parse(_nitf_pre(prose))
    assert item.body == [
        "Die Bundesregierung will die Liste der Massnahmen am Dienstag veroeffentlichen, teilte ein "
        "Sprecher in Berlin mit.",
        "Die Opposition kritisierte den Plan als verpasste Chance und kuendigte an, im Bundestag dagegen "
        "zu stimmen.",
        "Oekonomen sind uneins ueber die Wirkung auf die Inflation im kommenden Jahr.",
    ]


def _nitf_pre(text: str) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return (
        "<nitf><head><title>t</title></head><body><body.head><hedline><hl1>Spieltag</hl1></hedline>"
        f"</body.head><body.content><pre>\n{escaped}\n</pre></body.content></body></nitf>"
    ).encode()
