"""Duplicate detection inside the store: exact (same content hash) and near (MinHash LSH bands).

Lookup cost does not grow with the store: the bands of a new article are matched with one indexed
``bucket IN (...)`` query on ``article_bands``, and only the few candidates found are verified by estimated
Jaccard. Articles of the same story (versions) are never each other's duplicates. A duplicate points at the
root of its cluster: the first stored article with that content.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection, Table, and_, insert, not_, select

from normalizers.minhash import NEAR_DUPLICATE_THRESHOLD, band_buckets, estimated_jaccard
from storage.models import Article, ArticleBand

articles = cast(Table, Article.__table__)
article_bands = cast(Table, ArticleBand.__table__)
MAX_CANDIDATES = 200


def _other_story(key: str, guid: str):  # type: ignore[no-untyped-def]
    return not_(and_(articles.c.story_key == key, articles.c.guid == guid))


def exact_duplicate_root(conn: Connection, content_hash: str, key: str, guid: str) -> int | None:
    """Cluster root of the first article of another story with the same body."""
    if not content_hash:
        return None
    first = conn.execute(
        select(articles.c.id, articles.c.duplicate_of)
        .where(articles.c.content_hash == content_hash, _other_story(key, guid))
        .order_by(articles.c.id)
        .limit(1)
    ).first()
    return int(first.duplicate_of or first.id) if first else None


def near_duplicate_root(conn: Connection, minhash: bytes | None, key: str, guid: str) -> int | None:
    """Cluster root of the earliest verified near duplicate (estimated Jaccard >= threshold), if any."""
    if minhash is None:
        return None
    candidate_ids = (
        select(article_bands.c.article_id)
        .where(article_bands.c.bucket.in_(band_buckets(minhash)))
        .distinct()
        .limit(MAX_CANDIDATES)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(articles.c.id, articles.c.duplicate_of, articles.c.minhash)
        .where(articles.c.id.in_(candidate_ids), _other_story(key, guid))
        .order_by(articles.c.id)
    ).all()
    roots = [
        int(row.duplicate_of or row.id)
        for row in rows
        if row.minhash is not None
        and estimated_jaccard(minhash, row.minhash) >= NEAR_DUPLICATE_THRESHOLD
    ]
    return min(roots) if roots else None


def save_bands(conn: Connection, article_id: int, minhash: bytes | None) -> None:
    """Index the article's LSH buckets so later near duplicates find it."""
    if minhash is None:
        return
    buckets = sorted(set(band_buckets(minhash)))
    conn.execute(insert(article_bands), [{"bucket": b, "article_id": article_id} for b in buckets])


def similarity(first: bytes | None, second: bytes | None) -> float:
    """Estimated Jaccard of two stored signatures; 0 when either body was too short to fingerprint."""
    if first is None or second is None:
        return 0.0
    return estimated_jaccard(first, second)
