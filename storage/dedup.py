"""Duplicate detection inside the store: exact (same content hash) and near (MinHash LSH bands).

Lookup cost does not grow with the store: the bands of a new article are matched with one indexed
``bucket IN (...)`` query on ``article_bands``, and only the few candidates found are verified by estimated
Jaccard. Articles of the same story (versions) are never each other's duplicates. A duplicate points at the
root of its cluster: the first stored article with that content.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, bindparam, not_, select

from normalizers.minhash import BANDS, NEAR_DUPLICATE_THRESHOLD, band_buckets, estimated_jaccard
from storage.models import article_bands as article_bands
from storage.models import articles

MAX_CANDIDATES = 200


_OTHER_STORY = not_(
    and_(articles.c.story_key == bindparam("b_key"), articles.c.guid == bindparam("b_guid"))
)
_EXACT = (
    select(articles.c.id, articles.c.duplicate_of)
    .where(articles.c.content_hash == bindparam("b_hash"), _OTHER_STORY)
    .order_by(articles.c.id)
    .limit(1)
)
# One bind parameter per band (a fixed count): an "expanding" IN list would be re-rendered on every call.
_BUCKET_PARAMS = [f"b_bucket{band}" for band in range(BANDS)]
_CANDIDATE_IDS = (
    select(article_bands.c.article_id)
    .where(article_bands.c.bucket.in_([bindparam(name) for name in _BUCKET_PARAMS]))
    .distinct()
    .limit(MAX_CANDIDATES)
)
# Two statements, not ``id IN (subquery)``: PostgreSQL planned that as a hash join over a sequential scan of
# ``articles`` (growing with the table); a list of at most MAX_CANDIDATES ids is read by primary key.
_CANDIDATES = (
    select(articles.c.id, articles.c.duplicate_of, articles.c.minhash)
    .where(articles.c.id.in_(bindparam("b_ids", expanding=True)), _OTHER_STORY)
    .order_by(articles.c.id)
)
# Written through the driver (executemany of plain tuples): twenty rows per article, and SQLAlchemy's
# per-row parameter processing cost more than the insert itself. Integers only, so nothing is lost.
_INSERT_BAND_SQL = {
    "qmark": "INSERT INTO article_bands (bucket, article_id) VALUES (?, ?)",
    "pyformat": "INSERT INTO article_bands (bucket, article_id) VALUES (%s, %s)",
    "format": "INSERT INTO article_bands (bucket, article_id) VALUES (%s, %s)",
}
_UNNEST_BANDS_SQL = "INSERT INTO article_bands (bucket, article_id) SELECT * FROM unnest(%s::bigint[], %s::bigint[])"


def exact_duplicate_root(conn: Connection, content_hash: str, key: str, guid: str) -> int | None:
    """Cluster root of the first article of another story with the same body."""
    if not content_hash:
        return None
    first = conn.execute(_EXACT, {"b_hash": content_hash, "b_key": key, "b_guid": guid}).first()
    return int(first.duplicate_of or first.id) if first else None


def near_duplicate_root(conn: Connection, minhash: bytes | None, key: str, guid: str) -> int | None:
    """Cluster root of the earliest verified near duplicate (estimated Jaccard >= threshold), if any."""
    if minhash is None:
        return None
    buckets = dict(zip(_BUCKET_PARAMS, band_buckets(minhash), strict=True))
    ids = list(conn.execute(_CANDIDATE_IDS, buckets).scalars())
    if not ids:
        return None
    rows = conn.execute(_CANDIDATES, {"b_ids": ids, "b_key": key, "b_guid": guid}).all()
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
    save_band_rows(conn, [(bucket, article_id) for bucket in sorted(set(band_buckets(minhash)))])


def save_band_rows(conn: Connection, rows: list[tuple[int, int]]) -> None:
    """Insert (bucket, article id) rows in one statement: PostgreSQL takes two arrays (``unnest``: one
    round trip, one parameter per column whatever the count); SQLite runs in-process, an executemany."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        buckets, ids = zip(*rows, strict=True)
        conn.exec_driver_sql(_UNNEST_BANDS_SQL, (list(buckets), list(ids)))
        return
    conn.exec_driver_sql(_INSERT_BAND_SQL[conn.dialect.paramstyle], rows)


def similarity(first: bytes | None, second: bytes | None) -> float:
    """Estimated Jaccard of two stored signatures; 0 when either body was too short to fingerprint."""
    if first is None or second is None:
        return 0.0
    return estimated_jaccard(first, second)
