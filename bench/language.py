"""Language detection: wiredesk's configured detector vs plain ``langdetect.detect`` on full bodies.

Bodies come from the corpus items with a hand-checked language (``../shared/corpus/expected.jsonl``) and from
generated stories (de/en/fr). Prints docs/s for both and how often each agrees with the expected language
(corpus) and with each other (generated).

    .venv/bin/python bench/language.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

from ingest.backfill.samples import documents
from normalizers.language import MAX_CHARS, configured_languages, detect_language
from normalizers.text import clean_paragraphs
from parsers import ParseError, parse_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_bodies() -> list[tuple[str, str]]:
    """(expected language, body text) for corpus items that have both."""
    if not CORPUS.is_dir():
        return []
    result = []
    for line in (CORPUS / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry.get("kind") != "item" or not entry.get("language"):
            continue
        try:
            items = parse_document((CORPUS / entry["file"]).read_bytes())
        except ParseError:
            continue
        if items and items[0].body:
            result.append((entry["language"], "\n".join(clean_paragraphs(items[0].body))))
    return result


def plain(text: str) -> str | None:
    try:
        return str(detect(text))
    except LangDetectException:
        return None


def timed(function: object, bodies: list[str], rounds: int) -> tuple[list[str | None], float]:
    answers = [function(body) for body in bodies]  # type: ignore[operator]  # warm-up: profiles load
    started = time.perf_counter()
    for _ in range(rounds):
        answers = [function(body) for body in bodies]  # type: ignore[operator]
    return answers, rounds * len(bodies) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    DetectorFactory.seed = 0
    labelled = corpus_bodies()
    generated = [
        "\n".join(clean_paragraphs(item.body))
        for _name, raw in documents(300)
        for item in parse_document(raw)
    ]
    languages = configured_languages()
    print(f"wiredesk: {len(languages) if languages else 55} profiles, first {MAX_CHARS} characters")
    print(
        f"{'set':<11}{'docs':>6}{'wiredesk docs/s':>17}{'langdetect docs/s':>19}{'ratio':>7}"
        f"{'wiredesk right':>16}{'langdetect right':>18}"
    )
    for name, bodies, expected in (
        ("corpus", [b for _l, b in labelled], [lang for lang, _b in labelled]),
        ("generated", generated, None),
    ):
        if not bodies:
            continue
        ours, ours_rate = timed(detect_language, bodies, args.rounds)
        theirs, their_rate = timed(plain, bodies, args.rounds)
        truth = expected or theirs
        ours_ok = sum(a == b for a, b in zip(ours, truth, strict=True))
        theirs_ok = sum(a == b for a, b in zip(theirs, truth, strict=True))
        print(
            f"{name:<11}{len(bodies):>6}{ours_rate:>17,.0f}{their_rate:>19,.0f}{ours_rate / their_rate:>7.2f}"
            f"{ours_ok:>10}/{len(bodies):<5}{theirs_ok:>12}/{len(bodies):<5}"
        )
    print("(generated: 'right' = agreement with plain langdetect on the full body)")


if __name__ == "__main__":
    main()
