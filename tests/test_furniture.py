"""parsers.furniture: the speed pre-tests never change an answer.

``is_furniture`` skips its phrase regexes when a line cannot match them (first character, longest word of
a rights/notice phrase). These tests prove the pre-tests are exact: for every code point that IGNORECASE
matches to a letter of a pre-test, the pre-test sees that letter too; and on many lines, the fast and the
plain answer agree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from parsers import furniture
from parsers.furniture import RIGHTS_WORDS, fold_case, is_furniture

ALL_CHARACTERS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _plain(line: str) -> bool:
    """The answer without pre-tests: every phrase regex, as documented."""
    text = " ".join(line.split()).strip(furniture._TRAILING)
    if not text or len(text) > furniture.LEAD_IN_MAX_CHARS:
        return False
    found = furniture.patterns()
    return bool(
        found.line.match(text)
        or found.lead_in.match(text)
        or found.wall.match(text)
        or (len(text) <= furniture.MAX_PHOTO_CREDIT and found.photo_credit.match(text))
        or found.rights.search(text)
    )


def test_fold_case_sees_every_character_ignorecase_matches_to_a_rights_word_letter() -> None:
    letters = sorted({ch for word in RIGHTS_WORDS for ch in word})
    for letter in letters:
        for found in re.findall(re.escape(letter), ALL_CHARACTERS, re.IGNORECASE):
            assert fold_case(found) == letter, (letter, found, hex(ord(found)))


def test_opening_class_accepts_every_character_a_phrase_can_start_with() -> None:
    """A line whose first character the class refuses can match no anchored phrase pattern: every code
    point that IGNORECASE matches to a phrase's first character (as the phrase pattern writes it) passes."""
    accepted = set(furniture.patterns().opening.findall(ALL_CHARACTERS))
    tables = (furniture.LINES, furniture.LEAD_INS, furniture.WALLS, furniture.PHOTO_CREDITS)
    firsts = {p.strip(furniture._TRAILING)[:1] for t in tables for ps in t.values() for p in ps}
    for first in sorted(firsts - {""}):
        # the phrase pattern's first character: a digit for "#", either apostrophe, else the letter
        head = r"\d" if first == "#" else "['’]" if first in "'’" else re.escape(first)
        missing = set(re.findall(head, ALL_CHARACTERS, re.IGNORECASE)) - accepted
        assert not missing, (first, sorted(missing))


@pytest.mark.parametrize(
    "line",
    [
        "Alle Rechte vorbehalten.",
        "© 2024 Beispiel Verlag. ALLE RECHTE VORBEHALTEN",
        "Tous droits réservés",
        "Copyright 2023 The Example Times. All rights reserved",
        "Todos los derechos reservados",
        "Sie können sich jederzeit wieder abmelden.",
        "This site is protected by reCAPTCHA and the Google Privacy Policy",
        "We may earn a commission from links on this page.",
        "Lesen Sie auch: Ein anderer Artikel",
        "Leggi anche: un altro articolo",
        "Foto: dpa/Max Muster",
        "3 min read",
        "Anzeige",
        "The minister reserved judgement on the bill, she said on Tuesday.",
        "Der Rat hat sich die Entscheidung vorbehalten, sagte der Sprecher.",
        "Die Regierung will Kommissionen einsetzen.",
        "ALL RİGHTS RESERVED",
        "all rıghts reserved",
        "Aſſociated rights reserved",
        "",
        "   ",
    ],
)
def test_fast_answer_equals_plain_answer(line: str) -> None:
    assert is_furniture(line) == _plain(line)


def test_fast_answer_equals_plain_answer_on_fixture_paragraphs() -> None:
    lines: list[str] = []
    for path in sorted((Path(__file__).parent / "fixtures").rglob("*.expected.json")):
        text = path.read_text(encoding="utf-8")
        lines.extend(line.strip(' ",') for line in text.splitlines())
    assert len(lines) > 1000
    assert [is_furniture(line) for line in lines] == [_plain(line) for line in lines]
