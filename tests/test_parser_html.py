"""Article web pages: fixtures (one behaviour each), sniffing, hostile input, and the html_de corpus."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from parsers import ParseError, detect_format, parse_document
from parsers import html as html_parser
from parsers._html_header import displayed_times
from parsers._html_profiles import PROFILES
from parsers.furniture import is_furniture
from parsers.registry import gunzip_if_needed
from tests.fixture_check import check_fixture, fixture_cases

FIXTURES = Path(__file__).parent / "fixtures" / "html"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
HTML_CORPUS = CORPUS / "html_de"


@pytest.mark.parametrize(("document", "expected"), fixture_cases("html"))
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


# ------------------------------------------------------------------------------------------- profiles


def _profile_for(raw: bytes) -> str | None:
    """Name of the site profile the parser picks for a page (None = generic extraction)."""
    root = html_parser._parse_tree(raw)
    marks = html_parser._landmarks(root)
    page = html_parser._Page(
        root=root,
        marks=marks,
        ld=html_parser._json_ld_article(marks.ld_scripts),
        meta=html_parser._collect_meta(marks.metas),
        url=None,
    )
    page.url = marks.canonical or page.meta_first("og:url")
    profile = html_parser._choose_profile(page)
    return profile.name if profile else None


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe now to read the latest news in your region.",
        "Already a subscriber? Sign in",
        "Create a FREE account to continue reading",
        "Abonnez-vous pour lire la suite",
        "Jetzt abonnieren und weiterlesen",
        "¿Ya eres suscriptor? Inicia sesión",
        "Sei già abbonato? Accedi",
        "You can unsubscribe at any time. Read our privacy policy.",
        "Sie können sich jederzeit wieder abmelden.",
        "Buying through our links may earn us a commission.",
        "Most read",
        "Les plus lus",
        "Czytaj także",
        "Leia também: Governo anuncia novo plano",
        "Läs också",
        "【関連記事】",
        "Photo: AFP",
        "Foto: dpa/Max Muster",
        "Crédit photo : Jean Dupont",
        "Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns.",
        "Das Wichtigste in Kürze",
        "Key points",
        "L'essentiel",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "She wanted to continue reading the letters aloud to the court.",
        "Create an account with the city before you apply for the permit.",
        "Subscribers said the service had been poor for months.",
        "Gli abbonati sono cresciuti del 12 per cento nel trimestre.",
        "Photographers said they were kept away from the scene.",
        "Bildung ist für die Regierung das wichtigste Thema des Jahres.",
        "Dela av staden saknade ström under natten.",
        "Foto: Eine Bürgerinitiative hat am Montag eine Petition mit 40.000 Unterschriften an den "
        "Bürgermeister übergeben, der eine Prüfung zusagte.",
    ],
)
def test_article_sentences_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_one_ippen_profile_serves_merkur_and_fr() -> None:
    merkur = (FIXTURES / "ippen_merkur.html").read_bytes()  # chosen by canonical host merkur.de
    fr = (FIXTURES / "ippen_fr.html").read_bytes()  # no URL; chosen by og:site_name
    assert _profile_for(merkur) == "ippen"
    assert _profile_for(fr) == "ippen"


def test_ippen_profile_found_by_markup_when_page_names_no_site() -> None:
    raw = (FIXTURES / "ippen_fr.html").read_bytes().replace(b"Frankfurter Rundschau", b"Irgendwas")
    assert _profile_for(raw) == "ippen"


def test_ippen_host_on_a_subdomain_and_tz() -> None:
    raw = (FIXTURES / "ippen_merkur.html").read_bytes()
    assert _profile_for(raw.replace(b"www.merkur.de", b"www.tz.de")) == "ippen"
    assert _profile_for(raw.replace(b"www.merkur.de", b"amp.fr.de")) == "ippen"
    # a look-alike host is not the site
    page = raw.replace(b"www.merkur.de", b"notmerkur.de").replace(b"Merkur.de", b"Andere")
    assert _profile_for(page.replace(b"idjs-Story", b"other")) is None


def test_every_profile_selector_compiles() -> None:
    names = [profile.name for profile in PROFILES]
    assert len(names) == len(set(names)), "profile names are unique"
    for profile in PROFILES:
        assert profile.hosts and profile.body
        assert profile.body in html_parser._XP


def test_lead_kept_only_when_article_body_starts_with_it() -> None:
    fr = parse_document((FIXTURES / "ippen_fr.html").read_bytes())[0]
    assert fr.body[0] == "Mehr als eine Million Menschen kamen zum Museumsuferfest."
    merkur = parse_document((FIXTURES / "ippen_merkur.html").read_bytes())[0]
    assert all("Ersatzbusse einstellen" not in p for p in merkur.body)


# ------------------------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html><body><p>x</p></body></html>",
        b"\xef\xbb\xbf  <!doctype HTML>\n<html lang='de'></html>",
        b"<!-- cache: hit --><html><head><title>t</title></head></html>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>',
        b"<head><meta charset='utf-8'></head><body>x</body>",
    ],
)
def test_can_parse_html(head: bytes) -> None:
    assert html_parser.can_parse(head)


@pytest.mark.parametrize(
    "raw",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><description>&lt;html&gt;</description>'
        b"</channel></rss>",
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><content type="html">'
        b"&lt;html&gt;</content></feed>",
        b'<?xml version="1.0"?><nitf><body><p>Text</p></body></nitf>',
        b'{"html": "<html></html>"}',
        b"ZCZC dpa0001 4 pl 123 <html>",
        b"",
        b"\x00\xff\xfe garbage",
    ],
)
def test_can_parse_refuses_other_formats(raw: bytes) -> None:
    assert not html_parser.can_parse(raw)


# ------------------------------------------------------------------------------------------- hostile


def test_entities_are_not_expanded_beyond_html_names() -> None:
    raw = (
        b'<!DOCTYPE html [<!ENTITY boom "BOOMBOOMBOOM">]><html><head>'
        b'<meta property="og:title" content="Titel &boom; &amp; mehr"></head>'
        b"<body><article><p>Ein ganz normaler Absatz mit genug Text &boom; darin.</p></article>"
        b"</body></html>"
    )
    item = html_parser.parse(raw)[0]
    assert "BOOM" not in (item.headline or "")
    assert all("BOOM" not in paragraph for paragraph in item.body)


def test_truncated_page_still_parses() -> None:
    raw = (FIXTURES / "generic_fallback.html").read_bytes()[:1400]
    items = html_parser.parse(raw)
    assert items and items[0].headline == "Liverpool verliert Derby"


@pytest.mark.parametrize(
    "raw",
    [
        b"<html>",
        b"<!DOCTYPE html>",
        b"<html><head><script type='application/ld+json'>{not json</script></head></html>",
        b'<html><head><script type=\'application/ld+json\'>[1, "x", null, {"@type": 5}]</script>'
        b"</head></html>",
        b"\x00\x00\x00<html>\x00",
        b"<html><body>" + b"<div>" * 5000 + b"</body></html>",
    ],
)
def test_hostile_or_empty_pages_raise_only_parse_error(raw: bytes) -> None:
    try:
        result = html_parser.parse(raw)
    except ParseError as error:
        assert error.reason
    else:
        assert isinstance(result, list)


def test_deep_json_ld_nesting_is_bounded() -> None:
    nested: Any = {"@type": "NewsArticle", "headline": "tief"}
    for _ in range(200):
        nested = {"@graph": [nested]}
    raw = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps(nested)
        + "</script></head><body></body></html>"
    ).encode()
    with pytest.raises(ParseError):  # too deep to be the page's article, and no text: no record
        html_parser.parse(raw)


# ------------------------------------------------------------------------------------------- corpus


def _expected_lines() -> list[dict[str, Any]]:
    if not HTML_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {HTML_CORPUS} (it is present in CI)")
    lines = [
        json.loads(line) for line in (CORPUS / "expected.jsonl").read_text("utf-8").splitlines()
    ]
    return [e for e in lines if e["file"].startswith("html_de/") and e.get("kind") == "item"]


def _plain(text: str) -> str:
    """As expected.jsonl compares: NFC, soft hyphens gone, whitespace collapsed."""
    return unicodedata.normalize("NFC", " ".join(text.replace("\u00ad", "").split()))


@pytest.mark.corpus
def test_corpus_pages_parse_with_expected_facts() -> None:
    expected = _expected_lines()
    assert len(expected) == 8
    for entry in expected:
        raw = (CORPUS / entry["file"]).read_bytes()
        assert detect_format(raw) == "html", entry["file"]
        items = parse_document(raw)
        assert len(items) == 1, entry["file"]
        item = items[0]
        assert item.headline == entry["headline"], entry["file"]
        assert item.status == entry["status"]
        assert item.urgency == entry["urgency"]
        assert item.version == entry["version"]
        assert item.embargo_until is None
        assert item.language == entry["language"]
        assert len(item.body) >= entry["min_paragraphs"], entry["file"]
        # The first paragraph may still carry its dateline (the normalizer strips it).
        assert entry["first_paragraph_starts"] in _plain(item.body[0]), entry["file"]


@pytest.mark.corpus
def test_corpus_page_specific_traps() -> None:
    _expected_lines()

    def parsed(name: str) -> Any:
        return parse_document((HTML_CORPUS / name).read_bytes())[0]

    zeit = parsed("DieZeit_2023_04_28.html")
    assert zeit.kicker == "Basketball-Euroleague"
    assert zeit.body[-1].startswith("© dpa-infocom, dpa:230428-99-483045/5")
    assert any("automatisch von der Deutschen Presse-Agentur" in note for note in zeit.ednotes)
    assert not any("Empfohlener redaktioneller Inhalt" in p for p in zeit.body)

    # Credits: the parser lists authors as the page gives them; the normalizer decides agency vs person
    # through the agency table (normalizers.agencies), so ``agencies`` holds only a profile's fixed credit.
    berliner = parsed("BerlinerZeitung_2023_04_28.html")
    assert berliner.authors == ["AFP"] and berliner.agencies == []
    assert not any("vor 2 Std" in p or "Ein Mann bot sein Sperma" in p for p in berliner.body)
    assert berliner.related and berliner.related[0].url.startswith(
        "https://www.berliner-zeitung.de/"
    )

    sportschau = parsed("SportSchau_2024_04_25.html.gz")
    assert sportschau.kicker == "Premier League"
    assert sportschau.body[-1] == "Quelle: sid/dpa"
    assert "AFP" not in sportschau.agencies and "AFP" not in sportschau.authors

    stuttgart = parsed("StuttgarterZeitung_2025_10_25.html.gz")
    assert stuttgart.kicker == "Rückbau von Atomkraftwerk"
    assert stuttgart.authors == ["dpa"]
    assert "&uuml;" not in (stuttgart.headline or "")
    assert stuttgart.body[0].startswith("Gundremmingen - Die beiden")

    funke = parsed("BSZ_2024_05_16.html")
    assert funke.dateline is not None and funke.dateline.place == "Riad"
    assert funke.authors[0] == "Felix Schröder und Jörg Soldwisch, dpa"
    assert funke.byline is None
    assert funke.body[-1].startswith("© dpa-infocom, dpa:240516-99-53606/3")

    mz = parsed("MitteldeutscheZeitung_2024_04_30.html")
    assert mz.kicker == "Bei Protesten 2022"
    assert mz.authors == ["dpa"]

    winfuture = parsed("WinFuture_2024_04_29.html")
    assert "für nur 5,99 Euro" in (winfuture.headline or "")  # bytes are UTF-8 despite iso-8859-1
    assert winfuture.agencies == [] and winfuture.authors == ["Stefan Trunzik"]
    assert not any(p == "Anzeige" for p in winfuture.body)

    afp = parsed("AFPFaktencheck_2026_05_24.html")
    assert afp.agencies == ["AFP"]
    assert (
        afp.published_at is not None and afp.published_at.isoformat() == "2026-05-13T13:44:29+00:00"
    )
    assert not any(p.startswith("Copyright © AFP") for p in afp.body)


def _fundus_paragraphs(path: Path) -> list[str]:
    data = json.loads(path.read_text("utf-8"))
    body = data["V1"]["body"]
    paragraphs: list[str] = []
    for section in body["sections"]:
        paragraphs.extend(section["headline"])
        paragraphs.extend(section["paragraphs"])
    return [" ".join(p.split()) for p in paragraphs]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("page", "fundus"),
    [
        ("BerlinerZeitung_2023_04_28.html", "BerlinerZeitung.fundus-expected.json"),
        ("DieZeit_2023_04_28.html", "DieZeit.fundus-expected.json"),
        ("MitteldeutscheZeitung_2024_04_30.html", "MitteldeutscheZeitung.fundus-expected.json"),
    ],
)
def test_body_matches_fundus_extraction(page: str, fundus: str) -> None:
    """fundus' hand-written parsers as a second opinion: same paragraphs, same order (subheads included);
    we additionally keep a trailing agency credit line, which fundus drops."""
    if not HTML_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {HTML_CORPUS}")
    ours = [" ".join(p.split()) for p in parse_document((HTML_CORPUS / page).read_bytes())[0].body]
    theirs = _fundus_paragraphs(HTML_CORPUS / fundus)
    if len(ours) == len(theirs) + 1 and ours[-1].startswith("©"):
        ours = ours[:-1]
    assert ours == theirs


@pytest.mark.corpus
def test_corpus_pages_survive_without_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The generic fallback alone still finds headline and a real body on every corpus page."""
    expected = _expected_lines()
    monkeypatch.setattr(html_parser, "PROFILES", ())
    for entry in expected:
        raw = gunzip_if_needed((CORPUS / entry["file"]).read_bytes())
        item = html_parser.parse(raw)[0]
        assert item.headline == entry["headline"], entry["file"]
        assert item.body and sum(len(p) for p in item.body) > 400, entry["file"]


@pytest.mark.parametrize(
    ("lines", "published", "updated"),
    [
        (["30.11.2026 - Update : 30.11.2026"], None, None),  # days without a clock: no instant
        (["Ahmet Yilmaz | 30.11.2026"], None, None),
        (["30.11.2026 | 14:05"], datetime(2026, 11, 30, 14, 5), None),
        (["Publicat: 30.11.2026, 14:05 | Actualizat: 30.11.2026, 16:40"], datetime(2026, 11, 30, 14, 5),
         datetime(2026, 11, 30, 16, 40)),
    ],
)  # fmt: skip
def test_displayed_times_need_a_clock(
    lines: list[str], published: datetime | None, updated: datetime | None
) -> None:
    shown = displayed_times(lines)
    assert (shown.published, shown.updated) == (published, updated)
