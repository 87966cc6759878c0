"""The batched save path (``Store.save_documents``) on SQLite and PostgreSQL: a batch decides exactly what
saving its documents one at a time decides (versions, exact and near duplicates, re-sends, kills, within
the batch and against the store), a batch with one bad document still stores the others and quarantines
the bad one, and the statements a batch costs do not grow with its size (issue 19: round trips per
document were what made PostgreSQL slow). Statements are counted with SQLAlchemy's cursor event, never
timed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import DataError

from ingest.backfill import ingest_paths
from normalizers.minhash import signature
from normalizers.record import ArticleRecord
from storage.models import article_bands, articles, quarantine, raw_documents
from storage.store import DocumentToStore, Store
from tests.conftest import fresh_store

SENTENCE = (
    "Die Regierung in Wien hat am Dienstag nach langen Verhandlungen ein neues Gesetz zum Schutz der "
    "Alpenflüsse beschlossen das den Bau weiterer Kraftwerke an sechs Strecken untersagt und den "
    "Ländern mehr Geld für die Renaturierung von Auen zusagt wie das Umweltministerium mitteilte"
)
WORDS = SENTENCE.split(" ")


def body(seed: int, edited: int = 0) -> list[str]:
    """A body of ~60 words unique to ``seed``; ``edited`` words changed (a near duplicate)."""
    words = [f"{word}{seed}" if i % 7 == 0 else word for i, word in enumerate(WORDS * 2)]
    for i in range(edited):
        words[5 + i * 9] = f"anders{i}"
    return [" ".join(words[:30]), " ".join(words[30:])]


def record(guid: str, seed: int, **changes: Any) -> ArticleRecord:
    paragraphs = changes.pop("body", None) or body(seed)
    base = ArticleRecord(
        guid=guid,
        source_format="nitf",
        version=1,
        agencies=["APA"],
        headline=f"Flussschutz {seed}",
        body=paragraphs,
        language="de",
        content_hash=f"hash-{'|'.join(paragraphs)}"[:60] + str(len("".join(paragraphs))),
        published_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    return replace(base, **changes)


def document(name: str, *records: ArticleRecord, error: str | None = None) -> DocumentToStore:
    return DocumentToStore(
        f"<doc>{name}</doc>".encode(),
        f"inbox/{name}.xml",
        list(records),
        [signature(r.body) for r in records],
        source_format="nitf",
        error=error,
    )


def sequence() -> list[DocumentToStore]:
    """Documents whose outcomes depend on earlier ones of the same batch."""
    first = record("urn:apa:1", 1)
    return [
        document("a1", first),
        document("a2", replace(first, version=2, headline="Flussschutz beschlossen")),
        document("exact", record("urn:apa:2", 2, body=first.body, content_hash=first.content_hash)),
        document("near", record("urn:apa:3", 3, body=body(1, edited=1), agencies=["dpa"])),
        document("resend", first),
        document("failed", error="cannot parse: not XML"),
        document("other", record("urn:apa:4", 4)),
        document("kill", record("urn:apa:4", 4, version=2, status="canceled")),
        document("two", record("urn:apa:5", 5), record("urn:apa:5", 5)),
    ]


def summary(store: Store, saved: list[Any]) -> list[Any]:
    """Outcomes and the rows they left, with ids replaced by their order of storing."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                articles.c.id,
                articles.c.guid,
                articles.c.version,
                articles.c.is_current,
                articles.c.duplicate_of,
                articles.c.status,
            ).order_by(articles.c.id)
        ).all()
        bands = conn.execute(select(func.count()).select_from(article_bands)).scalar_one()
        failures = conn.execute(select(quarantine.c.origin)).scalars().all()
    rank = {row.id: n for n, row in enumerate(rows)}
    outcomes = [[(o.result, rank[o.article_id]) for o in doc.outcomes] for doc in saved]
    stored = [(r.guid, r.version, r.is_current, rank.get(r.duplicate_of), r.status) for r in rows]
    return [outcomes, stored, bands, failures]


@contextmanager
def another(store: Store, tmp_path: Path) -> Iterator[Store]:
    """A second, empty store of the same kind."""
    with fresh_store(store.engine.dialect.name, tmp_path, "other.db") as other:
        yield other


def test_a_batch_decides_what_one_document_at_a_time_decides(store: Store, tmp_path: Path) -> None:
    with store.transaction() as conn:
        batch = store.save_documents(conn, sequence())
    with another(store, tmp_path) as single:
        one_by_one = []
        for doc in sequence():
            with single.transaction() as conn:
                one_by_one += single.save_documents(conn, [doc])
        assert summary(store, batch) == summary(single, one_by_one)
    outcomes, stored, _bands, failures = summary(store, batch)
    assert outcomes[:5] == [
        [("stored", 0)],
        [("stored", 1)],
        [("duplicate", 2)],
        [("duplicate", 3)],
        [("unchanged", 0)],
    ]
    assert outcomes[8] == [("stored", 6), ("unchanged", 6)]
    assert stored[0][2] is False and stored[1][2] is True  # v2 retired v1
    assert stored[2][3] == 0 and stored[3][3] == 0  # exact and near duplicates point at the root
    assert [s[4] for s in stored[4:6]] == ["canceled", "canceled"]  # the kill withdrew v1 too
    assert failures == ["inbox/failed.xml"]


def test_same_bytes_twice_in_a_batch_keep_one_raw_document(store: Store) -> None:
    docs = [document("same", record("urn:apa:7", 7)), document("same", record("urn:apa:7", 7))]
    with store.transaction() as conn:
        saved = store.save_documents(conn, docs)
    assert saved[0].raw_id == saved[1].raw_id
    assert [o.result for d in saved for o in d.outcomes] == ["stored", "unchanged"]
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(raw_documents)).scalar_one() == 1


def count_statements(store: Store, size: int, offset: int) -> int:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    docs = [document(f"n{n}", record(f"urn:apa:n{n}", n)) for n in range(offset, offset + size)]
    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.transaction() as conn:
            store.save_documents(conn, docs)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return len(seen)


def test_statements_per_batch_do_not_grow_with_the_batch(store: Store) -> None:
    small = count_statements(store, 10, 1000)
    large = count_statements(store, 200, 2000)
    if store.engine.dialect.name == "postgresql":
        # lock, raw insert, 4 look-ups (the candidates' only when a bucket matched), ids, articles,
        # bands: at most nine for 10 or for 200 documents.
        assert small <= 9 and large <= 9
    else:
        # SQLite inserts each article in-process (no round trip); the rest is per batch (its driver
        # takes at most 999 parameters per statement, so 200 raw documents are two inserts).
        assert small - 10 <= 10 and large - 200 <= 12


def test_a_bad_document_in_a_batch_is_quarantined_and_the_rest_stored(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A driver error on one row fails the batch; its documents are written again one by one."""
    original = Store.save_article

    def save_article(self: Store, conn: Any, item: ArticleRecord, *args: Any, **kw: Any) -> Any:
        if item.headline and item.headline.startswith("Giftig"):
            raise DataError("INSERT INTO articles ...", {}, ValueError("value out of range"))
        return original(self, conn, item, *args, **kw)

    monkeypatch.setattr(Store, "save_article", save_article)
    inbox = tmp_path / "in"
    inbox.mkdir()
    for n in range(12):
        headline = "Giftig" if n == 5 else f"Meldung {n}"
        words = " ".join(f"Wort{n}x{i}" for i in range(40))
        (inbox / f"{n:02}.txt").write_text(f"{headline}\n\nWien (APA) - {words}.\n\nAPA\n")
    summary = ingest_paths([inbox], store, workers=0, batch=50, progress=False)
    assert (summary.documents, summary.stored, summary.quarantined) == (12, 11, 1)
    with store.engine.connect() as conn:
        errors = conn.execute(select(quarantine.c.origin, quarantine.c.error)).all()
        headlines = conn.execute(select(articles.c.headline)).scalars().all()
    assert len(errors) == 1 and errors[0].origin.endswith("05.txt")
    assert "could not be stored" in errors[0].error and "INSERT" not in errors[0].error
    assert "Giftig" not in headlines and len(headlines) == 11
