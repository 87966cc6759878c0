"""The agency table: every row and alias resolves, credit lines are recognised, prose is not a credit."""

from __future__ import annotations

import pytest

from normalizers.agencies import (
    AGENCIES,
    Agency,
    canonical_agency,
    canonical_list,
    parse_credit_line,
    split_credit_suffix,
)


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
