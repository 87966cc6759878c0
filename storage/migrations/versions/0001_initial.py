"""Initial schema: raw documents, articles (+ FTS5 on SQLite), quarantine.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import IdType, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FTS_SQLITE = [
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        kicker, headline, body_text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, kicker, headline, body_text)
        VALUES (new.id, new.kicker, new.headline, new.body_text);
    END""",
    """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, kicker, headline, body_text)
        VALUES ('delete', old.id, old.kicker, old.headline, old.body_text);
    END""",
    """CREATE TRIGGER articles_fts_au AFTER UPDATE OF kicker, headline, body_text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, kicker, headline, body_text)
        VALUES ('delete', old.id, old.kicker, old.headline, old.body_text);
        INSERT INTO articles_fts(rowid, kicker, headline, body_text)
        VALUES (new.id, new.kicker, new.headline, new.body_text);
    END""",
]


def upgrade() -> None:
    op.create_table(
        "raw_documents",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("feed", sa.String(200)),
        sa.Column("source_format", sa.String(32)),
        sa.Column("received_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("story_key", sa.String(200), nullable=False),
        sa.Column("guid", sa.String(512), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("source_format", sa.String(32), nullable=False),
        sa.Column("feed", sa.String(200)),
        sa.Column("agencies", sa.JSON, nullable=False),
        sa.Column("agency_tags", sa.String(400), nullable=False),
        sa.Column("kicker", sa.Text),
        sa.Column("headline", sa.Text),
        sa.Column("caption", sa.Text),
        sa.Column("dateline", sa.JSON),
        sa.Column("byline", sa.Text),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("related", sa.JSON, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("urgency", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("embargo_until", UTCDateTime),
        sa.Column("published_at", UTCDateTime),
        sa.Column("updated_at", UTCDateTime),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("subjects", sa.JSON, nullable=False),
        sa.Column("keywords", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("duplicate_of", IdType, sa.ForeignKey("articles.id")),
        sa.Column("raw_document_id", IdType, sa.ForeignKey("raw_documents.id")),
        sa.UniqueConstraint("story_key", "guid", "version", name="uq_articles_item"),
    )
    op.create_index("ix_articles_story", "articles", ["story_key", "guid"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_received_at", "articles", ["received_at"])
    op.create_index("ix_articles_language", "articles", ["language"])
    op.create_table(
        "quarantine",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("raw_document_id", IdType, sa.ForeignKey("raw_documents.id"), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("feed", sa.String(200)),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("articles_fts_au", "articles_fts_ad", "articles_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    op.drop_table("quarantine")
    op.drop_index("ix_articles_language", "articles")
    op.drop_index("ix_articles_received_at", "articles")
    op.drop_index("ix_articles_content_hash", "articles")
    op.drop_index("ix_articles_story", "articles")
    op.drop_table("articles")
    op.drop_table("raw_documents")
