"""Synthetic wire documents for the backfill benchmark and tests.

Real agency copy cannot be shipped in the repository, and tests must not depend on ``../shared``; these
templates imitate the shapes that matter for throughput (3 KB of body text in German, English or French,
dateline + credit, one story per document) in five formats: a plain-text dump, RSS 2.0, NewsML 1.2, NITF and
NewsML-G2 (a full dpa/AFP-style newsItem: catalog, rights, subjects, located, XHTML body; about 4.5 KB).
Document ``n`` is deterministic, so a test can compare the store against the list of documents it wrote.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

FORMATS = ("text", "rss", "newsml12", "nitf", "newsmlg2")
EXTENSIONS = {"text": ".txt", "rss": ".xml", "newsml12": ".xml", "nitf": ".xml", "newsmlg2": ".xml"}
BASE_DATE = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)


def _split(text: str) -> list[str]:
    return text.split()


_WORDS = {
    "de": _split(
        "die der und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
        "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum "
        "Regierung Minister Parlament Stadt Polizei Bericht Millionen Euro Jahr Woche Sonntag Montag "
        "Angaben Sprecher erklärte sagte teilte mit Verhandlungen Haushalt Bürgermeister Gericht"
    ),
    "en": _split(
        "the of and to in a is that for it as was with be by on not he this are or his from at which "
        "but have an they you were her she there been one all would their we him has when who will "
        "government minister parliament city police report million dollars year week Sunday Monday "
        "officials spokesman said announced talks budget mayor court"
    ),
    "fr": _split(
        "le de la et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont "
        "avec son ses elle mais comme ou leur aux été fait être cette tout nous lui nos ont "
        "gouvernement ministre parlement ville police rapport millions euros année semaine dimanche "
        "lundi selon porte-parole a déclaré annoncé négociations budget maire tribunal"
    ),
}
_PLACES = {
    "de": ("Berlin", "Hamburg", "München", "Köln", "Frankfurt"),
    "en": ("LONDON", "WASHINGTON", "NEW YORK", "SYDNEY", "TORONTO"),
    "fr": ("Paris", "Lyon", "Marseille", "Bordeaux", "Genève"),
}
_AGENCY = {"de": "dpa", "en": "Reuters", "fr": "AFP"}


def _paragraph(rng: random.Random, language: str, words: int) -> str:
    vocabulary = _WORDS[language]
    text = " ".join(rng.choice(vocabulary) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _story(n: int) -> tuple[str, str, str, list[str], datetime]:
    """Language, headline, dateline place, body paragraphs and publication time of document ``n``."""
    rng = random.Random(n)
    language = ("de", "en", "fr")[n % 3]
    headline = f"{_paragraph(rng, language, 7)[:-1]} ({n})"
    body = [_paragraph(rng, language, rng.randint(55, 75)) for _ in range(6)]
    body[0] = f"{body[0][:-1]} — Meldung {n}."  # unique first paragraph: a unique fallback guid
    published = BASE_DATE + timedelta(minutes=n)
    return language, headline, rng.choice(_PLACES[language]), body, published


def _text(n: int) -> bytes:
    language, headline, place, body, _published = _story(n)
    agency = _AGENCY[language]
    first = f"{place} ({agency}) - {body[0]}"
    return ("\n\n".join([headline, first, *body[1:], agency]) + "\n").encode("utf-8")


def _rss(n: int) -> bytes:
    language, headline, place, body, published = _story(n)
    agency = _AGENCY[language]
    paragraphs = "".join(
        f"<p>{escape(p)}</p>" for p in [f"{place} ({agency}) - {body[0]}", *body[1:]]
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Wire</title><link>https://wire.example/</link><language>{language}</language>"
        f"<item><title>{escape(headline)}</title><link>https://wire.example/{n}</link>"
        f'<guid isPermaLink="false">urn:wire:rss:{n}</guid>'
        f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item></channel></rss>"
    ).encode()


def _newsml12(n: int) -> bytes:
    language, headline, place, body, published = _story(n)
    stamp = published.strftime("%Y%m%dT%H%M%SZ")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2"><NewsEnvelope><DateAndTime>{stamp}</DateAndTime><Priority FormalName="4"/></NewsEnvelope>
<NewsItem><Identification><NewsIdentifier><ProviderId>afp.com</ProviderId><DateId>{stamp[:8]}</DateId>
<NewsItemId>doc-bench{n}</NewsItemId><RevisionId PreviousRevision="0" Update="N">1</RevisionId>
<PublicIdentifier>urn:newsml:afp.com:{stamp[:8]}:doc-bench{n}:1</PublicIdentifier></NewsIdentifier></Identification>
<NewsManagement><NewsItemType FormalName="News"/><FirstCreated>{stamp}</FirstCreated>
<ThisRevisionCreated>{stamp}</ThisRevisionCreated><Status FormalName="Usable"/></NewsManagement>
<NewsComponent><NewsLines><HeadLine>{escape(headline)}</HeadLine><DateLine>{escape(place)} (AFP)</DateLine></NewsLines>
<AdministrativeMetadata><Provider><Party FormalName="afp.com"/></Provider><Source><Party FormalName="AFP"/></Source></AdministrativeMetadata>
<DescriptiveMetadata><Language FormalName="{language}"/></DescriptiveMetadata>
<NewsComponent><ContentItem><MediaType FormalName="Text"/><Format FormalName="bcNITF2.5"/>
<DataContent>{paragraphs}</DataContent></ContentItem></NewsComponent></NewsComponent></NewsItem></NewsML>
""".encode()


def _nitf(n: int) -> bytes:
    language, headline, place, body, published = _story(n)
    agency = _AGENCY[language]
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>{escape(headline)}</title>
<docdata><doc-id id-string="nitf-bench-{n}"/><urgency ed-urg="5"/>
<date.issue norm="{published.strftime("%Y%m%dT%H%M%SZ")}"/></docdata></head>
<body><body.head><hedline><hl1>{escape(headline)}</hl1></hedline>
<distributor>{agency}</distributor><dateline><location><city>{escape(place)}</city></location></dateline></body.head>
<body.content>{paragraphs}</body.content></body></nitf>
""".encode()


_SUBJECTS = (
    ("medtop:11000000", "politics"),
    ("medtop:04000000", "economy, business and finance"),
    ("medtop:16000000", "conflict, war and peace"),
    ("medtop:15000000", "sport"),
)


def _newsmlg2(n: int) -> bytes:
    language, headline, place, body, published = _story(n)
    agency = _AGENCY[language]
    provider = {"dpa": "dpa", "Reuters": "reuters.com", "AFP": "afp.com"}[agency]
    stamp = published.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    qcode, subject = _SUBJECTS[n % len(_SUBJECTS)]
    paragraphs = "\n".join(
        f"<p>{escape(p)}</p>" for p in [f"{place} ({agency}) - {body[0]}", *body[1:]]
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <header><sent>{stamp}</sent><sender>{provider}</sender><priority>4</priority></header>
 <itemSet>
  <newsItem guid="urn:newsml:{provider}:{published:%Y%m%d}:bench-{n}" version="1" standard="NewsML-G2"
    standardversion="2.29" conformance="power" xml:lang="{language}">
   <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_37.xml"/>
   <rightsInfo><copyrightHolder literal="{agency}"/><copyrightNotice>Copyright {published:%Y} {agency}. All rights reserved.</copyrightNotice></rightsInfo>
   <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:{provider}"/>
    <versionCreated>{stamp}</versionCreated>
    <firstCreated>{stamp}</firstCreated>
    <pubStatus qcode="stat:usable"/>
    <service qcode="svc:bench"><name>Wire service</name></service>
    <edNote>Bench item {n}; not for publication outside tests.</edNote>
   </itemMeta>
   <contentMeta>
    <urgency>{4 + n % 3}</urgency>
    <contentCreated>{stamp}</contentCreated>
    <located type="cptype:city" qcode="geo:{n % 97}"><name>{escape(place)}</name></located>
    <creator literal="{agency}"><name>{agency} desk</name></creator>
    <infoSource uri="http://www.example.org/{provider}" role="cinfosrc:origsource"/>
    <subject type="cpnat:abstract" qcode="{qcode}"><name xml:lang="en">{subject}</name></subject>
    <subject type="cpnat:geoArea" qcode="iso3166-1a2:{ {"de": "DE", "en": "GB", "fr": "FR"}[language] }"/>
    <genre qcode="genre:Current"><name>current</name></genre>
    <slugline>{escape(headline.split()[0])}-{n}</slugline>
    <headline>{escape(headline)}</headline>
    <description role="drol:summary">{escape(body[1][:200])}</description>
    <language tag="{language}"/>
   </contentMeta>
   <contentSet>
    <inlineXML contenttype="application/xhtml+xml" wordcount="{sum(len(p.split()) for p in body)}">
     <html xmlns="http://www.w3.org/1999/xhtml"><head><title>{escape(headline)}</title></head>
      <body>
{paragraphs}
      </body>
     </html>
    </inlineXML>
   </contentSet>
  </newsItem>
 </itemSet>
</newsMessage>
""".encode()


_BUILDERS = {
    "text": _text,
    "rss": _rss,
    "newsml12": _newsml12,
    "nitf": _nitf,
    "newsmlg2": _newsmlg2,
}


def document(n: int) -> tuple[str, bytes]:
    """``(file name, bytes)`` of synthetic document ``n`` (formats rotate with ``n``)."""
    fmt = FORMATS[n % len(FORMATS)]
    return f"{n:07d}-{fmt}{EXTENSIONS[fmt]}", _BUILDERS[fmt](n)


def documents(count: int, start: int = 0) -> Iterator[tuple[str, bytes]]:
    """Documents ``start`` .. ``start + count - 1``, generated lazily."""
    for n in range(start, start + count):
        yield document(n)


def published_at(n: int) -> datetime:
    """The publication time document ``n`` states (text dumps state none)."""
    return BASE_DATE + timedelta(minutes=n)
