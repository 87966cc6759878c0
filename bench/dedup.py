"""Near-duplicate detection cost as the store grows, and its precision/recall on a labelled set.

For each size N (default 10k, 100k, 1M) a fresh SQLite store is filled with N synthetic articles (realistic
lengths, ~1% near duplicates, MinHash bands included) by bulk insert; then 1,000 further articles go through
the real path -- fingerprint (MinHash) + LSH lookup + save, one short transaction each, as the pipeline does
-- and the median time per article is printed. Target: the time at 1M within 1.5x of the time at 10k.

The labelled set: base stories, near duplicates of some (new headline, a paragraph dropped, a few words
changed), and different stories on the same topic that share a quote. Precision and recall of the
``duplicate_of`` links the store makes are printed (targets: >= 0.99 and >= 0.95).

    .venv/bin/python bench/dedup.py                      # 10k, 100k, 1M (about 15 minutes, ~6 GB disk)
    .venv/bin/python bench/dedup.py --sizes 10000 100000 --dir /tmp/dedup
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text

from normalizers.fingerprint import content_hash
from normalizers.minhash import NEAR_DUPLICATE_THRESHOLD, band_buckets, signature
from normalizers.record import ArticleRecord
from storage.dedup import article_bands
from storage.search import FTS_TRIGGERS, fts_fill_sql, fts_trigger_sql
from storage.store import Store, _article_values, articles

SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "no",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "wa",
    "we",
    "zu",
]


class TextFactory:
    """Pseudo-words with a Zipf-like frequency, so unrelated stories share few 3-word shingles, as real ones."""

    def __init__(self, seed: int = 7, vocabulary: int = 20_000) -> None:
        self.rng = random.Random(seed)
        words = {
            "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 4)))
            for _ in range(vocabulary * 2)
        }
        self.words = sorted(words)[:vocabulary]
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))

    def sentence(self) -> str:
        count = self.rng.randint(8, 22)
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        return " ".join(words).capitalize() + "."

    def paragraphs(self) -> list[str]:
        return [
            " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))
            for _ in range(self.rng.randint(5, 12))
        ]

    def near_duplicate(self, paragraphs: list[str]) -> list[str]:
        """Republished copy: one paragraph dropped, a few words changed."""
        copy = list(paragraphs)
        del copy[self.rng.randrange(1, len(copy))]
        for _ in range(self.rng.randint(2, 5)):
            index = self.rng.randrange(len(copy))
            words = copy[index].split()
            words[self.rng.randrange(len(words))] = self.rng.choice(self.words)
            copy[index] = " ".join(words)
        return copy

    def same_topic(self, paragraphs: list[str]) -> list[str]:
        """A different story that quotes the same sentence (shared quote, otherwise new text)."""
        quote = paragraphs[1].split(". ")[0] + "."
        fresh = self.paragraphs()
        return [fresh[0], f'"{quote}" sagte er.', *fresh[1:]]


def record(n: int, body: list[str], headline: str | None = None) -> ArticleRecord:
    return ArticleRecord(
        guid=f"urn:bench:{n}",
        source_format="newsmlg2",
        agencies=["dpa"],
        headline=headline or f"Meldung {n}",
        body=body,
        language="de",
        content_hash=content_hash(body),
        published_at=datetime(2026, 11, 27, tzinfo=UTC),
    )


def fill(store: Store, size: int, factory: TextFactory, batch: int = 5000) -> None:
    """Bulk-insert ``size`` articles with their signatures and LSH bands (about 1% near duplicates).

    Bodies are drawn from a pool of pre-generated paragraphs plus one fresh sentence each (so filling a
    million articles takes minutes, not hours); FTS triggers are off during the load and the index is
    filled once at the end, as ``bench/search.py`` does.
    """
    pool = [
        " ".join(factory.sentence() for _ in range(factory.rng.randint(2, 4)))
        for _ in range(20_000)
    ]
    now = datetime.now(UTC)
    recent: list[list[str]] = []
    sqlite = store.engine.dialect.name == "sqlite"
    with store.transaction() as conn:
        for name in FTS_TRIGGERS if sqlite else ():
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    next_id = 1
    for start in range(0, size, batch):
        rows, bands = [], []
        for n in range(start, min(size, start + batch)):
            if recent and factory.rng.random() < 0.01:
                body = factory.near_duplicate(factory.rng.choice(recent))
            else:
                body = [factory.sentence(), *factory.rng.sample(pool, factory.rng.randint(5, 11))]
                recent = [*recent[-99:], body]
            sig = signature(body)
            values = _article_values(record(n, body), None)
            values.update(id=next_id, is_current=True, received_at=now, minhash=sig)
            rows.append(values)
            if sig:
                bands.extend({"bucket": b, "article_id": next_id} for b in set(band_buckets(sig)))
            next_id += 1
        with store.transaction() as conn:
            conn.execute(insert(articles), rows)
            conn.execute(insert(article_bands), bands)
    if sqlite:
        with store.transaction() as conn:
            conn.execute(text(fts_fill_sql()))
            for statement in fts_trigger_sql():
                conn.execute(text(statement))


def measure(store: Store, factory: TextFactory, count: int, offset: int) -> list[float]:
    """Milliseconds per article for fingerprint + lookup + save through ``Store.save_article``."""
    timings = []
    previous: list[list[str]] = []
    for i in range(count):
        body = (
            factory.near_duplicate(factory.rng.choice(previous))
            if previous and i % 100 == 0
            else factory.paragraphs()
        )
        previous = [*previous[-20:], body]
        item = record(offset + i, body)
        started = time.perf_counter()
        sig = signature(item.body)
        with store.transaction() as conn:
            store.save_article(conn, item, None, sig)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def labelled_quality(
    directory: Path, factory: TextFactory, stories: int = 2000
) -> tuple[float, float, int, int]:
    """Precision and recall of duplicate links on base stories + near duplicates + same-topic stories."""
    store = Store.open(f"sqlite:///{directory / 'labelled.db'}")
    truth: dict[int, int] = {}  # duplicate record number -> original record number
    bodies = [factory.paragraphs() for _ in range(stories)]
    items: list[tuple[int, list[str], int | None]] = [
        (n, body, None) for n, body in enumerate(bodies)
    ]
    n = stories
    for original in range(0, stories, 10):
        items.append((n, factory.near_duplicate(bodies[original]), original))
        n += 1
        items.append((n, factory.same_topic(bodies[original]), None))
        n += 1
    ids: dict[int, int] = {}
    for number, body, original in items:
        with store.transaction() as conn:
            outcome = store.save_article(
                conn, replace(record(number, body), headline=f"Neu {number}"), None
            )
        ids[number] = outcome.article_id
        if original is not None:
            truth[number] = original
    predicted = {}
    for number, article_id in ids.items():
        stored = store.get(article_id)
        if stored is not None and stored.duplicate_of is not None:
            predicted[number] = stored.duplicate_of
    true_positive = sum(
        1
        for number, root in predicted.items()
        if truth.get(number) is not None and ids[truth[number]] == root
    )
    precision = true_positive / len(predicted) if predicted else 1.0
    recall = true_positive / len(truth) if truth else 1.0
    store.close()
    return precision, recall, len(truth), len(predicted)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--sample", type=int, default=1000, help="articles timed at each size")
    parser.add_argument(
        "--dir", type=Path, default=None, help="where the stores are built (default: a temp dir)"
    )
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="wiredesk-dedup-"))
    base.mkdir(parents=True, exist_ok=True)
    factory = TextFactory()
    results = []
    for size in args.sizes:
        path = base / f"dedup-{size}.db"
        path.unlink(missing_ok=True)
        store = Store.open(f"sqlite:///{path}")
        started = time.perf_counter()
        fill(store, size, factory)
        fill_s = time.perf_counter() - started
        timings = measure(store, factory, args.sample, size)
        store.close()
        results.append(
            (size, statistics.median(timings), statistics.quantiles(timings, n=20)[18], fill_s)
        )
        print(
            f"  filled {size:>9,} in {fill_s:7.1f} s; median {results[-1][1]:.3f} ms/article",
            flush=True,
        )
    precision, recall, positives, predicted = labelled_quality(base, TextFactory(seed=11))
    print()
    print(f"{'stored articles':>16} {'median ms/article':>18} {'p95 ms':>8} {'ratio to first':>15}")
    for size, median, p95, _fill in results:
        print(f"{size:>16,} {median:>18.3f} {p95:>8.3f} {median / results[0][1]:>15.2f}")
    print()
    print(
        f"threshold (estimated Jaccard) {NEAR_DUPLICATE_THRESHOLD}; labelled set: {positives} near duplicates, {predicted} links made"
    )
    print(f"precision {precision:.4f}   recall {recall:.4f}")


if __name__ == "__main__":
    main()
