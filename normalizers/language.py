"""Language detection with langdetect's profiles: deterministic, bounded, and silent when it cannot know.

``langdetect.detect`` was the slowest step of the pipeline (PERFORMANCE.md), so:

- only the first ``MAX_CHARS`` characters are read (300, about a lead paragraph: on the corpus and on 300
  generated stories the answers are the same as with 1,000 -- see ``bench/language.py``);
- the profile set is configurable (``WIREDESK_LANGUAGES``): by default the languages a European wire desk
  receives (``DESK_LANGUAGES``), ``all`` for langdetect's 55;
- the sample is scored in one deterministic pass over all its n-grams (``language_profiles``, ~0.15 ms);
  a clear winner (``CLEAR_MARGIN``) is the answer; a declared language (document metadata, else the feed's)
  is accepted without reading further when the first ``HINT_SAMPLE_CHARS`` clearly agree with it;
- a close call (Danish or Norwegian, Spanish or Portuguese on one short sentence) goes to langdetect's own
  sampling detector, as before: a declared language is accepted when a short sample (``HINT_SAMPLE_CHARS``)
  agrees with high confidence, otherwise the full sample decides and an answer below ``MIN_PROBABILITY`` is
  no answer.

langdetect's answers depend on a random seed, so it is fixed. A text with too few letters is not judged at
all ("Kommentare" alone is not Danish); the declared language, if any, stands for it. Text in capitals
(flashes, urgents) is judged case-folded: the profiles are learnt from mixed-case text, where upper-case
n-grams are rare and mislead (langdetect issue #74). Only prose is judged (:func:`prose_text`): team lists,
agate and result tables are names and numbers, not a language.
"""

from __future__ import annotations

import heapq
import os
import re
from functools import cache
from operator import itemgetter
from pathlib import Path

from langdetect import DetectorFactory, detector_factory
from langdetect.lang_detect_exception import LangDetectException

from normalizers import language_profiles

MAX_CHARS = 300
HINT_SAMPLE_CHARS = 150
# The deterministic pass reads all n-grams of its sample, so it needs less text than langdetect's sampling:
# 200 characters give the same answers as 300 on the corpus and generated stories (bench/language.py).
SCORED_CHARS = 200
HINT_SCORED_CHARS = 100
MIN_LETTERS = 25
MIN_PROBABILITY = 0.70
HINT_AGREEMENT = 0.95
# Mean log-likelihood lead per n-gram of the best language over the runner-up that counts as a clear answer.
# Real leads and paragraphs score 0.2-1.5; below 0.1 sit Danish/Norwegian and Spanish/Portuguese one-liners,
# where this pass alone can be wrong ("Primer párrafo del segundo texto." leans Portuguese): langdetect decides.
CLEAR_MARGIN = 0.1
SEED = 0
# langdetect averages 7 random trials by default; on the corpus and generated stories 3 give the same
# answers (bench/language.py) at less than half the cost, and MIN_PROBABILITY still guards the rest.
TRIALS = 3
# What agencies deliver to European desks: EU and neighbouring languages plus AFP/Reuters world services.
DESK_LANGUAGES = (
    "de", "en", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "no", "fi", "cs", "sk", "hu", "ro", "bg",
    "hr", "sl", "el", "tr", "ru", "uk", "ar", "ca", "et", "lv", "lt", "sq", "mk", "ur", "fa", "he", "zh-cn",
)  # fmt: skip


def configured_languages(environ: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """``WIREDESK_LANGUAGES``: comma-separated codes, or ``all`` (None = every profile langdetect has)."""
    value = (os.environ if environ is None else environ).get("WIREDESK_LANGUAGES", "").strip()
    if value.lower() == "all":
        return None
    if not value:
        return DESK_LANGUAGES
    return tuple(code.strip().lower() for code in value.split(",") if code.strip())


@cache
def _factory(languages: tuple[str, ...] | None) -> DetectorFactory:
    """langdetect's profiles for ``languages``, loaded once per set."""
    factory = DetectorFactory()
    directory = Path(detector_factory.PROFILES_DIRECTORY)
    if languages is None:
        factory.load_profile(str(directory))
    else:
        available = {p.name for p in directory.iterdir()}
        unknown = sorted(set(languages) - available)
        if unknown:
            raise ValueError(
                f"WIREDESK_LANGUAGES names languages langdetect has no profile for: {unknown}"
            )
        profiles = [(directory / code).read_text(encoding="utf-8") for code in languages]
        factory.load_json_profile(profiles)
    factory.set_seed(SEED)
    return factory


# At least MIN_LETTERS letters (``[^\W\d_]``; ``[\W\d_]`` is exactly everything else): matching stops at
# the MIN_LETTERS-th letter instead of listing every letter of the sample.
_ENOUGH_LETTERS = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{MIN_LETTERS}}}")


# Below this many letters a sample that the scoring pass cannot call clearly is left undecided (the declared
# language, else None): langdetect's sampling is sure of itself on a line of 25-45 letters and often wrong
# (``TERREMOTO DE MAGNITUD 7 SACUDE CHILE`` -> Italian, ``deprem istanbul'da hissedildi`` -> Portuguese,
# ``Benfica conquista o campeonato nacional de futebol`` -> Spanish). A flash of a sentence or two is longer.
MIN_SAMPLED_LETTERS = 45
_ENOUGH_TO_SAMPLE = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{MIN_SAMPLED_LETTERS}}}")


def has_enough_letters(text: str) -> bool:
    """Whether ``text`` holds at least ``MIN_LETTERS`` letters: enough to judge its language."""
    return _ENOUGH_LETTERS.match(text) is not None


def _best(sample: str) -> tuple[str, float] | None:
    try:
        detector = _factory(configured_languages()).create()
        detector.n_trial = TRIALS
        detector.append(sample)
        candidates = detector.get_probabilities()  # each Detector seeds its own Random
    except LangDetectException:
        return None
    if not candidates:
        return None
    return str(candidates[0].lang), float(candidates[0].prob)


def _clear_winner(sample: str) -> str | None:
    """The language of ``sample`` when one deterministic scoring pass separates it clearly, else None."""
    profiles = language_profiles.load(configured_languages())
    scores, known = profiles.scores(language_profiles.ngrams(language_profiles.prepare(sample)))
    if known == 0 or len(scores) < 2:
        return None
    best, second = heapq.nlargest(2, range(len(scores)), key=scores.__getitem__)
    if (scores[best] - scores[second]) / known < CLEAR_MARGIN:
        return None
    return profiles.languages[best]


_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")
_CAPITALS_SHARE = 0.6
# A paragraph is prose when at least this share of its words starts in lower case (German prose, with its
# capitalised nouns, sits near 0.5; a team list or a row of names near 0).
_PROSE_LOWER_SHARE = 0.25
_PROSE_MIN_WORDS = 4


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _fold_capitals(sample: str) -> str:
    """``sample`` in lower case when most of its cased letters are capitals, else unchanged.

    Most samples are decided by counting ASCII letters in C: with every non-ASCII character counted as a
    capital and only ASCII ones as lower case, the share of capitals can only be overestimated, so a low
    estimate settles it (the exact count per character runs only when it does not)."""
    ascii_only = sample.encode("ascii", "ignore")
    most_upper = len(sample) - len(ascii_only.translate(None, _ASCII_UPPER))
    least_lower = len(ascii_only) - len(ascii_only.translate(None, _ASCII_LOWER))
    if most_upper + least_lower and most_upper / (most_upper + least_lower) <= _CAPITALS_SHARE:
        return sample
    upper = sum(map(str.isupper, sample))
    lower = sum(map(str.islower, sample))
    return sample.lower() if upper + lower and upper / (upper + lower) > _CAPITALS_SHARE else sample


def _fold_turkish(sample: str, folded: str) -> str:
    """Turkish (and Azerbaijani) capitals fold their own way: dotted İ is i, plain I is dotless ı.
    ``str.lower`` gives i + U+0307 and i, which the profiles do not know (``HİSSEDİLDİ``)."""
    if folded is sample or "İ" not in sample:
        return folded
    return sample.replace("I", "ı").replace("İ", "i").lower()


def is_prose(paragraph: str) -> bool:
    """Whether ``paragraph`` reads as running text: enough words, a fair share of them starting in lower case
    (judged case-folded when the paragraph is in capitals), and more letters than digits and separators.
    Table rows (``Baltimore;23;13;.639``), agate, score lines and lists of names are not prose."""
    words = _WORD.findall(paragraph)
    if len(words) < _PROSE_MIN_WORDS:
        return False
    if sum(map(len, words)) < 0.6 * (len(paragraph) - paragraph.count(" ")):
        return False
    heads = "".join(map(itemgetter(0), words))
    lower = sum(map(str.islower, heads))
    cased = lower + sum(map(str.isupper, heads))
    if not cased:
        return True  # scripts without case (Arabic, CJK ...)
    if lower >= _PROSE_LOWER_SHARE * cased:
        return True
    return (
        sum(map(str.isupper, words)) > _CAPITALS_SHARE * cased
    )  # all-capitals copy: case says nothing


def prose_text(paragraphs: list[str], enough: int = MAX_CHARS) -> str:
    """The prose paragraphs of a body joined by newlines, up to ``enough`` characters (detection reads no
    more): what language detection should read."""
    chosen: list[str] = []
    size = 0
    for paragraph in paragraphs:
        if is_prose(paragraph):
            chosen.append(paragraph)
            size += len(paragraph) + 1
            if size >= enough:
                break
    return "\n".join(chosen)


# The languages langdetect has profiles for that write each script other than Latin (``zh-cn``/``zh-tw``
# as ``zh``). A text mostly in a script that none of the configured languages writes cannot be named by
# them: Korean read against the default desk set came out Chinese, Japanese Chinese.
_SCRIPTS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(f"[{ranges}]"), frozenset(codes))
    for ranges, codes in (
        ("\u0400-\u04ff", ("ru", "uk", "bg", "mk")),  # Cyrillic
        ("\u0370-\u03ff\u1f00-\u1fff", ("el",)),  # Greek
        ("\u0600-\u06ff\u0750-\u077f", ("ar", "fa", "ur")),  # Arabic
        ("\u0590-\u05ff", ("he",)),  # Hebrew
        ("\uac00-\ud7af\u1100-\u11ff\u3130-\u318f", ("ko",)),  # Hangul
        ("\u3040-\u30ff", ("ja",)),  # kana
        ("\u4e00-\u9fff", ("zh", "ja")),  # Han
        ("\u0e00-\u0e7f", ("th",)),  # Thai
        ("\u0900-\u097f", ("hi", "mr", "ne")),  # Devanagari
        ("\u0980-\u09ff", ("bn",)),  # Bengali
        ("\u0b80-\u0bff", ("ta",)),  # Tamil
        ("\u0c00-\u0c7f", ("te",)),  # Telugu
        ("\u0c80-\u0cff", ("kn",)),  # Kannada
        ("\u0d00-\u0d7f", ("ml",)),  # Malayalam
        ("\u0a80-\u0aff", ("gu",)),  # Gujarati
        ("\u0a00-\u0a7f", ("pa",)),  # Gurmukhi
    )
)


_NON_LATIN = re.compile("[\u0370-\u1fff\u3040-\u9fff\uac00-\ud7af]")


def _unnameable_script(sample: str, languages: tuple[str, ...] | None) -> bool:
    """Whether most letters of ``sample`` are in a script no language of ``languages`` writes (kana
    decides Japanese over Han: a Japanese text mixes both)."""
    if languages is None or sample.isascii():
        return False
    other = len(_NON_LATIN.findall(sample))
    if not other:
        return False  # speed: Latin letters only (accents included), as most copy is
    letters = sum(map(str.isalpha, sample))
    if other < 0.5 * letters:
        return False
    configured = _configured_codes(languages)
    counts = [(len(pattern.findall(sample)), codes) for pattern, codes in _SCRIPTS]
    kana = counts[5][0]
    for count, codes in counts:
        if count >= 0.5 * letters or (codes == {"zh", "ja"} and count + kana >= 0.5 * letters):
            if kana and codes == {"zh", "ja"}:
                codes = frozenset({"ja"})
            return not (codes & configured)
    return False


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of ``text`` (the body), or ``hint`` when the text is too short to judge.

    ``hint`` (the document's declared language) never overrides a confident detection: agencies mislabel
    (ANSA tags English copy ``it``). But detection only names the configured languages
    (``WIREDESK_LANGUAGES``): a declared language outside them, or a text in a script none of them writes,
    is answered with the declared language or None, never with the nearest configured one.
    """
    declared = _normalise_code(hint)
    head = text[:MAX_CHARS]
    sample = _fold_turkish(head, _fold_capitals(head))
    if not has_enough_letters(sample):
        return declared
    languages = configured_languages()
    if languages is not None and declared and declared not in _configured_codes(languages):
        return declared
    if _unnameable_script(sample, languages):
        return declared
    if declared and len(sample) > HINT_SCORED_CHARS:
        # A declared language needs only a short sample that clearly agrees (half the work).
        agreeing = _clear_winner(sample[:HINT_SCORED_CHARS])
        if agreeing is not None and _normalise_code(agreeing) == declared:
            return declared
    clear = _clear_winner(sample[:SCORED_CHARS])
    if clear is not None:
        return _normalise_code(clear)
    if _ENOUGH_TO_SAMPLE.match(sample) is None:
        return declared  # a short close call: no answer rather than a wrong one
    if declared and len(sample) > HINT_SAMPLE_CHARS:
        quick = _best(sample[:HINT_SAMPLE_CHARS])
        if quick and _normalise_code(quick[0]) == declared and quick[1] >= HINT_AGREEMENT:
            return declared
    best = _best(sample)
    if best is None or best[1] < MIN_PROBABILITY:
        return declared
    return _normalise_code(best[0])


@cache
def _configured_codes(languages: tuple[str, ...]) -> frozenset[str | None]:
    return frozenset(_normalise_code(code) for code in languages)


def _normalise_code(code: str | None) -> str | None:
    """``de-DE`` -> ``de``; langdetect's ``zh-cn``/``zh-tw`` -> ``zh``; ``nb``/``nn`` -> ``no`` (as langdetect)."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    if base in {"nb", "nn"}:
        return "no"
    base = _COUNTRY_FOR_LANGUAGE.get(base, base)
    if len(base) == 2 and base.isalpha():
        return base
    return _ISO3.get(base)


# Country codes pages declare as their language (``lang="kr"``, ``"jp"``): none of them is the language
# code of a language news is written in (``kr`` is Kanuri), so they mean the country's language.
_COUNTRY_FOR_LANGUAGE = {"jp": "ja", "kr": "ko", "cn": "zh", "gr": "el", "dk": "da", "cz": "cs",
                         "ua": "uk", "vn": "vi", "il": "he"}  # fmt: skip
_ISO3 = {"deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it",
         "nld": "nl", "dut": "nl", "swe": "sv", "fin": "fi", "dan": "da", "nor": "no", "nob": "no",
         "ara": "ar", "por": "pt", "rus": "ru", "pol": "pl", "tur": "tr", "ell": "el", "gre": "el",
         "urd": "ur"}  # fmt: skip
