"""The SQLite store: migrations, idempotent saves, versions, exact duplicates, quarantine, raw bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

import storage.db as storage_db
from ingest.pipeline import ingest_document
from normalizers.record import ArticleRecord, Dateline
from storage.db import code_revision, downgrade, make_engine, migrate
from storage.errors import SchemaMismatch, StoreReadOnly
from storage.search import ArticleQuery, search
from storage.store import Store

REPO = Path(__file__).resolve().parents[1]

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
    assert again.quarantined and len(store.quarantined()) == 1  # one entry per document and origin
    # the same bytes in another file
    twin = ingest_document(store, garbage, "inbox/broken-copy.xml")
    assert twin.quarantined
    entries = store.quarantined()
    assert sorted(e.origin for e in entries) == ["broken.xml", "inbox/broken-copy.xml"]
    assert len({e.raw_document_id for e in entries}) == 1  # the bytes are kept once


def test_ingest_keeps_raw_bytes_once(store: Store) -> None:
    first = ingest_document(store, STORY, "a.txt")
    second = ingest_document(store, STORY, "copy/a.txt")
    assert first.stored == 1 and second.unchanged == 1
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM raw_documents")).scalar() == 1


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive"), store.transaction() as conn:
        store.save_article(conn, record(published_at=datetime(2026, 1, 1)))


# -- read-only stores and newer schemas (issue 16, finding 11) --------------------------------------

WIREDESK = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "wiredesk"


def _wiredesk(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIREDESK_DB_URL": url, "WIREDESK_FEEDS": str(cwd / "none.toml")}
    return subprocess.run(
        [str(WIREDESK), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _stored_store(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "wire.db"
    store = Store.open(f"sqlite:///{path}")
    ingest_document(store, STORY, "story.txt")
    store.close()
    return f"sqlite:///{path}", path


def test_a_schema_newer_than_the_code_is_one_clear_line(tmp_path: Path) -> None:
    url, path = _stored_store(tmp_path)
    head = code_revision()
    with make_engine(url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaMismatch) as raised:
        Store.open(url)
    assert str(raised.value) == (
        f"store schema 9999 is newer than this wiredesk ({head}): upgrade wiredesk ({path})"
    )
    with pytest.raises(SchemaMismatch):
        Store.open(url, readonly=True)
    (tmp_path / "story.txt").write_bytes(STORY)
    for command in (("search", "Wald"), ("ingest", str(tmp_path / "story.txt"))):
        done = _wiredesk(url, *command, cwd=tmp_path)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.splitlines() == [f"wiredesk: {raised.value}"], done.stderr
    with make_engine(url).connect() as conn:  # untouched
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"


def test_a_read_only_store_is_one_line_for_writers_and_readable_for_readers(
    tmp_path: Path,
) -> None:
    url, path = _stored_store(tmp_path)
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    with pytest.raises(StoreReadOnly) as raised:
        Store.open(read_only)
    assert str(raised.value).startswith(f"store is read-only: {path}")
    done = _wiredesk(read_only, "ingest", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.splitlines() == [f"wiredesk: {raised.value}"]

    for opened in (Store.open(read_only, readonly=True), Store.open(read_only, readonly=None)):
        assert opened.readonly
        assert [r.headline for r in search(opened, ArticleQuery(text="Wald"))] == [
            "Waldschutz beschlossen"
        ]
        with pytest.raises(StoreReadOnly):
            ingest_document(opened, STORY.replace(b"Wald", b"Feld"), "other.txt")
        opened.close()

    reader = Store.open(
        url, readonly=True
    )  # a writable file opened to read: mode=ro, never written
    with pytest.raises(OperationalError, match="readonly"), reader.engine.begin() as conn:
        conn.execute(text("DELETE FROM articles"))
    reader.close()
    assert Store.open(url).count_articles() == 1


def test_file_permissions_and_read_only_mounts_make_a_store_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root writes through file modes, so the permission check is observed through ``os.access``."""
    url, _path = _stored_store(tmp_path)
    monkeypatch.setattr(storage_db, "may_write", lambda _path: False)
    with pytest.raises(StoreReadOnly):
        Store.open(url)
    assert Store.open(url, readonly=None).readonly


def test_an_older_schema_is_not_migrated_through_a_read_only_open(tmp_path: Path) -> None:
    url, _path = _stored_store(tmp_path)
    downgrade(make_engine(url), "0006")
    with pytest.raises(SchemaMismatch, match="older than this wiredesk"):
        Store.open(url, readonly=True)
    Store.open(url).close()  # read-write: migrated as always
    Store.open(url, readonly=True).close()


def test_an_article_keeps_its_own_origin_when_its_bytes_are_stored_already(
    tmp_path: Path,
) -> None:
    """The store keeps raw bytes once (by digest); the same bytes arriving from a second feed under another
    path give that feed a new article, whose origin is where it came from, not the first path."""
    store = Store.open(f"sqlite:///{tmp_path / 'wire.db'}")
    raw = (
        b"Harbour closed after storm\n\nThe harbour was closed on Thursday after a storm pushed "
        b"containers into the water, the port authority said.\n"
    )
    first = ingest_document(store, raw, "drop/one/harbour.txt", feed="one")
    second = ingest_document(store, raw, "drop/two/harbour.txt", feed="two")
    assert first.stored == 1 and second.article_ids != first.article_ids
    origins = {r.feed: r.origin for r in search(store, ArticleQuery(include_all=True))}
    assert origins == {"one": "drop/one/harbour.txt", "two": "drop/two/harbour.txt"}
    assert store.get(second.article_ids[0]).origin == "drop/two/harbour.txt"  # type: ignore[union-attr]
    store.close()


def test_opening_a_current_store_loads_no_alembic(tmp_path: Path) -> None:
    """A store at this code's schema opens with one query: Alembic (which imports every migration) is
    loaded only to migrate; the head is read from the migration files' text and agrees with Alembic's."""
    url = f"sqlite:///{tmp_path / 'wire.db'}"
    Store.open(url).close()
    probe = (
        "import sys\nfrom storage.store import Store\nfrom storage.db import schema_head\n"
        f"Store.open({url!r}).close()\nprint(schema_head(), any(m.startswith('alembic') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(storage_db.alembic_config()).get_current_head()
    assert done.stdout.split() == [head, "False"]
