"""Every dateline form DESIGN.md names, the corpus forms, and prose that must never be cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parse_stage import parse_records
from normalizers.dateline import split_dateline
from normalizers.record import Dateline

FIXTURES = Path(__file__).parent / "fixtures"

DATELINES = [
    # (paragraph start, place, date, agencies, rest starts)
    ("Moskau - Ungeachtet von", "Moskau", None, [], "Ungeachtet"),
    ("Moskau (AFP) - Russland will", "Moskau", None, ["AFP"], "Russland"),
    ("Berlin (dpa) - Die Regierung", "Berlin", None, ["dpa"], "Die Regierung"),
    ("München/London – Die Bank", "München/London", None, [], "Die Bank"),
    ("Montreal (dpa) - Mit seinem", "Montreal", None, ["dpa"], "Mit seinem"),
    ("Frankfurt (dpa-AFX) - Die Aktie", "Frankfurt", None, ["dpa-AFX"], "Die Aktie"),
    ("Genf (Reuters) - Die UN", "Genf", None, ["Reuters"], "Die UN"),
    ("Rom (KNA) - Papst Franziskus", "Rom", None, ["KNA"], "Papst"),
    ("Hannover (epd) - Die Landeskirche", "Hannover", None, ["epd"], "Die Landeskirche"),
    ("WASHINGTON (AP) — The president", "WASHINGTON", None, ["AP"], "The president"),
    ("PARIS, 28 sept 2016 (AFP) - Le gouvernement", "PARIS", "28 sept 2016", ["AFP"], "Le gouv"),
    ("LONDON, Sept 28 (Reuters) - Britain's", "LONDON", "Sept 28", ["Reuters"], "Britain"),
    ("FORT WASHINGTON, Pa. (AP) _ Nutrisystem", "FORT WASHINGTON, Pa.", None, ["AP"], "Nutri"),
    ("Nueva Delhi, 21 ene (EFE).- Una pareja", "Nueva Delhi", "21 ene", ["EFE"], "Una pareja"),
    ("MOSCOW, January 21. /TASS/. The Kremlin", "MOSCOW", "January 21", ["TASS"], "The Kremlin"),
    ("København /ritzau/: En 41-årig", "København", None, ["Ritzau"], "En 41"),
    ("(ANSA) - Rome, October 11 - Italian", "Rome", "October 11", ["ANSA"], "Italian"),
    ("SAITAMA, Japan, Dec. 9 Kyodo - Urawa", "SAITAMA, Japan", "Dec. 9", ["Kyodo"], "Urawa"),
    (
        "TORONTO, 26 mai 2020 (GLOBE NEWSWIRE) -- Le",
        "TORONTO",
        "26 mai 2020",
        ["GlobeNewswire"],
        "Le",
    ),
    ("Jan 3 (Reuters) - Flooding", None, "Jan 3", ["Reuters"], "Flooding"),
    ("ROSCOE, South Dakota (AP) — Robert", "ROSCOE, South Dakota", None, ["AP"], "Robert"),
    ("Wien (APA/dpa) - Das Filmfest", "Wien", None, ["APA", "dpa"], "Das Filmfest"),
    ("Paris (ats afp) - Le ministre", "Paris", None, ["ATS", "AFP"], "Le ministre"),
    ("San Diego (tca/dpa) - The Chiefs", "San Diego", None, ["TCA", "dpa"], "The Chiefs"),
    (
        "MADRID, 21 Nov. 2024 (Europa Press) - El primer",
        "MADRID",
        "21 Nov. 2024",
        ["Europa Press"],
        "El",
    ),
    ("لندن (أ ف ب) - أعرب", "لندن", None, ["AFP"], "أعرب"),
    ("Paris (ats afp) Les violences", "Paris", None, ["ATS", "AFP"], "Les violences"),
    ("(Sports Network) - With the Phillies", None, None, ["Sports Network"], "With the"),
    ("القدس, 25-11-2023 (أ ف ب) - وصل", "القدس", "25-11-2023", ["AFP"], "وصل"),
    # K3: with a credit, a place starting with an article-like word or with a bracketed qualifier is taken
    # as written.
    ("LOS ANGELES (AP) — In the course", "LOS ANGELES", None, ["AP"], "In the course"),
    ("Den Haag (dpa) - Der Strafgerichtshof", "Den Haag", None, ["dpa"], "Der Straf"),
    ("EL PASO, Texas (AP) — A gunman", "EL PASO, Texas", None, ["AP"], "A gunman"),
    ("LA PAZ, 3 jun (EFE).- El Gobierno", "LA PAZ", "3 jun", ["EFE"], "El Gobierno"),
    ("THE HAGUE, Nov 21 (Reuters) - Judges", "THE HAGUE", "Nov 21", ["Reuters"], "Judges"),
    ("Le Havre (AFP) - Un cargo", "Le Havre", None, ["AFP"], "Un cargo"),
    ("Las Vegas (dpa) - Die Show", "Las Vegas", None, ["dpa"], "Die Show"),
    ("Frankfurt (Oder) (dpa) - Die Stadt", "Frankfurt (Oder)", None, ["dpa"], "Die Stadt"),
    ("Halle (Saale) (epd) - Die Kirche", "Halle (Saale)", None, ["epd"], "Die Kirche"),
    ("DES MOINES, Iowa (AP) — The governor", "DES MOINES, Iowa", None, ["AP"], "The governor"),
    # Central and Eastern European agencies: no comma between place and date, month names in the genitive,
    # credits in mixed case, longer date parts; the date starts at the number or the name before it.
    ("Bratislava 30. novembra (TASR) - Vláda", "Bratislava", "30. novembra", ["TASR"], "Vláda"),
    ("Praha 1. prosince (ČTK) - Vláda dnes", "Praha", "1. prosince", ["CTK"], "Vláda dnes"),
    ("Zagreb, 30. studenoga (Hina) - Vlada je", "Zagreb", "30. studenoga", ["HINA"], "Vlada je"),
    (
        "Vilnius, lapkričio 30 d. (ELTA) - Vyriausybė",
        "Vilnius",
        "lapkričio 30 d",
        ["ELTA"],
        "Vyriausybė",
    ),
    ("Riga, 30. novembris (LETA) - Valdība", "Riga", "30. novembris", ["LETA"], "Valdība"),
    (
        "Budapest, 2026. november 30., szerda (MTI) - A kormány",
        "Budapest",
        "2026. november 30., szerda",
        ["MTI"],
        "A kormány",
    ),
    ("Sarajevo, 30. novembra (Fena) - Vijeće", "Sarajevo", "30. novembra", ["FENA"], "Vijeće"),
    ("LONDON Dec 1 (Reuters) - Oil rose", "LONDON", "Dec 1", ["Reuters"], "Oil rose"),
    # Cyrillic credits, in brackets or between slashes (Ukrinform, BTA, BelTA, Tanjug, TASS).
    ("Київ, 30 листопада (Укрінформ) - Уряд", "Київ", "30 листопада", ["Ukrinform"], "Уряд"),
    ("София, 30 ноември /БТА/ - Правителството", "София", "30 ноември", ["BTA"], "Правителството"),
    ("МИНСК, 30 ноября (БЕЛТА) - Правительство", "МИНСК", "30 ноября", ["BelTA"], "Правительство"),
    ("БЕОГРАД, 30. новембра (Танјуг) - Влада", "БЕОГРАД", "30. новембра", ["Tanjug"], "Влада"),
    ("МОСКВА, 30 ноября. /ТАСС/. Правительство", "МОСКВА", "30 ноября", ["TASS"], "Правительство"),
    ("NEW YORK Tuesday Dec 1 (AP) — Stocks", "NEW YORK", "Tuesday Dec 1", ["AP"], "Stocks"),
    # K3 with other agencies and places: lower-case particles inside a credited place, Dutch elided
    # articles, qualifiers inside a list of places, a dash set tight against the story, ``. -`` after EFE.
    ("Mülheim an der Ruhr (dpa/lnw) - Die Stadt", "Mülheim an der Ruhr", None, ["dpa"], "Die"),
    ("Alphen aan den Rijn (ANP) - De gemeente", "Alphen aan den Rijn", None, ["ANP"], "De"),
    ("Bergen op Zoom (ANP) - De gemeente", "Bergen op Zoom", None, ["ANP"], "De gemeente"),
    ("Kostelec nad Orlicí (ČTK) - Starosta", "Kostelec nad Orlicí", None, ["CTK"], "Starosta"),
    ("'s-Hertogenbosch (ANP) - De rechtbank", "'s-Hertogenbosch", None, ["ANP"], "De"),
    ("'S-HERTOGENBOSCH (ANP) - De rechtbank", "'S-HERTOGENBOSCH", None, ["ANP"], "De"),
    ("Frankfurt (Oder)/Berlin (dpa) - Die Bahn", "Frankfurt (Oder)/Berlin", None, ["dpa"], "Die"),
    ("LAS VEGAS (AP)—Casino workers", "LAS VEGAS", None, ["AP"], "Casino workers"),
    ("LA HAYE, 3 févr 2023 (AFP) — La Cour", "LA HAYE", "3 févr 2023", ["AFP"], "La Cour"),
    ("EL CAIRO, 30 Nov. (EFE). - El presidente", "EL CAIRO", "30 Nov", ["EFE"], "El presidente"),
    ("LA LOUVIÈRE (Belga) - Les cheminots", "LA LOUVIÈRE", None, ["Belga"], "Les"),
    ("SAN JOSÉ, 30 nov (EFE).- El Congreso", "SAN JOSÉ", "30 nov", ["EFE"], "El Congreso"),
    ("RIO DE JANEIRO, 30 nov (Lusa) - O carnaval", "RIO DE JANEIRO", "30 nov", ["Lusa"], "O"),
    (
        "LAS PALMAS DE GRAN CANARIA, 30 nov (EFE).- El Cabildo",
        "LAS PALMAS DE GRAN CANARIA",
        "30 nov",
        ["EFE"],
        "El Cabildo",
    ),
    (
        "Târgu Mureş, 30 nov /Agerpres/ - Primăria",
        "Târgu Mureş",
        "30 nov",
        ["Agerpres"],
        "Primăria",
    ),
    # ANSA's own pages print no credit: a real date (a month name, a numeric date) is evidence enough.
    ("LA SPEZIA, 30 NOV - Allerta meteo", "LA SPEZIA", "30 NOV", [], "Allerta"),
]


@pytest.mark.parametrize(
    ("text", "place", "date", "agencies", "rest"), DATELINES, ids=[d[0][:30] for d in DATELINES]
)
def test_dateline_forms(
    text: str, place: str | None, date: str | None, agencies: list[str], rest: str
) -> None:
    found = split_dateline(text)
    assert found is not None
    assert found.dateline.place == place
    assert found.dateline.date == date
    assert found.dateline.agencies == agencies
    assert found.rest.startswith(rest)


PROSE = [
    "Die Regierung - so hieß es - will sparen.",
    "Mehr als 100 Menschen - darunter Kinder - starben.",
    "Er sagte: Das ist gut.",
    "Im Januar - so der Bericht - stieg die Zahl.",
    "Paris. Der Präsident hat gesprochen.",
    "Es reagierte damit auf die Drohung Washingtons.",
    "Bundesverfassungsgericht entscheidet: NPD wird nicht verboten",
    "The company - which was founded in 1990 - said.",
    "Landquart (GR) - Ein Taureau",
    "Die Partei (SPD) Die Mitglieder stimmten ab.",  # unknown bracket content is no agency credit
    # Without a credit the grammar stays strict (K3).
    "Den Haag - Der Strafgerichtshof entschied.",
    "Frankfurt (Oder) - Die Stadt feiert.",
    "Die Polizei (dpa) - sagt, sie ermittle.",
    "In Berlin (dpa) - so hieß es - wird gebaut.",
    # A place without its comma before a number is a dateline only when a credit follows.
    "Berlin 2 Tore - und das Spiel war entschieden.",
    "Er sagte am 30. Mai - nein.",
    # Article-first places without credit or date, and tight dashes without a credit (K3).
    "The Hague has ruled - a decision long awaited.",
    "Los Angeles (the city) - has sued the company.",
    "LOS ANGELES — A storm hit the coast.",
    "WASHINGTON—The Senate voted.",
    "The match, 2 goals - and it was over.",
    "La Paz - capital of Bolivia - lies high.",
    "Mülheim an der Ruhr - Die Stadt plant.",
    "Große Koalition Streitet Über Haushalt (dpa) - Die Runde.",  # five name words: no place
    "",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_never_cut(text: str) -> None:
    assert split_dateline(text) is None


def test_a_mixed_case_credit_and_a_genitive_month_in_a_wire_story() -> None:
    """The same grammar reads datelines in every format: a Hina NITF story (``(Hina)``, ``studenoga``)."""
    raw = (FIXTURES / "nitf" / "hina_hr_dateline_mixed_case_credit.xml").read_bytes()
    (record,) = parse_records(raw, "hina.xml")
    assert record.dateline == Dateline("Zagreb", "30. studenoga", ["HINA"])
    assert record.agencies == ["HINA"]
    assert record.body[0].startswith("Vlada je u ponedjeljak")


def test_a_cyrillic_credit_in_a_wire_story() -> None:
    """An Ukrinform ninjs story: ``(Укрінформ)`` credits the agency, the date is not ``30 листопада (...)``."""
    raw = (FIXTURES / "ninjs" / "ukrinform_uk_cyrillic_credit.json").read_bytes()
    (record,) = parse_records(raw, "ukrinform.json")
    assert record.dateline == Dateline("Київ", "30 листопада", ["Ukrinform"])
    assert record.agencies == ["Ukrinform"] and record.language == "uk"
    assert record.body[0].startswith("Кабінет міністрів")


@pytest.mark.parametrize(
    ("text", "place", "date", "agencies"),
    [
        (
            "BRUSSEL 30/11 (BELGA) = De federale regering heeft een akkoord.",
            "BRUSSEL",
            "30/11",
            ["Belga"],
        ),
        (
            "BRUXELLES (Belga) = Le gouvernement fédéral a conclu un accord.",
            "BRUXELLES",
            None,
            ["Belga"],
        ),
        # an agency the table does not know, in the credit's slot after a date: not part of the date
        (
            "KATHMANDU, Nov 30 (RSS) - Nepal's parliament passed the budget.",
            "KATHMANDU",
            "Nov 30",
            [],
        ),
    ],
)
def test_equals_separator_and_unknown_credit_after_a_date(
    text: str, place: str, date: str | None, agencies: list[str]
) -> None:
    found = split_dateline(text)
    assert found is not None
    assert (found.dateline.place, found.dateline.date, found.dateline.agencies) == (
        place,
        date,
        agencies,
    )


@pytest.mark.parametrize(
    "text",
    [
        "a = b (x) = c",
        "The result was 3-2 (OT) - a win for the home side.",
        "Er sagte (SPD) - dass",
    ],
)
def test_no_dateline_without_a_place_credit_or_date(text: str) -> None:
    assert split_dateline(text) is None
