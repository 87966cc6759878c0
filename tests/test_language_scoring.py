"""The two ways ``normalizers.language_profiles`` sums a sample's n-grams give the same floats.

The first ``VECTORISE_AFTER`` samples of a process are scored in pure Python (``wiredesk parse`` on one file
never imports numpy), later ones with numpy. Both must add the same float32 rows in the same order, so
the sums must be equal bit for bit, and ``detect_language`` must answer the same either way.
"""

from __future__ import annotations

import random
import struct
from array import array
from collections.abc import Iterator

import pytest

from normalizers import language_profiles
from normalizers.language import DESK_LANGUAGES, detect_language

SAMPLES = [
    "Die Bundesregierung hat am Mittwoch neue Regeln für den Schutz der Wälder beschlossen.",
    "The government on Wednesday approved new rules to protect the country's forests.",
    "Le gouvernement a adopté mercredi de nouvelles règles pour protéger les forêts du pays.",
    "Primer párrafo del segundo texto.",
    "Regeringen godkendte onsdag nye regler for beskyttelse af landets skove.",
    "Regjeringen vedtok onsdag nye regler for å beskytte landets skoger.",
    "Правительство в среду одобрило новые правила защиты лесов страны.",
    "Η κυβέρνηση ενέκρινε την Τετάρτη νέους κανόνες για την προστασία των δασών.",
    "NATO-GIPFEL IN VILNIUS: SELENSKYJ FORDERT KLARE BEITRITTSPERSPEKTIVE",
    "Hükümet çarşamba günü ülkenin ormanlarını korumak için yeni kuralları onayladı.",
]


def _random_texts(count: int) -> Iterator[str]:
    """Word salad over the samples' words: lengths and mixtures real text does not have."""
    words = " ".join(SAMPLES).split()
    rng = random.Random(7)
    for _ in range(count):
        yield " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))


def _bits(values: list[float]) -> list[bytes]:
    return [struct.pack("<f", value) for value in values]


def _parts(
    profiles: language_profiles.Profiles,
) -> tuple[tuple[str, ...], dict[str, int], array[float]]:
    return profiles.languages, profiles.rows, profiles.log_probabilities


@pytest.fixture
def profiles() -> language_profiles.Profiles:
    return language_profiles.load(DESK_LANGUAGES)


def test_pure_and_numpy_sums_are_bit_for_bit_equal(profiles: language_profiles.Profiles) -> None:
    np = pytest.importorskip("numpy")
    matrix = np.frombuffer(profiles.log_probabilities, dtype=np.float32).reshape(
        -1, len(profiles.languages)
    )
    compared = 0
    for text in [*SAMPLES, *_random_texts(300)]:
        grams = language_profiles.ngrams(language_profiles.prepare(text))
        rows = [profiles.rows[gram] for gram in grams if gram in profiles.rows]
        if not rows:
            continue
        pure = profiles._summed(rows).tolist()
        vectorised = matrix.take(rows, axis=0).sum(axis=0).tolist()
        assert _bits(pure) == _bits(vectorised), text
        compared += 1
    assert compared > 250


def test_scores_switch_to_numpy_after_enough_samples(
    profiles: language_profiles.Profiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    grams = language_profiles.ngrams(language_profiles.prepare(SAMPLES[0]))
    fresh = language_profiles.Profiles(*_parts(profiles))
    monkeypatch.setattr(language_profiles, "VECTORISE_AFTER", 1)
    pure = fresh.scores(grams)
    assert fresh._matrix is None
    vectorised = fresh.scores(grams)
    assert fresh._matrix is not None  # the second sample made the numpy view
    assert pure[1] == vectorised[1] > 0
    assert _bits(pure[0]) == _bits(vectorised[0])


def test_detection_answers_alike_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*SAMPLES, *_random_texts(120)]
    hints = (None, "de", "pt")
    profiles = language_profiles.Profiles(*_parts(language_profiles.load(DESK_LANGUAGES)))
    monkeypatch.setattr(language_profiles, "load", lambda languages: profiles)
    monkeypatch.setattr(language_profiles, "VECTORISE_AFTER", 10**9)
    pure = [detect_language(text, hint) for text in texts for hint in hints]
    assert profiles._matrix is None
    profiles.vectorise()
    vectorised = [detect_language(text, hint) for text in texts for hint in hints]
    assert pure == vectorised
    assert {"de", "en", "fr", "ru", "el", "tr"} <= set(pure)


def test_unknown_grams_only_score_nothing(profiles: language_profiles.Profiles) -> None:
    assert profiles.scores(["\x00\x01", "\x02"]) == ([0.0] * len(profiles.languages), 0)
