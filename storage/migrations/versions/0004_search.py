"""Search: FTS5 over folded text (ß -> ss) with caption and weighted rank; indexes for desk filters.

The FTS table of 0001 indexed the raw text, so "Aussenminister" never found "Außenminister". This revision
recreates it from ``storage.search`` (the one place that defines the folding) and refills it. It also adds
two indexes the desk and API filters use at a million rows: ``feed`` and ``duplicate_of`` (cluster
lookups). ``storage/models.py`` does not mirror these two indexes yet (owned elsewhere); they are plain
b-tree indexes and change no query's result.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

from storage.folding import FOLDS_BEFORE_0011
from storage.search import FTS_TABLE, FTS_TRIGGERS, fts_create_sql, fts_fill_sql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_OLD_FTS = [
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
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]


def _drop_fts() -> None:
    for name in FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def upgrade() -> None:
    op.create_index("ix_articles_feed", "articles", ["feed"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_fts()
    for statement in fts_create_sql(FOLDS_BEFORE_0011):  # the table of its time (0011 widens it)
        op.execute(statement)
    op.execute(fts_fill_sql(0, FOLDS_BEFORE_0011))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _drop_fts()
        for statement in _OLD_FTS:
            op.execute(statement)
    op.drop_index("ix_articles_duplicate_of", "articles")
    op.drop_index("ix_articles_feed", "articles")
