"""RSS/Atom conformance: wiredesk's feed parser against feedparser's own entry-level "wellformed" tests.

feedparser's test suite (``tests/wellformed/**/*.xml`` in its source distribution) writes each test's
expectation into the file header as a Python expression::

    <!--
    Description: entry content contains embed
    Expect:      not bozo and entries[0]['content'][0]['value'] == 'safe <b>description</b>'
    -->

This script runs the tests whose ``Expect`` checks an entry's title, summary/description, content, author
or link (the fields a wire desk keeps) through ``parsers.parse_document`` and judges every ``entries[0]``
clause against the ``ParsedItem``:

- ``title`` -> ``headline``; ``description``/``summary``/``content`` -> ``body`` (paragraphs joined by a
  space); ``author``/``author_detail.name`` -> ``authors``; ``link`` -> ``url``; ``language`` ->
  ``language`` (primary subtag).
- feedparser returns sanitized HTML, wiredesk plain text: an expected HTML value is compared by its text
  (tags dropped, entities decoded, script/style dropped, blocks separated). Which values are HTML is read
  from feedparser's own ``*_detail['type']`` for the same file. A ``text/plain`` value may also come back
  with tag-shaped text removed (wiredesk never shows markup as text).
- wiredesk's body is the full content when an entry has one: a summary clause on such an entry is
  ``n/a``, as are clauses about things a record does not carry (``type``, ``base``, ``email``, media).
- a test agrees when no clause disagrees and at least one agrees; ``n/a`` when no clause applies.
  Clauses that differ only in whitespace are counted apart as ``spacing``, and clauses where feedparser
  shows tag-shaped text (``History of the <blink> tag``) and wiredesk drops it, by its rule that markup
  never shows as text in a headline or body, as ``rule``.

A measurement script, not part of ``make test`` (feedparser's tests are not shipped with the package)::

    pip download --no-binary :all: --no-deps feedparser==6.0.11 -d /tmp/fp && tar xzf ... -C /tmp/fp
    .venv/bin/python bench/feed_conformance.py /tmp/fp/feedparser-6.0.11/tests [--verbose]
"""

from __future__ import annotations

import argparse
import ast
import html.parser
import io
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser

from parsers import ParsedItem, ParseError, parse_document

_HEADER = re.compile(rb"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")
# The entry fields a wire record keeps: a test is selected when its Expect checks one of them.
SELECTED = frozenset(
    {
        "title",
        "description",
        "summary",
        "summary_detail",
        "content",
        "author",
        "author_detail",
        "link",
    }
)
_FIELD = re.compile(r"entries\[0\]\[['\"](\w+)['\"]\]")
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
     "table", "tr", "td", "th", "dl", "dt", "dd", "hr", "section", "article", "address"}
)  # fmt: skip
_WITH_ADDRESS = re.compile(r"\s*\([^()]*@[^()]*\)$")
_INVISIBLE = frozenset({"script", "style"})

Verdict = str  # "agree" | "rule" | "disagree" | "spacing" | "n/a"


class _TextOf(html.parser.HTMLParser):
    """Text a reader sees in an HTML fragment: no tags, entities decoded, blocks apart, no script/style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of ``markup``, whitespace collapsed."""
    reader = _TextOf()
    reader.feed(markup)
    reader.close()
    return squash("".join(reader.parts))


def squash(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


@dataclass(slots=True)
class Clause:
    """One ``entries[0][...] == literal`` comparison of an Expect line."""

    path: tuple[str | int, ...]
    expected: Any


@dataclass(slots=True)
class Result:
    file: str
    category: str
    verdict: Verdict
    notes: list[str] = field(default_factory=list)


def _path(node: ast.expr) -> tuple[str | int, ...] | None:
    """``entries[0]['content'][0]['value']`` -> ("content", 0, "value"); None for anything else."""
    keys: list[str | int] = []
    while isinstance(node, ast.Subscript):
        if not isinstance(node.slice, ast.Constant):
            return None
        keys.append(node.slice.value)
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == "entries") or not keys:
        return None
    keys.reverse()
    return tuple(keys[1:]) if keys[0] == 0 else None


def clauses(expect: str) -> list[Clause]:
    """The ``entries[0]`` equality clauses of an Expect expression (other clauses are not ours)."""
    tree = ast.parse(expect, mode="eval").body
    parts = tree.values if isinstance(tree, ast.BoolOp) else [tree]
    found = []
    for part in parts:
        if not isinstance(part, ast.Compare) or not all(isinstance(o, ast.Eq) for o in part.ops):
            continue
        operands = [part.left, *part.comparators]
        literals = [o for o in operands if isinstance(o, ast.Constant)]
        for operand in operands:
            path = _path(operand)
            if path and literals:
                found.append(Clause(path, ast.literal_eval(literals[0])))
    return found


def select(tests: Path) -> list[tuple[Path, str]]:
    """(file, Expect) of every wellformed test whose Expect checks a selected entry field."""
    chosen = []
    for path in sorted((tests / "wellformed").rglob("*.xml")):
        header = _HEADER.search(path.read_bytes())
        if header is None:
            continue
        expect = header.group(2).decode("utf-8").strip()
        if set(_FIELD.findall(expect)) & SELECTED:
            chosen.append((path, expect))
    return chosen


def _detail_type(entry: Any, name: str) -> str:
    if name == "content":
        contents = entry.get("content") or [{}]
        return str(contents[0].get("type") or "text/html")
    detail = entry.get(f"{name}_detail") or {}
    return str(detail.get("type") or "text/html")


def _text_matches(got: str, expected: str, kind: str) -> Verdict:
    want = [squash(expected)] if kind == "text/plain" else []
    want.append(html_text(expected))
    if kind == "text/plain":
        want.append(squash(_TAG.sub("", expected)))
    value = squash(got)
    if value in want:
        return "agree"
    if any(value == squash(_TAG.sub("", w)) != w for w in want):
        return "rule"
    if any(value.replace(" ", "") == w.replace(" ", "") for w in want):
        return "spacing"
    return "disagree"


def judge(clause: Clause, item: ParsedItem, entry: Any) -> tuple[Verdict, str]:
    """Verdict on one clause and a note saying what was compared."""
    name, rest = clause.path[0], clause.path[1:]
    body = " ".join(item.body)
    if name in ("description", "summary") or (name == "summary_detail" and rest == ("value",)):
        contents = entry.get("content") or []
        if contents and contents[0].get("value") != entry.get("summary"):
            return "n/a", "summary: wiredesk's body is the entry's content"
        got, kind = body, _detail_type(entry, "summary")
    elif name == "content" and rest == (0, "value"):
        got, kind = body, _detail_type(entry, "content")
    elif name == "title":
        got, kind = item.headline or "", _detail_type(entry, "title")
    elif name in ("content", "summary_detail") and rest[-1:] == ("language",):
        want = (clause.expected or "").split("-")[0].lower() or None
        verdict = "agree" if item.language == want else "disagree"
        return verdict, f"language: got {item.language!r}, want {want!r}"
    elif name == "author" or (name == "author_detail" and rest == ("name",)):
        # feedparser writes an author with an address as "Name (address)"; the name is what counts.
        want_name = squash(_WITH_ADDRESS.sub("", clause.expected or ""))
        ok = any(want_name in squash(a) for a in item.authors) or want_name == squash(item.byline)
        ok = ok or (not want_name and not item.authors and not item.byline)
        return ("agree" if ok else "disagree"), f"author: got {item.authors!r}, want {want_name!r}"
    elif name == "link":
        ok = (item.url or "") == (clause.expected or "")
        return ("agree" if ok else "disagree"), f"link: got {item.url!r}, want {clause.expected!r}"
    else:
        return "n/a", f"{'.'.join(map(str, clause.path))}: not a record field"
    verdict = _text_matches(got, str(clause.expected or ""), kind)
    return verdict, f"{name}: got {squash(got)[:90]!r}, want {str(clause.expected)[:90]!r} ({kind})"


def run_test(path: Path, expect: str, tests: Path) -> Result:
    raw = path.read_bytes()
    relative = path.relative_to(tests / "wellformed")
    category = relative.parts[0]
    try:
        items = parse_document(raw)
    except ParseError as exc:
        return Result(str(relative), category, "disagree", [f"not read: {exc.reason[:100]}"])
    if not items:
        return Result(str(relative), category, "disagree", ["no items"])
    reference = feedparser.parse(io.BytesIO(raw))
    entries = reference.get("entries") or [{}]
    verdicts = []
    notes = []
    for clause in clauses(expect):
        verdict, note = judge(clause, items[0], entries[0])
        verdicts.append(verdict)
        if verdict != "agree":
            notes.append(f"{verdict}: {note}")
    if "disagree" in verdicts:
        overall = "disagree"
    elif "spacing" in verdicts:
        overall = "spacing"
    elif "rule" in verdicts:
        overall = "rule"
    elif "agree" in verdicts:
        overall = "agree"
    else:
        overall = "n/a"
    return Result(str(relative), category, overall, notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tests", type=Path, help="feedparser's tests/ folder")
    parser.add_argument(
        "--verbose", action="store_true", help="print every test that does not agree"
    )
    args = parser.parse_args(argv)
    tests: Path = args.tests
    if not (tests / "wellformed").is_dir():
        parser.error(f"{tests} has no wellformed/ folder")
    results = [run_test(path, expect, tests) for path, expect in select(tests)]
    counts = Counter(r.verdict for r in results)
    total = len(results)
    print(
        f"agreed {counts['agree']}/{total} entry-level wellformed tests "
        f"(disagree {counts['disagree']}, whitespace only {counts['spacing']}, "
        f"tag-shaped text dropped by rule {counts['rule']}, "
        f"no clause a record can carry {counts['n/a']}); "
        f"agreed {counts['agree']}/{total - counts['n/a']} of those judged"
    )
    per_category: dict[str, Counter[str]] = {}
    for result in results:
        per_category.setdefault(result.category, Counter())[result.verdict] += 1
    columns = ("agree", "disagree", "spacing", "rule", "n/a")
    print(f"\n{'category':<16} {'tests':>5} " + " ".join(f"{c:>8}" for c in columns))
    for category, tally in sorted(per_category.items()):
        cells = " ".join(f"{tally[c]:>8}" for c in columns)
        print(f"{category:<16} {sum(tally.values()):>5} {cells}")
    failing = [r for r in results if r.verdict in ("disagree", "spacing", "rule")]
    if failing:
        print(
            "\nnot agreeing:" if args.verbose else "\n(--verbose lists the tests that do not agree)"
        )
    if args.verbose:
        for result in failing:
            print(f"  {result.verdict:<8} {result.file}")
            for note in result.notes:
                print(f"           {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
