"""Comparing parsed + normalized corpus files with ``expected.jsonl`` (hand-checked values).

A ``null`` in expected.jsonl means "not determinable", so it is not checked. The table of results is kept in
``LAST_TABLE`` for the terminal summary (see ``conftest.py``).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.pipeline import parse_records
from normalizers.record import ArticleRecord
from parsers import ParseError

ITEM_FIELDS = (
    "headline",
    "language",
    "agencies",
    "dateline_place",
    "status",
    "urgency",
    "version",
    "embargo",
    "first_paragraph_starts",
    "min_paragraphs",
)
FEED_FIELDS = ("entries", "first_title", "language")
LAST_TABLE: list[str] = []


@dataclass
class FormatTally:
    files: int = 0
    items: int = 0
    checked: int = 0
    matched: int = 0
    mismatches: list[str] = field(default_factory=list)


def load_expected(corpus: Path) -> dict[str, dict[str, Any]]:
    lines = (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return {entry["file"]: entry for entry in map(json.loads, filter(None, lines))}


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file() and p.parent != corpus and not p.name.startswith(".")
    )


def _nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", " ".join(text.split())) if text is not None else None


def item_values(record: ArticleRecord) -> dict[str, Any]:
    first = record.body[0] if record.body else None
    return {
        "headline": record.headline,
        "language": record.language,
        "agencies": record.agencies,
        "dateline_place": record.dateline.place if record.dateline else None,
        "status": record.status,
        "urgency": record.urgency,
        "version": record.version,
        "embargo": record.embargo_until is not None,
        "first_paragraph_starts": _nfc(first)[:40] if first else None,
        "min_paragraphs": len(record.body),
    }


def _pick(records: list[ArticleRecord], headline: str | None) -> ArticleRecord:
    for record in records:
        if headline is not None and _nfc(record.headline) == _nfc(headline):
            return record
    return records[0]


def _feed_values(records: list[ArticleRecord]) -> dict[str, Any]:
    languages = Counter(r.language for r in records if r.language)
    return {
        "entries": len(records),
        "first_title": records[0].headline if records else None,
        "language": languages.most_common(1)[0][0] if languages else None,
    }


def _same(name: str, want: Any, got: Any) -> bool:
    if name == "min_paragraphs":
        return bool(got >= want)
    if isinstance(want, str) and isinstance(got, str):
        return _nfc(want) == _nfc(got)
    return bool(want == got)


def evaluate(corpus: Path) -> dict[str, FormatTally]:
    """Parse every expected file and tally field matches per format folder."""
    expected = load_expected(corpus)
    tallies: dict[str, FormatTally] = {}
    for name, entry in sorted(expected.items()):
        path = corpus / name
        fmt = name.split("/", 1)[0]
        tally = tallies.setdefault(fmt, FormatTally())
        tally.files += 1
        try:
            records = parse_records(path.read_bytes(), str(path))
            error = None
        except ParseError as exc:
            records, error = [], exc.reason
        tally.items += len(records)
        if entry["kind"] == "skip":
            continue
        if entry["kind"] == "feed":
            fields, got = FEED_FIELDS, _feed_values(records)
        else:
            fields = ITEM_FIELDS
            got = item_values(_pick(records, entry.get("headline"))) if records else {}
        for field_name in fields:
            want = entry.get(field_name)
            if want is None:
                continue
            tally.checked += 1
            value = got.get(field_name) if got else None
            if got and _same(field_name, want, value):
                tally.matched += 1
            else:
                reason = f"ParseError: {error}" if error else f"got {value!r}"
                tally.mismatches.append(f"{name}: {field_name}: want {want!r}, {reason}")
    return tallies


def table(tallies: dict[str, FormatTally]) -> list[str]:
    rows = [f"{'format':<18}{'files':>6}{'items':>7}{'checked':>9}{'matched':>9}{'rate':>8}"]
    total = FormatTally()
    for fmt, t in sorted(tallies.items()):
        rate = t.matched / t.checked if t.checked else 1.0
        rows.append(f"{fmt:<18}{t.files:>6}{t.items:>7}{t.checked:>9}{t.matched:>9}{rate:>8.1%}")
        total.files += t.files
        total.items += t.items
        total.checked += t.checked
        total.matched += t.matched
    rate = total.matched / total.checked if total.checked else 1.0
    rows.append(
        f"{'ALL':<18}{total.files:>6}{total.items:>7}{total.checked:>9}{total.matched:>9}{rate:>8.1%}"
    )
    return rows
