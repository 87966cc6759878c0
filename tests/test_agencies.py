"""The agency table: every row and alias resolves, credit lines are recognised, prose is not a credit."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from normalizers.agencies import (
    AGENCIES,
    Agency,
    canonical_agency,
    canonical_list,
    parse_credit_line,
    split_credit_suffix,
)
from normalizers.normalize import normalize
from parsers.base import ParsedItem


@pytest.mark.parametrize("row", AGENCIES, ids=[row.canonical for row in AGENCIES])
def test_every_alias_resolves_to_its_row(row: Agency) -> None:
    for alias in (row.canonical, *row.aliases):
        assert canonical_agency(alias) == row.canonical
        assert parse_credit_line(alias) == [row.canonical], alias
        assert parse_credit_line(f"({alias})") == [row.canonical], alias


def test_aliases_are_unique_across_rows() -> None:
    seen: dict[str, str] = {}
    for row in AGENCIES:
        for alias in (row.canonical, *row.aliases):
            key = alias.casefold()
            assert seen.setdefault(key, row.canonical) == row.canonical, alias


CREDITS = [
    ("AFP", ["AFP"]),
    ("dpa", ["dpa"]),
    ("dpa/AFP", ["dpa", "AFP"]),
    ("AFP/dpa", ["AFP", "dpa"]),
    ("(dpa)", ["dpa"]),
    ("© dpa-infocom, dpa:160928-99-123456/3", ["dpa"]),
    ("mit Material von dpa", ["dpa"]),
    ("Mit Material von dpa und AFP", ["dpa", "AFP"]),
    ("Quelle: sid/dpa", ["sid", "dpa"]),
    ("sid", ["sid"]),
    ("Associated Press", ["AP"]),
    ("THE ASSOCIATED PRESS", ["AP"]),
    ("(ats afp)", ["ATS", "AFP"]),
    ("(tca/dpa)", ["TCA", "dpa"]),
    ("==Kyodo", ["Kyodo"]),
    ("Copyright AFP. Alle Rechte vorbehalten.", ["AFP"]),
    ("Reporting by Reuters", ["Reuters"]),
    ("(dpa/lnw)", ["dpa"]),
    ("dpa/mm", ["dpa"]),
    ("AFP/jm", ["AFP"]),
    ("dpa-AFX/ab/he", ["dpa-AFX"]),
    # "Source:" in the languages of the table's agencies, Latin, Greek and Cyrillic
    ("Πηγή: ΑΠΕ-ΜΠΕ", ["ANA-MPA"]),
    ("Źródło: PAP", ["PAP"]),
    ("Sursa: AGERPRES", ["Agerpres"]),
    ("Джерело: Укрінформ", ["Ukrinform"]),
    ("Izvor: Hina i Reuters", ["HINA", "Reuters"]),
    ("Forrás: MTI", ["MTI"]),
]


@pytest.mark.parametrize(("line", "agencies"), CREDITS)
def test_credit_lines(line: str, agencies: list[str]) -> None:
    assert parse_credit_line(line) == agencies


@pytest.mark.parametrize(
    "line",
    [
        "Die AFP berichtete das am Mittwoch.",
        "Der dpa-Korrespondent war vor Ort und sah Rauch.",
        "ap",  # two-letter aliases only in their own case
        "",
        "Kommentare",
    ],
)
def test_prose_is_not_a_credit(line: str) -> None:
    assert parse_credit_line(line) is None


def test_canonical_list_splits_and_keeps_unknown() -> None:
    assert canonical_list(["dpa/AFP", "Nordwest-Zeitung", "AFP"]) == [
        "dpa",
        "AFP",
        "Nordwest-Zeitung",
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Sánchez anuncia un plan de vivienda | Agencia EFE",
            ("Sánchez anuncia un plan de vivienda", ["EFE"]),
        ),
        ("Regierung beschließt Haushalt - dpa", ("Regierung beschließt Haushalt", ["dpa"])),
        ("Noticias | Agencia EFE", ("Noticias", ["EFE"])),
        ("Biden - AP interview transcript", ("Biden - AP interview transcript", [])),
        ("Rom - Mailand - Neapel", ("Rom - Mailand - Neapel", [])),
        ("| AFP", ("| AFP", [])),
    ],
)
def test_credit_suffix_of_a_page_title(title: str, expected: tuple[str, list[str]]) -> None:
    assert split_credit_suffix(title) == expected


# Rows and full names added for issue 15 (F09: agencies whose offset-less times need their zone): each is
# credited by its full name in a credit line and places a naive time in its own zone.
ADDED = [
    ("Asian News International", "ANI", "Asia/Kolkata"),
    ("United News of India", "UNI", "Asia/Kolkata"),
    ("中新社", "China News Service", "Asia/Shanghai"),
    ("뉴시스", "Newsis", "Asia/Seoul"),
    ("Kazinform", "Kazinform", "Asia/Almaty"),
    ("Azerbaijan State News Agency", "AZERTAC", "Asia/Baku"),
    ("Armenpress", "Armenpress", "Asia/Yerevan"),
    ("Interpressnews", "Interpressnews", "Asia/Tbilisi"),
    ("Kabar News Agency", "Kabar", "Asia/Bishkek"),
    ("Montsame News Agency", "Montsame", "Asia/Ulaanbaatar"),
    ("Moldpres News Agency", "Moldpres", "Europe/Chisinau"),
    ("Mediafax", "Mediafax", "Europe/Bucharest"),
    ("Slovenská tlačová agentúra", "SITA", "Europe/Bratislava"),
    ("Novinska agencija Republike Srpske", "SRNA", "Europe/Sarajevo"),
    ("LaPresse", "LaPresse", "Europe/Rome"),
    ("Askanews", "Askanews", "Europe/Rome"),
    ("Agenzia Nova", "Agenzia Nova", "Europe/Rome"),
    ("Agenzia DIRE", "Agenzia Dire", "Europe/Rome"),
    ("Servimedia", "Servimedia", "Europe/Madrid"),
    ("Estadão Conteúdo", "Agência Estado", "America/Sao_Paulo"),
    ("Dow Jones Newswires", "Dow Jones Newswires", "America/New_York"),
    ("National News Agency Lebanon", "National News Agency", "Asia/Beirut"),
    ("Iraqi News Agency", "Iraqi News Agency", "Asia/Baghdad"),
    ("Oman News Agency", "Oman News Agency", "Asia/Muscat"),
    ("Bahrain News Agency", "Bahrain News Agency", "Asia/Bahrain"),
    ("Saba News Agency", "SABA", "Asia/Aden"),
    ("Sudan News Agency", "SUNA", "Africa/Khartoum"),
    ("Kenya News Agency", "Kenya News Agency", "Africa/Nairobi"),
    ("Ghana News Agency", "Ghana News Agency", "Africa/Accra"),
    ("Ethiopian News Agency", "Ethiopian News Agency", "Africa/Addis_Ababa"),
    ("African News Agency", "African News Agency", "Africa/Johannesburg"),
    ("Agência de Informação de Moçambique", "Agência de Informação de Moçambique", "Africa/Maputo"),
    # full names added to existing rows
    ("Agenția Națională de Presă", "Agerpres", "Europe/Bucharest"),
    ("Ukrainian National News Agency", "Ukrinform", "Europe/Kyiv"),
    ("Czech News Agency", "CTK", "Europe/Prague"),
    ("Hungarian News Agency", "MTI", "Europe/Budapest"),
    ("Croatian News Agency", "HINA", "Europe/Zagreb"),
    ("News Agency of the Slovak Republic", "TASR", "Europe/Bratislava"),
    ("Austria Presse-Agentur", "APA", "Europe/Vienna"),
    ("Agenzia Telegrafica Svizzera", "ATS", "Europe/Zurich"),
    ("Lusa Agência de Notícias", "Lusa", "Europe/Lisbon"),
    ("Belga News Agency", "Belga", "Europe/Brussels"),
    ("Yonhap News", "Yonhap", "Asia/Seoul"),
    ("연합뉴스", "Yonhap", "Asia/Seoul"),
    ("新华社", "Xinhua", "Asia/Shanghai"),
    ("共同通信", "Kyodo", "Asia/Tokyo"),
    ("時事通信", "Jiji", "Asia/Tokyo"),
    ("Saudi Press Agency", "Saudi Press Agency", "Asia/Riyadh"),
    ("SPA", "Saudi Press Agency", "Asia/Riyadh"),
    ("ATA", "Albanian Telegraphic Agency", "Europe/Tirane"),
]


@pytest.mark.parametrize(("credit", "canonical", "zone"), ADDED, ids=[a[0] for a in ADDED])
def test_added_agency_credits_and_places_naive_times(
    credit: str, canonical: str, zone: str
) -> None:
    assert parse_credit_line(f"({credit})") == [canonical]
    naive = datetime(2024, 7, 1, 12, 0)
    item = ParsedItem(
        source_format="nitf",
        headline="Talks resume",
        body=["Officials said talks would resume next week after a pause of two months.", credit],
        published_at=naive,
    )
    record = normalize(item)
    assert record.agencies == [canonical] and record.body == item.body[:1]
    assert record.published_at == naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.mark.parametrize("word", ["Mena", "Ina", "ona", "aim", "Ena", "map"])
def test_words_that_are_not_added_agencies(word: str) -> None:
    """Region names, names and ordinary words spelled like agency acronyms are not credits."""
    assert parse_credit_line(word) is None


@pytest.mark.parametrize(
    ("name", "agencies"),
    [
        ("yna.co.kr", ["Yonhap"]),
        ("www.kyodonews.net", ["Kyodo"]),
        ("http://www.aa.com.tr/", ["Anadolu"]),
        ("tt.se", ["TT"]),
        ("nordwest-zeitung.de", ["nordwest-zeitung.de"]),
    ],
)
def test_a_provider_named_by_its_domain(name: str, agencies: list[str]) -> None:
    assert canonical_list([name]) == agencies


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        (
            "Copyright 2024 The Associated Press. All rights reserved. This material may not be "
            "published, broadcast, rewritten or redistributed.",
            ["AP"],
        ),
        ("Copyright (c) 2024 Agencia EFE. Todos los derechos reservados.", ["EFE"]),
        (
            "© Agencia EFE 2024. Está expresamente prohibida la redistribución y la redifusión de este "
            "contenido sin su previo y expreso consentimiento.",
            ["EFE"],
        ),
        ("RIPRODUZIONE RISERVATA © Copyright ANSA", ["ANSA"]),
        ("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", ["Yonhap"]),
        ("© 2024 Lusa. Todos os direitos reservados.", ["Lusa"]),
        ("Wszelkie prawa zastrzeżone. PAP", ["PAP"]),
        ("© ČTK. Všechna práva vyhrazena.", ["CTK"]),
        ("© ANP 2024. Alle rechten voorbehouden.", ["ANP"]),
        ("© TT Nyhetsbyrån. Alla rättigheter förbehållna.", ["TT"]),
        ("© AA. Tüm hakları saklıdır.", ["Anadolu"]),
        ("© Укрінформ. Всі права захищені.", ["Ukrinform"]),
        ("© AGERPRES. Toate drepturile rezervate.", ["Agerpres"]),
        ("© MTI. Minden jog fenntartva.", ["MTI"]),
    ],
)
def test_rights_notices_of_agencies_are_credits(line: str, agencies: list[str]) -> None:
    """A rights reservation after the story is the agency's credit in any of its languages."""
    assert parse_credit_line(line) == agencies


@pytest.mark.parametrize(
    "line", ["AFP may not be", "Reuters or AP", "EFE sin su previo aviso", "AP and the rest"]
)
def test_ordinary_words_beside_an_agency_are_no_rights_notice(line: str) -> None:
    assert parse_credit_line(line) is None
