"""SQLAlchemy 2 models. The migration in ``storage/migrations`` is the source of truth for the schema;
these mappings mirror it for queries and inserts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids.
IdType = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out -- also on SQLite, which stores datetimes without an offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime given to the store: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base; every column names its SQL type explicitly."""


class RawDocument(Base):
    """Every fetched or ingested document, compressed, so a parser fix can be replayed."""

    __tablename__ = "raw_documents"
    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    origin: Mapped[str] = mapped_column(Text)
    feed: Mapped[str | None] = mapped_column(String(200))
    source_format: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Article(Base):
    """One stored version of one story."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("story_key", "guid", "version", name="uq_articles_item"),
        Index("ix_articles_story", "story_key", "guid"),
        Index("ix_articles_content_hash", "content_hash"),
        Index("ix_articles_received_at", "received_at"),
        Index("ix_articles_language", "language"),
    )
    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    story_key: Mapped[str] = mapped_column(String(200))
    guid: Mapped[str] = mapped_column(String(512))
    version: Mapped[int] = mapped_column(BigInteger)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    source_format: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str | None] = mapped_column(Text)
    feed: Mapped[str | None] = mapped_column(String(200))
    agencies: Mapped[list[Any]] = mapped_column(JSON)
    agency_tags: Mapped[str] = mapped_column(String(400))
    kicker: Mapped[str | None] = mapped_column(Text)
    headline: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    dateline: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    byline: Mapped[str | None] = mapped_column(Text)
    body: Mapped[list[Any]] = mapped_column(JSON)
    body_text: Mapped[str] = mapped_column(Text)
    related: Mapped[list[Any]] = mapped_column(JSON)
    language: Mapped[str | None] = mapped_column(String(8))
    urgency: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    embargo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    subjects: Mapped[list[Any]] = mapped_column(JSON)
    keywords: Mapped[list[Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    duplicate_of: Mapped[int | None] = mapped_column(IdType, ForeignKey("articles.id"))
    raw_document_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("raw_documents.id"))
    signals: Mapped[list[Any] | None] = mapped_column(JSON)
    ednotes: Mapped[list[Any] | None] = mapped_column(JSON)
    canceled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaces: Mapped[list[Any] | None] = mapped_column(JSON)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)


class ArticleBand(Base):
    """One LSH band bucket of an article's MinHash signature: near-duplicate lookup is an indexed IN query."""

    __tablename__ = "article_bands"
    __table_args__ = (
        PrimaryKeyConstraint("bucket", "article_id", name="pk_article_bands"),
        Index("ix_article_bands_article", "article_id"),
        {"sqlite_with_rowid": False},
    )
    bucket: Mapped[int] = mapped_column(BigInteger)
    article_id: Mapped[int] = mapped_column(IdType, ForeignKey("articles.id", ondelete="CASCADE"))


class Quarantine(Base):
    """A document that failed to parse or store: its error, kept with its raw bytes."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    raw_document_id: Mapped[int] = mapped_column(IdType, ForeignKey("raw_documents.id"))
    origin: Mapped[str] = mapped_column(Text)
    feed: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FeedState(Base):
    """Health and conditional-GET validators of one feed, kept across restarts."""

    __tablename__ = "feed_state"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    last_attempt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[str | None] = mapped_column(String(20))
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    items_new_last_run: Mapped[int] = mapped_column(Integer, default=0)
    last_new_item_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_run: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_duration_ms: Mapped[int | None] = mapped_column(Integer)


class TransportState(Base):
    """Where one transport feed's delivery stands: its cursor and acknowledgement counters."""

    __tablename__ = "transport_state"
    feed: Mapped[str] = mapped_column(String(100), primary_key=True)
    transport: Mapped[str] = mapped_column(String(40))
    cursor: Mapped[str | None] = mapped_column(Text)
    counters: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TransportSeen(Base):
    """One entry of a feed's seen-list: a remote file (size, mtime) or an article page (validator)."""

    __tablename__ = "transport_seen"
    __table_args__ = (PrimaryKeyConstraint("feed", "key", name="pk_transport_seen"),)
    feed: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(1000))
    size: Mapped[int | None] = mapped_column(BigInteger)
    mtime: Mapped[str | None] = mapped_column(String(64))
    validator: Mapped[str | None] = mapped_column(Text)
