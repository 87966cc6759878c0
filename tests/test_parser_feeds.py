"""RSS and Atom: fixtures, the real corpus feeds, agreement of the two readers, and hostile input."""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.normalize import normalize
from parsers import ParseError, _feeds, atom, detect_format, parse_document, rss
from parsers.limits import MAX_ITEMS_PER_DOCUMENT
from parsers.xmlsafe import parse_xml
from tests.fixture_check import FIXTURES, check_fixture, fixture_cases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FEED_DIRS = ("rss/", "atom/")
# The corpus files whose root is not what their folder says (see the expected.jsonl note).
SNIFFED_AS = {"atom/reddit_en_atom-with-rss-ext.rss": "rss"}
# Malformed and without entries: a clear ParseError is the expected outcome (0 entries also allowed).
REFUSABLE = {"rss/feedparser_bom_invalid_bytes.xml"}


@pytest.mark.parametrize(("document", "expected"), fixture_cases("rss") + fixture_cases("atom"))
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


# --------------------------------------------------------------------------- corpus


def _corpus_feeds() -> list[dict[str, Any]]:
    expected = CORPUS / "expected.jsonl"
    if not expected.is_file():
        return []
    lines = [json.loads(line) for line in expected.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in lines if line["file"].startswith(FEED_DIRS)]


CORPUS_FEEDS = _corpus_feeds()
needs_corpus = pytest.mark.skipif(not CORPUS_FEEDS, reason=f"corpus not found at {CORPUS}")


def _same_text(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", " ".join(value.split()))


def _corpus_ids() -> list[Any]:
    return [pytest.param(line, id=line["file"]) for line in CORPUS_FEEDS] or [
        pytest.param(None, id="no-corpus")
    ]


@pytest.mark.corpus
@needs_corpus
@pytest.mark.parametrize("line", _corpus_ids())
def test_corpus_feed(line: dict[str, Any]) -> None:
    raw = (CORPUS / line["file"]).read_bytes()
    folder = line["file"].split("/")[0]
    assert detect_format(raw) == SNIFFED_AS.get(line["file"], folder)
    if line["file"] in REFUSABLE:
        with pytest.raises(ParseError, match=r"truncated|not well-formed"):
            parse_document(raw)
        return
    items = parse_document(raw)
    assert len(items) == line["entries"]
    assert _same_text(items[0].headline) == _same_text(line["first_title"])
    for item in items:
        assert item.source_format == SNIFFED_AS.get(line["file"], folder)
        assert item.language in (None, line["language"])
        texts = [item.headline or "", *item.body, item.byline or "", *item.keywords]
        for text in texts:
            assert "\ufffd" not in text and not re.search("[\u0080-\u009f]", text), text
            assert not re.search("Ã[\u00a0-\u00bf]|â€", text), f"mojibake: {text}"
        assert all(p.strip() == p and p for p in item.body)
        assert "\n" not in (item.headline or "")
        for stamp in (item.published_at, item.updated_at):
            assert stamp is None or stamp.utcoffset() is not None


def _corpus_items(name: str) -> list[Any]:
    if not CORPUS_FEEDS:
        pytest.skip(f"corpus not found at {CORPUS}")
    return parse_document((CORPUS / name).read_bytes())


@pytest.mark.corpus
def test_corpus_encoding_traps() -> None:
    assert _corpus_items("rss/feedparser_win1252_smartquote.xml")[0].body == ["don’t"]
    assert _corpus_items("rss/feedparser_double_encoded.xml")[0].body == ["…"]
    latin = _corpus_items("rss/cerclepsy_fr_no-decl_latin1.xml")
    assert any("études" in p for p in latin[0].body)
    uol = _corpus_items("rss/uol_pt_no-decl_latin1.rss")
    assert "simulações" in (uol[0].headline or "")
    assert uol[0].published_at is not None and uol[0].published_at.isoformat() == (
        "2018-09-24T22:42:40+00:00"
    )
    golem = _corpus_items("rss/golem_de_iso-8859-1.xml")
    assert golem[0].body[0].startswith("Viele Spieler wünschen sich")


@pytest.mark.corpus
def test_corpus_feed_structure() -> None:
    apa = _corpus_items("rss/apa-ots_de_2015.xml")
    assert apa[0].guid == "urn:newsml:apa.at:20150428:APA0473:1"
    assert apa[0].url == "20150428-APA0473-1.xml"  # relative links kept as given
    assert (
        apa[1].headline == "Tischtennis: Liu Jia 2 - Gardos/Habesohn klar ins Doppel-Achtelfinale"
    )
    assert apa[0].body == [] and apa[0].byline is None  # empty description; "wh" is a sign-off
    jn = _corpus_items("rss/jn_pt_iso-8859-1.rss")
    assert any(item.body == [] for item in jn), "entries whose description is only a pixel"
    assert not any("feedburner" in p for item in jn for p in item.body)
    assert jn[0].url and jn[0].url.startswith("https://www.jn.pt/")  # feedburner:origLink
    heise = _corpus_items("rss/heise_de_rss090.rdf")
    assert heise[0].url and heise[0].url.startswith("https://www.heise.de/newsticker/meldung/OLED")
    feedburner = _corpus_items("atom/feedburner_en.atom")
    assert feedburner[0].published_at is not None and feedburner[0].updated_at is not None
    assert "adwords_api" in feedburner[0].keywords
    assert feedburner[0].authors == ["Google Ads Developer Advisor"]
    assert feedburner[0].byline is None  # author strings are credited by the normalizer


# --------------------------------------------------------------------------- both readers agree


def _well_formed_documents() -> list[Any]:
    paths = sorted((FIXTURES / "rss").glob("*")) + sorted((FIXTURES / "atom").glob("*"))
    if CORPUS_FEEDS:
        paths += [CORPUS / line["file"] for line in CORPUS_FEEDS]
    documents = []
    for path in paths:
        if path.name.endswith(".expected.json"):
            continue
        raw = path.read_bytes()
        try:
            root = parse_xml(raw)
            _feeds.items_from_tree(root)
        except ParseError:
            continue
        documents.append(pytest.param(raw, id=path.name))
    return documents


# Where feedparser itself decides otherwise, by document and field: it lets a later dc:description
# override the item's own <description>; wiredesk keeps the feed's own element (the fixture's second item).
READERS_DIFFER = {"rdf_dc_title_description_nl.rdf": {"body"}}


@pytest.mark.parametrize("raw", _well_formed_documents())
def test_fast_path_matches_feedparser(raw: bytes, request: pytest.FixtureRequest) -> None:
    """The lxml reader is an optimisation only: feedparser must map every document the same way."""
    differ = READERS_DIFFER.get(request.node.callspec.id, set())
    fast = _feeds.items_from_tree(parse_xml(raw))
    slow = _feeds.parse_with_feedparser(raw, "rss")

    def fields(item: Any) -> dict[str, Any]:
        return {k: v for k, v in asdict(item).items() if k not in differ}

    assert [fields(item) for item in fast] == [fields(item) for item in slow]


def _generated_rss(entries: int) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><guid isPermaLink='false'>id-{i}</guid>"
        f"<pubDate>Mon, 05 Feb 2018 10:00:00 +0100</pubDate>"
        f"<description>&lt;p&gt;Paragraph {i}.&lt;/p&gt;</description></item>"
        for i in range(entries)
    )
    return f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()


def test_large_well_formed_feed_never_touches_feedparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("feedparser used for a well-formed feed")

    monkeypatch.setattr("feedparser.parse", refuse)
    items = parse_document(_generated_rss(1000))
    assert len(items) == 1000
    assert items[999].guid == "id-999" and items[999].body == ["Paragraph 999."]


def test_too_many_entries_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="over the limit"):
        parse_document(_generated_rss(MAX_ITEMS_PER_DOCUMENT + 1))


# --------------------------------------------------------------------------- hostile input


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads what the server saw

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leak "LEAKED">')

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_feedparser_fetches_nothing(local_server: str, tmp_path: Path) -> None:
    """External DTDs and entities are neither fetched nor read, even on the feedparser path."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    raw = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{local_server}/rss.dtd" [\n'
        f'<!ENTITY file SYSTEM "file://{secret}">\n<!ENTITY web SYSTEM "{local_server}/x">]>\n'
        "<rss version='2.0'><channel><item><title>t &file; &web;</title>"
        "<description>d &nbsp;</description></item></channel></rss>"
    ).encode()
    with pytest.raises(ParseError, match="declares entities"):
        parse_document(raw)
    items = _feeds.parse_with_feedparser(raw, "rss")  # the fallback on its own, guard bypassed
    assert "TOPSECRET" not in repr(items) and "LEAKED" not in repr(items)
    assert _Recorder.hits == []


def test_document_bytes_are_never_a_file_name_or_url(tmp_path: Path, local_server: str) -> None:
    """feedparser.parse(bytes) would open() a file of that name; we hand it a stream."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(_generated_rss(1))
    for raw in (str(feed).encode(), f"{local_server}/feed.xml".encode()):
        with pytest.raises(ParseError):
            rss.parse(raw)
    assert _Recorder.hits == []


def test_forced_format_keeps_what_the_document_is() -> None:
    raw = (FIXTURES / "rss" / "rss20_full_entry.xml").read_bytes()
    assert [item.source_format for item in atom.parse(raw)] == ["rss"]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"", None),
        (b"\xef\xbb\xbf", None),
        ("<?xml version='1.0' encoding='utf-16'?><rss version='2.0'/>".encode("utf-16"), "rss"),
        (b"<feed>", None),  # no Atom namespace
        (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "atom"),
        (b"<a:feed xmlns:a='http://www.w3.org/2005/Atom'/>", "atom"),
        (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>", None),
        (b"\x00\x01\x02", None),
        (b"<rss", None),
        (b"<?xml-stylesheet href='x.xsl'?><!-- c --><rss version='2.0'>", "rss"),
    ],
)
def test_sniffing_edge_cases(raw: bytes, kind: str | None) -> None:
    assert rss.can_parse(raw) is (kind == "rss")
    assert atom.can_parse(raw) is (kind == "atom")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_garbage_only_ever_raises_parse_error(raw: bytes) -> None:
    rss.can_parse(raw)
    atom.can_parse(raw)
    for module in (rss, atom):
        for document in (raw, b"<rss version='2.0'><channel><item><title>" + raw):
            with contextlib.suppress(ParseError):
                module.parse(document)


# --------------------------------------------------------------------------- feed kinds (issue 15)


def test_offset_less_dates_stay_naive_on_both_paths() -> None:
    """A value without an offset is the source's local time: neither reader attaches a zone."""
    assert _feeds._date("2024-05-07T14:30:00") == datetime(2024, 5, 7, 14, 30)
    # feedparser-only form (asctime without a zone): feedparser assumes UTC, we do not.
    assert _feeds._date("Tue May  7 14:30:00 2024") == datetime(2024, 5, 7, 14, 30)
    stated = _feeds._date("Tue, 07 May 2024 14:30:00 +0200")
    assert stated is not None and stated.utcoffset() is not None and stated.hour == 12


def test_agency_in_author_fields_is_credited_not_bylined() -> None:
    """Parser: author strings as given; normalizer: agencies credited through the table, persons kept."""
    raw = (
        "<rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'><channel>"
        "<item><title>Sturm über Norddeutschland</title><description>Hamburg - Ein Sturm.</description>"
        "<dc:creator>Deutsche Presse-Agentur</dc:creator><dc:creator>Jana Beispiel</dc:creator></item>"
        "</channel></rss>"
    ).encode()
    item = parse_document(raw)[0]
    assert item.authors == ["Deutsche Presse-Agentur", "Jana Beispiel"] and item.byline is None
    record = normalize(item)
    assert record.agencies == ["dpa"] and record.byline == "Jana Beispiel"


@pytest.mark.parametrize(
    ("content", "body"),
    [
        # Atom 1.0 content of a non-text, non-XML type is base64 (RFC 4287 4.1.3.3).
        ("<content type='application/octet-stream'>PHA+SGFsbG88L3A+</content>", ["Hallo"]),
        # Not UTF-8 text (a PNG signature): nothing, and the summary serves.
        ("<content type='image/png'>iVBORw0KGgo=</content><summary>Bild</summary>", ["Bild"]),
        # Not base64 at all: dropped, not shown as text.
        ("<content type='application/pdf'>%%% not base64 %%%</content>", []),
    ],
)
def test_atom_base64_content(content: str, body: list[str]) -> None:
    raw = (
        f"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>t</title>{content}</entry></feed>"
    )
    assert parse_document(raw.encode())[0].body == body


@pytest.mark.parametrize(
    "body",
    [
        "</body><head><title>Seite</title></head><body class='story'><p>Der Landtag hat das Gesetz "
        "beschlossen.</p><p>Die Opposition stimmte dagegen.</p></body>",
        "<div>Der Landtag hat das Gesetz beschlossen.</div></body><body><p>Die Opposition stimmte "
        "dagegen.</p>",
    ],
)
def test_item_body_with_two_bodies_is_read_not_lost(body: str) -> None:
    """lxml.html refuses a fragment with two ``body`` elements (an ``AssertionError``: a body pasted from a
    whole page); the item's text is still read, in order, without the page's title."""
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>lnw</title><item>'
        f"<title>Gesetz beschlossen</title><guid>lnw-1</guid><description>{escaped}</description>"
        "</item></channel></rss>"
    ).encode()
    (item,) = parse_document(feed, "rss")
    assert item.body == [
        "Der Landtag hat das Gesetz beschlossen.",
        "Die Opposition stimmte dagegen.",
    ]


def _rss_item(inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Diario</title><link>https://diario.example/</link><item>{inner}</item>"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    ("inner", "body"),
    [
        # content:encoded that is only a "read more" link: the description is the body
        (
            "<title>Nuevo plan de vivienda</title><description><![CDATA[El Gobierno aprobó el lunes un "
            "plan de vivienda para jóvenes. <a href='https://diario.example/1'>Leer más »</a>]]>"
            "</description><content:encoded><![CDATA[<p><a href='https://diario.example/1'>Leer "
            "más</a></p>]]></content:encoded>",
            ["El Gobierno aprobó el lunes un plan de vivienda para jóvenes."],
        ),
        # content:encoded that only cuts the description short (its first sentence and an ellipsis)
        (
            "<title>Dürre erklärt</title><description><![CDATA[<p>Die Behörden haben in sechs Kreisen "
            "den Dürrenotstand erklärt.</p><p>Landwirte erhalten ab nächster Woche Hilfen.</p>]]>"
            "</description><content:encoded><![CDATA[<p>Die Behörden haben in sechs Kreisen den "
            "Dürrenotstand…</p>]]></content:encoded>",
            [
                "Die Behörden haben in sechs Kreisen den Dürrenotstand erklärt.",
                "Landwirte erhalten ab nächster Woche Hilfen.",
            ],
        ),
        # the teaser repeated as the full text's first paragraph is not doubled
        (
            "<title>Sciopero finito</title><description>I portuali sono tornati al lavoro.</description>"
            "<content:encoded><![CDATA[<p>I portuali sono tornati al lavoro.</p><p>L'accordo prevede "
            "aumenti del 4 per cento.</p>]]></content:encoded>",
            ["I portuali sono tornati al lavoro.", "L'accordo prevede aumenti del 4 per cento."],
        ),
        # a description that is only the page's address, or labelled addresses only: no body
        (
            "<title>Link</title><description><![CDATA[<a href='https://diario.example/2'>"
            "https://diario.example/2</a>]]></description>",
            [],
        ),
        (
            "<title>Link</title><description><![CDATA[<p>Article URL: <a href='https://x.example/a'>"
            "https://x.example/a</a></p><p>Comments URL: https://x.example/c</p>]]></description>",
            [],
        ),
        # the generator's footer naming the item's title (WordPress/Yoast, in the site's language)
        (
            "<title>Neue Schulgebäude für die Region</title><description><![CDATA[<p>Das Land "
            "investiert 40 Millionen Euro in neue Schulen [&#8230;]</p><p>Der Beitrag <a href="
            "'https://diario.example/3'>Neue Schulgebäude für die Region</a> erschien zuerst auf "
            "<a href='https://diario.example'>Diario</a>.</p>]]></description>",
            ["Das Land investiert 40 Millionen Euro in neue Schulen […]"],
        ),
    ],
)
def test_feed_body_is_the_text_not_links_or_furniture(inner: str, body: list[str]) -> None:
    (item,) = parse_document(_rss_item(inner), "rss")
    assert item.body == body


def test_picture_credit_is_not_the_story_credit_and_source_credits_the_agency() -> None:
    """Media RSS: the picture's description is the caption and its ``media:credit`` credits the picture
    only; an RSS ``source`` naming an agency credits the story through the agency table."""
    inner = (
        "<title>Vertice a Bruxelles sul bilancio</title><guid>ex-1</guid>"
        "<description>I ministri hanno raggiunto un accordo sul bilancio dopo una lunga notte di "
        "trattative.</description><media:content url='https://img.example/1.jpg' medium='image'>"
        "<media:description>I ministri al vertice di Bruxelles.</media:description>"
        "<media:credit role='photographer'>ANSA/Mario Rossi</media:credit></media:content>"
    )
    (item,) = parse_document(_rss_item(inner), "rss")
    record = normalize(item)
    assert record.caption == "I ministri al vertice di Bruxelles."
    assert record.agencies == [] and "I ministri al vertice" not in " ".join(record.body)
    sourced = _rss_item(inner + "<source url='https://www.afp.com/'>Agence France-Presse</source>")
    assert normalize(parse_document(sourced, "rss")[0]).agencies == ["AFP"]


def test_an_item_listed_twice_is_one_item_a_revision_is_kept() -> None:
    def item(text: str) -> str:
        return f"<item><title>Eduskunta hyväksyi budjetin</title><guid>stt-9</guid><description>{text}</description></item>"

    first, revised = "Eduskunta hyväksyi budjetin.", "Eduskunta hyväksyi budjetin äänin 101-88."
    raw = (
        "<rss version='2.0'><channel><title>t</title>"
        f"{item(first)}{item(first)}{item(revised)}</channel></rss>"
    ).encode()
    assert [i.body for i in parse_document(raw, "rss")] == [[first], [revised]]


@pytest.mark.parametrize("order", ["itunes-first", "dc-first"])
def test_itunes_author_only_without_the_feeds_own_author(order: str) -> None:
    itunes = "<itunes:author>Studio Podcast Radio</itunes:author>"
    creator = "<dc:creator>Agence France-Presse</dc:creator>"
    both = itunes + creator if order == "itunes-first" else creator + itunes
    raw = (
        "<rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'><channel><title>c</title>"
        f"<item><title>Le journal</title><guid>p-1</guid>{both}<description>Les titres du jour."
        "</description></item><item><title>Hors-série</title><guid>p-2</guid>"
        f"{itunes}<description>Un entretien.</description></item></channel></rss>"
    ).encode()
    first, second = parse_document(raw, "rss")
    assert first.authors == ["Agence France-Presse"]
    assert normalize(first).agencies == ["AFP"] and normalize(first).byline is None
    assert second.authors == ["Studio Podcast Radio"]


def test_html_entities_in_a_large_feed_are_read_not_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``&nbsp;``/``&eacute;`` (undefined in XML) are read as the characters by the fast reader, at any
    size: more tags than the feedparser fallback takes used to refuse the whole feed."""
    items = "".join(
        f"<item><title>Caf&eacute; {i}&nbsp;ouvert</title><guid>c-{i}</guid><description><![CDATA["
        + "<p>Le caf&eacute; <b>ouvre</b>.</p>" * 4
        + "]]></description></item>"
        for i in range(_feeds.MAX_RECOVERY_TAGS // 20)
    )
    raw = f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()
    assert raw.count(b"<") > _feeds.MAX_RECOVERY_TAGS
    monkeypatch.setattr(_feeds, "parse_with_feedparser", None)  # must not be reached
    parsed = parse_document(raw, "rss")
    assert len(parsed) == _feeds.MAX_RECOVERY_TAGS // 20
    assert parsed[0].headline == "Café 0 ouvert"
    assert parsed[0].body == ["Le café ouvre."] * 4


def test_feedparser_fallback_keeps_the_picture_description_out_of_the_body() -> None:
    raw = (FIXTURES / "rss" / "broken_media_caption_es.xml").read_bytes()
    (item,) = _feeds.parse_with_feedparser(raw, "rss")
    assert item.caption == "Vista del hemiciclo del Congreso durante la votación."
    assert item.body[0].startswith("MADRID, 30 nov (EFE).- El Pleno del Congreso")


def test_a_closing_sentence_repeating_a_short_title_is_text() -> None:
    inner = (
        "<title>Merkel tritt zurück</title><description><![CDATA[<p>Die Kanzlerin hat am Montag ihren "
        "Rücktritt angekündigt.</p><p>Beobachter sagen, Merkel tritt zurück.</p>]]></description>"
    )
    (item,) = parse_document(_rss_item(inner), "rss")
    assert item.body[-1] == "Beobachter sagen, Merkel tritt zurück."
