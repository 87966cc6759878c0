"""Near-duplicate fingerprints: MinHash over word shingles, cut into LSH bands.

Why these numbers: 120 permutations in 20 bands of 6 rows puts the LSH "S-curve" at about 0.6 Jaccard, so a
republished story (new headline, a paragraph dropped, some words changed: Jaccard 0.6-0.9) is a candidate with
probability > 0.9, while two different stories on one topic (shared quotes: Jaccard < 0.2) almost never are.
Candidates are then verified with the estimated Jaccard from the full signatures (``NEAR_DUPLICATE_THRESHOLD``,
tuned with ``bench/dedup.py``). The permutations are built once (seeded), so signatures are comparable across
processes and restarts; hashing uses xxh32 with ``update_batch`` (PERFORMANCE.md: ~15x faster than per-shingle
``update`` with sha1).
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import xxhash
from datasketch import MinHash

NUM_PERM = 120
BANDS = 20
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 3
MIN_SHINGLES = 8  # shorter bodies (alerts, one-liners) are too small to call near-duplicates
NEAR_DUPLICATE_THRESHOLD = 0.5
SEED = 20161928
SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


@cache
def _permutations() -> object:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingles(paragraphs: list[str]) -> set[bytes]:
    """Word 3-shingles of the case-folded body (punctuation and layout ignored)."""
    words = _WORD.findall(" ".join(paragraphs).casefold())
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(paragraphs: list[str]) -> bytes | None:
    """The MinHash signature as 4-byte little-endian values, or None for a body too short to compare."""
    grams = shingles(paragraphs)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = MinHash(
        num_perm=NUM_PERM,
        hashfunc=xxhash.xxh32_intdigest,
        permutations=_permutations(),
        scheme=SCHEME,
    )
    minhash.update_batch(list(grams))
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def band_buckets(sig: bytes) -> list[int]:
    """One signed 64-bit bucket id per band (band number mixed in, so one index serves all bands)."""
    width = ROWS * 4
    buckets = []
    for band in range(BANDS):
        digest = xxhash.xxh3_64_intdigest(sig[band * width : (band + 1) * width], seed=band)
        buckets.append(digest - (1 << 64) if digest >= (1 << 63) else digest)
    return buckets


def estimated_jaccard(first: bytes, second: bytes) -> float:
    """Share of equal MinHash values: an unbiased estimate of the shingle-set Jaccard similarity."""
    a = np.frombuffer(first, dtype="<u4")
    b = np.frombuffer(second, dtype="<u4")
    if a.shape != b.shape:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)
