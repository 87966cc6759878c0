"""Kinds the normalizer fixes for every format: credits from author fields through the agency table,
offset-less times in the agency's zone, placeholders, a repeated headline, invisible marks, capitals and
tables in language detection (issues 14 and 15: K2, F09, F13, K4b, K9, F06/F10, text cleanup)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.parse_stage import parse_records
from normalizers.agencies import (
    AGENCIES,
    Agency,
    agency_for_host,
    agency_timezone,
    parse_credit_line,
    split_author,
)
from normalizers.language import detect_language, is_prose
from normalizers.normalize import localise, normalize, strip_author_trailer, strip_credit_lines
from normalizers.text import clean_field, clean_list, clean_text
from parsers.base import ParsedDateline, ParsedItem, ParsedRelated

PROSE_EN = [
    "The city council approved the new budget on Tuesday after a long debate about school funding.",
    "Opposition members said the plan would leave several districts without enough teachers next year.",
]


@pytest.mark.parametrize("row", AGENCIES, ids=[row.canonical for row in AGENCIES])
def test_every_row_zone_and_domains_are_usable(row: Agency) -> None:
    zone = agency_timezone(row.canonical)
    if row.timezone is None:
        assert zone is None
    else:
        assert zone is not None and str(zone) == row.timezone
        assert datetime(2024, 6, 1, 12, tzinfo=zone).utcoffset() is not None
    for domain in row.domains:
        assert agency_for_host(domain) == row.canonical
        assert agency_for_host("www." + domain) == row.canonical
        assert agency_for_host("not" + domain) is None


@pytest.mark.parametrize(
    ("author", "host", "agencies", "persons"),
    [
        ("Associated Press", None, ["AP"], []),
        ("THE ASSOCIATED PRESS", None, ["AP"], []),
        ("Deutsche Presse-Agentur", None, ["dpa"], []),
        ("Agencia EFE", None, ["EFE"], []),
        ("Agenzia Nazionale Stampa Associata", None, ["ANSA"], []),
        ("Le Figaro et AFP", "www.lefigaro.fr", ["AFP"], []),
        ("La Nación con AFP", "www.lanacion.com.ar", ["AFP"], []),
        ("Felix Muster und Jana Beispiel, dpa", None, ["dpa"], ["Felix Muster", "Jana Beispiel"]),
        ("By Maria Example, Associated Press Writer", None, ["AP"], ["Maria Example"]),
        ("Von Anna Beispiel, Online-Redakteurin", "www.example-zeitung.de", [], ["Anna Beispiel"]),
        ("Redakteur", None, [], []),
        ("Chefredakteurin", None, [], []),
        ("Senior Correspondent", None, [], []),
        ("n-tv NACHRICHTEN", "www.n-tv.de", [], []),
        ("ZEIT ONLINE", "www.zeit.de", [], []),
        ("di Mario Rossi", None, [], ["Mario Rossi"]),
        ("Di Maria Verdi", None, [], ["Di Maria Verdi"]),
        (
            "Anna Beispiel, Paris",
            None,
            [],
            ["Anna Beispiel"],
        ),  # a place is neither credit nor person
        ("Jane Doe <jane@example.com>", None, [], ["Jane Doe"]),
        ("jane@example.com (Jane Doe)", None, [], ["Jane Doe"]),
        ("jane@example.com", None, [], []),
        ("Schmidt", None, [], ["Schmidt"]),  # one word is a person only when it is all there is
        ("admin", None, [], []),
        ("Reuters", None, ["Reuters"], []),
        ("Sam Ple (Reuters)", None, ["Reuters"], ["Sam Ple"]),
        # a person, then the agency without a comma (AP/AAP/EFE author boxes)
        ("By REBECCA BOONE Associated Press", None, ["AP"], ["REBECCA BOONE"]),
        ("María López Agencia EFE", None, ["EFE"], ["María López"]),
        ("Tomasz Nowak PAP", None, ["PAP"], ["Tomasz Nowak"]),
        ("Anna Maria Reuters", None, [], ["Anna Maria Reuters"]),  # a surname, maybe
    ],
)
def test_split_author(
    author: str, host: str | None, agencies: list[str], persons: list[str]
) -> None:
    assert split_author(author, host) == (agencies, persons)


@pytest.mark.parametrize(
    ("line", "host", "agencies"),
    [
        ("Quelle: ntv.de, ino/dpa", None, ["dpa"]),
        ("Quelle: tagesschau.de, mit Material von AFP", None, ["AFP"]),
        ("SDA/sep", None, ["ATS"]),
        ("ZEIT ONLINE, dpa, AFP", "www.zeit.de", ["dpa", "AFP"]),
        ("Fonte: ANSA", None, ["ANSA"]),
        ("Fuente: Agencia EFE", None, ["EFE"]),
    ],
)
def test_credit_lines_with_site_and_initials(
    line: str, host: str | None, agencies: list[str]
) -> None:
    assert parse_credit_line(line, host) == agencies


def test_site_name_credit_needs_the_host() -> None:
    assert parse_credit_line("ZEIT ONLINE, dpa") is None


@pytest.mark.parametrize("word", ["Ana", "Sta.", "Agi", "Pti"])
def test_short_acronyms_are_not_capitalised_words(word: str) -> None:
    assert parse_credit_line(word) is None


def _page(**fields: object) -> ParsedItem:
    values: dict[str, object] = {
        "source_format": "html",
        "headline": "Budget",
        "body": list(PROSE_EN),
    }
    values.update(fields)
    return ParsedItem(**values)  # type: ignore[arg-type]


def test_authors_credit_agencies_and_persons_are_the_byline() -> None:
    record = normalize(_page(authors=["Jana Beispiel", "Associated Press"]))
    assert record.agencies == ["AP"]
    assert record.byline == "Jana Beispiel"


def test_job_title_and_site_name_are_never_credited() -> None:
    record = normalize(
        _page(
            authors=["Von Anna Beispiel, Online-Redakteurin", "Beispiel Zeitung"],
            url="https://www.beispiel-zeitung.de/politik/a1",
        )
    )
    assert record.agencies == []
    assert record.byline == "Anna Beispiel"


def test_byline_naming_an_agency_credits_it_and_stays() -> None:
    record = normalize(_page(byline="By The Associated Press"))
    assert record.agencies == ["AP"] and record.byline == "By The Associated Press"


def test_agency_site_credits_its_agency_when_nothing_else_does() -> None:
    record = normalize(_page(url="https://apnews.com/article/x"))
    assert record.agencies == ["AP"]
    assert normalize(_page(url="https://factuel.afp.com/doc.afp.com.X")).agencies == ["AFP"]
    assert normalize(_page(url="https://www.example.org/a")).agencies == []


def test_credit_line_with_site_name_leaves_the_body() -> None:
    record = normalize(
        _page(body=[*PROSE_EN, "Quelle: example.de, ab/AFP"], url="https://www.example.de/a")
    )
    assert record.body == PROSE_EN
    assert record.agencies == ["AFP"]


@pytest.mark.parametrize(
    ("agency", "local", "utc"),
    [
        ("STT", datetime(2022, 5, 10, 0, 30), datetime(2022, 5, 9, 21, 30, tzinfo=UTC)),
        ("Belga", datetime(2021, 6, 1, 12, 45), datetime(2021, 6, 1, 10, 45, tzinfo=UTC)),
        ("dpa", datetime(2024, 1, 15, 9, 0), datetime(2024, 1, 15, 8, 0, tzinfo=UTC)),
        ("AP", datetime(2023, 1, 24, 22, 2), datetime(2023, 1, 25, 3, 2, tzinfo=UTC)),
        ("Reuters", datetime(2023, 1, 24, 22, 2), datetime(2023, 1, 24, 22, 2, tzinfo=UTC)),
    ],
)
def test_offsetless_times_are_read_in_the_agency_zone(
    agency: str, local: datetime, utc: datetime
) -> None:
    assert localise(local, [agency]) == utc
    record = normalize(_page(agencies=[agency], published_at=local, updated_at=local))
    assert record.published_at == utc and record.updated_at == utc


def test_aware_times_are_never_moved() -> None:
    aware = datetime(2022, 5, 10, 0, 30, tzinfo=UTC)
    assert localise(aware, ["STT"]) == aware
    assert localise(datetime(2022, 5, 10, 0, 30), []) == aware


@pytest.mark.parametrize(
    "value",
    [
        "No-Data-Available", "N/A", "none", "-", "unknown", " n/a ",
        # other spellings and languages (issue 15, F13): every format, pages and feeds included
        "N.N.", "#N/A", "—", "n/d", "N/D", "(null)", "TBD", "onbekend", "okänd", "nieznany", "neznámý",
        "ismeretlen", "necunoscut", "άγνωστο", "невідомо", "Unknown author",
    ],
)  # fmt: skip
def test_placeholders_never_become_values(value: str) -> None:
    record = normalize(
        _page(
            kicker=value,
            caption=value,
            byline=value,
            dateline=ParsedDateline(place=value, date="MARCH 04, 2013"),
            keywords=[value, "Budget"],
            related=[ParsedRelated(title=value)],
        )
    )
    assert record.kicker is None and record.caption is None and record.byline is None
    assert record.dateline is not None and record.dateline.place is None
    assert record.dateline.date == "MARCH 04, 2013"
    assert record.keywords == ["Budget"] and record.related == []


def test_placeholder_words_inside_text_stay() -> None:
    assert clean_field("None of the above") == "None of the above"
    assert clean_list(["Unknown Pleasures"]) == ["Unknown Pleasures"]
    record = normalize(
        _page(byline="Von Nina Nowak", kicker="N-VA", keywords=["NN", "Unbekannte Täter"])
    )
    assert (record.byline, record.kicker) == ("Von Nina Nowak", "N-VA")
    assert record.keywords == ["NN", "Unbekannte Täter"]


@pytest.mark.parametrize("byline", ["By N/A", "Von unbekannt", "Por N/D", "by unknown"])
def test_an_author_label_before_a_placeholder_names_nobody(byline: str) -> None:
    record = normalize(_page(byline=byline, authors=[byline]))
    assert record.byline is None and record.agencies == []


@pytest.mark.parametrize(
    ("kicker", "first"),
    [
        (None, "Budget approved"),
        ("City hall", "City hall – Budget approved"),
        ("City hall", "City hall: Budget approved"),
    ],
)
def test_displayed_headline_repeated_in_body_is_dropped(kicker: str | None, first: str) -> None:
    record = normalize(_page(headline="Budget approved", kicker=kicker, body=[first, *PROSE_EN]))
    assert record.body == PROSE_EN


def test_headline_as_the_only_paragraph_stays() -> None:
    assert normalize(_page(headline="Budget approved", body=["Budget approved"])).body == [
        "Budget approved"
    ]


@pytest.mark.parametrize(
    "mark", ["\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u061c"]
)
def test_invisible_and_bidi_marks_leave_every_field(mark: str) -> None:
    assert clean_text(f"Ber{mark}lin") == "Berlin"
    record = normalize(
        _page(
            caption=f"Foto{mark}",
            ednotes=[f"Note{mark}"],
            keywords=[f"Wahl{mark}"],
            related=[ParsedRelated(title=f"Titel{mark}", teaser=f"Text{mark}")],
        )
    )
    assert record.caption == "Foto" and record.ednotes == ["Note"] and record.keywords == ["Wahl"]
    assert record.related[0].title == "Titel" and record.related[0].teaser == "Text"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("LE PRÉSIDENT DE LA RÉPUBLIQUE A ANNONCÉ CE SOIR SA DÉMISSION, SELON UN COMMUNIQUÉ", "fr"),
        (
            "DER BUNDESTAG HAT AM ABEND DAS NEUE GESETZ ZUR GRUNDSICHERUNG MIT KNAPPER MEHRHEIT BESCHLOSSEN",
            "de",
        ),
        ("IL GOVERNO HA APPROVATO STASERA IL DECRETO SULLE PENSIONI DOPO UNA LUNGA RIUNIONE", "it"),
        (
            "EL GOBIERNO HA APROBADO ESTA NOCHE LA REFORMA DE LAS PENSIONES TRAS UNA LARGA REUNIÓN",
            "es",
        ),
    ],
)
def test_capitals_are_judged_case_folded(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "paragraph",
    [
        "Baltimore;23;13;.639;_;_;8-2;L-1;16-6;7-7",
        "Bayern München 12 9 2 1 31:10 29",
        "Mexico: Ochoa, Herrera, Jimenez, Moreno, Salcedo, Guardado, Lozano, Vela",
        "Arsenal v Chelsea",
        "1. Hamilton (GBR) Mercedes 1:32:03.897",
    ],
)
def test_tables_and_name_lists_are_not_prose(paragraph: str) -> None:
    assert not is_prose(paragraph)


def test_tabular_copy_takes_the_declared_language_or_none() -> None:
    rows = [
        "Bayern München 12 9 2 1 31:10 29",
        "Borussia Dortmund 12 8 2 2 27:14 26",
        "RB Leipzig 12 7 3 2 25:12 24",
        "Mexico: Ochoa, Herrera, Jimenez, Moreno, Salcedo, Guardado, Lozano, Vela",
    ]
    assert normalize(_page(body=rows, headline="Tabelle")).language is None
    assert normalize(_page(body=rows, headline="Tabelle", language="de")).language == "de"
    assert normalize(_page(body=rows), language_hint="en").language == "en"


@pytest.mark.parametrize(
    ("opening", "date", "agency"),
    [
        ("Jan 30 (Reuters) - Gold rose on Tuesday", "Jan 30", "Reuters"),
        ("3 févr (AFP) - L'or a progressé mardi", "3 févr", "AFP"),
    ],
)
def test_credited_dateline_without_place_after_bullets(
    opening: str, date: str, agency: str
) -> None:
    body = [
        "* Spot prices may edge up",
        "* Investors eye the central bank",
        f"{opening} on demand.",
        *PROSE_EN,
    ]
    record = normalize(_page(body=body))
    assert record.dateline is not None
    assert (record.dateline.place, record.dateline.date) == (None, date)
    assert record.agencies == [agency]
    assert record.body[2] == opening.split(" - ", 1)[1] + " on demand."


def test_g2_provider_given_by_qcode_credits_and_places_local_time() -> None:
    """TT gives its provider as ``nprov:TT`` only: credited, and its offset-less time read in Stockholm."""
    from pathlib import Path

    from parsers import parse_document

    raw = (Path(__file__).parent / "fixtures/newsmlg2/tt_provider_qcode_only.xml").read_bytes()
    record = normalize(parse_document(raw)[0])
    assert record.agencies == ["TT"]
    assert record.published_at == datetime(2024, 1, 15, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "agencies"),
    [("ansa ab cd", ["ANSA"]), ("efe mr/jl", ["EFE"]), ("AFP/AB", ["AFP"]), ("TT gb/lk", ["TT"])],
)
def test_sign_off_lines_are_credits(line: str, agencies: list[str]) -> None:
    assert parse_credit_line(line) == agencies
    record = normalize(_page(body=[*PROSE_EN, line]))
    assert record.body == PROSE_EN and record.agencies == agencies


@pytest.mark.parametrize("line", ["AFP ist da", "Reuters sagt das", "ANSA ha detto", "AP and us"])
def test_short_prose_after_an_agency_is_no_sign_off(line: str) -> None:
    assert parse_credit_line(line) is None


@pytest.mark.parametrize(
    ("meta", "box", "byline", "agencies"),
    [
        # a line break between person and agency, the meta author repeating the person
        ('<meta name="author" content="Liam Chen, AAP">', "Liam Chen<br><span>Australian Associated Press</span>", "Liam Chen", ["AAP"]),
        # the meta author names only the agency; the box names the reporter
        ('<meta name="author" content="Agencia EFE">', "Por María López Agencia EFE", "María López", ["EFE"]),
        ("", "Tomasz Nowak<br>PAP", "Tomasz Nowak", ["PAP"]),
    ],
)  # fmt: skip
def test_author_box_beside_the_headline(
    meta: str, box: str, byline: str, agencies: list[str]
) -> None:
    page = (
        f'<!doctype html><html><head><meta charset="utf-8">{meta}<title>Storm closes ports</title></head>'
        f'<body><article><h1>Storm closes ports</h1><div class="author">{box}</div>'
        "<p>Ports along the coast were closed on Tuesday as a storm brought winds of up to 120 km/h, "
        "the maritime authority said in a statement.</p><p>Ferries will stay in harbour until Wednesday "
        "morning, when the winds are expected to ease, the authority added.</p></article></body></html>"
    ).encode()
    (record,) = parse_records(page, "https://coastnews.example/storm", format_name="html")
    assert (record.byline, record.agencies) == (byline, agencies)


@pytest.mark.parametrize(
    ("tail", "agencies"),
    [
        (["(END)"], []),  # Yonhap
        (["Enditem", "Editor: Wang Li"], []),  # Xinhua
        (["ASR // JMR", "Lusa/Fim"], ["Lusa"]),
        (["(AGI)Ge1/Pgi"], ["AGI"]),
        (["-30-"], []),  # CP
        (["###"], []),
        (["ol"], []),  # Ukrinform desk codes
        (["ol/ks"], []),
        (["PTI ABC DEF"], ["PTI"]),  # PTI: agency, desk initials in capitals
        (["PTI SK RC"], ["PTI"]),
        (["(Schluss) rat/tsc"], []),  # APA end mark and initials
        (["(end) ta.gb"], []),  # KUNA
        (["JH (PMC) // HB"], []),  # Lusa
        (["EFE jrh/sbc (foto)(vídeo)"], ["EFE"]),
        (["EFE-EPA jrh/sbc"], ["EFE"]),  # EFE's English service
        (["/ВС/"], []),  # BTA initials between slashes
        (["/ИВ, ВЧ/"], []),
        (["/NF/"], []),
        (["jdoe@yna.co.kr", "(END)"], []),  # Yonhap: reporter's address, end mark
        (["(끝)"], []),
        (["（完）"], []),  # Xinhua Chinese
        (["-0-"], []),  # AP
        (["ENDS"], []),  # PA
        (["(MORE)"], []),
        (["burs-jm/lth"], []),  # AFP desk initials
        (["jw mbh"], []),
        (["--(spa)"], ["Saudi Press Agency"]),
        (["(AA)"], ["Anadolu"]),
        (["--SPA"], ["Saudi Press Agency"]),  # a dash before the credit
        (["ВВ/ОЛ"], []),  # Ukrinform's Cyrillic initials
        (["*** ENDE ***"], []),  # end marks between dashes or stars
        (["-- END --"], []),
        (
            ["(Schluss) rat/tsc", "APA0312 2024-12-05/11:20"],
            [],
        ),  # APA: end mark, transmission stamp
        (["AFP 051120 GMT Dec 24"], []),
        (["(النهاية) ع ب"], []),  # KUNA Arabic: end mark and the desk's initials
        # AP's rights notice after the story
        (
            [
                "Copyright 2024 The Associated Press. All rights reserved. This material may not be "
                "published, broadcast, rewritten or redistributed."
            ],
            ["AP"],
        ),
    ],
)
def test_end_marks_and_desk_codes_after_the_story_are_not_text(
    tail: list[str], agencies: list[str]
) -> None:
    story = ["Der Hafen bleibt bis Mittwoch geschlossen, teilte die Behörde mit."]
    assert strip_credit_lines(story + tail) == (story, agencies)


@pytest.mark.parametrize(
    "last",
    [
        "EU/NATO said the talks would go on.",
        "AFP Paris",
        "Ende gut, alles gut.",
        "Er wurde 78 Jahre alt.",
        "Die Polizei ermittelt.",
        "Kontakt: presse@example.org",
        "und so weiter",
        "nein",
        "(Reporting by Jane Doe in London; Editing by John Smith)",  # Reuters keeps it in the story
        "Mehr dazu: Seite 3",
        "Ende 2024 wird gewählt.",
        "Ende gut",
        "Fin de la partie",
        "Er kam am 2024-12-05 an",
    ],
)
def test_story_sentences_that_look_like_end_marks_stay(last: str) -> None:
    story = ["Die Gespräche gehen weiter.", last]
    assert strip_credit_lines(story)[0] == story


@pytest.mark.parametrize(
    ("kicker", "wanted_kicker", "agencies"),
    [
        ("Agência Lusa", None, ["Lusa"]),
        ("Polska Agencja Prasowa", None, ["PAP"]),
        ("Haushalt", "Haushalt", []),  # a real kicker stays
    ],
)
def test_a_kicker_that_is_only_an_agency_name_is_its_credit(
    kicker: str, wanted_kicker: str | None, agencies: list[str]
) -> None:
    record = normalize(_page(kicker=kicker))
    assert (record.kicker, record.agencies) == (wanted_kicker, agencies)


def test_a_headline_that_is_only_a_credit_gives_the_title_line_above_it() -> None:
    """A dump whose title stands above the agency's credit line: the parser reads the title as kicker and
    the credit as headline; the credit credits, the title is the headline (never a kicker over none)."""
    record = normalize(_page(kicker="Tribunal confirma los resultados", headline="Agencia EFE"))
    assert (record.kicker, record.headline) == (None, "Tribunal confirma los resultados")
    assert record.agencies == ["EFE"]


@pytest.mark.parametrize(
    ("tail", "author", "agencies"),
    [
        (
            ["autor: Jan Kowalski", "jk/ mhr/"],
            "Jan Kowalski",
            [],
        ),  # PAP: author line, desk initials
        (["Autor: Max Mustermann, dpa"], "Max Mustermann, dpa", []),
        (["Auteur : Marie Dupont", "AFP"], "Marie Dupont", ["AFP"]),
        (["Texto: Ana María López"], "Ana María López", []),
    ],
)
def test_an_author_line_after_the_story_is_the_byline(
    tail: list[str], author: str, agencies: list[str]
) -> None:
    story = [
        "Der Landtag hat am Dienstag das Gesetz beschlossen.",
        "Die Opposition stimmte dagegen.",
    ]
    body, credited = strip_credit_lines(story + tail)
    body, found = strip_author_trailer(body)
    assert found == author and credited == agencies
    assert strip_credit_lines(body)[0] == story


def test_lower_case_initials_alone_are_the_text() -> None:
    """A service message ``test test test`` is all there is: initials sign a story, never replace it."""
    assert strip_credit_lines(["test test test"]) == (["test test test"], [])
    assert strip_credit_lines(["Der Hafen bleibt zu.", "ol"]) == (["Der Hafen bleibt zu."], [])


@pytest.mark.parametrize(
    "last",
    ["Text: die Verfassung des Landes in ihrer Fassung von 1949", "Autor der Studie war er."],
)
def test_prose_after_a_label_is_not_an_author(last: str) -> None:
    story = ["Der Landtag hat am Dienstag das Gesetz beschlossen.", last]
    assert strip_author_trailer(story) == (story, None)


@pytest.mark.parametrize(
    ("last", "author", "agencies"),
    [
        # Agerpres: credit, desk code, then the story's roles
        ("AGERPRES/(AS - autor: Ion Popescu, editor: Maria Ionescu)", "Ion Popescu", ["Agerpres"]),
        (
            "AGERPRES/(A - autor: Ion Popescu, editor: Maria Ionescu, editor online: Andrei Pop)",
            "Ion Popescu",
            ["Agerpres"],
        ),
        ("AGERPRES/(AS - author: Ion Popescu, editor: Maria Ionescu)", "Ion Popescu", ["Agerpres"]),
        ("AGERPRES (AS - editor: Maria Ionescu)", None, ["Agerpres"]),
        # English service: the Romanian desk's author, then the translating desk's
        (
            "AGERPRES (RO - author: Ion Popescu, editor: Maria Ionescu; EN - author: Andrei Pop, "
            "editor online: Ana Pop)",
            "Ion Popescu",
            ["Agerpres"],
        ),
        # TT and NTB: the reporter's signature with the agency
        ("Anna Svensson/TT", "Anna Svensson", ["TT"]),
        ("Kari Nordmann / NTB", "Kari Nordmann", ["NTB"]),
    ],
)
def test_a_signed_trailer_is_byline_and_credit(
    last: str, author: str | None, agencies: list[str]
) -> None:
    story = ["Guvernul a aprobat bugetul pe anul viitor.", "Opoziția a criticat decizia."]
    record = normalize(_page(body=[*story, last]))
    assert (record.body, record.byline, record.agencies) == (story, author, agencies)


@pytest.mark.parametrize(
    "last",
    [
        "Die Gespräche gehen weiter (Sprecher: 3 Minister).",
        "Mutter/Tochter",
        "(Mehr dazu: Seite 3)",
        "Ergebnis: 3:1 (Halbzeit: 1:0)",
    ],
)
def test_text_shaped_like_a_signed_trailer_stays(last: str) -> None:
    story = ["Der Landtag hat am Dienstag das Gesetz beschlossen.", last]
    record = normalize(_page(body=story))
    assert record.body == story and record.byline is None


@pytest.mark.parametrize(
    ("tail", "agencies", "byline"),
    [
        ("Enditem", [], None),
        ("(END)", [], None),
        ("ol/ks", [], None),
        ("==Kyodo", ["Kyodo"], None),
        ("EFE", ["EFE"], None),  # EFE's credit glued to the last sentence
        ("PTI ABC DEF", ["PTI"], None),
        ("AGERPRES/(AS - autor: Ion Popescu, editor: Maria Ionescu)", ["Agerpres"], "Ion Popescu"),
        ("Anna Svensson/TT", ["TT"], "Anna Svensson"),
        ("(ANSA).", ["ANSA"], None),  # ANSA closes its copy with its credit in brackets
        ("(AGI)", ["AGI"], None),
        ("(Agerpres)", ["Agerpres"], None),
    ],
)
def test_a_sign_off_joined_to_the_last_sentence_leaves_it(
    tail: str, agencies: list[str], byline: str | None
) -> None:
    """Line-wrapped copy joins a flush-left sign-off to the indented paragraph above it."""
    last = "Proiectul va fi trimis Parlamentului saptamana viitoare."
    record = normalize(_page(body=[PROSE_EN[0], f"{last} {tail}"]))
    assert record.body == [PROSE_EN[0], last]
    assert (record.agencies, record.byline) == (agencies, byline)


@pytest.mark.parametrize(
    "last",
    [
        "Er sagte das. Die Polizei ermittelt",
        "The index rose. (Reporting by Jane Doe; Editing by John Smith)",
        "Der Wert stieg. Im Vorjahr waren es 3 Prozent (Quelle: Statistikamt)",
        "Es gilt: Wer zuerst kommt, mahlt zuerst. AFP-Korrespondentin Maria Muster berichtet",
        "Der Vorsitzende stimmte dagegen. (SPD)",  # a party in brackets is no credit
        "Er wurde 78 Jahre alt (dpa).",  # inside the sentence: not glued after it
        "Il testo passa al Senato. (segue).",
    ],
)
def test_text_after_the_last_sentence_end_stays(last: str) -> None:
    record = normalize(_page(body=[PROSE_EN[0], last]))
    assert record.body == [PROSE_EN[0], last]


@pytest.mark.parametrize("declared", ["xx", "N/A", "none", "-"])
def test_a_placeholder_language_is_no_language(declared: str) -> None:
    record = normalize(_page(language=declared, body=["4,6 %"]))
    assert record.language is None


def test_naive_times_are_read_on_the_senders_clock() -> None:
    """An STT item crediting AFP in its dateline carries STT's (Helsinki) times, not Paris times; a
    story credited in its text only, with no provider, is read in that agency's zone."""
    naive = datetime(2024, 12, 10, 14, 0)
    relayed = normalize(
        ParsedItem(
            source_format="newsmlg2",
            headline="Talks resume",
            agencies=["STT"],
            body=["PARIS (AFP) - Officials said talks would resume next week after a pause."],
            published_at=naive,
        )
    )
    assert relayed.agencies == ["AFP"]
    assert relayed.published_at == datetime(2024, 12, 10, 12, 0, tzinfo=UTC)
    own = normalize(
        ParsedItem(
            source_format="iptc7901",
            headline="Talks resume",
            body=["PARIS (AFP) - Officials said talks would resume next week after a pause."],
            published_at=naive,
        )
    )
    assert own.published_at == datetime(2024, 12, 10, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["N/A", "unknown", "-", "N.N.", "none"])
def test_a_placeholder_credit_is_no_agency(value: str) -> None:
    """Line formats pass their header's source through as it is: a filler there credits nobody."""
    record = normalize(
        ParsedItem(
            source_format="iptc7901",
            headline="Talks resume",
            body=["Officials said talks would resume next week after a pause of two months."],
            agencies=[value],
        )
    )
    assert record.agencies == []


def test_a_credit_paragraph_is_never_split_into_pieces() -> None:
    """``(c) Copyright Thomson Reuters 2024`` is one credit line, not ``(c)`` and a glued credit."""
    record = normalize(_page(body=[*PROSE_EN, "(c) Copyright Thomson Reuters 2024"]))
    assert record.body == PROSE_EN and record.agencies == ["Reuters"]


@pytest.mark.parametrize(
    "last",
    [
        "(Fortsetzung folgt)",
        "(AMPLIARÁ)",
        "(SEGUE).",
        "(EINDE BERICHT)",
        "（了）",
        "(Foto) (Vídeo)",
        "jdoe@yna.co.kr (END)",
    ],
)
def test_continuation_marks_media_marks_and_addresses_are_not_text(last: str) -> None:
    record = normalize(_page(body=[*PROSE_EN, last]))
    assert record.body == PROSE_EN


def test_an_author_line_with_the_agency_in_brackets_gives_byline_and_credit() -> None:
    record = normalize(_page(body=[*PROSE_EN, "autor: Jan Kowalski (PAP)"]))
    assert (record.body, record.byline, record.agencies) == (PROSE_EN, "Jan Kowalski", ["PAP"])


def test_the_dpa_notepad_after_the_story_is_ednotes() -> None:
    notes = ["## Redaktionelle Hinweise", "- Zusammenfassung bis 16.00 Uhr"]
    record = normalize(_page(body=[*PROSE_EN, "+++ dpa-Notizblock +++", *notes]))
    assert record.body == PROSE_EN and record.ednotes == notes


@pytest.mark.parametrize(
    ("author", "agencies", "persons"),
    [
        ("Redazione ANSA", ["ANSA"], []),
        ("Redacción EFE", ["EFE"], []),
        ("Redactie ANP", ["ANP"], []),
        ("EFE Madrid", ["EFE"], []),  # the agency and its bureau's city
        ("Europa Press Sevilla", ["Europa Press"], []),
        ("Lusa - Agência de Notícias de Portugal", ["Lusa"], []),
        ("TTXVN", ["VNA"], []),
        ("Agencias", [], []),
        ("AFP Jean Dupont", [], ["AFP Jean Dupont"]),  # two names after the agency: not a bureau
    ],
)
def test_desks_and_bureaus_credit_their_agency_and_are_no_person(
    author: str, agencies: list[str], persons: list[str]
) -> None:
    assert split_author(author) == (agencies, persons)


@pytest.mark.parametrize("author", ["Efe Yılmaz", "Ana Costa", "Pap Ndiaye"])
def test_a_first_name_spelled_like_an_agency_is_a_person(author: str) -> None:
    assert split_author(author) == ([], [author])


@pytest.mark.parametrize(
    ("headline", "signals"),
    [
        ("CORRECTED-UPDATE 2-Fed holds rates steady", ["correction", "update"]),
        ("UPDATE 1-Oil rises on supply worries", ["update"]),
        ("REFILE-Gold falls as dollar firms", ["refile"]),
        ("Update 2: Fed raises rates", []),  # not the marker form
        ("NATO-Gipfel beginnt in Den Haag", []),
    ],
)
def test_headline_markers_are_signals_too(headline: str, signals: list[str]) -> None:
    record = normalize(_page(headline=headline))
    assert record.signals == signals and record.headline == headline
