"""Time lines of rendered pages (``parsers._timelines``) and how the text parser uses them (issue 15 K8)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from normalizers.normalize import normalize
from parsers._timelines import TimeLine, looks_like_time_line, parse_time_line
from parsers.text import TextDumpLayout, parse_text


def _utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _naive(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute)


@pytest.mark.parametrize(
    ("line", "published", "updated"),
    [
        # English: time before or after the date, 12-hour clocks, US and GMT zones
        ("Updated 10:02 PM EST, January 24, 2023", None, _utc(2023, 1, 25, 3, 2)),
        ("Published 6:21 AM EDT, June 5, 2023", _utc(2023, 6, 5, 10, 21), None),
        ("Updated 9:15 a.m. CST Jan. 24, 2023", None, _utc(2023, 1, 24, 15, 15)),
        ("Updated 11:40 PM PDT, Aug. 3, 2022", None, _utc(2022, 8, 4, 6, 40)),
        ("Posted 7:05 pm MST, March 2, 2023", _utc(2023, 3, 3, 2, 5), None),
        ("Updated 4:30 PM MDT, May 1, 2023", None, _utc(2023, 5, 1, 22, 30)),
        ("Updated 10:02 PM ET, January 24, 2023", None, _utc(2023, 1, 25, 3, 2)),
        ("Updated 10:02 PM ET, July 24, 2023", None, _utc(2023, 7, 25, 2, 2)),
        ("January 24, 2023 10:02 PM GMT", _utc(2023, 1, 24, 22, 2), None),
        ("24 January 2023, 14:05 BST", _utc(2023, 1, 24, 13, 5), None),
        ("Tue 24 Jan 2023 22.02 UTC", _utc(2023, 1, 24, 22, 2), None),
        ("Last updated: 24th January 2023 10:02 GMT+1", None, _utc(2023, 1, 24, 9, 2)),
        ("Posted 1/13/2023 9:00 am", _naive(2023, 1, 13, 9, 0), None),
        ("2023-01-24T22:02:00+01:00", _utc(2023, 1, 24, 21, 2), None),
        # Asia-Pacific zone abbreviations (Kyodo, Yonhap, AAP pages)
        ("Updated 6:10 PM JST, April 2, 2025", None, _utc(2025, 4, 2, 9, 10)),
        ("Published 2 April 2025, 18:10 AEST", _utc(2025, 4, 2, 8, 10), None),
        ("2025-04-02 18:10 KST", _utc(2025, 4, 2, 9, 10), None),
        ("Apr 2, 2025 | 18:10 JST", _utc(2025, 4, 2, 9, 10), None),
        # month names of pt, nl, pl, cs, sk, tr (genitive forms as dates print them)
        ("15 de outubro de 2025 14:32", _naive(2025, 10, 15, 14, 32), None),
        ("15 oktober 2025 14:32", _naive(2025, 10, 15, 14, 32), None),
        ("15 października 2025 14:32", _naive(2025, 10, 15, 14, 32), None),
        ("15. října 2025 14:32", _naive(2025, 10, 15, 14, 32), None),
        ("15. októbra 2025 14:32", _naive(2025, 10, 15, 14, 32), None),
        ("15 Ağustos 2025 14:32", _naive(2025, 8, 15, 14, 32), None),
        # German: Uhr, day-first, weekday names, MEZ/MESZ, both labels on one line
        ("Stand: 24.01.2023 22:02 Uhr", None, _naive(2023, 1, 24, 22, 2)),
        ("Aktualisiert am 24.01.2023, 22:02 Uhr", None, _naive(2023, 1, 24, 22, 2)),
        ("Freitag, 09.12.2016, 00:30 Uhr", _naive(2016, 12, 9, 0, 30), None),
        (
            "Veröffentlicht am Dienstag, 24. Januar 2023 um 22:02 Uhr MEZ",
            _utc(2023, 1, 24, 21, 2),
            None,
        ),
        ("Stand: 24.07.2023, 08:15 Uhr MESZ", None, _utc(2023, 7, 24, 6, 15)),
        (
            "Erstellt: 24.01.2023, 10:00 Uhr | Aktualisiert: 24.01.2023, 22:02 Uhr",
            _naive(2023, 1, 24, 10, 0),
            _naive(2023, 1, 24, 22, 2),
        ),
        # French: à, h, 1er, mis à jour on the same line, a later part with only a clock
        (
            "Publié le 24 janvier 2023 à 22h02, mis à jour le 25 janvier 2023 à 08h15",
            _naive(2023, 1, 24, 22, 2),
            _naive(2023, 1, 25, 8, 15),
        ),
        (
            "Publié le 24/01/2023 à 22h02 (mis à jour à 23h15)",
            _naive(2023, 1, 24, 22, 2),
            _naive(2023, 1, 24, 23, 15),
        ),
        ("Publié le 1er février 2023 à 9h", _naive(2023, 2, 1, 9, 0), None),
        ("Mis à jour le mardi 24 janvier 2023 à 22:02 CET", None, _utc(2023, 1, 24, 21, 2)),
        # Spanish: a las, de ... de, h
        ("Actualizado el 24 de enero de 2023 a las 22:02 CET", None, _utc(2023, 1, 24, 21, 2)),
        ("Publicado: 24/01/2023 - 20:15 h", _naive(2023, 1, 24, 20, 15), None),
        ("Actualizado el martes, 24 de enero de 2023, 22:02", None, _naive(2023, 1, 24, 22, 2)),
        # Italian: alle ore, alle
        ("Pubblicato il 24 gennaio 2023 alle ore 22:02", _naive(2023, 1, 24, 22, 2), None),
        ("Aggiornato il 24/01/2023 alle 22:02", None, _naive(2023, 1, 24, 22, 2)),
        ("Ultimo aggiornamento: 3 agosto 2023, 18:45 CEST", None, _utc(2023, 8, 3, 16, 45)),
        ("Actualizado 30/11/2026 14:05 h.", None, _naive(2026, 11, 30, 14, 5)),
        # pt, nl, pl, sv, da, no, fi, cs, sk, tr, ro, hu, el: labels, month and weekday names, the words
        # between date and time (às, om, kl., klo, ora, saat), Czech spaced and Hungarian year-first dates
        ("Atualizado em 30/11/2026 às 14h05", None, _naive(2026, 11, 30, 14, 5)),
        ("Publicado em 30 de novembro de 2026 às 14:05", _naive(2026, 11, 30, 14, 5), None),
        ("segunda-feira, 30 de novembro de 2026, 14:05", _naive(2026, 11, 30, 14, 5), None),
        ("Bijgewerkt op 30 november 2026 om 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Gepubliceerd op maandag 30 nov 2026 14:05", _naive(2026, 11, 30, 14, 5), None),
        ("Zaktualizowano 30.11.2026 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Opublikowano: 30 listopada 2026, 14:05", _naive(2026, 11, 30, 14, 5), None),
        ("Uppdaterad 30 november 2026 14.05", None, _naive(2026, 11, 30, 14, 5)),
        ("Publicerad 30 nov 2026 kl. 14.05", _naive(2026, 11, 30, 14, 5), None),
        ("Opdateret 30. november 2026 kl. 14.05", None, _naive(2026, 11, 30, 14, 5)),
        ("Oppdatert 30. november 2026 kl. 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Julkaistu 30.11.2026 klo 14.05", _naive(2026, 11, 30, 14, 5), None),
        ("Päivitetty 30. marraskuuta 2026 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Aktualizováno 30. listopadu 2026 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Publikováno 30. 11. 2026 14:05", _naive(2026, 11, 30, 14, 5), None),
        ("Aktualizované 30. novembra 2026 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Güncelleme: 30.11.2026 - 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Yayınlanma: 30 Kasım 2026 Pazartesi 14:05", _naive(2026, 11, 30, 14, 5), None),
        ("Frissítve: 2026. november 30., hétfő 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Actualizat: 30 noiembrie 2026, ora 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Frissítve: 2026. november 30. 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Közzétéve: 2026. 11. 30. 14:05", _naive(2026, 11, 30, 14, 5), None),
        ("Ενημερώθηκε 30 Νοεμβρίου 2026, 14:05", None, _naive(2026, 11, 30, 14, 5)),
        ("Δημοσίευση: 30.11.2026, 14:05 EET", _utc(2026, 11, 30, 12, 5), None),
        # published and updated on one line, zones of other regions
        (
            "Opublikowano: 30.11.2026, 14:05 | Aktualizacja: 30.11.2026, 16:10",
            _naive(2026, 11, 30, 14, 5),
            _naive(2026, 11, 30, 16, 10),
        ),
        (
            "Publicado 30/11/2026 14:05 Atualizado 30/11/2026 16:10",
            _naive(2026, 11, 30, 14, 5),
            _naive(2026, 11, 30, 16, 10),
        ),
        ("Updated 14:05 MSK, Nov 30, 2026", None, _utc(2026, 11, 30, 11, 5)),
        ("Published 9:15 AM CST, Nov. 30, 2026", _utc(2026, 11, 30, 15, 15), None),
        ("Updated 30 Nov 2026 14:05 (EET)", None, _utc(2026, 11, 30, 12, 5)),
        ("Published 30 Nov 2026 14:05 SAST", _utc(2026, 11, 30, 12, 5), None),
        ("Güncelleme: 30.11.2026 14:05 TRT", None, _utc(2026, 11, 30, 11, 5)),
        ("Atualizado em 30/11/2026 às 14h05 BRT", None, _utc(2026, 11, 30, 17, 5)),
        # full stops between the parts, a colon after the connector
        (
            "Originally published Nov. 30, 2026 at 9:15 a.m. PST. Updated 11:40 a.m.",
            _utc(2026, 11, 30, 17, 15),
            _utc(2026, 11, 30, 19, 40),
        ),
        (
            "Pubblicato il: 30/11/2026 14:05 - Ultimo aggiornamento: 30/11/2026 16:10",
            _naive(2026, 11, 30, 14, 5),
            _naive(2026, 11, 30, 16, 10),
        ),
        # spans run together by a browser copy
        ("November 30, 2026 2:05 PM GMTUpdated an hour ago", _utc(2026, 11, 30, 14, 5), None),
        ("November 30, 20262:05 PM GMTUpdated 2 hours ago", _utc(2026, 11, 30, 14, 5), None),
        # a relative part without a number sets nothing but keeps the line a time line
        ("November 30, 2026 / 9:15 AM / Updated an hour ago", _naive(2026, 11, 30, 9, 15), None),
    ],
)
def test_time_lines(line: str, published: datetime | None, updated: datetime | None) -> None:
    assert parse_time_line(line) == TimeLine(published, updated)


def test_a_declared_site_zone_places_zone_less_times() -> None:
    rome = ZoneInfo("Europe/Rome")
    assert parse_time_line("Pubblicato il 24 gennaio 2023 alle ore 22:02", rome) == TimeLine(
        _utc(2023, 1, 24, 21, 2)
    )
    # an explicit zone wins over the site's
    assert parse_time_line("Updated 10:02 PM EST, January 24, 2023", rome) == TimeLine(
        None, _utc(2023, 1, 25, 3, 2)
    )


@pytest.mark.parametrize(
    "line",
    [
        "Updated 2 hours ago",
        "Aktualisiert vor 3 Stunden",
        "31.02.2016",  # no such day
        "00.00.0000, 99:99 Uhr",
        "January 1, 0001 00:00",  # placeholder year
        "Published 01/02/2023 10:00",  # English numeric date, no US clock or zone: order unknown
        "Updated 10:02 PM",  # no day
        # relative times in other languages: time lines that give no date of their own
        "há 2 horas",
        "Atualizado há 2 horas",
        "Bijgewerkt 2 uur geleden",
        "2 godziny temu",
        "för 2 timmar sedan",
        "for 2 timer siden",
        "2 tuntia sitten",
        "před 2 hodinami",
        "2 saat önce",
        "acum 2 ore",
        "2 órája",
        "πριν από 2 ώρες",
        "Päivitetty 30.11. klo 14.05",  # no year
        "Uppdaterad i dag 14:05",
        # a clock on a named day: a time line without a date of its own
        "Heute, 14:05 Uhr",
        "Today 2:05 PM",
        "Ayer, 18:30",
        "Aujourd'hui à 14h05",
        "Dzisiaj, 14:05",
    ],
)
def test_time_lines_without_a_usable_instant_set_nothing(line: str) -> None:
    times = parse_time_line(line)
    if times is None:
        assert looks_like_time_line(line)
    else:
        assert times == TimeLine()


@pytest.mark.parametrize(
    "line",
    [
        "Der Stand der Dinge 2023",
        "Stand 2022 lag die Zahl bei 300.",
        "Berlin (dpa) - Am 24. Januar 2023 um 22 Uhr begann die Sitzung.",
        "24 Menschen starben bei dem Unglück",
        "Published in 2023 by the ministry, the report runs to 400 pages.",
        "LONDON, Jan 24 (Reuters) - Sterling rose",
        "Kapitel 3",
    ],
)
def test_story_text_is_not_a_time_line(line: str) -> None:
    assert parse_time_line(line) is None
    assert not looks_like_time_line(line)


@pytest.mark.parametrize(
    "line",
    [
        # Headlines that open with a word some page uses as a time label: no time follows it.
        "Update 2: Fed raises rates",
        "Aktualizacja Windows 11 już dostępna",
        "Aktualizace 2 pro Windows",
        "Güncelleme 3 yıl sonra geldi",
        "Publicado 3 libros en 2020",
        "Actualizare 2 la legea pensiilor",
        "Megjelent 2 új könyv",
        "Heute 20:15 Uhr im ZDF: Merz spricht über die Lage",
        "Gestern 3 Tore",
        "Ενημέρωση για 2 νέα μέτρα",
    ],
)
def test_headlines_opening_with_a_label_word_are_not_time_lines(line: str) -> None:
    assert parse_time_line(line) is None
    assert not looks_like_time_line(line)


def test_time_line_is_never_a_heading_and_naive_times_get_the_agency_zone() -> None:
    page = (
        "Energie\n\nGaspreise sinken weiter\n\nAggiornato 2 ore fa\n\nStand: 24.07.2023, 08:15 Uhr\n\n"
        "Hamburg (dpa) - Die Gaspreise für Haushalte sind im Juli erneut gesunken.\n\n"
        "Das Vergleichsportal rechnet mit weiteren Senkungen."
    )
    item = parse_text(page)
    assert (item.kicker, item.headline) == ("Energie", "Gaspreise sinken weiter")
    assert item.updated_at == _naive(2023, 7, 24, 8, 15)
    assert normalize(item).updated_at == _utc(2023, 7, 24, 6, 15)  # dpa: Berlin, summer time


def test_layout_zone_applies_to_the_text_parser() -> None:
    page = "Titolo della notizia\n\nPubblicato il 24 gennaio 2023 alle ore 22:02\n\nTesto della notizia."
    assert parse_text(page).published_at == _naive(2023, 1, 24, 22, 2)
    italian_site = TextDumpLayout(local_timezone="Europe/Rome")
    assert parse_text(page, italian_site).published_at == _utc(2023, 1, 24, 21, 2)


def test_a_place_before_the_time_line_is_not_a_heading() -> None:
    """``Madrid, 30 nov 2026 - 14:05 h``: the page's filing place, then its time."""
    page = (
        "Economía\n\nEl Ibex cierra en máximos\n\nMadrid, 30 nov 2026 - 14:05 h\n\n"
        "MADRID, 30 Nov. (EFE).- El Ibex 35 cerró este lunes en máximos anuales.\n"
    )
    item = parse_text(page)
    assert (item.kicker, item.headline) == ("Economía", "El Ibex cierra en máximos")
    assert item.published_at == _naive(2026, 11, 30, 14, 5)


@pytest.mark.parametrize(
    ("line", "published", "updated"),
    [
        ("2026年11月30日 14:05", datetime(2026, 11, 30, 14, 5), None),
        ("2026년 11월 30일 14:05", datetime(2026, 11, 30, 14, 5), None),
        ("입력 2026년 11월 30일 14:05", datetime(2026, 11, 30, 14, 5), None),
        ("更新：2026年11月30日 16:40", None, datetime(2026, 11, 30, 16, 40)),
    ],
)
def test_east_asian_dates(line: str, published: datetime | None, updated: datetime | None) -> None:
    found = parse_time_line(line)
    assert found is not None and (found.published, found.updated) == (published, updated)


def test_a_sentence_with_a_year_is_no_east_asian_time_line() -> None:
    assert parse_time_line("2026年には経済が回復する見込みだ。") is None
