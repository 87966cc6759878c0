"""Store-level helpers for backfill: listing stored raw documents and quarantine entries, and replaying a
re-parsed document *in place*.

Why in place: editors, the API cursor and ``duplicate_of`` links refer to article ids, so a parser fix must
reach old copy without giving it new ids. A re-parsed record is matched to one of the articles stored from
the same raw document, by (story key, guid, version), else by position (a fix may change what a fallback
guid is hashed from). After an update the version chain (``is_current``), the LSH bands and the duplicate
links around the article are recomputed with the store's own rules (``storage.dedup``).

Listing uses keyset pagination (``id > cursor``) with an upper id fixed when the run starts, so memory stays
flat, a run next to the live service terminates, and the last id done is a resumable checkpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)

from normalizers.record import ArticleRecord
from storage import rawcodec
from storage.dedup import article_bands, exact_duplicate_root, near_duplicate_root, save_bands
from storage.store import (
    TRUNCATED_FORMAT,
    Store,
    _article_values,  # the one mapping record -> columns, shared with save_article
    articles,
    quarantine,
    raw_documents,
    story_key,
    utcnow,
)

ReplayResult = Literal["stored", "duplicate", "unchanged", "updated"]
PAGE_SIZE = 200
# Columns a replay may rewrite; identity (id), arrival (received_at) and the version chain are the store's.
_REPLAYED = tuple(
    [
        "story_key",
        "guid",
        "version",
        "source_format",
        "feed",
        "agencies",
        "agency_tags",
        "kicker",
        "headline",
        "caption",
        "dateline",
        "byline",
        "body",
        "body_text",
        "related",
        "language",
        "urgency",
        "status",
        "embargo_until",
        "published_at",
        "updated_at",
        "subjects",
        "keywords",
        "content_hash",
        "signals",
        "ednotes",
        "replaces",
        "minhash",
    ]
)


@dataclass(frozen=True, slots=True)
class StoredRaw:
    """One stored raw document, decompressed, with what the store knows about its origin."""

    id: int
    origin: str
    feed: str | None
    source_format: str | None
    received_at: datetime
    data: bytes


@dataclass(frozen=True, slots=True)
class OpenQuarantine:
    """An unresolved quarantine entry with its raw document."""

    id: int
    raw: StoredRaw
    error: str


@dataclass(frozen=True, slots=True)
class RawFilter:
    """Which stored raw documents a ``--from-store`` run replays (all when every field is None)."""

    feed: str | None = None
    source_format: str | None = None


def _raw_conditions(flt: RawFilter) -> list[Any]:
    # A truncated prefix of an oversized document is kept for people to look at, never re-parsed: it
    # could parse as a shorter, wrong story.
    conditions: list[Any] = [raw_documents.c.source_format.is_distinct_from(TRUNCATED_FORMAT)]
    if flt.feed is not None:
        conditions.append(raw_documents.c.feed == flt.feed)
    if flt.source_format is not None:
        conditions.append(raw_documents.c.source_format == flt.source_format)
    return conditions


def max_raw_id(engine: Engine) -> int:
    """The newest raw document id now: a run replays up to here, so it ends while the service adds more."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(raw_documents.c.id))).scalar() or 0)


def count_raw(engine: Engine, flt: RawFilter, after_id: int, upto_id: int) -> int:
    """How many raw documents a replay will read (for the progress bar's total)."""
    query = select(func.count()).where(
        raw_documents.c.id > after_id, raw_documents.c.id <= upto_id, *_raw_conditions(flt)
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _stored_raw(row: Any) -> StoredRaw:
    return StoredRaw(
        id=int(row.id),
        origin=row.origin,
        feed=row.feed,
        source_format=row.source_format,
        received_at=row.received_at,
        data=rawcodec.unpack(row.data),
    )


def _pages(engine: Engine, query: Select[Any], key: Any, after_id: int) -> Iterator[Any]:
    """Rows of ``query`` in ``key`` order, one short read per page (no long-lived read snapshot)."""
    cursor = after_id
    while True:
        with engine.connect() as conn:
            rows = conn.execute(query.where(key > cursor).order_by(key).limit(PAGE_SIZE)).all()
        if not rows:
            return
        yield from rows
        cursor = int(rows[-1].id)


def iter_raw(engine: Engine, flt: RawFilter, after_id: int, upto_id: int) -> Iterator[StoredRaw]:
    """Stored raw documents with ``after_id < id <= upto_id`` matching ``flt``, oldest first."""
    query = select(raw_documents).where(raw_documents.c.id <= upto_id, *_raw_conditions(flt))
    for row in _pages(engine, query, raw_documents.c.id, after_id):
        yield _stored_raw(row)


def _open_quarantine_query(flt: RawFilter, upto_id: int) -> Select[Any]:
    conditions = [
        quarantine.c.resolved_at.is_(None),
        quarantine.c.id <= upto_id,
        raw_documents.c.source_format.is_distinct_from(TRUNCATED_FORMAT),
    ]
    if flt.feed is not None:
        conditions.append(quarantine.c.feed == flt.feed)
    if flt.source_format is not None:
        conditions.append(raw_documents.c.source_format == flt.source_format)
    return (
        select(
            quarantine.c.id,
            quarantine.c.error,
            raw_documents.c.id.label("raw_id"),
            quarantine.c.origin,
            raw_documents.c.feed,
            raw_documents.c.source_format,
            raw_documents.c.received_at,
            raw_documents.c.data,
        )
        .join(raw_documents, raw_documents.c.id == quarantine.c.raw_document_id)
        .where(and_(*conditions))
    )


def max_quarantine_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(quarantine.c.id))).scalar() or 0)


def count_quarantined(engine: Engine, flt: RawFilter, after_id: int, upto_id: int) -> int:
    inner = _open_quarantine_query(flt, upto_id).where(quarantine.c.id > after_id).subquery()
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())


def iter_quarantined(
    engine: Engine, flt: RawFilter, after_id: int, upto_id: int
) -> Iterator[OpenQuarantine]:
    """Open quarantine entries with ``after_id < id <= upto_id``, oldest first."""
    query = _open_quarantine_query(flt, upto_id)
    for row in _pages(engine, query, quarantine.c.id, after_id):
        raw = StoredRaw(
            id=int(row.raw_id),
            origin=row.origin,
            feed=row.feed,
            source_format=row.source_format,
            received_at=row.received_at,
            data=rawcodec.unpack(row.data),
        )
        yield OpenQuarantine(id=int(row.id), raw=raw, error=row.error)


def known_digests(conn: Connection, digests: Iterable[str]) -> set[str]:
    """Which of these sha256 digests are already stored raw documents (stored or quarantined)."""
    wanted = list(dict.fromkeys(digests))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(conn.execute(_KNOWN_DIGESTS, {"b_digests": chunk}).scalars())
    return found


# Built once: backfill asks this for every chunk of documents it reads.
_KNOWN_DIGESTS = select(raw_documents.c.sha256).where(
    raw_documents.c.sha256.in_(bindparam("b_digests", expanding=True))
)


def resolve_quarantine(conn: Connection, raw_document_id: int) -> int:
    """Close every open quarantine entry of a raw document that now parses; returns how many."""
    result = conn.execute(
        update(quarantine)
        .where(quarantine.c.raw_document_id == raw_document_id, quarantine.c.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    return int(result.rowcount or 0)


# -- replaying a document in place ----------------------------------------------------------------


def _rows_of_raw(conn: Connection, raw_document_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(articles)
            .where(articles.c.raw_document_id == raw_document_id)
            .order_by(articles.c.id)
        ).all()
    )


def _match_own(own: list[Any], records: list[ArticleRecord]) -> list[Any | None]:
    """Pair each record with one of the document's stored articles: by (story key, guid, version) first,
    then by position among the articles nobody claimed by key."""
    by_key = {(row.story_key, row.guid, row.version): row for row in own}
    matched: list[Any | None] = [by_key.get((story_key(r), r.guid, r.version)) for r in records]
    claimed = {row.id for row in matched if row is not None}
    for index, row in enumerate(matched):
        if row is None and index < len(own) and own[index].id not in claimed:
            matched[index] = own[index]
            claimed.add(own[index].id)
    return matched


def replay_document(
    conn: Connection,
    store: Store,
    raw_document_id: int,
    records: list[ArticleRecord],
    signatures: list[bytes | None],
) -> list[ReplayResult]:
    """Bring the articles of one stored raw document up to date with ``records`` (its re-parse).

    Only the document's *own* articles are rewritten (those whose ``raw_document_id`` it is): an item it
    shares with an earlier document belongs to that one and is replayed with it, so two deliveries that
    differ cannot overwrite each other in turn. A record without an own article goes through
    ``Store.save_article``, exactly as at ingest (idempotent: an item already stored stays unchanged).
    """
    results: list[ReplayResult] = []
    # Rewrites take the article lock too: no batch may store an identity a replay is giving an article.
    store.lock_articles(conn)
    own = _rows_of_raw(conn, raw_document_id)
    pairs = zip(records, signatures, _match_own(own, records), strict=True)
    for record, signature, row in pairs:
        if row is None:
            results.append(store.save_article(conn, record, raw_document_id, signature).result)
        else:
            results.append(update_article(conn, row, record, signature))
    return results


def _identity_free(conn: Connection, values: dict[str, Any], article_id: int) -> bool:
    taken = conn.execute(
        select(articles.c.id).where(
            articles.c.story_key == values["story_key"],
            articles.c.guid == values["guid"],
            articles.c.version == values["version"],
            articles.c.id != article_id,
        )
    ).first()
    return taken is None


def update_article(
    conn: Connection, row: Any, record: ArticleRecord, signature: bytes | None
) -> ReplayResult:
    """Rewrite one stored article from ``record``, keeping its id and arrival time.

    The identity (story key, guid, version) follows the record only when no other article holds the new
    one -- the store may have resolved it at save time (a take re-sent with changes became the next
    version), and ids/versions downstream readers hold must stay valid. A kill stays a kill.
    """
    values = _article_values(record, row.raw_document_id)
    values["minhash"] = signature
    if not _identity_free(conn, values, row.id):
        values.update(story_key=row.story_key, guid=row.guid, version=row.version)
    if row.canceled_at is not None:
        values["status"] = row.status
    changes = {name: values[name] for name in _REPLAYED if getattr(row, name) != values[name]}
    if not changes:
        return "unchanged"
    if values["status"] == "canceled" and row.canceled_at is None:
        changes["canceled_at"] = utcnow()
    conn.execute(update(articles).where(articles.c.id == row.id).values(**changes))
    if {"story_key", "guid", "version"} & changes.keys():
        refresh_current(conn, row.story_key, row.guid)
        refresh_current(conn, values["story_key"], values["guid"])
    if {"minhash", "content_hash", "story_key", "guid"} & changes.keys():
        _reindex_bands(conn, row.id, signature)
        relink_after_change(conn, row.id, row.content_hash)
    return "updated"


def _reindex_bands(conn: Connection, article_id: int, signature: bytes | None) -> None:
    conn.execute(delete(article_bands).where(article_bands.c.article_id == article_id))
    save_bands(conn, article_id, signature)


def refresh_current(conn: Connection, key: str, guid: str) -> None:
    """Exactly the highest version of a story is current (the rule ``save_article`` keeps)."""
    newest = conn.execute(
        select(func.max(articles.c.version)).where(
            articles.c.story_key == key, articles.c.guid == guid
        )
    ).scalar()
    if newest is None:
        return
    conn.execute(
        update(articles)
        .where(articles.c.story_key == key, articles.c.guid == guid)
        .values(is_current=articles.c.version == newest)
    )


def relink(conn: Connection, article_id: int) -> None:
    """Recompute one article's ``duplicate_of`` with the store's rule (``storage.dedup``), looking only at
    *earlier* articles: a duplicate points at the first stored article with that content, never forward."""
    row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        return
    root = exact_duplicate_root(
        conn, row.content_hash, row.story_key, row.guid
    ) or near_duplicate_root(conn, row.minhash, row.story_key, row.guid)
    if root is not None and root >= article_id:
        root = None
    if root != row.duplicate_of:
        conn.execute(update(articles).where(articles.c.id == article_id).values(duplicate_of=root))


def relink_after_change(conn: Connection, article_id: int, old_hash: str) -> None:
    """After an article's body changed: its own link, the links of articles that pointed at it, and the
    later articles with its old or new exact body are recomputed (oldest first, so roots settle first)."""
    new_hash = conn.execute(
        select(articles.c.content_hash).where(articles.c.id == article_id)
    ).scalar_one()
    hashes = [h for h in {old_hash, new_hash} if h]
    later = select(articles.c.id).where(
        articles.c.id > article_id,
        or_(articles.c.duplicate_of == article_id, articles.c.content_hash.in_(hashes)),
    )
    relink(conn, article_id)
    for other in conn.execute(later.order_by(articles.c.id)).scalars().all():
        relink(conn, int(other))
