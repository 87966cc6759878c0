"""Rendered-page text dumps: hand-written fixtures checked as NORMALIZED records.

Each ``tests/fixtures/text/NAME.txt`` has ``NAME.expected.json`` beside it: ``{"format": "text", "records":
[{field: value, ...}]}`` with ``ArticleRecord`` field names (only the fields written are compared, datetimes as
ISO strings ending in ``Z``), or ``{"format": "text", "error": "substring of the ParseError reason"}``. The
text parser's job is judged by what an editor sees after normalization (dateline and credit handling are the
normalizers'), so the fixtures go through ``normalize`` too. An optional ``"parsed"`` list pins fields of
the ``ParsedItem`` itself (``parsers.base`` names; a naive datetime as ISO without ``Z``: the page gave no
zone).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from normalizers.normalize import normalize
from parsers import ParseError, detect_format, parse_document
from parsers.text import can_parse, is_menu_row, is_photo_credit, parse, parse_text
from tests.fixture_check import fixture_cases, item_as_dict


def _cases() -> list[Any]:
    return fixture_cases("text")


@pytest.mark.parametrize(("document", "expected_path"), _cases())
def test_text_fixture(document: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    raw = document.read_bytes()
    assert detect_format(raw) == expected["format"], "format sniffing"
    if "error" in expected:
        with pytest.raises(ParseError) as info:
            parse_document(raw, expected["format"])
        assert expected["error"] in info.value.reason
        return
    items = parse_document(raw)
    assert len(items) == len(expected["records"]), "record count"
    for index, (item, want) in enumerate(zip(items, expected["records"], strict=True)):
        got = normalize(item).to_dict()
        for key, value in want.items():
            assert key in got, f"record {index}: unknown field {key}"
            assert got[key] == value, f"record {index}: field {key}"
    if "parsed" in expected:
        assert len(expected["parsed"]) == len(items), "parsed item count"
    for index, (item, want) in enumerate(zip(items, expected.get("parsed", []), strict=False)):
        parsed = item_as_dict(item)
        for key, value in want.items():
            assert key in parsed, f"parsed item {index}: unknown field {key}"
            assert parsed[key] == value, f"parsed item {index}: field {key}"


def test_every_fixture_keeps_furniture_out_of_the_body() -> None:
    """No furniture heading, comment or credit ever lands in a body paragraph."""
    furniture = {
        "mehr zum thema", "das könnte sie auch interessieren", "lesen sie auch", "weitere artikel",
        "weitere nachrichten", "meistgelesen", "most read", "related", "comments", "lire aussi",
        "à lire aussi", "commentaires", "kommentare", "leserkommentare", "kommentar schreiben", "anzeige",
    }  # fmt: skip
    for case in fixture_cases("text"):
        document, expected_path = case.values
        if "error" in json.loads(expected_path.read_text(encoding="utf-8")):
            continue
        for item in parse_document(document.read_bytes()):
            for paragraph in normalize(item).body:
                lowered = paragraph.casefold()
                assert not any(lowered.startswith(word) for word in furniture), (
                    document,
                    paragraph,
                )


def test_crlf_and_lf_give_the_same_item() -> None:
    document = Path(__file__).parent / "fixtures" / "text" / "epd_de_crlf_lesen_sie_auch.txt"
    raw = document.read_bytes()
    assert b"\r\n" in raw
    assert parse(raw) == parse(raw.replace(b"\r\n", b"\n"))
    assert parse(raw) == parse(raw.replace(b"\r\n", b"\r"))


@pytest.mark.parametrize(
    "raw",
    [b"<html><body>x</body></html>", b'{"a": 1}', b"\x00\x01binary", b"12 34 56 78 90", b""],
)
def test_sniff_refuses_markup_json_binary_and_numbers(raw: bytes) -> None:
    assert not can_parse(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x00\x01\x02 not text", "binary"),
        (b"   \n\n\t ", "empty"),
        (b"Nur eine Zeile ohne Text dahinter", "no body text"),
    ],
)
def test_refusals_say_why(raw: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(raw)
    assert reason in info.value.reason


@pytest.mark.corpus
def test_text_parser_survives_every_corpus_file(corpus_dir: Path) -> None:
    """Forced onto real agency files of every format (XML, 7901, JSON ...), the fallback parser returns an
    item with body text or refuses with ParseError -- nothing else."""
    files = [p for p in sorted(corpus_dir.rglob("*")) if p.is_file() and p.suffix != ".jsonl"]
    assert files
    parsed = 0
    for path in files:
        try:
            items = parse(path.read_bytes())
        except ParseError as error:
            assert error.reason, path
            continue
        parsed += 1
        assert len(items) == 1 and items[0].body, path
    assert parsed > 0


_MARKDOWN = b"# Release notes\n\nThe parser now reads **time lines**.\n\n- one\n- two\n"
_MARKDOWN_LINKS = (
    b"Weekly digest\n\nSee [the report](https://example.org/report) and "
    b"[the data](https://example.org/data).\n"
)
_FENCED = b"How to run it:\n\n```\nmake run\n```\n"
_PIPE_TABLE = b"| Agency | Items |\n|---|---|\n| dpa | 12 |\n| AFP | 9 |\n"
_CSV = b"date,agency,headline\n2023-01-24,dpa,Sturm in Celle\n2023-01-25,AFP,Cargo au Havre\n"
_CSV_SEMICOLON = (
    b"Datum;Agentur;Ort\n24.01.2023;dpa;Celle\n25.01.2023;AFP;Le Havre\n26.01.2023;EFE;La Paz\n"
)
_TSV = b"id\ttitle\tlang\n1\tSturm deckt Dach ab\tde\n2\tCargo echoue\tfr\n"
_PYTHON = (
    b"import re\n\n\ndef parse(text):\n    value = re.sub(' ', '', text)\n    return value\n\n"
    b"class Parser:\n    pass\n"
)
_JS = b"function f(a) {\n  const b = a + 1;\n  return b;\n}\nmodule.exports = f;\n"
_SHELL = b"#!/bin/sh\necho hello\n"


@pytest.mark.parametrize(
    "raw",
    [
        _MARKDOWN,
        _MARKDOWN_LINKS,
        _FENCED,
        _PIPE_TABLE,
        _CSV,
        _CSV_SEMICOLON,
        _TSV,
        _PYTHON,
        _JS,
        _SHELL,
    ],
    ids=[
        "md",
        "md-links",
        "md-fence",
        "md-table",
        "csv",
        "csv-semicolon",
        "tsv",
        "python",
        "js",
        "sh",
    ],
)
def test_sniff_refuses_markdown_tables_and_source_code(raw: bytes) -> None:
    assert not can_parse(raw)


_FLASH = "PARIS (AFP) - LE PRÉSIDENT A ANNONCÉ LA DISSOLUTION DE L'ASSEMBLÉE NATIONALE."
_COMMA_PROSE = (
    "Berlin, Hamburg and Munich reported record heat, the weather service said, and warned of storms.\n"
    "In Cologne, Bonn and Düsseldorf, the fire brigades, police and rescue services were on alert.\n"
    "Farmers, foresters and gardeners, the minister said, should prepare for a dry summer.\n"
)


@pytest.mark.parametrize(
    "text",
    [
        _FLASH,
        "URGENT\n\nDISSOLUTION DE L'ASSEMBLÉE\n\n" + _FLASH,
        _COMMA_PROSE,
        "[Bild]\nDie Halle nach dem Sturm.\n\nSturm in Celle\n\nCelle (dpa) - Ein Sturm hat das Dach abgedeckt.",
        "[1]Logo [2]Home\n\nSturm in Celle\n\nCelle (dpa) - Ein Sturm hat das Dach abgedeckt.\n",
        "Interview\n\nSPIEGEL: Frau Ministerin, wie geht es weiter?\nMinisterin: Wir prüfen alles; "
        "Entscheidungen fallen im Herbst.\nSPIEGEL: Und bis dahin?\nMinisterin: Bis dahin gilt das Gesetz.",
        "Ticker\n\n* 10:02 Uhr: Die Polizei sperrt die Straße.\n* 10:15 Uhr: Die Feuerwehr ist vor Ort.\n",
    ],
    ids=[
        "flash",
        "caps-page",
        "comma-prose",
        "bracket-marker",
        "lynx-links",
        "interview",
        "ticker",
    ],
)
def test_sniff_still_takes_page_dumps(text: str) -> None:
    raw = text.encode("utf-8")
    assert can_parse(raw)
    assert detect_format(raw) == "text"
    assert parse(raw)[0].body


def test_flash_without_full_stop_is_body_not_heading() -> None:
    """K9/K3 on the parser side: an all-capitals flash opening with a dateline is body text."""
    item = parse("URGENT\n\nDISSOLUTION\n\nPARIS (AFP) - MACRON DISSOUT L'ASSEMBLÉE".encode())[0]
    assert item.headline == "DISSOLUTION"
    assert item.body == ["PARIS (AFP) - MACRON DISSOUT L'ASSEMBLÉE"]


@pytest.mark.parametrize(
    "lead",
    [
        "LOS ANGELES (AP) — Two gunmen went on shooting rampages",
        "Den Haag (dpa) - Der Strafgerichtshof bestätigt den Haftbefehl",
        "Frankfurt (Oder) (dpa) - Die Brücke bleibt gesperrt",
        "LA PAZ, 24 ene (EFE).- El Gobierno anuncia medidas",
        "ROMA, 24 GEN - Chiuse le scuole",
        "THE HAGUE, Jan 24 (Reuters) - Court orders release",
    ],
)
def test_dateline_leads_are_never_headings(lead: str) -> None:
    """K3, text side: with no heading above, a short unpunctuated dateline paragraph stays the first
    paragraph (the normalizer splits the dateline off), and it is a teaser in a related list."""
    item = parse(f"{lead}\n\nSecond paragraph of the story.".encode())[0]
    assert item.headline is None
    assert item.body[0] == lead
    page = f"Title\n\nFirst paragraph.\n\nAuch interessant\n\nOther story\n{lead}\n"
    related = parse(page.encode())[0].related
    assert [(r.title, r.teaser) for r in related] == [("Other story", lead)]


@pytest.mark.parametrize(
    ("line", "menu"),
    [
        ("Domov | Slovensko | Zahraničie | Ekonomika | Šport", True),  # TASR-style site menu
        ("Startseite > Politik > Ausland", True),  # breadcrumb
        ("Home / News / World / Europe", True),
        ("Politique · Économie · Culture · Sport", True),
        ("Ukraine | Analyse", False),  # a kicker: one separator
        ("Krieg in Nahost: Israel greift Ziele im Libanon an", False),
        ("24/7 | News | Live", False),  # digits: not a label row
        ("Biden says he will run / again / in 2024", False),
        ("Rom | Mailand · Neapel | Turin", False),  # mixed separators
        ("Er sagte: Ja. | Sie sagte: Nein. | Dann ging er.", False),  # sentences
        ("Αρχική / Πολιτική", True),  # two items from the home page
        ("Acasă / Politică", True),
        ("Strona główna » Kraj", True),
        ("Ukraine / Russland", False),  # two items, no home page: a kicker
    ],
)
def test_menu_rows(line: str, menu: bool) -> None:
    assert is_menu_row(line) is menu


def test_menu_row_is_not_taken_out_of_a_body() -> None:
    """Above the story a menu row is chrome; inside it ``Neuer / Kimmich / Upamecano`` is a line-up."""
    item = parse_text(
        "Startseite > Sport > Fußball\n\nBayern gewinnt das Spitzenspiel\n\n"
        "München (dpa) - Der FC Bayern hat das Spitzenspiel gegen Leverkusen mit 2:1 gewonnen.\n\n"
        "Aufstellung Bayern:\n\nNeuer / Kimmich / Upamecano / Davies\n\n"
        "Die Münchner bauten ihren Vorsprung an der Tabellenspitze damit auf fünf Punkte aus.\n"
    )
    assert item.headline == "Bayern gewinnt das Spitzenspiel" and item.kicker is None
    assert "Neuer / Kimmich / Upamecano / Davies" in item.body


@pytest.mark.parametrize(
    "line",
    [
        "Foto: Kay Nietfeld/dpa",
        "Fotografía: EFE/Martín Alipaz",
        "Fotografia: Lusa",
        "fot. PAP/Leszek Szymański",
        "Fotoğraf: AA",
        "Φωτογραφία: ΑΠΕ-ΜΠΕ",
        "Kuva: Lehtikuva",
        "Fotó: MTI/Koszticsák Szilárd",
        "(AP Photo/Jae C. Hong)",
        "AP Photo/Jae C. Hong",
        "REUTERS/Mike Blake",
        "AFP / Patrick T. Fallon",
        "Michael Kappeler/dpa",
    ],
)
def test_photo_credits_of_other_agencies_and_languages(line: str) -> None:
    assert is_photo_credit(line)
    page = f"World\n\nStorm hits the coast\n\n{line}\n\nPARIS (AFP) - A storm hit the coast on Thursday.\n"
    item = parse_text(page)
    assert (item.kicker, item.headline) == ("World", "Storm hits the coast")


@pytest.mark.parametrize(
    "line",
    [
        "dpa/AFP",
        "(dpa/lnw)",
        "Ukraine/Russland",
        "Hamburg/Berlin",
        "Politik",
        "Fotos der Woche aus Berlin",
    ],
)
def test_agency_credit_lines_and_kickers_are_not_photo_credits(line: str) -> None:
    assert not is_photo_credit(line)


@pytest.mark.parametrize(
    ("credit_line", "lead"),
    [
        ("Agencia EFE", "LA PAZ, 30 nov (EFE).- El Tribunal confirmó los resultados."),
        ("dpa", "Berlin (dpa) - Der Bundestag hat den Haushalt beschlossen."),
        ("Reuters", "THE HAGUE, Nov 30 (Reuters) - A Dutch court ruled on Monday."),
        ("Associated Press", "LOS ANGELES (AP) — A storm hit the coast on Thursday."),
        (
            "Agence France-Presse",
            "LA HAYE, 30 nov 2026 (AFP) - La Cour a condamné lundi un ancien chef.",
        ),
        (
            "Polska Agencja Prasowa",
            "Warszawa, 30.11.2026 (PAP) - Premier spotkał się z prezydentem.",
        ),
        ("ANSA", "(ANSA) - ROMA, 30 NOV - La Camera ha approvato oggi la manovra."),
    ],
)
def test_the_pages_credit_line_is_never_kicker_or_headline(credit_line: str, lead: str) -> None:
    for page in (
        f"Section\n\nThe headline of the story\n\n{credit_line}\n\n{lead}\n",
        f"Section\n\n{credit_line}\n\nThe headline of the story\n\n{lead}\n",
    ):
        item = parse_text(page)
        assert (item.kicker, item.headline) == ("Section", "The headline of the story")


def test_a_heading_that_only_shares_the_credits_initials_stays() -> None:
    """``Asia Pacific`` over an ``(AP)`` story is a kicker: no agency word in it."""
    item = parse_text("Asia Pacific\n\nStorm hits Manila\n\nMANILA (AP) — A storm hit the city.\n")
    assert (item.kicker, item.headline) == ("Asia Pacific", "Storm hits Manila")


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Af Mette Hansen", "Af Mette Hansen"),
        ("Av Anna Svensson, TT", "Av Anna Svensson, TT"),
        ("di Mario Rossi", "di Mario Rossi"),
        ("Autor: Jan Kowalski", "Jan Kowalski"),
        ("Auteur : Claire Exemple", "Claire Exemple"),
        ("Szerző: Kovács Anna", "Kovács Anna"),
    ],
)
def test_bylines_of_other_languages_are_never_the_headline(line: str, byline: str) -> None:
    page = (
        f"Section\n\nThe headline of the story\n\n{line}\n30.11.2026, 14:05\n\n"
        "Warszawa (PAP) - Rada Ministrów przyjęła w poniedziałek projekt ustawy budżetowej.\n"
    )
    item = parse_text(page)
    assert (item.kicker, item.headline, item.byline) == (
        "Section",
        "The headline of the story",
        byline,
    )
    assert item.published_at is not None


@pytest.mark.parametrize(
    "heading",
    [
        "Czytaj także",
        "Læs også",
        "Lue myös",
        "Lees ook",
        "Leia também",
        "Citește și",
        "Διαβάστε επίσης",
    ],
)
def test_related_headings_of_other_languages_end_the_body(heading: str) -> None:
    page = (
        "Section\n\nThe headline of the story\n\n"
        "Warszawa (PAP) - Rada Ministrów przyjęła w poniedziałek projekt ustawy budżetowej.\n\n"
        "Projekt trafi teraz do Sejmu.\n\n"
        f"{heading}\n\nSejm przyjął ustawę o podatkach\n"
    )
    item = parse_text(page)
    assert len(item.body) == 2
    assert [r.title for r in item.related] == ["Sejm przyjął ustawę o podatkach"]


@pytest.mark.parametrize(
    "lead",
    [
        "Târgu Mureş, 30 nov /Agerpres/ - Primăria a anunţat",  # credit between slashes
        "Велико Търново, 30 ноември /БТА/ - Общината обяви",
        "'s-Hertogenbosch (ANP) - De rechtbank heeft uitspraak gedaan",
        "LAS VEGAS (AP)—Casino workers walked off the job",
        "DEN HAAG (ANP): Kabinet gevallen na conflict over migratie",  # colon after the credit
    ],
)
def test_a_flash_with_a_dateline_of_other_forms_is_body_not_heading(lead: str) -> None:
    item = parse_text(f"Section\n\nThe headline of the story\n\n{lead}\n")
    assert (item.kicker, item.headline, item.body) == (
        "Section",
        "The headline of the story",
        [lead],
    )


def test_a_headline_with_a_bracket_and_colon_stays_a_headline() -> None:
    item = parse_text(
        "Ukraine (Video): Angriff auf Kiew\n\nKiew (dpa) - Russland hat Kiew angegriffen.\n"
    )
    assert item.headline == "Ukraine (Video): Angriff auf Kiew"


@pytest.mark.parametrize(
    "advisory",
    [
        "(Adds analyst comment, updates prices)",
        "(ATTN: ADDS governor comments in paras 3-4)",
        "(Ajoute réaction du gouvernement)",
        "(Aktualisiert mit Reaktionen)",
    ],
)
def test_an_advisory_between_headline_and_story_is_an_ednote(advisory: str) -> None:
    text = (
        f"Gold rises on safe-haven demand\n\n{advisory}\n\nBy Jane Roe\n\n"
        "LONDON, Nov 30 (Reuters) - Gold rose on Monday as investors sought safety from the turmoil.\n\n"
        "Spot gold was up 0.5% at midday in London, its highest level in three weeks."
    )
    item = parse_text(text)
    assert (item.kicker, item.headline) == (None, "Gold rises on safe-haven demand")
    assert item.ednotes == [advisory]


@pytest.mark.parametrize("label", ["EILMELDUNG", "FLASH", "URGENTE", "PILNE", "ACİL"])
def test_an_urgency_label_over_a_flash_is_its_signal_and_kicker_never_its_headline(
    label: str,
) -> None:
    item = parse_text(f"{label}\n\nBerlin (dpa) - BUNDESKANZLER TRITT ZURÜCK")
    assert (item.kicker, item.headline, item.signals) == (label, None, ["urgent"])
    assert item.body == ["Berlin (dpa) - BUNDESKANZLER TRITT ZURÜCK"]


def test_a_chinese_dump_reads_headline_time_and_body() -> None:
    """Full-width sentence ends are sentence ends: a Chinese page's paragraphs are not headings."""
    item = parse_text(
        "国际\n\n中国宣布新的经济刺激计划\n\n2026年11月30日 14:05\n\n"
        "北京11月30日电（记者 王明）中国政府30日宣布了一项新的经济刺激计划，总额达到一万亿元人民币，重点支持基础设施建设和消费。\n\n"
        "分析人士认为，这一计划将有助于稳定明年的经济增长，但地方政府债务问题仍然值得关注。\n"
    )
    assert (item.kicker, item.headline) == ("国际", "中国宣布新的经济刺激计划")
    assert item.published_at == datetime(2026, 11, 30, 14, 5) and len(item.body) == 2


@pytest.mark.parametrize(
    "advisory", ["(Actualisé avec la clôture de la Bourse)", "(Mise à jour avec le bilan)"]
)
def test_french_advisories_with_accents_are_ednotes(advisory: str) -> None:
    item = parse_text(
        f"Le CAC 40 termine en hausse\n\n{advisory}\n\n"
        "PARIS, 30 nov 2026 (AFP) - La Bourse de Paris a terminé en hausse lundi, portée par les valeurs "
        "bancaires.\n\nLe CAC 40 a gagné 1,2% à 7.512 points en clôture."
    )
    assert item.headline == "Le CAC 40 termine en hausse" and item.ednotes == [advisory]
