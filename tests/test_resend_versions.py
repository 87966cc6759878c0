"""A corrected re-send under the same guid, from a source that numbers no versions, is the next version.

DESIGN.md "Storage rules": (agency, guid, version) is the item. RSS, Atom, text, HTML and NITF without a
version all arrive as version 1; a copy whose body or headline differs from every stored version must not be
dropped as "unchanged" (the desk would keep the stale copy), while an identical re-send stays unchanged and a
source that does number its versions keeps the strict rule. Both save paths are covered: the live pipeline
(``ingest_document``) and the batched writer of backfill and ``wiredesk ingest`` (``ingest_paths``).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from types import SimpleNamespace
from xml.sax.saxutils import escape

from sqlalchemy import select

from ingest.backfill import ingest_paths
from ingest.parse_stage import parse_records
from ingest.pipeline import ingest_document
from normalizers.record import ArticleRecord
from storage.models import articles
from storage.store import Store, settle_version

GUID = "https://ntb.example.no/nyheter/flom-i-gudbrandsdalen"
FIRST = [
    "Lillehammer (NTB): Vannstanden i Lågen steg natt til tirsdag, og 40 hus ble evakuert i Ringebu.",
    "Ifølge politiet er ingen personer meldt savnet, men flere veier er stengt.",
]
CORRECTED = [
    "Lillehammer (NTB): Vannstanden i Lågen steg natt til tirsdag, og 140 hus ble evakuert i Ringebu.",
    "Ifølge politiet er to personer lettere skadd, og flere veier er stengt.",
]


def rss(headline: str, paragraphs: list[str], guid: str = GUID) -> bytes:
    """One RSS 2.0 item, as a Norwegian publisher sends it: a guid, no version."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>NTB nyheter</title><link>https://ntb.example.no/</link><description>Nyheter</description>
<language>no</language>
<item><title>{escape(headline)}</title><link>{guid}</link><guid isPermaLink="true">{guid}</guid>
<pubDate>Tue, 14 Apr 2026 05:12:00 +0200</pubDate><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">NTB</dc:creator>
<content:encoded>{escape(body)}</content:encoded></item>
</channel></rss>""".encode()


def nitf(headline: str, paragraphs: list[str], version: int | None = None) -> bytes:
    """An ANSA-style NITF document: a doc-id, with or without a ``version`` on ``doc-id``."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    numbered = f' version="{version}"' if version is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>{escape(headline)}</title><docdata><doc-id id-string="ansa-2026-0414-0042"/>
<du-key{numbered} key="alluvione"/></docdata></head>
<body><body.head><hedline><hl1>{escape(headline)}</hl1></hedline><distributor>ANSA</distributor></body.head>
<body.content>{body}</body.content></body></nitf>""".encode()


ITALIAN = [
    "ROMA - Un'ondata di maltempo ha colpito la Liguria nella notte, con allagamenti a Genova.",
    "La protezione civile ha diramato l'allerta rossa per le prossime ventiquattro ore.",
]
ITALIAN_FIXED = [
    "ROMA - Un'ondata di maltempo ha colpito la Liguria nella notte, con allagamenti a Genova e Savona.",
    "La protezione civile ha diramato l'allerta rossa per le prossime quarantotto ore.",
]


def versions(store: Store, guid: str) -> list[tuple[int, bool, str | None]]:
    """(version, is_current, headline) of every stored version of ``guid``, oldest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.version, articles.c.is_current, articles.c.headline)
            .where(articles.c.guid == guid)
            .order_by(articles.c.version)
        ).all()
    return [(int(r.version), bool(r.is_current), r.headline) for r in rows]


def test_changed_resend_is_the_next_version_and_identical_resends_stay_unchanged(
    store: Store,
) -> None:
    first = ingest_document(store, rss("Flom: 40 hus evakuert", FIRST), "a.xml")
    fixed = ingest_document(store, rss("Flom: 140 hus evakuert", CORRECTED), "b.xml")
    assert (first.stored, fixed.stored, fixed.unchanged) == (1, 1, 0)
    assert versions(store, GUID) == [
        (1, False, "Flom: 40 hus evakuert"),
        (2, True, "Flom: 140 hus evakuert"),
    ]
    # At-least-once delivery: either copy again is the item already stored, not a third version.
    again = [
        ingest_document(store, rss("Flom: 40 hus evakuert", FIRST), "a2.xml"),
        ingest_document(store, rss("Flom: 140 hus evakuert", CORRECTED), "b2.xml"),
    ]
    assert [(r.stored, r.unchanged) for r in again] == [(0, 1), (0, 1)]
    assert again[0].article_ids == first.article_ids
    assert again[1].article_ids == fixed.article_ids
    assert len(versions(store, GUID)) == 2


def test_headline_only_correction_is_a_new_version(store: Store) -> None:
    ingest_document(store, rss("Flom: 40 hus evakuert", FIRST), "a.xml")
    fixed = ingest_document(store, rss("Flom i Gudbrandsdalen: 40 hus evakuert", FIRST), "b.xml")
    assert fixed.stored == 1
    assert versions(store, GUID)[-1] == (2, True, "Flom i Gudbrandsdalen: 40 hus evakuert")


def test_nitf_without_version_changed_is_the_next_version(store: Store) -> None:
    ingest_document(store, nitf("Maltempo in Liguria", ITALIAN), "a.xml")
    fixed = ingest_document(store, nitf("Maltempo in Liguria", ITALIAN_FIXED), "b.xml")
    assert fixed.stored == 1
    assert [v[:2] for v in versions(store, "ansa-2026-0414-0042")] == [(1, False), (2, True)]


def test_versioned_source_repeating_its_number_is_the_same_item(store: Store) -> None:
    """The source said "version 1" both times: same item, whatever the text (the rule before this fix)."""
    (probe,) = parse_records(nitf("Maltempo in Liguria", ITALIAN, version=1), "probe.xml")
    assert getattr(probe, "version_from_source", None) is True
    ingest_document(store, nitf("Maltempo in Liguria", ITALIAN, version=1), "a.xml")
    again = ingest_document(store, nitf("Maltempo in Liguria", ITALIAN_FIXED, version=1), "b.xml")
    assert (again.stored, again.unchanged) == (0, 1)
    assert [v[:2] for v in versions(store, "ansa-2026-0414-0042")] == [(1, True)]


def test_newsml_g2_same_version_changed_text_stays_unchanged(store: Store) -> None:
    from tests.test_semantics import PARAGRAPHS, g2

    guid = "urn:newsml:dpa.com:20260414:flut"
    ingest_document(store, g2(guid, 1, "Hochwasser", PARAGRAPHS[:3]), "a.xml")
    again = ingest_document(store, g2(guid, 1, "Hochwasser im Harz", PARAGRAPHS[:4]), "b.xml")
    assert (again.stored, again.unchanged) == (0, 1)
    assert versions(store, guid) == [(1, True, "Hochwasser")]


def test_backfill_writer_follows_the_same_rule(store: Store, tmp_path: Path) -> None:
    """``wiredesk ingest`` / backfill batch their saves: the same outcome as the live pipeline."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "feed.xml").write_bytes(rss("Flom: 40 hus evakuert", FIRST))
    (tmp_path / "b" / "feed.xml").write_bytes(rss("Flom: 140 hus evakuert", CORRECTED))
    first = ingest_paths([tmp_path / "a"], store, workers=0, progress=False)
    second = ingest_paths([tmp_path / "b"], store, workers=0, progress=False)
    assert (first.stored, second.stored, second.unchanged) == (1, 1, 0)
    assert [v[:2] for v in versions(store, GUID)] == [(1, False), (2, True)]
    third = ingest_paths([tmp_path / "a", tmp_path / "b"], store, workers=0, progress=False)
    assert (third.stored, third.unchanged) == (0, 2)


def test_backfill_summary_counts_stored_duplicates_as_stored(store: Store, tmp_path: Path) -> None:
    """Two deliveries of one text under different guids: both rows are stored, the second is marked a
    duplicate, and the summary says exactly that ("2 stored, 1 duplicate")."""
    inbox = tmp_path / "inbox"  # not tmp_path itself: the SQLite store lives there
    inbox.mkdir()
    (inbox / "1.xml").write_bytes(rss("Flom: 40 hus evakuert", FIRST, guid=GUID + "?a"))
    (inbox / "2.xml").write_bytes(rss("Flom: 40 hus evakuert", FIRST, guid=GUID + "?b"))
    summary = ingest_paths([inbox], store, workers=0, progress=False)
    assert (summary.documents, summary.stored, summary.duplicates) == (2, 2, 1)
    assert summary.line().startswith("2 documents: 2 stored, 1 duplicate, 0 unchanged")
    assert store.count_articles() == summary.stored


def test_version_origin_survives_the_parser_processes() -> None:
    """Backfill workers pickle records to the writer: the flag must travel with them."""
    (record,) = parse_records(rss("Flom", FIRST), "a.xml")
    copy = pickle.loads(pickle.dumps(record))
    assert getattr(copy, "version_from_source", None) is False
    assert copy.to_dict() == record.to_dict()
    assert "version_from_source" not in record.to_dict()  # not part of the JSON contract


def _row(id_: int, version: int, content_hash: str, headline: str | None) -> SimpleNamespace:
    return SimpleNamespace(id=id_, version=version, content_hash=content_hash, headline=headline)


def test_settle_version_rule() -> None:
    story = [_row(1, 1, "h1", "A"), _row(2, 2, "h2", "B")]
    plain = ArticleRecord(
        guid="g", source_format="ninjs", version=1, content_hash="h3", headline="C"
    )
    assert settle_version(story, plain, "g") == (
        "unchanged",
        1,
    )  # a record of unknown origin: strict
    (parsed,) = parse_records(rss("C", FIRST), "a.xml")
    parsed.content_hash, parsed.version = "h3", 1
    assert settle_version(story, parsed, "g") == ("new", 3)
    parsed.content_hash, parsed.headline = "h2", "B"
    assert settle_version(story, parsed, "g") == ("unchanged", 2)
    parsed.version = 5
    assert settle_version(story, parsed, "g") == ("new", 5)  # no stored version 5: stored as given
    assert settle_version([], parsed, "g") == ("new", 5)


LINK_LIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
<packageItem guid="urn:newsml:afp.com:20261130:toplist" version="%d" xml:lang="fr">
  <itemMeta><itemClass qcode="ninat:composite"/><provider literal="AFP"/><title>A la une</title></itemMeta>
  <groupSet root="root"><group id="root">
    <itemRef residref="urn:newsml:afp.com:20261130:pkg-greve" version="%d">
      <itemClass qcode="ninat:composite"/><headline>%s</headline></itemRef>
  </group></groupSet>
</packageItem></itemSet></newsMessage>"""

PACKAGE = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
<packageItem guid="urn:newsml:afp.com:20261130:pkg-greve" version="2" xml:lang="fr">
  <itemMeta><itemClass qcode="ninat:composite"/><provider literal="AFP"/></itemMeta>
  <contentMeta><headline>Greve a la SNCF: trafic tres perturbe mardi</headline><by>Par Claire Martin</by></contentMeta>
  <groupSet root="root"><group id="root">
    <itemRef residref="urn:newsml:afp.com:20261130:text-greve" version="4">
      <itemClass qcode="ninat:text"/><headline>Greve a la SNCF: trafic tres perturbe mardi</headline></itemRef>
  </group></groupSet>
</packageItem></itemSet></newsMessage>"""


def test_link_list_entries_never_stand_for_the_listed_package(store: Store) -> None:
    """A link list's entry has its own identity: the package it lists, arriving with the same version,
    is stored as itself (byline, related items) instead of being taken for an unchanged re-send."""
    headline = b"Greve a la SNCF: trafic tres perturbe mardi"
    listed = ingest_document(store, LINK_LIST % (7, 2, headline), "list-7.xml")
    package = ingest_document(store, PACKAGE, "package.xml")
    assert (listed.stored, package.stored, package.unchanged) == (1, 1, 0)
    assert versions(store, "urn:newsml:afp.com:20261130:pkg-greve") == [
        (2, True, headline.decode())
    ]
    entry = "urn:newsml:afp.com:20261130:toplist#urn:newsml:afp.com:20261130:pkg-greve"
    assert versions(store, entry) == [(2, True, headline.decode())]
    # The list re-sent (its own version moved on): the same entry, unchanged; the listed package updated
    # to version 3 with a new headline: the entry's next version.
    again = ingest_document(store, LINK_LIST % (8, 2, headline), "list-8.xml")
    assert (again.stored, again.unchanged) == (0, 1)
    ingest_document(
        store, LINK_LIST % (9, 3, b"Greve a la SNCF: un train sur deux mardi"), "list-9.xml"
    )
    assert versions(store, entry) == [
        (2, False, headline.decode()),
        (3, True, "Greve a la SNCF: un train sur deux mardi"),
    ]
