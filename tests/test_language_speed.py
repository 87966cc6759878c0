"""normalizers.language: the shortcuts taken for speed give the plain definitions' answers."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from normalizers import language
from normalizers.language import MIN_LETTERS, has_enough_letters

_LETTER = re.compile(r"[^\W\d_]")
ALPHABET = "aAbBzZ éÉßẞİıΣσςΑαЖж漢字١٢3½² .,_-\u212a\u0345\n"


def _plain_fold(sample: str) -> str:
    upper = sum(map(str.isupper, sample))
    lower = sum(map(str.islower, sample))
    return sample.lower() if upper + lower and upper / (upper + lower) > 0.6 else sample


def _samples() -> list[str]:
    texts: list[str] = []
    for path in sorted((Path(__file__).parent / "fixtures").rglob("*.expected.json")):
        texts.extend(line.strip(' ",')[:300] for line in path.read_text("utf-8").splitlines())
    rng = random.Random(7)
    texts.extend(
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(20000)
    )
    texts.extend([t.upper() for t in texts[:2000]] + [t.lower() for t in texts[:2000]])
    return texts


@pytest.fixture(scope="module")
def samples() -> list[str]:
    return _samples()


def test_capitals_folded_as_the_plain_count_says(samples: list[str]) -> None:
    assert len(samples) > 20000
    assert [language._fold_capitals(s) for s in samples] == [_plain_fold(s) for s in samples]


def test_enough_letters_as_the_plain_count_says(samples: list[str]) -> None:
    got = [has_enough_letters(s) for s in samples]
    assert got == [len(_LETTER.findall(s)) >= MIN_LETTERS for s in samples]
    assert any(got) and not all(got)
