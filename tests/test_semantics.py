"""Wire semantics: versions, corrections, kills, embargoes, takes, and exact/near duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from ingest.pipeline import ingest_document
from storage.search import ArticleQuery, search
from storage.store import Store

PARAGRAPHS = [
    "Die Bundesregierung hat am Mittwoch ein Gesetz zum Schutz der Wälder beschlossen, das den Ländern "
    "mehr Geld für die Aufforstung geschädigter Flächen zusichert.",
    "Umweltverbände begrüßten die Entscheidung grundsätzlich, forderten aber verbindliche Ziele für "
    "jedes einzelne Bundesland und eine regelmäßige Überprüfung.",
    "Die Opposition nannte den Entwurf zu zaghaft und kündigte Änderungsanträge im Bundestag an, über "
    "die noch vor der Sommerpause beraten werden soll.",
    "Nach Angaben des Ministeriums sind seit 2018 mehr als 500.000 Hektar Wald durch Dürre, Stürme und "
    "Borkenkäfer geschädigt worden, vor allem in Mittelgebirgen.",
    "Der Bundesrat muss dem Gesetz noch zustimmen; eine Entscheidung der Länderkammer wird für das "
    "Frühjahr erwartet, hieß es aus Regierungskreisen in Berlin.",
    "Forstwirte begrüßten vor allem die geplanten Mittel für klimastabile Mischwälder, mahnten aber "
    "schnellere Bewilligungsverfahren für private Waldbesitzer an.",
]


def g2(
    guid: str,
    version: int,
    headline: str,
    paragraphs: list[str],
    *,
    status: str = "usable",
    signal: str | None = None,
    embargo: str | None = None,
    urgency: int = 4,
) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    extra = f'<signal qcode="sig:{signal}"/>' if signal else ""
    extra += f"<embargoed>{embargo}</embargoed>" if embargo else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.25">
 <itemMeta><itemClass qcode="ninat:text"/><provider literal="dpa"/>
  <versionCreated>2026-11-27T08:0{version}:00Z</versionCreated><pubStatus qcode="stat:{status}"/>{extra}</itemMeta>
 <contentMeta><urgency>{urgency}</urgency><headline>{escape(headline)}</headline><creditline>dpa</creditline></contentMeta>
 <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
 {body}</body></html></inlineXML></contentSet>
</newsItem>""".encode()


def nitf(headline: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>{escape(headline)}</title><docdata><doc-id id-string="partner-4711"/></docdata></head>
<body><body.head><hedline><hl1>{escape(headline)}</hl1></hedline><distributor>dpa</distributor></body.head>
<body.content>{body}</body.content></body></nitf>""".encode()


def current(store: Store, **query: object) -> list[int]:
    return [r.id for r in search(store, ArticleQuery(**query)) if r.id is not None]  # type: ignore[arg-type]


def test_snap_lead_correction_kill(store: Store) -> None:
    guid = "urn:newsml:dpa.com:20261127:wald"
    snap = ingest_document(
        store, g2(guid, 1, "Eil: Kabinett beschließt Waldgesetz", PARAGRAPHS[:1], urgency=1), "v1"
    )
    lead = ingest_document(
        store, g2(guid, 2, "Kabinett beschließt Waldgesetz", PARAGRAPHS[:4]), "v2"
    )
    fix = ingest_document(
        store,
        g2(guid, 3, "Kabinett beschließt Waldgesetz", PARAGRAPHS[:5], signal="correction"),
        "v3",
    )
    assert (snap.stored, lead.stored, fix.stored) == (1, 1, 1)
    assert current(store) == fix.article_ids  # one story, its newest version
    corrected = store.get(fix.article_ids[0])
    assert corrected is not None and "correction" in corrected.signals
    assert len(search(store, ArticleQuery(include_all=True))) == 3  # history kept

    kill = ingest_document(
        store, g2(guid, 4, "Kabinett beschließt Waldgesetz", [], status="canceled"), "v4"
    )
    assert kill.stored == 1
    assert current(store) == []  # editors see it at once
    versions = search(store, ArticleQuery(include_all=True))
    assert len(versions) == 4 and {v.status for v in versions} == {"canceled"}
    with store.engine.connect() as conn:
        from sqlalchemy import text

        stamps = conn.execute(text("SELECT DISTINCT canceled_at FROM articles")).scalars().all()
    assert len(stamps) == 1 and stamps[0] is not None


def test_older_version_arriving_late_does_not_overwrite(store: Store) -> None:
    guid = "urn:newsml:dpa.com:20261127:late"
    newer = ingest_document(store, g2(guid, 3, "Neue Fassung", PARAGRAPHS[:3]), "v3")
    older = ingest_document(store, g2(guid, 2, "Alte Fassung", PARAGRAPHS[:2]), "v2")
    assert older.stored == 1
    assert current(store) == newer.article_ids
    again = ingest_document(store, g2(guid, 3, "Neue Fassung", PARAGRAPHS[:3]), "v3 again")
    assert again.unchanged == 1


def test_embargo_hides_until_its_time(store: Store) -> None:
    embargo = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    result = ingest_document(
        store,
        g2("urn:e:1", 1, "Sperrfrist", PARAGRAPHS[:2], embargo="2026-11-27T19:00:00+01:00"),
        "e",
    )
    stored = store.get(result.article_ids[0])
    assert stored is not None and stored.embargo_until == embargo
    assert search(store, ArticleQuery(), now=embargo - timedelta(minutes=1)) == []
    assert [r.id for r in search(store, ArticleQuery(), now=embargo)] == result.article_ids
    assert len(search(store, ArticleQuery(include_all=True), now=embargo - timedelta(hours=5))) == 1


def test_same_story_in_two_formats_is_an_exact_duplicate(store: Store) -> None:
    first = ingest_document(store, g2("urn:x:1", 1, "Waldgesetz beschlossen", PARAGRAPHS), "g2")
    second = ingest_document(store, nitf("Waldgesetz beschlossen", PARAGRAPHS), "nitf")
    assert second.duplicates == 1
    dup = store.get(second.article_ids[0])
    assert dup is not None and dup.duplicate_of == first.article_ids[0]


def test_republished_with_new_headline_dropped_paragraph_and_edits_is_a_near_duplicate(
    store: Store,
) -> None:
    first = ingest_document(store, g2("urn:x:1", 1, "Waldgesetz beschlossen", PARAGRAPHS), "g2")
    edited = [
        p.replace("am Mittwoch", "an diesem Mittwoch").replace("Dürre", "Trockenheit")
        for p in PARAGRAPHS
    ]
    del edited[3]
    partner = ingest_document(store, nitf("Regierung will Wälder retten", edited), "partner")
    assert partner.duplicates == 1
    dup = store.get(partner.article_ids[0])
    assert dup is not None and dup.duplicate_of == first.article_ids[0]
    # a third copy joins the same cluster, pointing at its root
    third = ingest_document(store, g2("urn:y:9", 1, "Wald", [*edited[:4], PARAGRAPHS[5]]), "third")
    assert store.get(third.article_ids[0]).duplicate_of == first.article_ids[0]  # type: ignore[union-attr]


def test_two_stories_on_one_topic_with_shared_quotes_are_not_duplicates(store: Store) -> None:
    quote = (
        '"Der Wald ist unsere wichtigste Klimaanlage, und wir lassen ihn nicht im Stich", sagte die '
        "Ministerin am Mittwoch in Berlin vor Journalisten."
    )
    story_a = [PARAGRAPHS[0], quote, PARAGRAPHS[2], PARAGRAPHS[4]]
    story_b = [
        "Tausende Waldbesitzer in Thüringen warten seit Monaten auf Fördergeld für die Wiederaufforstung "
        "ihrer vom Borkenkäfer zerstörten Flächen.",
        quote,
        "Der Landesforstverband kritisierte die langen Bearbeitungszeiten und verwies auf fehlendes Personal "
        "in den Bewilligungsbehörden des Landes.",
        "In diesem Jahr seien erst knapp ein Drittel der Anträge beschieden worden, teilte der Verband in "
        "Erfurt mit; viele Betriebe stünden vor dem Aus.",
    ]
    ingest_document(store, g2("urn:a:1", 1, "Waldgesetz", story_a), "a")
    other = ingest_document(store, g2("urn:b:1", 1, "Waldbesitzer warten auf Geld", story_b), "b")
    assert other.stored == 1 and other.duplicates == 0


def test_versions_are_versions_not_duplicates(store: Store) -> None:
    ingest_document(store, g2("urn:v:1", 1, "Wald", PARAGRAPHS), "v1")
    second = ingest_document(store, g2("urn:v:1", 2, "Wald (2)", PARAGRAPHS), "v2")
    assert second.stored == 1 and store.get(second.article_ids[0]).duplicate_of is None  # type: ignore[union-attr]


def take(
    label: str, headline: str, paragraphs: list[str], slug: str = "Germany-forest/Berlin/"
) -> bytes:
    """A dpa IPTC 7901 message in the layout of the agency's English service."""
    lines = [
        "\x01eca0321 3 i 280  dpa 0456",
        "",
        slug,
        "\x02" + label if label else "\x02",
        f"{headline} =",
    ]
    lines += ["", "Berlin (dpa) - " + paragraphs[0]]
    for paragraph in paragraphs[1:]:
        lines += ["", paragraph]
    lines += ["", "dpa xy", "", "\x03261030 GMT Nov 26", "\x7f", "\x7f\x04"]
    return "\r\n".join(lines).encode("latin-1", "replace")


def test_takes_of_a_story_are_linked_by_slug(store: Store) -> None:
    first = ingest_document(store, take("", "Cabinet approves forest law", PARAGRAPHS_EN[:2]), "t1")
    lead = ingest_document(
        store,
        take("1ST LEAD", "Cabinet approves forest law amid criticism", PARAGRAPHS_EN[:4]),
        "t2",
    )
    assert first.stored == 1 and lead.stored == 1
    records = search(store, ArticleQuery(include_all=True))
    assert {r.guid for r in records} == {records[0].guid} and sorted(
        r.version for r in records
    ) == [1, 2]
    assert current(store) == lead.article_ids
    refile = ingest_document(
        store,
        take(
            "REFILE\r\n1ST LEAD",
            "Cabinet approves forest law amid criticism",
            PARAGRAPHS_EN[:3] + PARAGRAPHS_EN[4:5],
        ),
        "t3",
    )
    assert refile.stored == 1
    assert store.get(refile.article_ids[0]).version == 3  # type: ignore[union-attr]
    other = ingest_document(store, take("", "Farmers protest fuel prices", OTHER_EN), "t4")
    assert other.stored == 1
    assert store.get(other.article_ids[0]).guid != records[0].guid  # type: ignore[union-attr]


PARAGRAPHS_EN = [
    "The German cabinet approved a law on Wednesday that promises states more money to replant forests "
    "damaged by drought, storms and bark beetles.",
    "Environmental groups welcomed the decision but called for binding targets for each of the 16 states "
    "and regular reviews of progress.",
    "The opposition called the draft too timid and announced amendments in parliament, to be debated before "
    "the summer recess.",
    "According to the ministry, more than 500,000 hectares of forest have been damaged since 2018, mostly in "
    "low mountain ranges in the centre of the country.",
    "The upper house still has to approve the law, with a decision expected in the spring, government "
    "sources said in Berlin.",
]
OTHER_EN = [
    "Thousands of farmers drove their tractors into Berlin on Wednesday to protest against higher fuel "
    "prices and cuts to agricultural subsidies.",
    "Police said traffic in the city centre came to a standstill for several hours as convoys blocked "
    "the main roads around the government quarter.",
]


def test_corpus_reuters_correction_and_kill_are_one_story(store: Store, corpus_dir: Path) -> None:
    folder = corpus_dir / "newsmlg2"
    correction = ingest_document(
        store, (folder / "reuters_en_2016_correction.xml").read_bytes(), "c"
    )
    kill = ingest_document(store, (folder / "reuters_en_2016_kill.xml").read_bytes(), "k")
    assert correction.stored == 1 and kill.stored == 1
    versions = search(store, ArticleQuery(include_all=True))
    assert len({(v.guid) for v in versions}) == 1
    assert {v.status for v in versions} == {"canceled"}
    assert current(store) == []


def test_corpus_stt_update_links_to_its_original(store: Store, corpus_dir: Path) -> None:
    update = (corpus_dir / "newsmlg2" / "stt_fi_2017.xml").read_bytes()
    original = update.replace(
        b'guid="urn:newsml:stt.fi::102736761" version="2"',
        b'guid="urn:newsml:stt.fi:20190415:102736761" version="1"',
    )
    original = original.replace(
        b'<link guidref="urn:newsml:stt.fi:20190415:102736761" version="1"/>', b""
    )
    first = ingest_document(store, original, "stt v1")
    second = ingest_document(store, update, "stt v2")
    assert first.stored == 1 and second.stored == 1
    records = search(store, ArticleQuery(include_all=True))
    assert {r.guid for r in records} == {"urn:newsml:stt.fi:20190415:102736761"}
    assert current(store) == second.article_ids
