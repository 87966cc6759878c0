"""MinHash scheme 2: recompute every stored signature and its LSH bands.

``normalizers.minhash`` no longer uses datasketch (scipy alone cost 57 MB per process); its numpy scheme
gives different values, and signatures of the two schemes are not comparable. Stored articles therefore get
their signature and bands recomputed from their stored body, in batches, so near duplicates of old copy are
still found. Downgrading clears signatures and bands (the old scheme cannot be recomputed without
datasketch); the articles themselves are untouched.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
BATCH = 1000

articles = sa.table(
    "articles",
    sa.column("id", sa.BigInteger),
    sa.column("body", sa.JSON),
    sa.column("minhash", sa.LargeBinary),
)
bands = sa.table("article_bands", sa.column("bucket", sa.BigInteger), sa.column("article_id"))


def upgrade() -> None:
    # Imported here: Alembic imports every migration to read the chain, and numpy (under minhash) is only
    # needed when this one runs.
    from normalizers.minhash import band_buckets, signature

    conn = op.get_bind()
    conn.execute(sa.delete(bands))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(articles.c.id, articles.c.body)
            .where(articles.c.id > last)
            .order_by(articles.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        updates, buckets = [], []
        for row in rows:
            body = [p for p in (row.body or []) if isinstance(p, str)]
            sig = signature(body)
            updates.append({"b_id": row.id, "b_minhash": sig})
            if sig is not None:
                buckets += [{"bucket": b, "article_id": row.id} for b in set(band_buckets(sig))]
        conn.execute(
            sa.update(articles)
            .where(articles.c.id == sa.bindparam("b_id"))
            .values(minhash=sa.bindparam("b_minhash")),
            updates,
        )
        if buckets:
            conn.execute(sa.insert(bands), buckets)


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.delete(bands))
    conn.execute(sa.update(articles).values(minhash=None))
