"""normalizers.agencies: the alias regex written for speed finds exactly what the plain one finds."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from normalizers import agencies
from normalizers.agencies import AGENCIES, ignorecase_variants

ALL_CHARACTERS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _plain_pattern() -> re.Pattern[str]:
    """The alias pattern as documented: every longer alias as ``(?i:alias)``."""
    names = sorted(
        {alias for row in AGENCIES for alias in (row.canonical, *row.aliases)},
        key=len,
        reverse=True,
    )
    parts = []
    for name in names:
        if len(name) <= 2:
            parts.append(re.escape(name))
        elif len(name) <= 5 and name.isupper() and name.isalpha():
            parts.append(f"{re.escape(name)}|{re.escape(name.lower())}")
        else:
            parts.append(f"(?i:{re.escape(name)})")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])")


FIRST_LETTERS = sorted(
    {alias[0] for row in AGENCIES for alias in (row.canonical, *row.aliases)}
    | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
)


@pytest.mark.parametrize("letter", FIRST_LETTERS)
def test_ignorecase_variants_are_what_ignorecase_matches(letter: str) -> None:
    """Exact for every letter an agency name starts with (and every ASCII letter, for new rows)."""
    found = set(re.findall(re.escape(letter), ALL_CHARACTERS, re.IGNORECASE))
    assert ignorecase_variants(letter) == found


def _lines() -> list[str]:
    lines = [
        "Berlin (dpa) - Die Regierung hat beschlossen.",
        "mit Material von dpa und AFP",
        "By The Associated Press",
        "ASSOCIATED PRESS WRITER",
        "\u212ayodo News reported",  # Kelvin sign for K
        "Agence France-Presse; ſid; İnterfax; ınterfax",
        "AP-Korrespondent, Ap, ap, AFP/jm, afp, Afp",
        "Deutsche Presse-Agentur (dpa-AFX), Reuters News Agency, thomson reuters",
        "ΑΠΕ-ΜΠΕ και ΑΠΕ, أ ف ب, Česká tisková kancelář, 360info",
    ]
    fixtures = Path(__file__).parent / "fixtures"
    for path in sorted(fixtures.rglob("*.expected.json")):
        lines.extend(line.strip(' ",') for line in path.read_text(encoding="utf-8").splitlines())
    return lines


def test_fast_alias_pattern_matches_like_the_plain_one() -> None:
    plain, fast = _plain_pattern(), agencies._alias_pattern()
    lines = _lines()
    assert len(lines) > 1000
    for line in lines:
        for variant in (line, line.upper(), line.lower()):
            assert [m.span() for m in fast.finditer(variant)] == [
                m.span() for m in plain.finditer(variant)
            ], variant
