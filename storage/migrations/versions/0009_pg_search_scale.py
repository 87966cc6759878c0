"""PostgreSQL search at 1M articles: a larger statistics sample for ``articles.search_vector``.

Newest-first text search has two good plans and the planner picks between them by the estimated share
of articles that match: a rare name is found through the GIN index and its few hits sorted by id, a
common word by walking the primary key newest-first and stopping after a page. PostgreSQL estimates a
term from the column's most common lexemes (``most_common_elems``), whose list holds ten times the
statistics target; with the default target (100: ~1,000 lexemes) a name in 0.2% of a wire archive is not
on it and gets a flat default of about 0.5%, close enough to a common word that at 1M articles the
planner walked the primary key for a rare name. A target of 1000 keeps ~10,000 lexemes, so names down to
~0.1% are estimated from their own frequency and rarer ones from a far smaller floor. ANALYZE then
samples 300,000 rows for this column (about half a minute at 1M articles, in autovacuum's background).

The new target takes effect at the next ANALYZE (autovacuum's, or the operator's); the revision runs one
on ``articles`` only when the table is small enough for that to be quick, so a large archive's upgrade
never blocks on it. SQLite keeps its FTS5 index (0004): this revision does nothing there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SEARCH_VECTOR_STATISTICS = 1000
ANALYZE_BELOW_ROWS = 200_000
"""Run ANALYZE during the upgrade only below this many (estimated) articles."""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS {SEARCH_VECTOR_STATISTICS}"
    )
    estimate = bind.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass")
    ).scalar()
    if estimate is not None and float(estimate) < ANALYZE_BELOW_ROWS:
        op.execute("ANALYZE articles")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS -1")
