"""Version comparison is bounded: huge versions of one story render in well under a second, with a plain
"too large to compare" note where the paragraph diff is skipped."""

from __future__ import annotations

import time

from desk.diff import MAX_PARAGRAPHS, compare, word_diff_html
from normalizers.record import ArticleRecord


def record(body: list[str]) -> ArticleRecord:
    return ArticleRecord(guid="urn:ap:1", source_format="ninjs", body=body)


def test_many_paragraphs_are_not_compared_pairwise() -> None:
    old = [f"Paragraph {n} of the AP budget story." for n in range(20_000)]
    new = [f"Paragraph {n} of the AP budget story, corrected." for n in range(20_000)]
    started = time.perf_counter()
    changes = compare(record(old), record(new))
    assert time.perf_counter() - started < 1.0
    assert changes.too_large and "body" in changes.changed_names
    assert not compare(record(old), record(list(old))).too_large


def test_two_64k_paragraphs_compare_quickly() -> None:
    words = [f"w{n % 997}x{n}" for n in range(12_000)]
    old = [" ".join(words)[:65_536]]
    new = [" ".join(reversed(words))[:65_536]]
    started = time.perf_counter()
    changes = compare(record(old), record(new))
    word_diff_html(old[0], new[0])
    assert time.perf_counter() - started < 1.0
    assert changes.paragraphs and not changes.too_large


def test_small_corrections_still_show_word_marks() -> None:
    old = ["WASHINGTON (AP) - The Senate passed the bill on Tuesday."]
    new = ["WASHINGTON (AP) - The Senate passed the bill on Wednesday."]
    (change,) = compare(record(old), record(new)).paragraphs
    assert change.op == "changed" and "<ins>Wednesday.</ins>" in (change.inline_html or "")
    assert MAX_PARAGRAPHS >= 1000
