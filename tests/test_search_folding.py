"""Search folds letters without a combining mark (``ł``, ``ø``, ``ı`` ...) on SQLite as PostgreSQL's
``unaccent`` does: ``Walesa`` finds ``Wałęsa`` on both stores (``storage.folding``, migration 0011)."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import text

from normalizers.record import ArticleRecord
from storage.db import downgrade, make_engine, migrate
from storage.folding import FOLDS, fold_text
from storage.search import ArticleQuery, search_page
from storage.store import Store

# Names as agencies write them (PAP, NTB, Hina, AA, RÚV ...) and as an editor types them.
STORIES = {
    "pap": (
        "Wałęsa odwiedza Łódź",
        "Były prezydent Lech Wałęsa odwiedził w środę Łódź i Gdańsk.",
        "pl",
    ),
    "ntb": ("Ny bro over Øresund", "Brua mellom Tromsø og Kvaløya får nytt dekke i sommer.", "no"),
    "hina": ("Đoković osvojio turnir", "Novak Đoković pobijedio je u finalu u Beogradu.", "hr"),
    "aa": ("Kılıçdaroğlu açıklama yaptı", "CHP lideri Kılıçdaroğlu İstanbul'da konuştu.", "tr"),
    "ruv": ("Þórsdóttir kjörin forseti", "Guðrún Þórsdóttir var kjörin í gær.", "is"),
}
SEARCHES = {
    "walesa": "pap",
    "lodz": "pap",
    "Łódź": "pap",
    "tromso": "ntb",
    "oresund": "ntb",
    "Dokovic": "hina",
    "kilicdaroglu": "aa",
    "thorsdottir": "ruv",
    "gudrun": "ruv",
    unicodedata.normalize(
        "NFD", "Wałęsa"
    ): "pap",  # typed on a Mac or pasted from a PDF: decomposed
    unicodedata.normalize("NFD", "Kılıçdaroğlu"): "aa",
    "İstanbul".lower(): "aa",  # i + U+0307
}


def _record(key: str) -> ArticleRecord:
    headline, paragraph, language = STORIES[key]
    return ArticleRecord(
        guid=f"{key}-1",
        source_format="nitf",
        agencies=[key.upper()],
        headline=headline,
        body=[paragraph],
        language=language,
        content_hash=f"hash-{key}",
    )


def _save(store: Store, key: str) -> int:
    with store.transaction() as conn:
        return store.save_article(conn, _record(key)).article_id


def _found(store: Store, words: str) -> list[int]:
    return [hit.id for hit in search_page(store, ArticleQuery(text=words, include_all=True)).hits]


@pytest.mark.parametrize(("words", "key"), SEARCHES.items())
def test_letters_without_marks_are_folded(store: Store, words: str, key: str) -> None:
    saved = {k: _save(store, k) for k in STORIES}
    assert _found(store, words) == [saved[key]]


def test_table_covers_every_european_latin_letter_sqlite_leaves_unfolded() -> None:
    """Every letter of U+00C0-U+017F comes out of the fold and unicode61 as ASCII (``ŉ`` aside: unaccent
    makes it ``'n``, two tokens)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    left = []
    for letter in map(chr, range(0xC0, 0x180)):
        if not letter.isalpha() or letter == "ŉ":
            continue
        db.execute("DELETE FROM t")
        db.execute("INSERT INTO t VALUES (?)", (f"a{fold_text(letter)}a",))
        terms = [row[0] for row in db.execute("SELECT term FROM v")]
        if len(terms) != 1 or not terms[0].isascii():
            left.append(f"{letter} {unicodedata.name(letter)}")
    assert left == []
    assert all(target.isascii() and target.isalpha() for _, target in FOLDS)


def test_migration_0011_reindexes_existing_articles(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0010")
    old = Store(engine)
    (stored,) = [_save(old, "pap")]
    assert _found(old, "walesa") == []
    migrate(engine, "head")
    assert _found(old, "walesa") == [stored]
    downgrade(
        engine, "0010"
    )  # and back: the earlier table again (the release before folds only that)
    assert _found(old, "walesa") == []
    assert _found(old, "Lech prezydent") == [stored]
    with engine.connect() as conn:
        check = conn.execute(
            text("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        )
        check.close()
    engine.dispose()
