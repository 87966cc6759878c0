"""Article-page extraction: speed and body F1 of ``parsers.html`` and ``trafilatura.extract``, same run.

Main measurement: ALL pages of ``../shared/webpages`` (146 hand-checked news pages, 98 publishers; gunzipped
once, outside the timing): docs/s of each extractor over the same pages, and the mean word-level body F1
as ``../shared/tools/pagescore.py`` computes it (its ``f1`` is imported from there; wiredesk's body is
the stored one: parsed and normalized). Also: the html_de corpus pages and a synthetic ~50 KB page
(the design target: at least 1000 pages/s at that size). trafilatura is a bench-only peer (``pip install
'.[bench]'``: trafilatura + lxml_html_clean); when it cannot be imported the run says so loudly.

    .venv/bin/python bench/html_extract.py [--seconds 2] [--pages PATH] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.parse_stage import parse_records  # noqa: E402
from parsers import ParseError  # noqa: E402
from parsers.html import parse  # noqa: E402
from parsers.registry import gunzip_if_needed  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "html_de"
DEFAULT_PAGES = ROOT.parent / "shared" / "webpages"
PAGESCORE = ROOT.parent / "shared" / "tools" / "pagescore.py"
PEER_MISSING = (
    "trafilatura cannot be imported ({error}): NO PEER COLUMN. Install the bench peers with "
    "`.venv/bin/pip install '.[bench]'` (trafilatura + lxml_html_clean)"
)

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
    if peer_error() is not None:
        return None
    import trafilatura

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


def peer_error() -> str | None:
    """Why trafilatura cannot run here (``None`` when it can). It imports ``lxml.html.clean``, which
    needs ``lxml_html_clean`` on lxml >= 5.2: a broken install must be named, not read as 'absent'."""
    try:
        import trafilatura  # noqa: F401
    except ImportError as exc:
        return str(exc)
    return None


def trafilatura_extract() -> Callable[[bytes], object] | None:
    error = peer_error()
    if error is not None:
        print(PEER_MISSING.format(error=error), file=sys.stderr)
        return None
    import trafilatura

    def extract(raw: bytes) -> object:
        return trafilatura.extract(raw, include_comments=False, with_metadata=True)

    return extract


@dataclass
class PagesResult:
    """One run over the hand-checked pages: speed and mean body F1 per extractor (peer may be absent)."""

    pages: int
    ours_rate: float
    ours_f1: float
    peer_rate: float | None = None
    peer_f1: float | None = None
    peer_error: str | None = None


def _pagescore_f1() -> Callable[[list[str], list[str], list[str]], tuple[float, float, float]]:
    spec = importlib.util.spec_from_file_location("pagescore", PAGESCORE)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(PAGESCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    score: Callable[[list[str], list[str], list[str]], tuple[float, float, float]] = module.f1
    return score


def load_pages(folder: Path = DEFAULT_PAGES) -> list[tuple[bytes, dict[str, Any]]]:
    """(page bytes, expected values) for every ``NAME.html.gz`` with its ``NAME.expected.json``."""
    if not folder.is_dir():
        return []
    pages = []
    for path in sorted(folder.glob("*.html.gz")):
        expected = path.with_name(path.name.removesuffix(".html.gz") + ".expected.json")
        if expected.exists():
            pages.append(
                (gzip.decompress(path.read_bytes()), json.loads(expected.read_text("utf-8")))
            )
    return pages


def _parse_or_nothing(raw: bytes) -> object:
    try:
        return parse(raw)
    except ParseError:
        return None


def measure_pages(folder: Path = DEFAULT_PAGES, seconds: float = 2.0) -> PagesResult | None:
    """Both extractors over all pages of ``folder`` in one run; ``None`` without pages."""
    pages = load_pages(folder)
    if not pages or not PAGESCORE.exists():
        return None
    f1 = _pagescore_f1()
    documents = [raw for raw, _ in pages]

    def mean_f1(paragraphs_of: Callable[[bytes], list[str]]) -> float:
        scores = [
            f1(e["paragraphs"], e.get("summary") or [], paragraphs_of(raw))[0] for raw, e in pages
        ]
        return sum(scores) / len(scores)

    result = PagesResult(
        pages=len(pages),
        ours_rate=rate(_parse_or_nothing, documents, seconds),
        ours_f1=mean_f1(wiredesk_paragraphs),
    )
    competitor = trafilatura_extract()
    their_paragraphs = trafilatura_paragraphs()
    if competitor is None or their_paragraphs is None:
        result.peer_error = peer_error() or "unknown"
        return result
    result.peer_rate = rate(competitor, documents, seconds)
    result.peer_f1 = mean_f1(their_paragraphs)
    return result


def pages_line(result: PagesResult) -> str:
    line = (
        f"webpages ({result.pages} pages): wiredesk {result.ours_rate:.0f} docs/s, "
        f"mean F1 {result.ours_f1:.3f}"
    )
    if result.peer_rate is None or result.peer_f1 is None:
        return line + f"; trafilatura NOT MEASURED ({result.peer_error})"
    return line + (
        f"; trafilatura {result.peer_rate:.0f} docs/s, mean F1 {result.peer_f1:.3f}"
        f" (speed x{result.ours_rate / result.peer_rate:.1f})"
    )


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    options.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .html(.gz)")
    options.add_argument(
        "--pages", type=Path, default=DEFAULT_PAGES, help="hand-checked pages (NAME.html.gz + json)"
    )
    args = options.parse_args()
    pages = measure_pages(args.pages, args.seconds)
    print(pages_line(pages) if pages else f"no hand-checked pages in {args.pages}")

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
