"""Feed parsing throughput: wiredesk's RSS/Atom parsers against bare ``feedparser.parse(raw)``.

Run from the repository root: ``.venv/bin/python bench/feeds.py [--rounds N]``. Parses the corpus feeds (when
``../shared/corpus`` exists) and generated 1000-entry RSS 2.0 and Atom feeds, and prints items/s for both and
the ratio (ours / feedparser; above 1 means we are faster). Our numbers include the full mapping to
``ParsedItem`` (HTML body to paragraphs, dates, repairs); feedparser's stop at its own dictionaries.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import feedparser  # noqa: E402

from parsers import ParseError, parse_document  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
ENTRIES = 1000


def generated_rss(entries: int = ENTRIES) -> bytes:
    """An RSS 2.0 feed shaped like agency output: escaped HTML bodies, content:encoded, Dublin Core."""
    items = "".join(
        f"""<item><title>Story {i}: Minister &amp; Parlament streiten über Haushalt</title>
<link>https://example.com/news/{i}.html</link><guid isPermaLink="false">urn:example:{i}</guid>
<pubDate>Mon, 05 Feb 2018 {i % 24:02d}:{i % 60:02d}:00 +0100</pubDate><dc:creator>Jane Doe</dc:creator>
<category>Politik</category><category>Haushalt</category>
<description>&lt;p&gt;Berlin (dpa) - Kurzfassung {i}.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>Berlin (dpa) - Erster Absatz der Meldung {i} mit etwas Text, wie ihn Agenturen
liefern.</p><p>Zweiter Absatz mit <a href="https://example.com">Link</a> und <b>Hervorhebung</b>.</p>
<p>Dritter Absatz.</p><img src="https://example.com/pixel.gif" width="1" height="1"/>]]></content:encoded>
</item>"""
        for i in range(entries)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Bench</title><link>https://example.com/</link><language>de</language>{items}"
        "</channel></rss>"
    ).encode()


def generated_atom(entries: int = ENTRIES) -> bytes:
    """An Atom 1.0 feed with HTML content, summaries, authors and categories."""
    body = "".join(
        f"""<entry><id>urn:example:{i}</id><title type="text">Story {i}: weather warning</title>
<link rel="alternate" type="text/html" href="https://example.com/{i}"/>
<published>2018-02-05T{i % 24:02d}:00:00+01:00</published><updated>2018-02-05T{i % 24:02d}:30:00Z</updated>
<author><name>John Roe</name></author><category term="weather"/>
<summary type="html">&lt;p&gt;Summary {i}&lt;/p&gt;</summary>
<content type="html">&lt;p&gt;LONDON (Reuters) - Paragraph one of {i}.&lt;/p&gt;&lt;p&gt;Paragraph two.&lt;/p&gt;</content>
</entry>"""
        for i in range(entries)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
        f"<title>Bench</title><id>urn:bench</id><updated>2018-02-05T00:00:00Z</updated>{body}</feed>"
    ).encode()


def ours(raw: bytes) -> int:
    try:
        return len(parse_document(raw))
    except ParseError:
        return 0


def bare_feedparser(raw: bytes) -> int:
    return len(feedparser.parse(raw).entries)


def rate(parse: Callable[[bytes], int], documents: list[bytes], rounds: int) -> tuple[int, float]:
    """Items per second over ``rounds`` passes (best pass, to damp noise)."""
    best = float("inf")
    items = 0
    for _ in range(rounds):
        start = time.perf_counter()
        items = sum(parse(raw) for raw in documents)
        best = min(best, time.perf_counter() - start)
    return items, items / best if best > 0 else float("inf")


def report(label: str, documents: list[bytes], rounds: int) -> None:
    our_items, our_rate = rate(ours, documents, rounds)
    fp_items, fp_rate = rate(bare_feedparser, documents, rounds)
    print(
        f"{label:<28} items ours={our_items:>5} feedparser={fp_items:>5}   "
        f"ours {our_rate:>9,.0f}/s   feedparser {fp_rate:>9,.0f}/s   ratio {our_rate / fp_rate:5.2f}x"
    )


def corpus_documents() -> list[bytes] | None:
    folders = [CORPUS / "rss", CORPUS / "atom"]
    if not all(folder.is_dir() for folder in folders):
        return None
    return [path.read_bytes() for folder in folders for path in sorted(folder.iterdir())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=5, help="passes per measurement (best is kept)"
    )
    args = parser.parse_args()
    documents = corpus_documents()
    if documents is None:
        print(f"corpus: skipped ({CORPUS} not found)")
    else:
        report(f"corpus ({len(documents)} feeds)", documents, args.rounds)
    report(f"generated RSS {ENTRIES}", [generated_rss()], args.rounds)
    report(f"generated Atom {ENTRIES}", [generated_atom()], args.rounds)


if __name__ == "__main__":
    main()
