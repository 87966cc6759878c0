"""Near-duplicate fingerprints: MinHash over word shingles, cut into LSH bands.

Why these numbers: 120 permutations in 20 bands of 6 rows puts the LSH "S-curve" at about 0.6 Jaccard, so a
republished story (new headline, a paragraph dropped, some words changed: Jaccard 0.6-0.9) is a candidate with
probability > 0.9, while two different stories on one topic (shared quotes: Jaccard < 0.2) almost never are.
Candidates are then verified with the estimated Jaccard from the full signatures (``NEAR_DUPLICATE_THRESHOLD``,
tuned with ``bench/dedup.py``).

How (scheme 2, numpy only): every word (``fingerprint.body_words``, shared with the content hash) is hashed once (xxh3, 64 bit); a shingle's hash combines its three word
hashes and is finalised with a bit mixer, so no shingle string is ever built; each of the ``NUM_PERM``
permutations is a multiply-add-shift hash ``(a * x + b) mod 2**64 >> 32`` with seeded odd ``a``, computed for
all shingles at once, and the signature keeps each permutation's minimum. The parameters are fixed by
``SEED``, so signatures are comparable across processes and restarts (migration 0006 recomputed the
signatures of scheme 1). Scheme 1 used datasketch, which imports scipy: 57 MB in every process for a few
lines of arithmetic.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import xxhash

from normalizers.fingerprint import body_words

NUM_PERM = 120
BANDS = 20
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 3
MIN_SHINGLES = 8  # shorter bodies (alerts, one-liners) are too small to call near-duplicates
# Bodies with at least this many shingles are not de-duplicated before hashing (a sort per body saved):
# only a phrase repeated over and over could have fewer than MIN_SHINGLES distinct ones, and its signature
# is then simply that of its few distinct shingles.
_SURELY_ENOUGH = 64
_BLOCK = 4096  # shingles per permutation block: 4 MB of intermediate values at most
NEAR_DUPLICATE_THRESHOLD = 0.5
SEED = 20161928
SCHEME = 2
_U64 = np.uint64


@cache
def _parameters() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-position word multipliers and per-permutation ``a`` (odd), ``b``: drawn once from ``SEED``."""
    rng = np.random.Generator(np.random.PCG64(SEED))
    top = np.iinfo(np.uint64).max
    positions = rng.integers(1, top, size=SHINGLE_WORDS, dtype=np.uint64, endpoint=True) | _U64(1)
    a = rng.integers(1, top, size=NUM_PERM, dtype=np.uint64, endpoint=True) | _U64(1)
    b = rng.integers(0, top, size=NUM_PERM, dtype=np.uint64, endpoint=True)
    return positions, a, b


def shingle_hashes(paragraphs: list[str]) -> np.ndarray:
    """The distinct 64-bit hashes of the body's word 3-shingles (uint64, sorted)."""
    distinct: np.ndarray = np.unique(_shingle_hashes_in_order(paragraphs))
    return distinct


def _shingle_hashes_in_order(paragraphs: list[str]) -> np.ndarray:
    """One 64-bit hash per word 3-shingle, in text order, repeats included."""
    tokens = body_words(paragraphs)
    count = len(tokens) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    digests = map(xxhash.xxh3_64_intdigest, map(str.encode, tokens))
    hashed = np.fromiter(digests, dtype=np.uint64, count=len(tokens))
    positions, _a, _b = _parameters()
    with np.errstate(over="ignore"):
        mixed: np.ndarray = hashed[:count] * positions[0]
        for offset in range(1, SHINGLE_WORDS):
            mixed = mixed + hashed[offset : offset + count] * positions[offset]
        # Bit finaliser (xor-shift-multiply): spreads every input bit over the whole word.
        mixed ^= mixed >> _U64(33)
        mixed *= _U64(0xFF51AFD7ED558CCD)
        mixed ^= mixed >> _U64(33)
    return mixed


def signature(paragraphs: list[str]) -> bytes | None:
    """The MinHash signature as 4-byte little-endian values, or None for a body too short to compare."""
    hashes = _shingle_hashes_in_order(paragraphs)
    if len(hashes) < _SURELY_ENOUGH:
        hashes = np.unique(hashes)  # repeats never change a minimum; they only matter for counting
        if len(hashes) < MIN_SHINGLES:
            return None
    _positions, a, b = _parameters()
    minimum = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    # In blocks: a huge body (a document at the size limit) must not need shingles x 120 x 8 bytes at once.
    for start in range(0, len(hashes), _BLOCK):
        with np.errstate(over="ignore"):
            permuted = np.multiply.outer(hashes[start : start + _BLOCK], a)
            permuted += b
        np.minimum(minimum, permuted.min(axis=0), out=minimum)
    top: np.ndarray = minimum >> _U64(32)
    return bytes(top.astype("<u4").data)


@lru_cache(maxsize=64)  # a save looks the buckets up, then indexes them: computed once
def band_buckets(sig: bytes) -> tuple[int, ...]:
    """One signed 64-bit bucket id per band (band number mixed in, so one index serves all bands)."""
    width = ROWS * 4
    buckets = []
    for band in range(BANDS):
        digest = xxhash.xxh3_64_intdigest(sig[band * width : (band + 1) * width], seed=band)
        buckets.append(digest - (1 << 64) if digest >= (1 << 63) else digest)
    return tuple(buckets)


def estimated_jaccard(first: bytes, second: bytes) -> float:
    """Share of equal MinHash values: an unbiased estimate of the shingle-set Jaccard similarity."""
    a = np.frombuffer(first, dtype="<u4")
    b = np.frombuffer(second, dtype="<u4")
    if a.shape != b.shape:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)
