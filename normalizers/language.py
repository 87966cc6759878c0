"""Language detection with langdetect: deterministic, bounded, and silent when it cannot know.

langdetect is the slowest step of the pipeline (PERFORMANCE.md), so only the first ``MAX_CHARS`` characters
are read; its answers depend on a random seed, so the seed is fixed. A text with too few letters is not
judged at all ("Kommentare" alone is not Danish), and an answer below ``MIN_PROBABILITY`` is no answer.
"""

from __future__ import annotations

from functools import cache

from langdetect import DetectorFactory, detector_factory
from langdetect.lang_detect_exception import LangDetectException

MAX_CHARS = 1000
MIN_LETTERS = 25
MIN_PROBABILITY = 0.70
SEED = 0


@cache
def _factory() -> DetectorFactory:
    """langdetect's profiles, loaded once (about a second) for all 55 languages."""
    factory = DetectorFactory()
    factory.load_profile(detector_factory.PROFILES_DIRECTORY)
    factory.set_seed(SEED)
    return factory


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of ``text`` (the body), or ``hint`` when the text is too short to judge.

    ``hint`` (the document's declared language) never overrides a confident detection: agencies mislabel
    (ANSA tags English copy ``it``).
    """
    sample = text[:MAX_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return _normalise_code(hint)
    try:
        detector = _factory().create()
        detector.append(sample)
        candidates = detector.get_probabilities()  # each Detector seeds its own Random
    except LangDetectException:
        return _normalise_code(hint)
    if not candidates or candidates[0].prob < MIN_PROBABILITY:
        return _normalise_code(hint)
    return _normalise_code(str(candidates[0].lang))


def _normalise_code(code: str | None) -> str | None:
    """``de-DE`` -> ``de``; langdetect's ``zh-cn``/``zh-tw`` -> ``zh``; ``nb``/``nn`` -> ``no`` (as langdetect)."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    if base in {"nb", "nn"}:
        return "no"
    if len(base) == 2 and base.isalpha():
        return base
    return _ISO3.get(base)


_ISO3 = {"deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it",
         "nld": "nl", "dut": "nl", "swe": "sv", "fin": "fi", "dan": "da", "nor": "no", "nob": "no",
         "ara": "ar", "por": "pt", "rus": "ru", "pol": "pl", "tur": "tr", "ell": "el", "gre": "el"}  # fmt: skip
