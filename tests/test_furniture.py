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
from parsers.furniture import OPENING_WORDS, RIGHTS_WORDS, fold_case, is_furniture

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


@pytest.mark.parametrize("words", ["rights", "opening"])
def test_fold_case_sees_every_character_ignorecase_matches_to_a_word_character(words: str) -> None:
    """Every code point IGNORECASE matches to a character of a pre-test word folds to that character."""
    chosen = RIGHTS_WORDS if words == "rights" else OPENING_WORDS
    for char in sorted({ch for word in chosen for ch in word}):
        for found in re.findall(re.escape(char), ALL_CHARACTERS, re.IGNORECASE):
            assert fold_case(found) == char, (char, found, hex(ord(found)))


def test_fold_case_keeps_positions() -> None:
    """A prefix test on the folded line is a prefix test on the line: one character for one, except the
    combining dot ``İ`` lowers to, which is dropped."""
    for char in ALL_CHARACTERS:
        assert len(fold_case(char)) <= 1 or char == "\u0130", hex(ord(char))
    assert fold_case("\u0130") == "i"


def test_opening_words_are_the_first_words_of_the_anchored_phrases() -> None:
    tables = (furniture.LINES, furniture.LEAD_INS, furniture.WALLS, furniture.PHOTO_CREDITS)
    for phrase in (p for t in tables for ps in t.values() for p in ps):
        stripped = phrase.strip(furniture._TRAILING)
        if stripped.startswith("#"):
            continue
        assert any(fold_case(stripped).startswith(word) for word in OPENING_WORDS), phrase


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
        "ANZEIGE: Jetzt kaufen",
        "Readmore: another story",
        "ſhare this article",
        "Kommentare (3)",
        "12 min read",
        "٣ min read",
        "Lesezeit: 4 Minuten",
        "Lesezeit:4Minuten",
        "L’essentiel",
        "Foto(s): dpa",
        "【関連記事】 ニュース",
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


def test_str_split_and_regex_whitespace_agree() -> None:
    """Feed and markup text is tidied with ``" ".join(text.split())`` instead of ``re.sub(r"\\s+", " ",
    text).strip()``: the same only while both mean the same characters by whitespace."""
    assert set(re.findall(r"\s", ALL_CHARACTERS)) == {c for c in ALL_CHARACTERS if c.isspace()}
