"""langdetect's language profiles scored as one deterministic naive-Bayes pass, vectorised with numpy.

Why not ``langdetect.detect`` itself: it scores a text by thousands of *random* draws from its n-grams, one
Python-level update per draw and language (about 2 ms for a 300-character lead on this machine, a third of
the whole pipeline; PERFORMANCE.md). The statistics it draws from are sound, so this module keeps them (the
same profile files, the same character normalisation and the same 1- to 3-gram extraction as langdetect) and
sums every n-gram's log-probability once, as a matrix row look-up: the same evidence without the sampling,
the same answer every time, about a tenth of the cost. ``normalizers.language`` decides what a score means
and falls back to langdetect's own detector for the few texts this scoring cannot separate.

Scoring runs without numpy for the first ``VECTORISE_AFTER`` samples of a process (``wiredesk parse`` on a few
files never pays numpy's 0.17 s import) and with numpy after that; both add the same float32 rows in the same
order, so their sums are bit-for-bit equal (tested).
"""

from __future__ import annotations

import json
import re
from array import array
from functools import cache
from itertools import chain, count, pairwise, repeat
from operator import add
from pathlib import Path
from typing import TYPE_CHECKING

from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

from normalizers import profile_cache

if TYPE_CHECKING:
    import numpy as np

PROFILES_DIRECTORY = Path(detector_factory.PROFILES_DIRECTORY)
# langdetect's smoothing: every language gets alpha / BASE_FREQ added to an n-gram's probability.
SMOOTHING = Detector.ALPHA_DEFAULT / Detector.BASE_FREQ
_NOT_LATIN = re.compile("[^A-z]")  # langdetect's "Latin" test is the code-point range 'A'..'z'
_NON_LATIN_SCRIPT = re.compile(
    "[\u0300-\u1dff\u1f00-\U0010ffff]"
)  # >= U+0300 except Latin Ext. Additional
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _capital_pair_bmp() -> re.Pattern[str]:
    """Two upper-case letters in a row (str.isupper, as langdetect tests them): langdetect's "capital word"
    rule. A class of BMP characters compiles to a fast lookup table; one astral character in it would make
    the regex engine test every character against a list (50x slower). Capitals beyond the BMP (Deseret,
    Adlam, math alphanumerics) are rare, so texts that contain any astral character are checked pair by
    pair instead. Built on first use: listing the BMP's capitals is most of this module's import time."""
    upper = "".join(c for c in map(chr, range(0x10000)) if c.isupper())
    return re.compile(f"[{re.escape(upper)}]{{2}}")


def _has_capital_pair(text: str) -> bool:
    if _capital_pair_bmp().search(text):
        return True
    if not _ASTRAL.search(text):
        return False
    return any(a.isupper() and b.isupper() for a, b in pairwise(text))


class _NormalisedChars(dict[int, str]):
    """``str.translate`` table filled on demand with langdetect's per-character normalisation."""

    def __missing__(self, code: int) -> str:
        value = str(NGram.normalize(chr(code)))
        self[code] = value
        return value


_NORMALISE = _NormalisedChars()


# Samples scored in pure Python before numpy is imported: numpy's import costs about as much as 100 pure
# scorings of a 200-character sample, so a process that scores more than this is a bulk run.
VECTORISE_AFTER = 64


class Profiles:
    """The n-gram log-probability matrix of a set of languages.

    ``log_probabilities`` is a flat row-major float32 ``array``: ``len(rows) + 1`` rows of
    ``len(languages)`` values, log(SMOOTHING + P(n-gram | language)); the last row is all zeros and stands
    for every string no profile knows.
    """

    __slots__ = ("_matrix", "_scored", "languages", "log_probabilities", "rows")

    def __init__(
        self, languages: tuple[str, ...], rows: dict[str, int], log_probabilities: array[float]
    ) -> None:
        self.languages = languages
        self.rows = rows  # n-gram -> row of ``log_probabilities``
        self.log_probabilities = log_probabilities
        self._scored = 0
        self._matrix: np.ndarray | None = None

    def scores(self, grams: list[str]) -> tuple[list[float], int]:
        """Summed log-probabilities per language (float32 sums, in ``languages`` order) and the number of
        known n-grams that went into them."""
        unknown = len(self.rows)
        found = [row for row in map(self.rows.get, grams, repeat(unknown)) if row != unknown]
        if not found:
            return [0.0] * len(self.languages), 0
        self._scored += 1
        if self._matrix is not None or self._scored > VECTORISE_AFTER:
            return self.vectorise().take(found, axis=0).sum(axis=0).tolist(), len(found)
        return self._summed(found).tolist(), len(found)

    def _summed(self, found: list[int]) -> array[float]:
        """The rows ``found`` added in order, rounding to float32 after every addition as numpy's float32
        reduction over rows does (a sum of two float32 values computed in float64 and rounded once is the
        correctly rounded float32 sum)."""
        width = len(self.languages)
        flat = self.log_probabilities
        total = flat[found[0] * width : (found[0] + 1) * width]
        for row in found[1:]:
            total = array("f", map(add, total, flat[row * width : (row + 1) * width]))
        return total

    def vectorise(self) -> np.ndarray:
        """The matrix as a (rows, languages) numpy view of the same memory (made once); scoring uses it from
        now on. Bulk runs call this up front (``ingest.backfill.worker.preload``)."""
        if self._matrix is None:
            import numpy as np

            self._matrix = np.frombuffer(self.log_probabilities, dtype=np.float32).reshape(
                -1, len(self.languages)
            )
        return self._matrix


@cache
def load(languages: tuple[str, ...] | None) -> Profiles:
    """The profiles of ``languages`` (None: every profile langdetect ships), read once per process and
    set: from the disk copy when there is a current one, else built and copied."""
    if languages is None:
        languages = tuple(sorted(p.name for p in PROFILES_DIRECTORY.iterdir()))
    available = {p.name for p in PROFILES_DIRECTORY.iterdir()}
    unknown = sorted(set(languages) - available)
    if unknown:
        raise ValueError(
            f"WIREDESK_LANGUAGES names languages langdetect has no profile for: {unknown}"
        )
    key = profile_cache.cache_key(languages, PROFILES_DIRECTORY)
    cached = profile_cache.read(key, len(languages))
    if cached is not None:
        return Profiles(languages, *cached)
    profiles = build(languages)
    profile_cache.write(key, profiles.rows, profiles.log_probabilities)
    return profiles


def build(languages: tuple[str, ...]) -> Profiles:
    """The matrix of ``languages`` computed from langdetect's profile files (``load`` keeps a disk copy:
    ``normalizers.profile_cache``). Needs numpy: it runs once per cache directory and language set."""
    import numpy as np

    # Every step below runs in C over a hundred thousand n-grams (this runs at the first detection of
    # every process, ``wiredesk parse`` included): rows are numbered in first-seen order, and
    # P(n-gram | language) = count / n_words[n-1] is divided in float64 as Python divides two ints.
    freqs = [
        json.loads((PROFILES_DIRECTORY / code).read_text(encoding="utf-8")) for code in languages
    ]
    grams = [[gram for gram in profile["freq"] if 1 <= len(gram) <= 3] for profile in freqs]
    rows = dict(zip(dict.fromkeys(chain.from_iterable(grams)), count()))
    at_rows = np.fromiter(map(rows.__getitem__, chain.from_iterable(grams)), dtype=np.int64)
    at_columns = np.repeat(np.arange(len(languages)), [len(found) for found in grams])
    counts = np.fromiter(
        chain.from_iterable(
            map(p["freq"].__getitem__, found) for p, found in zip(freqs, grams, strict=True)
        ),
        dtype=np.float64,
    )
    totals = np.concatenate(
        [
            np.array(profile["n_words"], dtype=np.float64)[
                np.fromiter(map(len, found), dtype=np.int64) - 1
            ]
            for profile, found in zip(freqs, grams, strict=True)
        ]
        or [np.zeros(0)]
    )
    # log(SMOOTHING + P) in float64, stored as float32: an n-gram a language lacks has P = 0, so the matrix
    # starts as that one value and only the entries are computed.
    matrix = np.full(
        (len(rows) + 1, len(languages)), np.float32(np.log(np.float64(SMOOTHING))), dtype=np.float32
    )
    if len(counts):
        matrix[at_rows, at_columns] = np.log(counts / totals + SMOOTHING).astype(np.float32)
    matrix[-1] = 0.0  # the row of unknown strings: no evidence either way
    return Profiles(languages, rows, array("f", matrix.tobytes()))


def prepare(text: str) -> str:
    """langdetect's text preparation: URLs and e-mail addresses out, Vietnamese marks composed, and Latin
    letters dropped from a text mostly in another script; then every character normalised."""
    text = Detector.URL_RE.sub(" ", text)
    text = Detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    non_latin = len(_NON_LATIN_SCRIPT.findall(text))
    if non_latin:
        latin = len(text) - len(_NOT_LATIN.findall(text))
        if latin * 2 < non_latin:
            text = "".join(_NOT_LATIN.findall(text))
    return text.translate(_NORMALISE)


def ngrams(prepared: str) -> list[str]:
    """The 1- to 3-grams langdetect extracts from a prepared text (as a multiset; order differs), plus
    strings it never extracts and no profile contains (a lone space, 3-grams across two words).

    Each word is padded by one space on either side, so every substring of the space-joined words is a
    candidate: building them all runs in C, and ``Profiles.scores`` ignores the impossible ones. A word with
    two capital letters in a row follows langdetect's capital-word rule. Like langdetect, a text that stops
    inside a word (a sample cut at N characters) gives that last word no word-end grams.
    """
    words = [w for w in prepared.split(" ") if w]
    if not words:
        return []
    open_end = not prepared.endswith(" ")
    if _has_capital_pair(prepared):
        plain = [w for w in words if not _has_capital_pair(w)]
        grams = [
            g
            for i, w in enumerate(words)
            if _has_capital_pair(w)
            for g in _capital_word_grams(f" {w}" if open_end and i == len(words) - 1 else f" {w} ")
        ]
    else:
        plain, grams = words, []
    if not plain:
        return grams
    text = f" {' '.join(plain)} "
    bigrams = list(map(str.__add__, text, text[1:]))
    trigrams = list(map(str.__add__, bigrams, text[2:]))
    if open_end and plain[-1] is words[-1]:
        bigrams.pop()  # "d " of a cut-off last word
        trigrams.pop()  # "ld " (or " d " for a one-letter word)
    grams.extend(text)
    grams.extend(bigrams)
    grams.extend(trigrams)
    return grams


def _capital_word_grams(padded: str) -> list[str]:
    """langdetect's rule for a word with two capitals in a row: no n-grams while the run of capitals lasts."""
    grams: list[str] = []
    buffer, capital_run = " ", False
    for ch in padded[1:]:
        last = buffer[-1]
        buffer = (buffer[1:] if len(buffer) >= 3 else buffer) + ch
        if not ch.isupper():
            capital_run = False
        elif last.isupper():
            capital_run = True
        if capital_run:
            continue
        for n in (1, 2, 3):
            if len(buffer) < n:
                break
            gram = buffer[-n:]
            if gram != " ":
                grams.append(gram)
    return grams
