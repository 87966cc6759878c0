"""The SQLite store: migrations, idempotent saves, versions, exact duplicates, quarantine, raw bytes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from ingest.pipeline import ingest_document
from normalizers.record import ArticleRecord, Dateline
from storage.db import downgrade, make_engine, migrate
from storage.search import ArticleQuery, search
from storage.store import Store

STORY = """Waldschutz beschlossen

Berlin (dpa) - Die Bundesregierung hat am Mittwoch neue Regeln für den Schutz der Wälder beschlossen.

Umweltverbände begrüßten die Entscheidung, forderten aber mehr Geld für die Länder und Gemeinden.

dpa
""".encode()


def record(**changes: object) -> ArticleRecord:
    base = ArticleRecord(
        guid="urn:test:1",
        source_format="newsmlg2",
        version=1,
        agencies=["dpa"],
        headline="Waldschutz beschlossen",
        dateline=Dateline(place="Berlin", agencies=["dpa"]),
        body=["Die Bundesregierung hat neue Regeln beschlossen.", "Verbände begrüßen das."],
        language="de",
        content_hash="hash-1",
        published_at=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_migrations_create_schema_and_downgrade(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    migrate(engine)  # idempotent
    tables = set(inspect(engine).get_table_names())
    assert {"articles", "raw_documents", "quarantine", "articles_fts", "alembic_version"} <= tables
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    downgrade(engine, "base")
    assert "articles" not in set(inspect(engine).get_table_names())
    engine.dispose()


def test_save_is_idempotent_and_round_trips(store: Store) -> None:
    with store.transaction() as conn:
        first = store.save_article(conn, record())
        again = store.save_article(conn, record())
    assert first.result == "stored"
    assert again.result == "unchanged" and again.article_id == first.article_id
    assert store.count_articles() == 1
    stored = store.get(first.article_id)
    assert stored is not None
    assert stored.id == first.article_id
    assert stored.headline == "Waldschutz beschlossen"
    assert stored.dateline == Dateline(place="Berlin", agencies=["dpa"])
    assert stored.published_at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert stored.received_at is not None and stored.received_at.tzinfo is not None


def test_newer_version_becomes_current_and_older_stays(store: Store) -> None:
    with store.transaction() as conn:
        v1 = store.save_article(conn, record())
        v2 = store.save_article(
            conn, record(version=2, headline="Waldschutz: Länder wollen mehr Geld")
        )
        late_v1 = store.save_article(conn, record())
    assert v2.result == "stored" and late_v1.result == "unchanged"
    current = search(store, ArticleQuery())
    assert [r.id for r in current] == [v2.article_id]
    everything = search(store, ArticleQuery(include_all=True))
    assert {r.id for r in everything} == {v1.article_id, v2.article_id}


def test_exact_duplicate_points_to_first_article(store: Store) -> None:
    with store.transaction() as conn:
        first = store.save_article(conn, record())
        dup = store.save_article(conn, record(guid="urn:other:9", agencies=["AFP"]))
        dup2 = store.save_article(conn, record(guid="urn:third:3", agencies=["AFP"]))
    assert dup.result == "duplicate" and dup2.result == "duplicate"
    assert store.get(dup.article_id).duplicate_of == first.article_id  # type: ignore[union-attr]
    assert store.get(dup2.article_id).duplicate_of == first.article_id  # type: ignore[union-attr]


def test_publishable_filter_hides_embargoed_and_canceled(store: Store) -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    with store.transaction() as conn:
        store.save_article(
            conn, record(guid="a", content_hash="a", embargo_until=now + timedelta(hours=1))
        )
        store.save_article(conn, record(guid="b", content_hash="b", status="canceled"))
        visible = store.save_article(conn, record(guid="c", content_hash="c"))
    assert [r.id for r in search(store, ArticleQuery(), now=now)] == [visible.article_id]
    assert len(search(store, ArticleQuery(include_all=True), now=now)) == 3
    assert len(search(store, ArticleQuery(), now=now + timedelta(hours=2))) == 2


def test_full_text_search_folds_diacritics(store: Store) -> None:
    ingest_document(store, STORY, "story.txt")
    assert len(search(store, ArticleQuery(text="Walder"))) == 1  # "Wälder" found without umlaut
    assert len(search(store, ArticleQuery(text="bundesregierung regeln"))) == 1
    assert len(search(store, ArticleQuery(text='"; DROP TABLE articles; --'))) == 0
    assert len(search(store, ArticleQuery(text="Wald", agency="dpa", language="de"))) == 1
    assert search(store, ArticleQuery(text="Wald", agency="AFP")) == []


def test_bad_document_is_quarantined_with_raw_bytes(store: Store) -> None:
    garbage = b"<NewsML><unclosed>"
    result = ingest_document(store, garbage, "broken.xml")
    assert result.quarantined and result.error
    entries = store.quarantined()
    assert len(entries) == 1 and entries[0].origin == "broken.xml"
    assert store.raw_bytes(entries[0].raw_document_id) == garbage
    again = ingest_document(store, garbage, "broken.xml")
    assert again.quarantined and len(store.quarantined()) == 1  # one entry per document


def test_ingest_keeps_raw_bytes_once(store: Store) -> None:
    first = ingest_document(store, STORY, "a.txt")
    second = ingest_document(store, STORY, "copy/a.txt")
    assert first.stored == 1 and second.unchanged == 1
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM raw_documents")).scalar() == 1


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive"), store.transaction() as conn:
        store.save_article(conn, record(published_at=datetime(2026, 1, 1)))
