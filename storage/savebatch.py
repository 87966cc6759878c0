"""Saving many articles in one transaction with a fixed number of look-ups: the store's one save path.

Why: saving one article at a time cost seven round trips (story rows, exact duplicate, near-duplicate
candidates, the insert, the bands, the lock, the raw document), and on PostgreSQL the candidate query planned
as a scan of ``articles`` (issue 19: 67 documents/s). Here a batch reads what the store already holds for all
its records at once -- story rows, the first stories per body hash, band buckets and their articles -- and
keeps that view current with every article it inserts, so the rules (``store.settle_version``, the duplicate
roots of ``storage.dedup``) see earlier articles of the same batch exactly as they would see stored ones.
Per article there is one ``INSERT ... RETURNING id`` (ids come from the database, in order); the bands of
the whole batch are one statement at the end. A batch of one is the old per-article save.

Looked up lazily, one query each, because they are rare: the story of a replaced item (``replaces``) and
the story of a fallback guid (a derived take identity that turned out to be another story). Those queries
run inside the transaction, so they see the batch's own inserts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, text
from sqlalchemy.sql.dml import Insert

from normalizers.fingerprint import fallback_guid
from normalizers.minhash import NEAR_DUPLICATE_THRESHOLD, band_buckets, estimated_jaccard
from normalizers.record import ArticleRecord
from normalizers.versions import is_derived
from storage.dedup import MAX_CANDIDATES, article_bands, save_band_rows, similarity
from storage.errors import StoreError
from storage.models import articles

# Values per IN list: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters, and large
# enough that a batch of 500 documents (10,000 band buckets) needs one look-up of each kind.
CHUNK = 10_000
STORY_CHUNK = 500  # (key, guid) pairs: up to two values each, and planned as two IN lists
# Stories kept per body hash: the first one of another story is all an exact-duplicate look-up needs.
STORIES_PER_HASH = 2

StoryKey = tuple[str, str]


@dataclass(slots=True)
class StoryRow:
    """One stored version of a story, as the save rules read it (mutable: the batch retires and cancels)."""

    id: int
    version: int
    content_hash: str
    headline: str | None
    status: str
    canceled_at: datetime | None
    is_current: bool
    minhash: bytes | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article a new one may duplicate: its cluster root and what identifies its story."""

    id: int
    root: int
    minhash: bytes | None
    story: StoryKey


@dataclass(slots=True)
class ArticleToSave:
    """One record to save: ``raw_document_id`` it came from, ``minhash`` its body's signature (None: too
    short to compare), ``origin`` the raw document's origin when the record names none."""

    record: ArticleRecord
    raw_document_id: int | None = None
    minhash: bytes | None = None
    origin: str | None = None


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


_STORY_COLUMNS = (
    articles.c.id,
    articles.c.version,
    articles.c.content_hash,
    articles.c.headline,
    articles.c.status,
    articles.c.canceled_at,
    articles.c.is_current,
    articles.c.minhash,
)
# story_key IN (...) AND guid IN (...): both on the (story_key, guid) index; the few rows of other pairs
# are dropped in Python (a row-value IN list planned as hundreds of OR arms).
_STORIES = (
    select(articles.c.story_key, articles.c.guid, *_STORY_COLUMNS)
    .where(
        articles.c.story_key.in_(bindparam("b_keys", expanding=True)),
        articles.c.guid.in_(bindparam("b_guids", expanding=True)),
    )
    .order_by(articles.c.id)
)
_ONE_STORY = (
    select(*_STORY_COLUMNS)
    .where(articles.c.story_key == bindparam("b_key"), articles.c.guid == bindparam("b_guid"))
    .order_by(articles.c.id)
)
_REPLACED = (
    select(articles.c.story_key, articles.c.guid)
    .where(articles.c.guid.in_(bindparam("b_guids", expanding=True)))
    .order_by(articles.c.id)
    .limit(1)
)
# The first article of each story per body hash, then the first STORIES_PER_HASH of those per hash.
_FIRST_PER_STORY = (
    select(func.min(articles.c.id))
    .where(articles.c.content_hash.in_(bindparam("b_hashes", expanding=True)))
    .group_by(articles.c.content_hash, articles.c.story_key, articles.c.guid)
)
_RANKED = (
    select(
        articles.c.id,
        articles.c.duplicate_of,
        articles.c.content_hash,
        articles.c.story_key,
        articles.c.guid,
        func.row_number()
        .over(partition_by=articles.c.content_hash, order_by=articles.c.id)
        .label("rank"),
    )
    .where(articles.c.id.in_(_FIRST_PER_STORY))
    .subquery()
)
_EXACT = select(_RANKED).where(_RANKED.c.rank <= STORIES_PER_HASH).order_by(_RANKED.c.id)
# The first MAX_CANDIDATES articles per bucket: a bucket shared by thousands (boilerplate) stays bounded.
_RANKED_BANDS = (
    select(
        article_bands.c.bucket,
        article_bands.c.article_id,
        func.row_number()
        .over(partition_by=article_bands.c.bucket, order_by=article_bands.c.article_id)
        .label("rank"),
    )
    .where(article_bands.c.bucket.in_(bindparam("b_buckets", expanding=True)))
    .subquery()
)
_BUCKETS = select(_RANKED_BANDS.c.bucket, _RANKED_BANDS.c.article_id).where(
    _RANKED_BANDS.c.rank <= MAX_CANDIDATES
)
# Ids for a PostgreSQL batch, drawn together: the sequence behind articles.id (serial or identity).
_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :b_count)"
)
# Candidate rows by primary key: an index look-up each, whatever the planner thinks of the table.
_CANDIDATE_ROWS = select(
    articles.c.id,
    articles.c.duplicate_of,
    articles.c.minhash,
    articles.c.story_key,
    articles.c.guid,
).where(articles.c.id.in_(bindparam("b_ids", expanding=True)))


def _story_row(row: Any) -> StoryRow:
    return StoryRow(
        id=int(row.id),
        version=int(row.version),
        content_hash=row.content_hash,
        headline=row.headline,
        status=row.status,
        canceled_at=row.canceled_at,
        is_current=bool(row.is_current),
        minhash=row.minhash,
    )


@dataclass(slots=True)
class StoreView:
    """What the store holds for one batch's records, kept current as the batch inserts."""

    conn: Connection
    stories: dict[StoryKey, list[StoryRow]] = field(default_factory=dict)
    by_hash: dict[str, list[Candidate]] = field(default_factory=dict)
    by_bucket: dict[int, list[int]] = field(default_factory=dict)
    candidates: dict[int, Candidate] = field(default_factory=dict)
    bands: list[tuple[int, int]] = field(default_factory=list)  # (bucket, article id) to write
    # PostgreSQL batches: ids drawn up front (under the article lock, so in commit order) and article
    # rows written together by ``flush``; None: each article is inserted at once (SQLite, batches of one).
    insert: Insert | None = None
    ids: list[int] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        conn: Connection,
        items: Sequence[ArticleToSave],
        story_key: Any,
        insert: Insert | None = None,
    ) -> StoreView:
        """Four look-ups (per ``CHUNK`` values) for every record of ``items``: story rows, exact-duplicate roots,
        band buckets, candidate articles. ``insert``: the articles' ``INSERT ... ON CONFLICT DO NOTHING
        RETURNING id``, given for a PostgreSQL batch of several records: their rows are then written
        together (one more statement draws their ids)."""
        view = cls(conn)
        if insert is not None and len(items) > 1:
            view.insert = insert
            view.ids = [int(i) for i in conn.execute(_NEXT_IDS, {"b_count": len(items)}).scalars()]
            view.ids.reverse()
        pairs = {(story_key(item.record), item.record.guid) for item in items}
        view._load_stories(pairs)
        hashes = sorted({item.record.content_hash for item in items if item.record.content_hash})
        for part in chunks(hashes):
            for row in conn.execute(_EXACT, {"b_hashes": part}):
                view.by_hash.setdefault(row.content_hash, []).append(
                    Candidate(
                        int(row.id),
                        int(row.duplicate_of or row.id),
                        None,
                        (row.story_key, row.guid),
                    )
                )
        buckets = sorted(
            {bucket for item in items if item.minhash for bucket in band_buckets(item.minhash)}
        )
        for part in chunks(buckets):
            for row in conn.execute(_BUCKETS, {"b_buckets": part}):
                view.by_bucket.setdefault(int(row.bucket), []).append(int(row.article_id))
        ids = sorted({article for found in view.by_bucket.values() for article in found})
        for part in chunks(ids):
            for row in conn.execute(_CANDIDATE_ROWS, {"b_ids": part}):
                view.candidates[int(row.id)] = Candidate(
                    int(row.id),
                    int(row.duplicate_of or row.id),
                    row.minhash,
                    (row.story_key, row.guid),
                )
        return view

    def _load_stories(self, pairs: Iterable[StoryKey]) -> None:
        wanted = sorted(set(pairs) - self.stories.keys())
        for pair in wanted:
            self.stories[pair] = []
        for part in chunks(wanted, STORY_CHUNK):
            keys = sorted({key for key, _guid in part})
            guids = sorted({guid for _key, guid in part})
            for row in self.conn.execute(_STORIES, {"b_keys": keys, "b_guids": guids}):
                pair = (row.story_key, row.guid)
                if pair in self.stories:
                    self.stories[pair].append(_story_row(row))

    def story(self, key: str, guid: str) -> list[StoryRow]:
        """The stored versions of a story, oldest first (fetched on first use when not preloaded)."""
        pair = (key, guid)
        if pair not in self.stories:
            self.flush()
            rows = self.conn.execute(_ONE_STORY, {"b_key": key, "b_guid": guid})
            self.stories[pair] = [_story_row(row) for row in rows]
        return self.stories[pair]

    def replaced_story(self, guids: Sequence[str]) -> StoryKey | None:
        """The story of the first stored article among ``guids`` (the items a record replaces)."""
        self.flush()
        row = self.conn.execute(_REPLACED, {"b_guids": list(guids)}).first()
        return (str(row.story_key), str(row.guid)) if row is not None else None

    def exact_root(self, content_hash: str, story: StoryKey) -> int | None:
        """Cluster root of the first article of another story with the same body (``dedup`` rule)."""
        if not content_hash:
            return None
        first = next((c for c in self.by_hash.get(content_hash, []) if c.story != story), None)
        return first.root if first else None

    def near_root(self, minhash: bytes | None, story: StoryKey) -> int | None:
        """Cluster root of the earliest verified near duplicate of another story (``dedup`` rule)."""
        if minhash is None:
            return None
        ids: set[int] = set()
        for bucket in band_buckets(minhash):
            ids.update(self.by_bucket.get(bucket, ()))
        roots = []
        for article in sorted(ids)[: MAX_CANDIDATES * 4]:
            found = self.candidates.get(article)
            if found is None or found.story == story or found.minhash is None:
                continue
            if estimated_jaccard(minhash, found.minhash) >= NEAR_DUPLICATE_THRESHOLD:
                roots.append(found.root)
        return min(roots) if roots else None

    def added(self, story: StoryKey, row: StoryRow, duplicate_of: int | None) -> None:
        """Record an article the batch inserted, so later records of the batch see it."""
        self.story(*story).append(row)
        found = Candidate(row.id, duplicate_of or row.id, row.minhash, story)
        if row.content_hash:
            firsts = self.by_hash.setdefault(row.content_hash, [])
            if len(firsts) < STORIES_PER_HASH and all(c.story != story for c in firsts):
                firsts.append(found)
        if row.minhash is not None:
            self.candidates[row.id] = found
            for bucket in sorted(set(band_buckets(row.minhash))):
                self.by_bucket.setdefault(bucket, []).append(row.id)
                self.bands.append((bucket, row.id))

    def defer(self, values: dict[str, Any]) -> int | None:
        """The id of a new article whose row ``flush`` writes (None: insert it now, the caller's way)."""
        if self.insert is None:
            return None
        values["id"] = self.ids.pop()
        self.pending.append(values)
        return int(values["id"])

    def flush(self) -> None:
        """Write the deferred article rows (one multi-row statement), before anything reads or updates
        articles again. Raises ``StoreError`` when one of them exists already: no writer may store an item
        between this batch's look-ups and its insert (they all hold the article lock), so the batch is
        wrong, and the caller retries its documents one by one."""
        if not self.pending or self.insert is None:
            return
        rows, self.pending = self.pending, []
        written = {int(i) for i in self.conn.execute(self.insert, rows).scalars()}
        lost = [row["id"] for row in rows if row["id"] not in written]
        if lost:
            raise StoreError(f"articles stored by another writer during the batch: ids {lost[:5]}")

    def write_bands(self) -> None:
        """Write the deferred articles, then index the LSH buckets of the batch's new articles (one
        statement), so later batches find them."""
        self.flush()
        rows, self.bands = self.bands, []
        save_band_rows(self.conn, rows)


def resolve_story(
    view: StoreView, record: ArticleRecord, signature: bytes | None, key: str, same_story: float
) -> tuple[str, str, list[StoryRow]]:
    """(story key, guid, stored versions) the record belongs to: a replaced item's story, or a derived take
    identity checked against the story's content, or simply its own."""
    guid = record.guid
    if record.replaces:
        replaced = view.replaced_story(list(record.replaces))
        if replaced is not None:
            key, guid = replaced
    story = view.story(key, guid)
    if is_derived(guid):
        current = next((row for row in story if row.is_current), None)
        if (
            current is not None
            and current.content_hash != record.content_hash
            and similarity(signature, current.minhash) < same_story
        ):
            # Same slug, same day, different story: it is not a take of the stored one.
            guid = fallback_guid(key, record.headline, record.body[0] if record.body else None)
            story = view.story(key, guid)
    return key, guid, story
