"""NewsML 1.2: hand-written fixtures, the real agency corpus, and hostile input."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from parsers import ParseError, detect_format, newsml12, parse_document
from tests.fixture_check import FIXTURES, check_fixture, fixture_cases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FIXTURE_DIR = FIXTURES / "newsml12"

# Where expected.jsonl and the parser knowingly differ, and why.
KNOWN_PARAGRAPH_COUNTS = {
    # expected.jsonl says 10, but counts the AFP desk sign-off 'asl/tib/pid/cac', which the parser drops
    # as CONVENTIONS.md and the parser contract require (afp_en_2017_update's count excludes it).
    "newsml12/afp_fr_2019_crlf.xml": 9,
}


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _corpus_lines() -> list[dict[str, Any]]:
    expected = CORPUS / "expected.jsonl"
    if not expected.exists():
        return []
    lines = [json.loads(line) for line in expected.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in lines if line["file"].startswith("newsml12/")]


def _corpus_files() -> list[Path]:
    folder = CORPUS / "newsml12"
    return sorted(folder.glob("*.xml")) if folder.is_dir() else []


def _need_corpus() -> None:
    if not (CORPUS / "newsml12").is_dir():
        pytest.skip(f"agency corpus not found at {CORPUS} (tests read it in place, never copy it)")


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("document", "expected"), fixture_cases("newsml12"))
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


def test_sniffing() -> None:
    assert newsml12.can_parse((FIXTURE_DIR / "afp_classic_photo.xml").read_bytes())
    assert newsml12.can_parse((FIXTURE_DIR / "doctype_external_dtd_iso-8859-15.xml").read_bytes())
    assert newsml12.can_parse(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<NewsML/>")
    assert not newsml12.can_parse(b"<nitf><body/></nitf>")
    assert not newsml12.can_parse(b"<NewsMessage><itemSet/></NewsMessage>")
    assert not newsml12.can_parse(b"NewsML is a format")
    assert not newsml12.can_parse(b"")
    assert not newsml12.can_parse(b"\x00\xff\xfe<<<")


def test_other_root_is_refused_when_forced() -> None:
    with pytest.raises(ParseError, match=r"not NewsML 1\.2: root element is <nitf>"):
        parse_document(b"<nitf><body/></nitf>", "newsml12")


def test_revisions_share_the_guid() -> None:
    first = (FIXTURE_DIR / "afp_classic_photo.xml").read_text(encoding="utf-8")
    third = first.replace(">2</RevisionId>", ">3</RevisionId>").replace(
        "doc-test01:2</PublicIdentifier>", "doc-test01:3</PublicIdentifier>"
    )
    (old,) = newsml12.parse(first.encode())
    (new,) = newsml12.parse(third.encode())
    assert (old.guid, old.version) == ("urn:newsml:afp.com:20240305:doc-test01", 2)
    assert (new.guid, new.version) == (old.guid, 3)


def test_item_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(newsml12, "MAX_ITEMS_PER_DOCUMENT", 2)
    with pytest.raises(ParseError, match="3 NewsItems"):
        newsml12.parse((FIXTURE_DIR / "multi_items.xml").read_bytes())


def test_dateline_text_is_split() -> None:
    split = newsml12._split_dateline
    assert split("Ouagadougou, Dec 20, 2017 (AFP) -") == ("Ouagadougou", "Dec 20, 2017", ["AFP"])
    assert split("نيقوسيا, 25-11-2023 (أ ف ب) -") == ("نيقوسيا", "25-11-2023", ["أ ف ب"])
    assert split("MOSCOW, January 21. /TASS/.") == ("MOSCOW", "January 21", ["TASS"])
    assert split("ROSCOE, South Dakota") == ("ROSCOE, South Dakota", None, [])
    assert split("4/4/2018") == (None, "4/4/2018", [])
    assert split("January 21") == (None, "January 21", [])
    assert split("(AFP) -") == (None, None, ["AFP"])


# --- hostile input -----------------------------------------------------------------------------------


def _passwd_markers() -> list[str]:
    passwd = Path("/etc/passwd")
    lines = passwd.read_text(errors="replace").splitlines() if passwd.exists() else []
    return ["root:x:0:0", *(line for line in lines[:3] if line.strip())]


@pytest.mark.parametrize(
    "name", ["xxe_file.xml", "xxe_parameter_entity.xml", "xxe_parameter_entity_reference.xml"]
)
def test_external_entities_never_leak(name: str) -> None:
    raw = (FIXTURE_DIR / name).read_bytes()
    try:
        output = repr([asdict(item) for item in parse_document(raw)])
    except ParseError as error:
        output = error.reason
    for marker in _passwd_markers():
        assert marker not in output


def test_billion_laughs_is_refused_quickly() -> None:
    with pytest.raises(ParseError, match="entities"):
        parse_document((FIXTURE_DIR / "billion_laughs.xml").read_bytes())


def _damaged(raw: bytes) -> list[bytes]:
    """Truncations and byte flips of a real document: every one must parse or raise ParseError."""
    cuts = [raw[: len(raw) * share // 7] for share in range(1, 7)]
    flips = []
    for position in range(40, len(raw), max(1, len(raw) // 9)):
        flips.append(raw[:position] + b"<" + raw[position + 1 :])
        flips.append(raw[:position] + b"\xff\x00" + raw[position:])
    return cuts + flips


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_damaged_corpus_documents_fail_cleanly(path: Path) -> None:
    for raw in _damaged(path.read_bytes()):
        try:
            items = newsml12.parse(raw)
        except ParseError as error:
            assert error.reason
        else:
            assert all(item.source_format == "newsml12" for item in items)


# --- the real agency corpus --------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_yields_one_story(path: Path) -> None:
    raw = path.read_bytes()
    assert detect_format(raw) == "newsml12"
    (item,) = parse_document(raw)
    assert item.body and all(p.strip() for p in item.body)
    assert item.guid
    # aware values are UTC; a naive one means the file gave no offset (Belga, TASS local times)
    assert item.published_at is not None
    assert item.published_at.utcoffset() in (None, timedelta(0))
    assert item.headline is None or "(photo)" not in item.headline.lower()


@pytest.mark.corpus
@pytest.mark.parametrize("line", _corpus_lines(), ids=lambda line: line["file"])
def test_corpus_expected_values(line: dict[str, Any]) -> None:
    _need_corpus()
    items = parse_document((CORPUS / line["file"]).read_bytes())
    assert len(items) == 1
    (item,) = items
    headline = _nfc(item.headline) if item.headline else None
    assert headline == line["headline"]
    assert item.urgency == line["urgency"]
    assert item.version == line["version"]
    assert item.status == line["status"]
    assert (item.embargo_until is not None) == line["embargo"]
    assert item.language == line["language"]
    first = _nfc(item.body[0])
    assert line["first_paragraph_starts"] in first[:160], "the lead, perhaps after its dateline"
    count = KNOWN_PARAGRAPH_COUNTS.get(line["file"])
    if count is not None:
        assert len(item.body) == count
    else:
        assert len(item.body) >= line["min_paragraphs"]
    place = line["dateline_place"]
    if place is not None:
        metadata_place = item.dateline.place if item.dateline else None
        assert metadata_place == place or first.startswith(place)


@pytest.mark.corpus
@pytest.mark.parametrize("line", _corpus_lines(), ids=lambda line: line["file"])
def test_corpus_credits_name_the_expected_agency(line: dict[str, Any]) -> None:
    _need_corpus()
    agencies = pytest.importorskip("normalizers.agencies")
    (item,) = parse_document((CORPUS / line["file"]).read_bytes())
    assert agencies.canonical_list(item.agencies) == line["agencies"]


def test_corpus_photo_captions_stay_out_of_the_story() -> None:
    _need_corpus()
    path = CORPUS / "newsml12" / "afp_ar_2020_sport_restricted_8xe9vc.xml"
    (item,) = parse_document(path.read_bytes())
    assert item.caption and item.caption.startswith("المهاجم الدولي الانكليزي السابق")
    assert item.headline != item.caption
    assert not any("RESTRICTED" in note for note in item.ednotes)
    assert item.urgency is None  # only the envelope Priority=4 exists


def test_corpus_belga_reads_the_first_text_component() -> None:
    _need_corpus()
    path = CORPUS / "newsml12" / "belga_nl_2019_iso-8859-15.xml"
    (item,) = parse_document(path.read_bytes())
    assert item.body[0].startswith("Steven Van Geel gaf zich op 31 mei 2014 aan")
    assert "<b>" not in " ".join(item.body)
    assert item.guid == "urn:newsml:belga.be:98055798"
    assert item.ednotes == ["Qu'y a-t-il écrit ici?"]
