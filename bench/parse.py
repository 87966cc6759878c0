"""Parse speed per format: documents/s and items/s for parsing alone and for parse + normalize.

Runs every corpus file of ``../shared/corpus`` (and every fixture under ``tests/fixtures``) through the
format its sniffer picks, repeating each file until ``--seconds`` per format have passed, and prints a table.
Normalize includes language detection, which PERFORMANCE.md says dominates.

    .venv/bin/python bench/parse.py [--seconds 2] [--no-normalize]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from normalizers.normalize import normalize
from parsers import ParseError, detect_format, parse_document
from parsers.registry import gunzip_if_needed

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def documents() -> dict[str, list[bytes]]:
    """Every parseable corpus file and fixture, grouped by the format the sniffer picks."""
    grouped: dict[str, list[bytes]] = defaultdict(list)
    paths = (
        [p for p in CORPUS.rglob("*") if p.is_file() and p.parent != CORPUS]
        if CORPUS.is_dir()
        else []
    )
    paths += [
        p
        for p in (ROOT / "tests" / "fixtures").rglob("*")
        if p.is_file() and not p.name.endswith(".json")
    ]
    for path in sorted(paths):
        raw = gunzip_if_needed(path.read_bytes())
        try:
            fmt = detect_format(raw)
            if parse_document(raw, fmt):
                grouped[fmt].append(raw)
        except ParseError:
            continue
    return grouped


def rate(raws: list[bytes], fmt: str, seconds: float, with_normalize: bool) -> tuple[float, float]:
    """(documents/s, items/s) over repeated passes for about ``seconds``."""
    docs = items = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for raw in raws:
            parsed = parse_document(raw, fmt)
            if with_normalize:
                for item in parsed:
                    normalize(item)
            docs += 1
            items += len(parsed)
    elapsed = time.perf_counter() - started
    return docs / elapsed, items / elapsed


def warm_up(grouped: dict[str, list[bytes]]) -> None:
    """Normalize every document once before timing: one-off process costs (the language profiles, numpy
    once ``normalizers.language_profiles`` switches to it, grammars compiled on first use) would otherwise
    be charged to whichever format is timed first."""
    for fmt, raws in grouped.items():
        for raw in raws:
            for item in parse_document(raw, fmt):
                normalize(item)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent per format and mode")
    parser.add_argument("--no-normalize", action="store_true", help="parse only")
    args = parser.parse_args()
    grouped = documents()
    if not CORPUS.is_dir():
        print(f"note: {CORPUS} not found; fixtures only")
    header = f"{'format':<14}{'files':>6}{'avg KB':>8}{'parse docs/s':>14}{'items/s':>10}"
    if not args.no_normalize:
        header += f"{'+normalize docs/s':>19}{'items/s':>10}"
    print(header)
    warm_up(grouped)
    for fmt, raws in sorted(grouped.items()):
        size = sum(map(len, raws)) / len(raws) / 1024
        docs, items = rate(raws, fmt, args.seconds, with_normalize=False)
        line = f"{fmt:<14}{len(raws):>6}{size:>8.1f}{docs:>14,.0f}{items:>10,.0f}"
        if not args.no_normalize:
            ndocs, nitems = rate(raws, fmt, args.seconds, with_normalize=True)
            line += f"{ndocs:>19,.0f}{nitems:>10,.0f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
