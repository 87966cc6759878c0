"""NewsML-G2 parser: hand-written fixtures (one behaviour each), sniffing, and the real agency corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parsers import ParseError, detect_format, newsmlg2
from tests.fixture_check import check_fixture, fixture_cases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
G2_DIR = CORPUS / "newsmlg2"
G2_NS = b'xmlns="http://iptc.org/std/nar/2006-10-01/"'


@pytest.mark.parametrize(("document", "expected"), fixture_cases("newsmlg2"))
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


# --- sniffing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'<?xml version="1.0"?>\n<newsMessage ' + G2_NS + b"><itemSet/></newsMessage>",
        b'\xef\xbb\xbf<!-- c --><ns0:newsItem xmlns:ns0="http://iptc.org/std/nar/2006-10-01/"/>',
        b"<planningItem " + G2_NS + b"/>",
        b'<knowledgeItem standard="NewsML-G2"/>',
        b"<contentSet>\n  <inlineXML contenttype='application/nitf+xml'><nitf/></inlineXML></contentSet>",
    ],
)
def test_can_parse_accepts_g2_roots(raw: bytes) -> None:
    assert newsmlg2.can_parse(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"<newsItem/>",  # G2 root name but nothing G2 about it
        b'<NewsML Version="1.2"><NewsItem/></NewsML>',
        b"<nitf><body/></nitf>",
        b"<contentSet><p>no G2 content element</p></contentSet>",
        b"<rss " + G2_NS + b"/>",
        b"",
        b"\x00\xff garbage",
        b"plain text with newsMessage in it",
    ],
)
def test_can_parse_rejects_others(raw: bytes) -> None:
    assert not newsmlg2.can_parse(raw)


def test_unknown_root_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="root element is <catalog>"):
        newsmlg2.parse(b"<catalog " + G2_NS + b"/>")


def test_entity_declarations_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE newsItem [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        b"<newsItem " + G2_NS + b"><contentMeta><headline>&b;</headline></contentMeta></newsItem>"
    )
    with pytest.raises(ParseError, match="entities"):
        newsmlg2.parse(bomb)


def test_too_many_items_is_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(newsmlg2, "MAX_ITEMS_PER_DOCUMENT", 2)
    item = b'<newsItem guid="g"><contentMeta><headline>h</headline></contentMeta></newsItem>'
    raw = b"<newsMessage " + G2_NS + b"><itemSet>" + item * 3 + b"</itemSet></newsMessage>"
    with pytest.raises(ParseError, match="over the limit"):
        newsmlg2.parse(raw)


# --- the real corpus ---------------------------------------------------------------------------------------


def _expected_lines() -> dict[str, dict[str, Any]]:
    lines = (CORPUS / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    found = (json.loads(line) for line in lines if line.strip())
    return {entry["file"]: entry for entry in found if entry["file"].startswith("newsmlg2/")}


def _corpus_files() -> list[Any]:
    if not G2_DIR.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"corpus not found at {G2_DIR}"))]
    return [pytest.param(path, id=path.name) for path in sorted(G2_DIR.iterdir()) if path.is_file()]


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files())
def test_corpus_file_parses_or_fails_cleanly(path: Path) -> None:
    """Every corpus file is sniffed as G2 and parses; nothing but ParseError may ever escape."""
    raw = path.read_bytes()
    assert newsmlg2.can_parse(raw)
    assert detect_format(raw) == "newsmlg2"
    try:
        items = newsmlg2.parse(raw)
    except ParseError as error:
        pytest.fail(f"{path.name}: unexpected ParseError {error.reason}")
    for item in items:
        assert item.source_format == "newsmlg2"
        assert all(paragraph.strip() for paragraph in item.body)


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files())
def test_corpus_file_damaged(path: Path) -> None:
    """Truncated or byte-flipped copies of real files: a list of items or a ParseError, never a crash."""
    raw = path.read_bytes()
    variants = [raw[: len(raw) * n // 7] for n in range(1, 7)]
    variants += [raw.replace(b"<", b"\x00<", 3), raw.replace(b'version="', b'version="\xb2', 1)]
    for variant in variants:
        try:
            items = newsmlg2.parse(variant)
        except ParseError as error:
            assert error.reason
        else:
            assert isinstance(items, list)


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files())
def test_corpus_parser_facts(path: Path) -> None:
    """Parser-level facts from expected.jsonl: headline, urgency, version, status, embargo, item counts."""
    expected = _expected_lines().get(f"newsmlg2/{path.name}")
    if expected is None:
        pytest.skip(
            f"{path.name} has no expected.jsonl line (checked in test_corpus_unlisted_files)"
        )
    items = newsmlg2.parse(path.read_bytes())
    kind = expected["kind"]
    if kind == "skip":
        assert items == []
        return
    if kind == "feed":
        assert len(items) == expected["entries"]
        assert items[0].headline == expected["first_title"]
        return
    assert len(items) == 1
    item = items[0]
    assert item.headline == expected["headline"]
    assert item.urgency == expected["urgency"]
    assert item.status == expected["status"]
    assert (item.embargo_until is not None) == expected["embargo"]
    if expected["version"] is not None:
        assert item.version == expected["version"]
    assert len(item.body) >= expected["min_paragraphs"]


CORPUS_EXTRA: dict[str, dict[str, Any]] = {
    # Files without an expected.jsonl line, judged by hand from the file.
    "dpa_de_2017_170629-90-027182.xml": {
        "headline": "DAX: Schlusskurse im XETRA-Handel am 29.06.2017 um 17:56 Uhr",
        "urgency": 3,
        "version": 2,
        "status": "usable",
    },
    "dpa_de_2017_170629-99-48599.xml": {
        "headline": "Berliner Polizei landet größten Marihuana-Einzelfund seit Jahrzehnten",
        "urgency": 4,
        "version": 3,
        "signals": ["repeat"],
    },
    "dpa_de_2025_embargoed_CONVERTED.xml": {
        "headline": "Steinmeier: Russland zerstört kulturelles Erbe der Ukraine",
        "kicker": "Ausstellung",
        "version": 1,
        "urgency": 4,
    },
    "reuters_en_2016_kill.xml": {
        "guid": "tag:reuters.com,0000:newsml_L1N14N0FF",
        "version": 1542761538,
        "status": "canceled",
        "body": [],
    },
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS_EXTRA))
def test_corpus_unlisted_files(name: str) -> None:
    path = G2_DIR / name
    if not path.is_file():
        pytest.skip(f"corpus file {path} not found")
    (item,) = newsmlg2.parse(path.read_bytes())
    for field, value in CORPUS_EXTRA[name].items():
        assert getattr(item, field) == value, field


@pytest.mark.corpus
def test_corpus_details_that_are_easy_to_get_wrong() -> None:
    if not G2_DIR.is_dir():
        pytest.skip(f"corpus not found at {G2_DIR}")

    def one(name: str) -> Any:
        (item,) = newsmlg2.parse((G2_DIR / name).read_bytes())
        return item

    embargoed = one("dpa_de_2025_embargoed_CONVERTED.xml")
    assert embargoed.embargo_until.isoformat() == "2025-01-23T18:00:00+00:00"
    teaser = one("dpa_de_2017_170629-99-43688.xml")
    assert teaser.body[0].startswith("Hamburg (dpa) - Es ist eines der gut gehüteten")
    assert teaser.dateline is not None and teaser.dateline.agencies == ["dpa"]
    assert "correction" in teaser.signals
    genre = one("dpa_de_2017_170629-99-45965.xml")
    assert not any(p.startswith("Zusammenfassung") for p in genre.body)
    assert genre.signals == ["update"]
    apa = one("apa_de_2015_v2.xml")
    assert apa.dateline is not None and apa.dateline.place == "Paris/Cannes"
    assert any("KORREKTUR-HINWEIS" in note for note in apa.ednotes)
    assert not any("KORREKTUR" in p for p in apa.body)
    correction = one("reuters_en_2016_correction.xml")
    assert correction.body[0].startswith("Jan 3 (Reuters) - Residents")
    assert correction.ednotes and correction.ednotes[0].startswith("(In Jan. 3 story, corrects")
    ansa = one("ansa_en_2017.xml")
    assert len(ansa.body) == 4
    tt = one("tt_sv_2017_replace.xml")
    assert tt.language == "sv"
    assert tt.dateline is not None and tt.dateline.place == "EU"
    stt = one("stt_en_2017_update_linked.xml")
    assert stt.body[0].startswith("The Parliament has approved")
    assert not any("&#39;" in p for p in stt.body)
    kathpress = one("kathpress_de_2015.xml")
    assert kathpress.urgency is None and kathpress.ednotes == []
    assert kathpress.dateline is not None and kathpress.dateline.agencies == ["KAP"]
    business = one("businessdesk_en_2016_malformed.xml")
    assert business.embargo_until is None
    assert business.byline == "By Jonathan Underhill"
    assert business.body[0].startswith("Jan. 12 (BusinessDesk) - The receivers")
