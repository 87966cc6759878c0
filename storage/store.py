"""Saving and reading articles, raw documents and quarantine.

Saving is idempotent on (story key, guid, version): the story key is the first credited agency (or the feed,
or the format), so the same agency item arriving twice is stored once. A newer version becomes the story's
current one; a changed re-send from a source that numbers no versions is the next version (``settle_version``); an exact duplicate body (same ``content_hash``) points at the first article that had it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Table,
    and_,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert

from config.redact import short_error
from normalizers.record import ArticleRecord, Dateline, RelatedItem
from normalizers.versions import is_derived
from storage import rawcodec
from storage.db import check_schema, describe, make_engine, migrate, writable
from storage.errors import StoreError, StoreReadOnly, StoreUnavailable, is_outage, is_read_only

# The tables are re-exported: callers read them with the Store that writes them.
from storage.models import articles as articles
from storage.models import quarantine as quarantine
from storage.models import raw_documents as raw_documents

if TYPE_CHECKING:
    from storage.savebatch import StoreView

log = logging.getLogger(__name__)
SaveResult = Literal["stored", "duplicate", "unchanged"]
# Below this estimated Jaccard, a take filed under a derived slug identity is a different story.
SAME_STORY_SIMILARITY = 0.15
_INSERT_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
ARTICLE_INSERT_LOCK = (
    0x57697265_4465736B  # "WireDesk": the advisory lock serialising article inserts
)

_READ_ONLY_HINT = "; search, show and serve can still read it"

# ``source_format`` of a raw document that holds only the first bytes of a document over the size cap.
TRUNCATED_FORMAT = "truncated"


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("insert returned no primary key")
    return int(key[0])


_RAW_ORIGIN = select(raw_documents.c.origin).where(raw_documents.c.id == bindparam("b_id"))
_RAW_BY_SHA = select(raw_documents.c.id, raw_documents.c.sha256).where(
    raw_documents.c.sha256.in_(bindparam("b_shas", expanding=True))
)
_SAME_STORY = and_(
    articles.c.story_key == bindparam("b_key"), articles.c.guid == bindparam("b_guid")
)
_ITEM_ID = select(articles.c.id).where(_SAME_STORY, articles.c.version == bindparam("b_version"))
_RETIRE_OLDER = (
    update(articles)
    .where(_SAME_STORY, articles.c.id != bindparam("b_new_id"))
    .values(is_current=False)
)
_CANCEL_STORY = (
    update(articles)
    .where(_SAME_STORY, articles.c.id != bindparam("b_new_id"), articles.c.status != "canceled")
    .values(status="canceled", canceled_at=bindparam("b_when"))
)

_ITEM_KEY = ("story_key", "guid", "version")


@cache
def _insert_once(
    table: Table, key: tuple[str, ...], dialect: str, returning: tuple[str, ...] = ("id",)
) -> Insert:
    """``INSERT ... ON CONFLICT (key) DO NOTHING RETURNING <returning>`` in ``dialect``'s syntax. The
    dialect module is imported on first use: a SQLite-only command never pays for the PostgreSQL dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        statement: Insert = postgresql.insert(table).on_conflict_do_nothing(
            index_elements=list(key)
        )
    elif dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=list(key))
    else:
        raise StoreError(f"unsupported database dialect: {dialect}")
    return statement.returning(*(table.c[name] for name in returning))


def _insert_unless_stored(conn: Connection, values: dict[str, Any]) -> int | None:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` on the item key: concurrent writers storing the
    same item store it once, without a savepoint or an aborted transaction (SQLite >= 3.35, PostgreSQL)."""
    row = conn.execute(_insert_once(articles, _ITEM_KEY, conn.dialect.name), values).first()
    return int(row[0]) if row else None


def _first_line(exc: DBAPIError) -> str:
    """The driver's own message, first line only (``connection to server at ... failed: Connection
    refused``), redacted: without SQLAlchemy's statement and background link."""
    return short_error(exc.orig if exc.orig is not None else exc).splitlines()[0]


def utcnow() -> datetime:
    return datetime.now(UTC)


def story_key(record: ArticleRecord) -> str:
    """Namespace of the guid: the first agency, else the feed, else the format."""
    return (record.agencies[0] if record.agencies else None) or record.feed or record.source_format


def version_from_source(record: ArticleRecord) -> bool:
    """Whether the source numbered this record's version (``normalizers.normalize.NormalizedRecord``);
    a record built any other way (JSON, a stored row, a test) keeps the strict rule: True."""
    return bool(getattr(record, "version_from_source", True))


def settle_version(
    story: Sequence[Any], record: ArticleRecord, guid: str
) -> tuple[Literal["unchanged", "new"], int]:
    """The one rule deciding what a save of ``record`` is, given its story's stored versions (rows with
    ``id``, ``version``, ``content_hash``, ``headline``): ``("unchanged", article id)`` or ``("new",
    version to store)``. Used by every save (live ingest, backfill, replay: all go through ``save_article``).

    DESIGN.md "Storage rules": (agency, guid, version) is the item. When the source numbers its versions,
    a repeated number is the same item, whatever its text. When it does not (RSS, Atom, NITF without
    ``version``, text, HTML; take identities derived from slugs), a copy whose text (body hash or headline)
    differs from every stored version is a correction: the next version (highest stored + 1), which becomes
    current; a copy identical to any stored version is a re-send: unchanged."""
    version = record.version
    existing = next((row for row in story if row.version == version), None)
    if existing is None:
        return "new", version
    if version_from_source(record) and not is_derived(guid):
        return "unchanged", int(existing.id)
    same = (record.content_hash, record.headline)
    for row in (existing, *story):
        if (row.content_hash, row.headline) == same:
            return "unchanged", int(row.id)
    return "new", max(int(row.version) for row in story) + 1


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    result: SaveResult
    article_id: int


@dataclass(slots=True)
class DocumentToStore:
    """One document for ``Store.save_documents``: its raw bytes (``digest``/``packed`` may come from a
    parser process; ``raw_id`` when they are stored already), and its failure or its parsed records with
    their MinHash signatures (same length)."""

    data: bytes
    origin: str
    records: list[ArticleRecord] = field(default_factory=list)
    signatures: list[bytes | None] = field(default_factory=list)
    feed: str | None = None
    source_format: str | None = None
    error: str | None = None
    raw_id: int | None = None
    digest: str | None = None
    packed: bytes | None = None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    raw_id: int
    outcomes: list[SaveOutcome]


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    id: int
    raw_document_id: int
    origin: str
    feed: str | None
    error: str
    created_at: datetime


def _article_values(record: ArticleRecord, raw_document_id: int | None) -> dict[str, Any]:
    return {
        "story_key": story_key(record),
        "guid": record.guid,
        "version": record.version,
        "source_format": record.source_format,
        "origin": record.origin,
        "feed": record.feed,
        "agencies": list(record.agencies),
        "agency_tags": "".join(f"|{a}" for a in record.agencies) + "|",
        "kicker": record.kicker,
        "headline": record.headline,
        "caption": record.caption,
        "dateline": record.dateline.to_dict() if record.dateline else None,
        "byline": record.byline,
        "body": list(record.body),
        "body_text": "\n\n".join(record.body),
        "related": [r.to_dict() for r in record.related],
        "language": record.language,
        "urgency": record.urgency,
        "status": record.status,
        "embargo_until": record.embargo_until,
        "published_at": record.published_at,
        "updated_at": record.updated_at,
        "subjects": list(record.subjects),
        "keywords": list(record.keywords),
        "content_hash": record.content_hash,
        "raw_document_id": raw_document_id,
        "signals": list(record.signals),
        "ednotes": list(record.ednotes),
        "replaces": list(record.replaces),
    }


def row_to_record(row: Any) -> ArticleRecord:
    """An ``articles`` row as the contract's record."""
    dateline = row.dateline
    return ArticleRecord(
        id=row.id,
        guid=row.guid,
        version=row.version,
        source_format=row.source_format,
        origin=getattr(row, "origin", None),
        feed=row.feed,
        agencies=list(row.agencies or []),
        kicker=row.kicker,
        headline=row.headline,
        caption=row.caption,
        dateline=Dateline.from_dict(dateline) if dateline else None,
        byline=row.byline,
        body=list(row.body or []),
        related=[RelatedItem.from_dict(r) for r in row.related or []],
        language=row.language,
        urgency=row.urgency,
        status=row.status,
        embargo_until=row.embargo_until,
        published_at=row.published_at,
        updated_at=row.updated_at,
        received_at=row.received_at,
        subjects=list(row.subjects or []),
        keywords=list(row.keywords or []),
        content_hash=row.content_hash,
        duplicate_of=row.duplicate_of,
        signals=list(row.signals or []),
        ednotes=list(row.ednotes or []),
        replaces=list(row.replaces or []),
    )


class Store:
    """The article store behind one database URL; migrations are applied when it opens."""

    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self.engine = engine
        self.readonly = readonly

    @classmethod
    def open(cls, url: str, *, readonly: bool | None = False) -> Store:
        """The store at ``url``, migrated to this code's schema.

        ``readonly=True``: only read (SQLite ``mode=ro``, PostgreSQL read-only sessions), never migrated:
        the schema must be this code's already; enough for search, show and the desk. ``None``: read-write
        when the store allows it, else read-only (logged). ``False``: read-write or an error.

        Raises ``StoreReadOnly`` (read-write asked of a read-only store) and ``SchemaMismatch`` (a schema
        newer than this code, or older when read-only): ``storage.errors.StoreError``, one line each."""
        engine = make_engine(url, readonly=bool(readonly))
        try:
            if not readonly and not writable(engine):
                if readonly is None:
                    log.warning(
                        "store is read-only: opened for reading", extra={"store": describe(engine)}
                    )
                    engine.dispose()
                    return cls.open(url, readonly=True)
                raise StoreReadOnly(f"store is read-only: {describe(engine)}{_READ_ONLY_HINT}")
            check_schema(engine, readonly=bool(readonly))
            if not readonly:
                migrate(engine)
        except StoreError:
            engine.dispose()
            raise
        except DBAPIError as exc:
            engine.dispose()
            if is_read_only(exc):
                raise StoreReadOnly(
                    f"store is read-only: {describe(engine)} ({short_error(exc)}){_READ_ONLY_HINT}"
                ) from None
            if is_outage(exc):
                raise StoreUnavailable(
                    f"cannot reach the store: {describe(engine)} ({_first_line(exc)})"
                ) from None
            raise
        return cls(engine, readonly=bool(readonly))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One short write transaction (SQLite allows one writer at a time: keep it brief).
        Raises ``StoreReadOnly`` on a store opened read-only."""
        if self.readonly:
            raise StoreReadOnly(f"store is opened read-only: {describe(self.engine)}")
        with self.engine.begin() as connection:
            yield connection

    # -- raw documents and quarantine -------------------------------------------------------------

    def save_raw(
        self,
        conn: Connection,
        data: bytes,
        origin: str,
        *,
        feed: str | None = None,
        source_format: str | None = None,
        digest: str | None = None,
        packed: bytes | None = None,
    ) -> int:
        """Keep the raw bytes (compressed) once per distinct content; return the row id.

        ``digest`` and ``packed`` (``storage.rawcodec``) may come precomputed from a parser process."""
        doc = DocumentToStore(
            data, origin, feed=feed, source_format=source_format, digest=digest, packed=packed
        )
        return self._save_raws(conn, [doc])[doc.digest or ""]

    def _save_raws(self, conn: Connection, documents: Sequence[DocumentToStore]) -> dict[str, int]:
        """Keep the raw bytes of ``documents`` (one multi-row insert); sha256 -> raw document id. Sets each
        document's ``digest``. Bytes stored already (by an earlier run, another process right now, or
        twice in this batch) keep their first row: ON CONFLICT DO NOTHING, then one look-up."""
        if not documents:
            return {}
        now = utcnow()
        rows: dict[str, dict[str, Any]] = {}
        for doc in documents:
            doc.digest = doc.digest or rawcodec.digest(doc.data)
            rows.setdefault(
                doc.digest,
                {
                    "sha256": doc.digest,
                    "size": len(doc.data),
                    "data": doc.packed if doc.packed is not None else rawcodec.pack(doc.data),
                    "origin": doc.origin,
                    "feed": doc.feed,
                    "source_format": doc.source_format,
                    "received_at": now,
                },
            )
        statement = _insert_once(raw_documents, ("sha256",), conn.dialect.name, ("id", "sha256"))
        ids = {str(row.sha256): int(row.id) for row in conn.execute(statement, list(rows.values()))}
        missing = [sha for sha in rows if sha not in ids]
        for start in range(0, len(missing), 500):
            part = missing[start : start + 500]
            ids.update(
                (str(r.sha256), int(r.id)) for r in conn.execute(_RAW_BY_SHA, {"b_shas": part})
            )
        return ids

    def raw_bytes(self, raw_document_id: int) -> bytes:
        with self.engine.connect() as conn:
            data = conn.execute(
                select(raw_documents.c.data).where(raw_documents.c.id == raw_document_id)
            ).scalar_one()
        return rawcodec.unpack(data)

    def quarantine(
        self,
        conn: Connection,
        raw_document_id: int,
        origin: str,
        error: str,
        *,
        feed: str | None = None,
    ) -> int:
        """Record a failure for a kept raw document. The same document failing again from the same origin
        (a feed polled again) is one entry; the same bytes from another origin (two identical files) get
        their own entry, so every failed file can be found by its name."""
        open_entry = conn.execute(
            select(quarantine.c.id).where(
                quarantine.c.raw_document_id == raw_document_id,
                quarantine.c.origin == origin,
                quarantine.c.resolved_at.is_(None),
            )
        ).scalar()
        if open_entry is not None:
            conn.execute(
                update(quarantine).where(quarantine.c.id == open_entry).values(error=error)
            )
            return int(open_entry)
        result = conn.execute(
            insert(quarantine).values(
                raw_document_id=raw_document_id,
                origin=origin,
                feed=feed,
                error=error,
                created_at=utcnow(),
            )
        )
        return _new_id(result)

    def quarantined(self, limit: int = 100) -> list[QuarantineEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(quarantine)
                .where(quarantine.c.resolved_at.is_(None))
                .order_by(quarantine.c.id.desc())
                .limit(limit)
            ).all()
        return [
            QuarantineEntry(r.id, r.raw_document_id, r.origin, r.feed, r.error, r.created_at)
            for r in rows
        ]

    # -- articles ---------------------------------------------------------------------------------

    def save_article(
        self,
        conn: Connection,
        record: ArticleRecord,
        raw_document_id: int | None = None,
        minhash: bytes | Literal["auto"] | None = "auto",
        *,
        view: StoreView | None = None,
        origin: str | None = None,
    ) -> SaveOutcome:
        """Store ``record`` as a version of its story, unless that exact item is already stored.

        ``minhash`` is the body's signature (``normalizers.minhash.signature``); pass it when it was computed
        outside the transaction, as the pipeline does, to keep write transactions short. ``view``: the batch
        this save belongs to (``save_documents``): its look-ups are made already and its bands are written
        when the batch ends; without one, the save is a batch of one. ``origin``: the raw document's origin,
        for a record that names none (else it is read from the raw document)."""
        if minhash == "auto":
            from normalizers.minhash import signature as minhash_signature

            signature = minhash_signature(record.body)
        else:
            signature = minhash
        if view is None:
            from storage.savebatch import ArticleToSave, StoreView

            self.lock_articles(conn)
            view = StoreView.load(
                conn, [ArticleToSave(record, raw_document_id, signature)], story_key
            )
            outcome = self._save_in(conn, view, record, raw_document_id, signature, origin)
            view.write_bands()
            return outcome
        return self._save_in(conn, view, record, raw_document_id, signature, origin)

    @staticmethod
    def lock_articles(conn: Connection) -> None:
        """Serialise article writers until commit (PostgreSQL; SQLite has one writer at a time anyway).

        Why: the duplicate look-ups then see every earlier article (two writers cannot both become cluster
        roots), and ids are drawn and committed in order, so cursor readers (``after=<id>``) never skip one.
        Taken once per transaction: a batch holds it from its first look-up to its commit."""
        if conn.dialect.name == "postgresql":
            conn.execute(_INSERT_LOCK, {"key": ARTICLE_INSERT_LOCK})

    def _save_in(
        self,
        conn: Connection,
        view: StoreView,
        record: ArticleRecord,
        raw_document_id: int | None,
        signature: bytes | None,
        origin: str | None,
    ) -> SaveOutcome:
        """The save rules of one record against ``view`` (stored articles + the batch's own)."""
        from storage.savebatch import StoryRow, resolve_story

        key, guid, story = resolve_story(
            view, record, signature, story_key(record), SAME_STORY_SIMILARITY
        )
        kind, number = settle_version(story, record, guid)
        if kind == "unchanged":
            return SaveOutcome("unchanged", number)
        version = number
        newest = max((row.version for row in story), default=None)
        canceled_at = min(
            (row.canceled_at for row in story if row.status == "canceled" and row.canceled_at),
            default=None,
        )
        if record.status == "canceled" and canceled_at is None:
            canceled_at = utcnow()
        is_current = newest is None or version > newest
        duplicate_of = view.exact_root(record.content_hash, (key, guid)) or view.near_root(
            signature, (key, guid)
        )
        values = _article_values(record, raw_document_id)
        if values["origin"] is None:
            values["origin"] = origin
        if values["origin"] is None and raw_document_id is not None:
            values["origin"] = conn.execute(_RAW_ORIGIN, {"b_id": raw_document_id}).scalar()
        status = "canceled" if canceled_at else record.status
        values.update(
            story_key=key,
            guid=guid,
            version=version,
            is_current=is_current,
            duplicate_of=duplicate_of,
            received_at=utcnow(),
            minhash=signature,
            status=status,
            canceled_at=canceled_at,
        )
        article_id = view.defer(values)
        if article_id is None:
            article_id = _insert_unless_stored(conn, values)
        if article_id is None:
            # Another writer stored the same item between our check and insert.
            stored = conn.execute(_ITEM_ID, {"b_key": key, "b_guid": guid, "b_version": version})
            return SaveOutcome("unchanged", int(stored.scalar_one()))
        others = {"b_key": key, "b_guid": guid, "b_new_id": article_id}
        if (is_current and newest is not None) or canceled_at is not None:
            view.flush()  # the updates below must see (and may change) the batch's earlier versions
        if is_current and newest is not None:
            conn.execute(_RETIRE_OLDER, others)
            for row in story:
                row.is_current = False
        if canceled_at is not None and any(row.status != "canceled" for row in story):
            # A kill withdraws every version of the story, at once.
            conn.execute(_CANCEL_STORY, {**others, "b_when": canceled_at})
            for row in story:
                if row.status != "canceled":
                    row.status, row.canceled_at = "canceled", canceled_at
        row = StoryRow(
            article_id,
            version,
            record.content_hash,
            record.headline,
            status,
            canceled_at,
            is_current,
            signature,
        )
        view.added((key, guid), row, duplicate_of)
        return SaveOutcome("duplicate" if duplicate_of else "stored", article_id)

    def save_documents(
        self, conn: Connection, documents: Sequence[DocumentToStore]
    ) -> list[StoredDocument]:
        """Store parsed documents inside the caller's transaction: every document's raw bytes, then its
        failure (quarantine) or its records (``save_article`` each, against one ``StoreView``). The one save
        path of live ingest and backfill; a batch of one is a single document.

        Statements per batch: the lock, one multi-row raw insert (plus one look-up when some bytes were
        stored already), four look-ups per 500 records, one insert per new article, one for all bands.
        Raises whatever the database raises; the caller rolls back (and may retry document by document)."""
        from storage.savebatch import ArticleToSave, StoreView

        if any(doc.error is None and doc.records for doc in documents):
            self.lock_articles(conn)
        raw_ids = self._save_raws(conn, [doc for doc in documents if doc.raw_id is None])
        items: list[ArticleToSave] = []
        for doc in documents:
            if doc.raw_id is None:
                doc.raw_id = raw_ids[doc.digest or ""]
            if doc.error is None:
                items += [
                    ArticleToSave(record, doc.raw_id, signature, doc.origin)
                    for record, signature in zip(doc.records, doc.signatures, strict=True)
                ]
        insert = _insert_once(articles, _ITEM_KEY, conn.dialect.name)
        deferred = insert if conn.dialect.name == "postgresql" else None
        view = StoreView.load(conn, items, story_key, deferred) if items else None
        saved: list[StoredDocument] = []
        for doc in documents:
            assert doc.raw_id is not None
            if doc.error is not None:
                self.quarantine(conn, doc.raw_id, doc.origin, doc.error, feed=doc.feed)
                saved.append(StoredDocument(doc.raw_id, []))
                continue
            outcomes = [
                self.save_article(conn, record, doc.raw_id, signature, view=view, origin=doc.origin)
                for record, signature in zip(doc.records, doc.signatures, strict=True)
            ]
            saved.append(StoredDocument(doc.raw_id, outcomes))
        if view is not None:
            view.write_bands()
        return saved

    def get(self, article_id: int) -> ArticleRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        return row_to_record(row) if row else None

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
