"""MinHash fingerprints: faithful shingle sets, unbiased Jaccard estimates, the same bytes in every process."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from normalizers.fingerprint import body_words as words
from normalizers.minhash import (
    MIN_SHINGLES,
    NUM_PERM,
    estimated_jaccard,
    shingle_hashes,
    signature,
)

REPO = Path(__file__).resolve().parents[1]
VOCABULARY = [f"wort{i}" for i in range(400)]


def _text(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.choice(VOCABULARY) for _ in range(count))]


def _shingles(body: list[str]) -> set[tuple[str, ...]]:
    tokens = words(body)
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def test_one_hash_per_distinct_shingle() -> None:
    rng = random.Random(3)
    for _ in range(50):
        body = _text(rng, rng.randint(3, 300))
        assert len(shingle_hashes(body)) == len(_shingles(body))
    body = ["Eins, zwei; DREI eins zwei drei!"]
    assert len(shingle_hashes(body)) == 3  # case and punctuation ignored: (eins zwei drei) repeats


def test_estimate_tracks_true_jaccard() -> None:
    rng = random.Random(5)
    errors = []
    for _ in range(60):
        base = _text(rng, 250)[0].split()
        edited = list(base)
        for _ in range(rng.randint(0, 120)):  # replace words: lower and lower overlap
            edited[rng.randrange(len(edited))] = rng.choice(VOCABULARY)
        first, second = [" ".join(base)], [" ".join(edited)]
        a, b = _shingles(first), _shingles(second)
        truth = len(a & b) / len(a | b)
        sig_a, sig_b = signature(first), signature(second)
        assert sig_a is not None and sig_b is not None
        assert len(sig_a) == NUM_PERM * 4
        errors.append(abs(estimated_jaccard(sig_a, sig_b) - truth))
    assert sum(errors) / len(errors) < 0.035  # 120 permutations: standard error <= 0.046
    assert max(errors) < 0.16


def test_identical_and_disjoint_bodies() -> None:
    body = _text(random.Random(1), 100)
    same = signature(list(body))
    assert same is not None and estimated_jaccard(same, same) == 1.0
    other = signature([" ".join(f"anders{i}" for i in range(100))])
    assert other is not None and estimated_jaccard(same, other) < 0.05


def test_short_bodies_have_no_signature() -> None:
    assert signature(["zu kurz"]) is None
    assert signature([" ".join(VOCABULARY[: MIN_SHINGLES + 2])]) is not None


def test_same_signature_in_a_fresh_process() -> None:
    body = [
        "Berlin (dpa) - Die Bundesregierung hat am Mittwoch neue Regeln beschlossen, sagte ein Sprecher."
    ]
    code = (
        "import sys; from normalizers.minhash import signature; "
        f"sys.stdout.write(signature({body!r}).hex())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    own = signature(body)
    assert own is not None and out.stdout == own.hex()


def test_migration_0006_recomputes_stored_signatures(tmp_path: Path) -> None:
    from sqlalchemy import text

    from storage.db import make_engine, migrate
    from storage.dedup import near_duplicate_root

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0005")
    body = _text(random.Random(9), 200)
    with engine.begin() as conn:  # a scheme-1 article: stale signature bytes, stale band
        conn.execute(
            text(
                "INSERT INTO articles (id, story_key, guid, version, is_current, source_format, agencies,"
                " agency_tags, headline, body, body_text, related, status, received_at, subjects,"
                " keywords, content_hash, minhash) VALUES (7, 'AFP', 'g', 1, 1, 'text', '[\"AFP\"]',"
                " '|AFP|', 'h', :body, :text, '[]', 'usable', '2026-11-28 10:00:00', '[]', '[]', 'h',"
                " :stale)"
            ),
            {"body": f'["{body[0]}"]', "text": body[0], "stale": b"\x00" * NUM_PERM * 4},
        )
        conn.execute(text("INSERT INTO article_bands (bucket, article_id) VALUES (42, 7)"))
    migrate(engine, "head")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT minhash FROM articles WHERE id = 7")).scalar_one()
        assert stored == signature(body)
        assert (
            conn.execute(text("SELECT count(*) FROM article_bands WHERE bucket = 42")).scalar() == 0
        )
        edited = body[0].split()
        edited[10] = "neu"
        assert near_duplicate_root(conn, signature([" ".join(edited)]), "other", "x") == 7
    engine.dispose()


def test_body_words_is_right_under_concurrent_threads() -> None:
    """The one-entry memo of body words is shared by service threads: each caller gets its own body's."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    bodies = [[f"Absatz {i} mit Wort{i} und noch {i * 7} weiteren"] for i in range(200)]

    def check(body: list[str]) -> bool:
        expected = re.findall(r"[^\W_]+", " ".join(body).casefold())
        return all(words(body) == expected for _ in range(50))

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(check, bodies * 3))


def test_long_bodies_are_hashed_in_blocks_with_the_same_result() -> None:
    from normalizers import minhash

    body = _text(random.Random(4), 12_000)  # three blocks of shingles
    whole = signature(body)
    assert whole is not None
    original = minhash._BLOCK
    try:
        minhash._BLOCK = 1 << 20  # one block
        assert signature(body) == whole
    finally:
        minhash._BLOCK = original
