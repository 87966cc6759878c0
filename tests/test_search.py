"""The query layer (storage/search.py): folding, FTS sync, ranking, snippets, filters, publishable default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update

from normalizers.record import ArticleRecord, Dateline
from storage.db import make_engine, migrate
from storage.search import (
    HIT_END,
    HIT_START,
    ArticleQuery,
    duplicate_cluster,
    fold_text,
    fts5_query,
    search_page,
    versions,
)
from storage.store import Store, articles

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

BODIES = {
    "aleppo": [
        "Der russische Außenminister Sergej Lawrow hat die Gespräche über Aleppo fortgesetzt.",
        "Die Lage in der nordsyrischen Stadt bleibt nach Angaben von Beobachtern angespannt.",
    ],
    "geneve": [
        "Les négociations de Genève sur le climat reprennent lundi avec quarante délégations.",
        "Le secrétaire général a appelé les pays riches à augmenter leur contribution.",
    ],
    "hafen": [
        "Nach dem schweren Herbststurm haben im Hamburger Hafen die Aufräumarbeiten begonnen.",
        "Verletzt wurde nach Angaben der Polizei niemand, die Elbe war stundenlang gesperrt.",
    ],
    "trade": [
        "Dockworkers in Rotterdam ended a two-day strike after a late-night wage agreement.",
        "Shipping lines said container traffic would return to normal by the weekend.",
    ],
    "budget": [
        "Das Parlament in Wien hat den Haushalt für das kommende Jahr mit knapper Mehrheit beschlossen.",
        "Die Opposition kritisierte fehlende Mittel für Schulen und Krankenhäuser im ganzen Land.",
    ],
}


def record(guid: str, body_key: str, **fields: object) -> ArticleRecord:
    values: dict[str, object] = {
        "guid": guid,
        "source_format": "ninjs",
        "agencies": ["dpa"],
        "headline": f"Headline {guid}",
        "body": list(BODIES[body_key]),
        "language": "de",
        "content_hash": f"hash-{guid}-{fields.get('version', 1)}",
        "dateline": Dateline("Berlin", None, ["dpa"]),
    }
    values.update(fields)
    return ArticleRecord(**values)  # type: ignore[arg-type]


def save(store: Store, *records: ArticleRecord) -> list[int]:
    ids = []
    with store.transaction() as conn:
        for item in records:
            ids.append(store.save_article(conn, item).article_id)
    return ids


def ids(store: Store, **query: object) -> list[int]:
    page = search_page(store, ArticleQuery(**query), NOW)  # type: ignore[arg-type]
    return [hit.id for hit in page.hits]


@pytest.fixture
def desk_store(store: Store) -> dict[str, int]:
    """A small wire: five stories, a second version, an embargo, a kill, a correction, a duplicate."""
    (aleppo,) = save(
        store,
        record(
            "afp-1",
            "aleppo",
            agencies=["AFP"],
            headline="Lawrow: Gespräche über Aleppo gehen weiter",
            kicker="Syrien-Krise",
            urgency=2,
        ),
    )
    (geneve,) = save(store, record("afp-2", "geneve", agencies=["AFP"], language="fr"))
    (hafen_v1,) = save(store, record("dpa-1", "hafen", headline="Sturm im Hafen", feed="inbox"))
    (hafen_v2,) = save(
        store,
        record(
            "dpa-1",
            "hafen",
            version=2,
            headline="Nach dem Sturm: Hafen räumt auf",
            feed="inbox",
            signals=["correction"],
            urgency=1,
        ),
    )
    (trade,) = save(
        store,
        record("rtr-1", "trade", agencies=["Reuters"], language="en", headline="Port strike ends"),
    )
    (embargoed,) = save(
        store,
        record(
            "dpa-2",
            "budget",
            headline="Haushalt beschlossen",
            embargo_until=NOW + timedelta(hours=3),
        ),
    )
    (killed,) = save(
        store,
        record("dpa-3", "budget", headline="Zurückgezogen", status="canceled", content_hash="k"),
    )
    (copy,) = save(
        store,
        record(
            "kna-1",
            "hafen",
            agencies=["KNA"],
            headline="Hafen: Aufräumen nach dem Sturm",
            content_hash="hash-dpa-1-2",
        ),
    )
    return {
        "aleppo": aleppo,
        "geneve": geneve,
        "hafen_v1": hafen_v1,
        "hafen_v2": hafen_v2,
        "trade": trade,
        "embargoed": embargoed,
        "killed": killed,
        "copy": copy,
    }


@pytest.mark.parametrize(
    "words",
    ["Aleppo", "aleppo", "Lawrow", "Außenminister", "Aussenminister", "AUSSENMINISTER", "außenmin"],
)
def test_folded_words_find_the_story(store: Store, desk_store: dict[str, int], words: str) -> None:
    assert ids(store, text=words) == [desk_store["aleppo"]]


def test_accents_are_folded_both_ways(store: Store, desk_store: dict[str, int]) -> None:
    assert ids(store, text="Geneve") == [desk_store["geneve"]]
    assert ids(store, text="Genève négociations") == [desk_store["geneve"]]
    assert ids(store, text="negociations") == [desk_store["geneve"]]


def test_fold_is_one_table_for_query_and_index() -> None:
    assert fold_text("Außenminister STRAẞE") == "Aussenminister STRAssE"


def test_snippet_highlights_the_original_spelling(store: Store, desk_store: dict[str, int]) -> None:
    page = search_page(store, ArticleQuery(text="aussenminister"), NOW)
    snippet = page.hits[0].snippet or ""
    assert f"{HIT_START}Außenminister{HIT_END}" in snippet


def test_relevance_puts_headline_hits_first(store: Store) -> None:
    body_hit, headline_hit = save(
        store,
        record("a", "trade", headline="Markets calm", body=[*BODIES["trade"], "Rotterdam again."]),
        record("b", "budget", headline="Rotterdam strike over"),
    )
    newest = ids(store, text="Rotterdam")
    ranked = ids(store, text="Rotterdam", order="relevance")
    assert newest == [headline_hit, body_hit]
    assert ranked[0] == headline_hit
    assert set(ranked) == {headline_hit, body_hit}


def test_index_follows_update_and_delete(store: Store, desk_store: dict[str, int]) -> None:
    trade = desk_store["trade"]
    with store.transaction() as conn:
        conn.execute(
            update(articles).where(articles.c.id == trade).values(headline="Hafenstreik vorbei")
        )
    assert ids(store, text="Hafenstreik") == [trade]
    assert ids(store, text="Port strike ends") == []
    with store.transaction() as conn:
        conn.execute(delete(articles).where(articles.c.id == trade))
    assert ids(store, text="Hafenstreik") == []
    assert ids(store, text="Rotterdam") == []


def test_publishable_default_and_all_switch(store: Store, desk_store: dict[str, int]) -> None:
    default = ids(store, limit=100)
    hidden = {desk_store["hafen_v1"], desk_store["embargoed"], desk_store["killed"]}
    assert not hidden & set(default)
    assert desk_store["hafen_v2"] in default
    everything = search_page(store, ArticleQuery(include_all=True, limit=100), NOW).hits
    flags = {hit.id: (hit.publishable, hit.is_current) for hit in everything}
    assert flags[desk_store["hafen_v1"]] == (False, False)
    assert flags[desk_store["embargoed"]] == (False, True)
    assert flags[desk_store["killed"]] == (False, True)
    assert flags[desk_store["hafen_v2"]] == (True, True)
    # once the embargo is over the story is publishable
    later = search_page(store, ArticleQuery(), NOW + timedelta(hours=4)).hits
    assert desk_store["embargoed"] in [hit.id for hit in later]


def test_filters(store: Store, desk_store: dict[str, int]) -> None:
    assert ids(store, agency="AFP") == [desk_store["geneve"], desk_store["aleppo"]]
    assert ids(store, language="en") == [desk_store["trade"]]
    assert ids(store, feed="inbox", include_all=True) == [
        desk_store["hafen_v2"],
        desk_store["hafen_v1"],
    ]
    assert ids(store, urgency_max=1) == [desk_store["hafen_v2"]]
    assert ids(store, urgency_max=2) == [desk_store["hafen_v2"], desk_store["aleppo"]]
    assert ids(store, status="embargoed") == [desk_store["embargoed"]]
    assert ids(store, status="canceled") == [desk_store["killed"]]
    assert ids(store, status="corrected") == [desk_store["hafen_v2"]]
    assert desk_store["copy"] in ids(store, text="Hafen")
    assert desk_store["copy"] not in ids(store, text="Hafen", duplicates=False)
    assert ids(store, since=NOW + timedelta(days=3650)) == []


def test_time_window_uses_arrival(store: Store, desk_store: dict[str, int]) -> None:
    arrived = datetime.now(UTC)
    assert len(ids(store, since=arrived - timedelta(minutes=5))) == len(ids(store))
    assert ids(store, until=arrived - timedelta(minutes=5)) == []


def test_cursor_reads_ascending_from_the_cursor(store: Store, desk_store: dict[str, int]) -> None:
    first = search_page(store, ArticleQuery(after=0, limit=3, include_all=True), NOW)
    assert [hit.id for hit in first.hits] == sorted(desk_store.values())[:3]
    assert first.has_more and first.next_after == first.hits[-1].id
    rest = search_page(
        store, ArticleQuery(after=first.next_after, limit=100, include_all=True), NOW
    )
    assert [hit.id for hit in rest.hits] == sorted(desk_store.values())[3:]
    assert not rest.has_more
    empty = search_page(store, ArticleQuery(after=rest.next_after, include_all=True), NOW)
    assert empty.hits == [] and empty.next_after == rest.next_after


@pytest.mark.parametrize(
    "hostile",
    ['"', "NEAR(a b", "a OR", "*", "-", "^x", "col:x", "AND", "((", "'; DROP TABLE articles; --"],
)
def test_fts_syntax_in_user_text_is_inert(
    store: Store, desk_store: dict[str, int], hostile: str
) -> None:
    search_page(store, ArticleQuery(text=hostile), NOW)  # must not raise
    assert store.count_articles() == len(desk_store)


def test_query_syntax() -> None:
    assert fts5_query("Außenminister Syr") == '"Aussenminister" AND "Syr"*'
    assert fts5_query('"Hamburger Hafen" -Sturm') == '"Hamburger Hafen" NOT "Sturm"'
    assert fts5_query("-nur") is None
    assert fts5_query("Lawrow ") == '"Lawrow"'


def test_phrase_and_exclusion(store: Store, desk_store: dict[str, int]) -> None:
    assert ids(store, text='"Hamburger Hafen"') == [desk_store["copy"], desk_store["hafen_v2"]]
    assert ids(store, text="Hafen -KNA -Aufräumen") == [desk_store["hafen_v2"]]


def test_versions_and_duplicate_cluster(store: Store, desk_store: dict[str, int]) -> None:
    chain = versions(store, desk_store["hafen_v1"])
    assert [(hit.record.version, hit.is_current) for hit in chain] == [(1, False), (2, True)]
    cluster = duplicate_cluster(store, desk_store["copy"])
    assert [hit.id for hit in cluster] == [desk_store["hafen_v2"], desk_store["copy"]]
    assert duplicate_cluster(store, desk_store["trade"]) == []


def test_migration_0004_indexes_existing_articles(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0003")
    with engine.begin() as conn:  # columns of the 0001 schema only: later revisions may add more
        conn.execute(
            text(
                "INSERT INTO articles (story_key, guid, version, is_current, source_format, agencies,"
                " agency_tags, headline, body, body_text, related, status, received_at, subjects,"
                " keywords, content_hash) VALUES ('AFP', 'g', 1, 1, 'text', '[\"AFP\"]', '|AFP|',"
                " 'Außenminister in Aleppo', '[]', '', '[]', 'usable', '2026-11-28 10:00:00', '[]',"
                " '[]', 'h')"
            )
        )
    old = Store(engine)
    migrate(engine, "head")
    assert ids(old, text="Aussenminister") != []
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT sql FROM sqlite_master WHERE name='articles_fts'"))
        assert "caption" in tables.scalar_one()
    engine.dispose()


def test_exclusion_holds_in_every_language_configuration(store: Store) -> None:
    """``-flights`` excludes a story with "flights" although English stems it to ``flight`` and the
    query is also parsed in the simple configuration (PostgreSQL ORs the configurations)."""
    okinawa = {
        "typhoon": ["Typhoon Kalmaegi approached Okinawa on Tuesday and flights were cancelled."],
        "festival": ["A music festival opened in Okinawa on Tuesday with thousands of visitors."],
    }
    typhoon, festival = save(
        store,
        *(
            record(f"kyodo-{key}", "trade", body=body, language="en", agencies=["Kyodo"])
            for key, body in okinawa.items()
        ),
    )
    assert set(ids(store, text="Okinawa")) == {typhoon, festival}
    assert ids(store, text="Okinawa -flights") == [festival]
    assert ids(store, text='Okinawa -"flights were"') == [festival]
    assert ids(store, text="Okinawa -flights", language="en") == [festival]


@pytest.mark.parametrize("agency", ["kyodo", "KYODO", "Kyodo"])
def test_agency_filter_ignores_case(store: Store, agency: str) -> None:
    (kyodo,) = save(store, record("kyodo-1", "trade", language="en", agencies=["Kyodo"]))
    assert ids(store, agency=agency) == [kyodo]


@pytest.mark.parametrize("agency", ["K_odo", "%", "Ky%"])
def test_agency_filter_has_no_wildcards(store: Store, agency: str) -> None:
    save(store, record("kyodo-1", "trade", language="en", agencies=["Kyodo"]))
    assert ids(store, agency=agency) == []
