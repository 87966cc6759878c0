"""Article-page extraction speed and body agreement: ``parsers.html`` against ``trafilatura.extract``.

Runs both over the corpus pages in ``../shared/corpus/html_de`` (gunzipped once, outside the timing) and
over a synthetic ~50 KB page (the design target: at least 1000 pages/s at that size), and prints docs/s
and MB/s. Agreement with the hand-checked values, for both extractors: the first body paragraph starts as
``expected.jsonl`` says, the body has at least its ``min_paragraphs``, and the paragraphs of the fundus
expected bodies (``*.fundus-expected.json``) are found in the extracted text (each by its middle half, so a
dateline or credit kept or dropped at either end does not decide). trafilatura is a bench-only comparison, not a wiredesk dependency; install it into the venv with
``.venv/bin/pip install trafilatura lxml_html_clean`` to get its column.

    .venv/bin/python bench/html_extract.py [--seconds 2] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.parse_stage import parse_records  # noqa: E402
from parsers import ParseError  # noqa: E402
from parsers.html import parse  # noqa: E402
from parsers.registry import gunzip_if_needed  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "html_de"

_PARAGRAPH = (
    "<p>Die Landesregierung hat am Dienstag in Hannover ein neues <a href='/foerder'>Förderprogramm</a>"
    " für kleine und mittlere Häfen vorgestellt, das in den kommenden {n} Jahren rund 40 Millionen Euro"
    " umfassen soll. Ein Sprecher sagte, man wolle die Anbindung an das <b>Schienennetz</b> verbessern."
    "</p>\n"
)
_NAV = "".join(f'<li><a href="/ressort/{i}">Ressort {i}</a></li>' for i in range(120))
_TEASERS = "".join(
    f'<div class="teaser"><a href="/artikel/{i}"><h3>Weitere Meldung Nummer {i}</h3></a>'
    f"<p>Kurzer Anrisstext zur Meldung {i}.</p></div>"
    for i in range(40)
)


def synthetic_page(target_bytes: int = 50_000, paragraphs: int = 20) -> bytes:
    """A page shaped like a real one: head with JSON-LD and meta, navigation, a body of ``paragraphs``
    paragraphs, teasers, and inline script filling it up to ``target_bytes``."""
    head = (
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Hafen | Zeitung</title>"
        '<meta property="og:title" content="Land fördert kleine Häfen">'
        '<link rel="canonical" href="https://www.zeitung.example/politik/haefen-123.html">'
        '<meta property="og:site_name" content="Zeitung">'
        '<meta property="article:published_time" content="2024-05-16T09:26:10+02:00">'
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        '"headline":"Land fördert kleine Häfen","author":{"@type":"Organization","name":"dpa"},'
        '"datePublished":"2024-05-16T09:26:10+02:00"}</script>'
        "<script>{script}</script></head>"
    )
    body = f"<body><nav><ul>{_NAV}</ul></nav><main><article><h1>Land fördert kleine Häfen</h1>"
    text = "".join(_PARAGRAPH.format(n=n) for n in range(paragraphs))
    tail = f"</article><aside>{_TEASERS}</aside></main><footer>Impressum</footer></body></html>"
    filler = max(0, target_bytes - len((head + body + text + tail).encode("utf-8")))
    links = '<div class="footer-link"><a href="/service/x">Service-Link</a></div>' * (filler // 140)
    page = head.replace("{script}", "var x = 1;" * (filler // 20)) + body + text + tail
    page = page.replace("<footer>Impressum</footer>", f"<footer>{links}Impressum</footer>")
    return page.encode("utf-8")


def rate(function: Callable[[bytes], object], documents: list[bytes], seconds: float) -> float:
    """Documents per second, cycling over ``documents`` for at least ``seconds``."""
    for document in documents:  # warm-up (imports, XPath compilation, caches)
        function(document)
    count = 0
    started = time.perf_counter()
    while True:
        for document in documents:
            function(document)
        count += len(documents)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return count / elapsed


def load_corpus(folder: Path) -> list[tuple[str, bytes]]:
    if not folder.is_dir():
        return []
    pages = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith((".html", ".html.gz")):
            pages.append((path.name, gunzip_if_needed(path.read_bytes())))
    return pages


@dataclass
class Agreement:
    """How often an extractor's body agrees with the hand-checked expectations."""

    pages: int = 0
    first_right: int = 0
    count_right: int = 0
    fundus_paragraphs: int = 0
    fundus_found: int = 0

    def line(self) -> str:
        share = self.fundus_found / self.fundus_paragraphs if self.fundus_paragraphs else 0.0
        return (
            f"first paragraph {self.first_right}/{self.pages}, paragraph count {self.count_right}/"
            f"{self.pages}, fundus paragraphs {self.fundus_found}/{self.fundus_paragraphs} ({share:.0%})"
        )


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def wiredesk_paragraphs(raw: bytes) -> list[str]:
    """The body as wiredesk stores it (parsed and normalized)."""
    try:
        records = parse_records(raw, "bench", format_name="html")
    except ParseError:
        return []
    return records[0].body if records else []


def trafilatura_paragraphs() -> Callable[[bytes], list[str]] | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def paragraphs(raw: bytes) -> list[str]:
        text = trafilatura.extract(raw, include_comments=False) or ""
        return [line for line in text.split("\n") if line.strip()]

    return paragraphs


def agreement(
    paragraphs_of: Callable[[bytes], list[str]], folder: Path = DEFAULT_CORPUS
) -> Agreement:
    """Score one extractor on the corpus pages that have expectations."""
    result = Agreement()
    expected_file = folder.parent / "expected.jsonl"
    if not expected_file.exists():
        return result
    pages = dict(load_corpus(folder))
    for line in expected_file.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        name = entry["file"].removeprefix(f"{folder.name}/")
        if entry.get("kind") != "item" or name not in pages:
            continue
        body = paragraphs_of(pages[name])
        result.pages += 1
        start = entry.get("first_paragraph_starts")
        if start and body and _squash(body[0]).startswith(_squash(start)):
            result.first_right += 1
        if len(body) >= int(entry.get("min_paragraphs") or 1):
            result.count_right += 1
    for expected_path in sorted(folder.glob("*.fundus-expected.json")):
        site = expected_path.name.split(".")[0]
        page = next((raw for n, raw in sorted(pages.items()) if n.startswith(f"{site}_")), None)
        if page is None:
            continue
        text = _squash(" ".join(paragraphs_of(page)))
        # Only "V1": the corpus holds the V1 page of each site (expected.jsonl notes say so); the other
        # versions describe pages that are not in the corpus.
        version = json.loads(expected_path.read_text(encoding="utf-8")).get("V1", {})
        if version:
            for section in version.get("body", {}).get("sections", []):
                for paragraph in section.get("paragraphs", []):
                    squashed = _squash(paragraph)
                    middle = squashed[len(squashed) // 4 : len(squashed) * 3 // 4]
                    result.fundus_paragraphs += 1
                    result.fundus_found += 1 if middle and middle in text else 0
    return result


def trafilatura_extract() -> Callable[[bytes], object] | None:
    try:
        import trafilatura
    except ImportError as exc:
        print(
            f"trafilatura is not installed ({exc}); comparing nothing. For the comparison run:\n"
            "    .venv/bin/pip install trafilatura lxml_html_clean\n"
            "(bench only -- it is not a wiredesk dependency)"
        )
        return None

    def extract(raw: bytes) -> object:
        return trafilatura.extract(raw, include_comments=False, with_metadata=True)

    return extract


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    options.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .html(.gz)")
    args = options.parse_args()

    corpus = load_corpus(args.corpus)
    if not corpus:
        print(f"no corpus pages in {args.corpus}; measuring the synthetic page only")
    synthetic = synthetic_page()
    competitor = trafilatura_extract()

    rows: list[tuple[str, list[bytes]]] = [
        (f"synthetic page ({len(synthetic) // 1024} KB)", [synthetic])
    ]
    if corpus:
        total_kb = sum(len(raw) for _, raw in corpus) // 1024
        rows.append(
            (f"corpus html_de ({len(corpus)} pages, {total_kb} KB)", [r for _, r in corpus])
        )
    print(
        f"{'documents':44} {'wiredesk docs/s':>16} {'MB/s':>7} {'trafilatura docs/s':>19} {'MB/s':>7}"
    )
    for label, documents in rows:
        mean_mb = sum(len(d) for d in documents) / len(documents) / 1e6
        ours = rate(parse, documents, args.seconds)
        line = f"{label:44} {ours:16.0f} {ours * mean_mb:7.1f}"
        if competitor is not None:
            theirs = rate(competitor, documents, args.seconds)
            line += f" {theirs:19.0f} {theirs * mean_mb:7.1f}   (x{ours / theirs:.1f})"
        print(line)
    if corpus:
        print(f"agreement, wiredesk:    {agreement(wiredesk_paragraphs, args.corpus).line()}")
        theirs_paragraphs = trafilatura_paragraphs()
        if theirs_paragraphs is not None:
            print(f"agreement, trafilatura: {agreement(theirs_paragraphs, args.corpus).line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
