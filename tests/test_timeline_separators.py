"""Time lines whose parts are separated by middle dots, bullets, bars or dashes (parsers._timelines).

Pages print ``Published ... · Updated ...``, ``Aktualisiert · 24.01.2023``, ``Stand | ...``: the separator may
stand between two labelled parts, between a label and its time, or around the whole line, in any language
the grammar reads. Written for this project (no page copied).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers._timelines import SEPARATORS, TimeLine, looks_like_time_line, parse_time_line

SEPARATOR_CHARS = ["·", "•", "|", "–", "—", "‧", "∙", "⋅", "/"]


def test_separators_named_in_the_brief_are_known() -> None:
    assert set(SEPARATOR_CHARS) <= set(SEPARATORS)


@pytest.mark.parametrize("sep", SEPARATOR_CHARS)
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Published 3 March 2024 09:15 {sep} Updated 12:40",
            TimeLine(datetime(2024, 3, 3, 9, 15), datetime(2024, 3, 3, 12, 40)),
        ),
        (
            "Veröffentlicht am 03.03.2024, 09:15 Uhr {sep} Aktualisiert am 04.03.2024, 07:05 Uhr",
            TimeLine(datetime(2024, 3, 3, 9, 15), datetime(2024, 3, 4, 7, 5)),
        ),
        ("Aktualisiert {sep} 04.03.2024", TimeLine(None, datetime(2024, 3, 4))),
        ("Stand {sep} 04.03.2024 07:05 Uhr", TimeLine(None, datetime(2024, 3, 4, 7, 5))),
        ("Mis à jour le {sep} 4 mars 2024 à 07h05", TimeLine(None, datetime(2024, 3, 4, 7, 5))),
        (
            "Pubblicato il 3 marzo 2024 {sep} Aggiornato il 4 marzo 2024",
            TimeLine(datetime(2024, 3, 3), datetime(2024, 3, 4)),
        ),
        (
            "Publicado 3 de marzo de 2024 09:15 CET {sep} Actualizado 10:00 CET",
            TimeLine(
                datetime(2024, 3, 3, 8, 15, tzinfo=UTC), datetime(2024, 3, 3, 9, 0, tzinfo=UTC)
            ),
        ),
        ("{sep} 03.03.2024 {sep}", TimeLine(datetime(2024, 3, 3), None)),
    ],
)
def test_time_line_parts_separated_by_any_separator(
    sep: str, line: str, expected: TimeLine
) -> None:
    assert parse_time_line(line.format(sep=sep)) == expected


@pytest.mark.parametrize("sep", ["·", "•", "|", "–"])
def test_label_and_separator_alone_is_still_page_chrome(sep: str) -> None:
    assert looks_like_time_line(f"Aktualisiert {sep} vor 2 Stunden")
    assert looks_like_time_line(f"Updated {sep} 2 hours ago")


@pytest.mark.parametrize(
    "line",
    [
        "Berlin · Die Regierung hat am 3. März 2024 beschlossen, die Steuer zu senken.",
        "Score | 3 | 2",
        "Stand – 2022 lag die Zahl bei 300.",
    ],
)
def test_text_with_separators_is_not_a_time_line(line: str) -> None:
    assert parse_time_line(line) is None
