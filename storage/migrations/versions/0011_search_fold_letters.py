"""Search folds the Latin letters SQLite's tokenizer leaves alone: ``Walesa`` finds ``Wałęsa``.

FTS5's ``unicode61`` strips combining marks but not letters that have none in Unicode (``ł``, ``ø``, ``đ``,
``ı``, ``þ`` ...), so on SQLite ``Lodz``, ``Tromso`` and ``Kilicdaroglu`` found nothing while PostgreSQL
(``unaccent``) found them. The fold table (``storage.folding``) now holds those letters; this revision
recreates SQLite's index triggers with it and re-indexes every article (one ``INSERT ... SELECT``, as
revision 0004 did). On PostgreSQL only ``wiredesk_fold`` is recreated from the same table: unaccent folded
these letters already, so the stored vectors stay valid.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from storage.folding import FOLDS, FOLDS_BEFORE_0011
from storage.pgsearch import fold_function_sql
from storage.search import FTS_TABLE, FTS_TRIGGERS, fts_fill_sql, fts_trigger_sql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _use(folds: tuple[tuple[str, str], ...]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(fold_function_sql(folds))
        return
    for name in FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in fts_trigger_sql(folds):
        op.execute(statement)
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    op.execute(fts_fill_sql(0, folds))


def upgrade() -> None:
    _use(FOLDS)


def downgrade() -> None:
    _use(FOLDS_BEFORE_0011)
