"""Parse speed of this checkout against an earlier commit: CPU µs per document, per format, same files.

    .venv/bin/python bench/parse_ab.py --base 63e72c0 [--rounds 3] [--formats html,rss] [--same-items]

``bench/parse.py`` prints rates for one checkout; a regression needs a "before" on the same documents. This
script checks ``--base`` out into a temporary git worktree, gives every corpus file (``../shared/corpus``)
the format this checkout's sniffer picks (``--fixtures``: also this checkout's fixtures, the only text
dumps, as ``FORMAT@fixtures``; ``--pages``: also the article pages of ``../shared/webpages``, as
their own group ``html@webpages``), and times parsing and parsing + normalizing in a fresh process per
side and round, the sides alternating (base, head, base, head ...) so a busy machine slows both alike. Each
figure is the minimum over the rounds of ``time.process_time`` per document (CPU time, not wall time).
Only documents both sides parse and normalize as that format are timed.

``--same-items``: also normalize the *same* parsed items on both sides (this checkout parses them; each
side's own ``ParsedItem`` is built from their fields, fields the base does not know are dropped and named).
This tells a normalizer's cost from a parser's: a format whose parser finds more text also gives the
normalizer more to do.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import pickle
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
WEBPAGES = ROOT.parent / "shared" / "webpages"
WINDOW = 0.4  # seconds of CPU per timed pass and format (at least one pass over the files)


# --- the measuring side (runs in a child process with a checkout's root first on sys.path) ---------------


def _load(root: Path) -> None:
    """Make ``root``'s packages the ones imported (the editable install points at this checkout)."""
    sys.path.insert(0, str(root))
    logging.disable(logging.CRITICAL)


def _timed(step: Any, documents: list[Any]) -> float:
    """CPU seconds per document of ``step`` over ``documents``, repeated for about ``WINDOW`` seconds."""
    passes, started = 0, time.process_time()
    while True:
        for document in documents:
            step(document)
        passes += 1
        spent = time.process_time() - started
        if spent >= WINDOW:
            return spent / (passes * len(documents))


def readable(root: Path, assignment: dict[str, str]) -> list[str]:
    """The paths the checkout at ``root`` parses (and normalizes) as their assigned format."""
    _load(root)
    from normalizers.normalize import normalize
    from parsers import parse_document
    from parsers.registry import gunzip_if_needed

    paths = []
    for path, group in sorted(assignment.items()):
        try:
            raw = gunzip_if_needed(Path(path).read_bytes())
            for item in parse_document(raw, group.partition("@")[0]):
                normalize(item)
        except Exception:  # whatever the reason, this side cannot time this document
            continue
        paths.append(path)
    return paths


def measure(root: Path, assignment: dict[str, str], formats: set[str] | None) -> dict[str, Any]:
    """{format: [parse µs/doc, parse+normalize µs/doc, documents]} for the checkout at ``root``."""
    _load(root)
    from normalizers.normalize import normalize
    from parsers import parse_document
    from parsers.registry import gunzip_if_needed

    grouped: dict[str, list[bytes]] = defaultdict(list)
    for path, fmt in sorted(assignment.items()):
        grouped[fmt].append(gunzip_if_needed(Path(path).read_bytes()))

    def with_normalize(group: str) -> Any:
        fmt = group.partition("@")[0]
        return lambda raw: [normalize(item) for item in parse_document(raw, fmt)]

    # Warm-up over every format, not only the timed ones: one-off costs (grammars compiled on first use,
    # language profiles, the switch to numpy scoring after the first samples) are charged to nobody.
    for fmt, raws in grouped.items():
        for raw in raws:
            with_normalize(fmt)(raw)
    result: dict[str, Any] = {}
    for fmt, raws in sorted(grouped.items()):
        if formats and fmt not in formats:
            continue
        parse_format = fmt.partition("@")[0]
        parse_only = _timed(lambda raw, f=parse_format: parse_document(raw, f), raws)
        full = _timed(with_normalize(fmt), raws)
        result[fmt] = [parse_only * 1e6, full * 1e6, len(raws)]
    return result


def measure_normalize(root: Path, items_file: Path) -> dict[str, Any]:
    """{format: [normalize µs/item, items, dropped field names]} over the pickled parsed items."""
    _load(root)
    import copy

    import parsers.base as base
    from normalizers.normalize import normalize

    def build(kind: str, values: dict[str, Any], dropped: set[str]) -> Any:
        cls = getattr(base, kind)
        known = {f.name for f in dataclasses.fields(cls)}
        dropped.update(f"{kind}.{name}" for name in values if name not in known)
        fields = {}
        for name, value in values.items():
            if name in known:
                fields[name] = restore(value, dropped)
        return cls(**fields)

    def restore(value: Any, dropped: set[str]) -> Any:
        if isinstance(value, dict) and "__dataclass__" in value:
            fields = {k: v for k, v in value.items() if k != "__dataclass__"}
            return build(value["__dataclass__"], fields, dropped)
        if isinstance(value, list):
            return [restore(v, dropped) for v in value]
        return value

    by_format: dict[str, list[dict[str, Any]]] = pickle.loads(items_file.read_bytes())
    result: dict[str, Any] = {}
    for fmt, dumped in sorted(by_format.items()):
        dropped: set[str] = set()
        templates = [build("ParsedItem", copy.deepcopy(d), dropped) for d in dumped]
        for _ in range(max(1, 200 // len(templates))):  # warm-up past the first language samples
            for item in copy.deepcopy(templates):
                normalize(item)
        best = float("inf")
        for _ in range(3):
            batches = [copy.deepcopy(templates) for _ in range(max(1, 200 // len(templates)))]
            started = time.process_time()
            for batch in batches:
                for item in batch:
                    normalize(item)
            best = min(best, (time.process_time() - started) / (len(batches) * len(templates)))
        result[fmt] = [best * 1e6, len(templates), sorted(dropped)]
    return result


def dump_items(assignment: dict[str, str], formats: set[str] | None, out: Path) -> None:
    """This checkout's parsed items per format, as plain dicts (dataclasses tagged by class name)."""
    from parsers import parse_document
    from parsers.registry import gunzip_if_needed

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return {"__dataclass__": type(value).__name__, **fields}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    by_format: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path, fmt in sorted(assignment.items()):
        if formats and fmt not in formats:
            continue
        raw = gunzip_if_needed(Path(path).read_bytes())
        for item in parse_document(raw, fmt.partition("@")[0]):
            dumped = plain(item)
            dumped.pop("__dataclass__")
            by_format[fmt].append(dumped)
    out.write_bytes(pickle.dumps(dict(by_format)))


# --- the driver --------------------------------------------------------------------------------------------


def assign_formats(pages: bool, fixtures: bool) -> dict[str, str]:
    """Every corpus file this checkout parses, with the format its sniffer picks; with ``fixtures`` also
    this checkout's test fixtures as groups ``FORMAT@fixtures`` (text dumps have no corpus files), with
    ``pages`` the article pages of ``../shared/webpages`` as the group ``html@webpages``."""
    from parsers import ParseError, detect_format, parse_document
    from parsers.registry import gunzip_if_needed

    logging.disable(logging.CRITICAL)
    assignment = {}
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.parent != CORPUS):
        raw = gunzip_if_needed(path.read_bytes())
        try:
            fmt = detect_format(raw)
            if parse_document(raw, fmt):
                assignment[str(path)] = fmt
        except ParseError:
            continue
    if fixtures:
        for path in sorted((ROOT / "tests" / "fixtures").rglob("*")):
            if not path.is_file() or path.name.endswith(".json"):
                continue
            raw = gunzip_if_needed(path.read_bytes())
            try:
                fmt = detect_format(raw)
                if parse_document(raw, fmt):
                    assignment[str(path)] = f"{fmt}@fixtures"
            except ParseError:
                continue
    if pages:
        for path in sorted(WEBPAGES.glob("*.html.gz")):
            try:
                if parse_document(gunzip_if_needed(path.read_bytes()), "html"):
                    assignment[str(path)] = "html@webpages"
            except ParseError:
                continue
    return assignment


@contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """``revision`` checked out (detached) in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="wiredesk-ab-") as folder:
        path = Path(folder) / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), revision],
            check=True,
        )
        try:
            yield path
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False
            )


def child(*args: str) -> Any:
    """Run this script's measuring side in a fresh interpreter; its JSON answer."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--base", help="git revision to compare with (e.g. a session's start commit)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating rounds per side (min taken)"
    )
    parser.add_argument("--formats", help="comma-separated formats (default: all)")
    parser.add_argument(
        "--fixtures",
        action="store_true",
        help="also this checkout's tests/fixtures documents (FORMAT@fixtures; the only text dumps)",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="also the 146 pages of ../shared/webpages (html@webpages)",
    )
    parser.add_argument(
        "--same-items",
        action="store_true",
        help="also normalize the same parsed items on both sides",
    )
    parser.add_argument(
        "--measure", nargs=3, metavar=("ROOT", "ASSIGNMENT", "FORMATS"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--measure-normalize", nargs=2, metavar=("ROOT", "ITEMS"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--readable", nargs=2, metavar=("ROOT", "ASSIGNMENT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure:
        root, assignment, formats = args.measure
        wanted = set(formats.split(",")) if formats else None
        print(json.dumps(measure(Path(root), json.loads(Path(assignment).read_text()), wanted)))
        return
    if args.readable:
        root, assignment = args.readable
        print(json.dumps(readable(Path(root), json.loads(Path(assignment).read_text()))))
        return
    if args.measure_normalize:
        root, items = args.measure_normalize
        print(json.dumps(measure_normalize(Path(root), Path(items))))
        return
    if not args.base:
        parser.error("--base REVISION is required")
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    wanted = set(args.formats.split(",")) if args.formats else None
    assignment = assign_formats(args.pages, args.fixtures)
    with (
        tempfile.TemporaryDirectory(prefix="wiredesk-ab-data-") as data,
        worktree(args.base) as base,
    ):
        assignment_file = Path(data) / "assignment.json"
        assignment_file.write_text(json.dumps(assignment))
        # Only documents both sides read: a document one side refuses would be timed by the other alone.
        both = set(child("--readable", str(base), str(assignment_file)))
        both &= set(child("--readable", str(ROOT), str(assignment_file)))
        assignment = {path: group for path, group in assignment.items() if path in both}
        assignment_file.write_text(json.dumps(assignment))
        sides: dict[str, list[dict[str, Any]]] = {"base": [], "head": []}
        for _ in range(max(1, args.rounds)):
            for side, root in (("base", base), ("head", ROOT)):
                sides[side].append(
                    child("--measure", str(root), str(assignment_file), args.formats or "")
                )
        print(
            f"base {args.base} vs this checkout: CPU µs per document, minimum of {args.rounds} rounds"
        )
        print(
            f"{'format':14}{'docs':>5}{'parse base':>12}{'head':>8}{'ratio':>7}{'+normalize base':>17}{'head':>8}{'ratio':>7}"
        )
        for fmt in sorted(set(sides["base"][0]) & set(sides["head"][0])):
            base_parse = min(r[fmt][0] for r in sides["base"])
            head_parse = min(r[fmt][0] for r in sides["head"])
            base_full = min(r[fmt][1] for r in sides["base"])
            head_full = min(r[fmt][1] for r in sides["head"])
            docs = min(sides["base"][0][fmt][2], sides["head"][0][fmt][2])
            print(
                f"{fmt:14}{docs:>5}{base_parse:>12.0f}{head_parse:>8.0f}{head_parse / base_parse:>7.2f}"
                f"{base_full:>17.0f}{head_full:>8.0f}{head_full / base_full:>7.2f}"
            )
        if args.same_items:
            items_file = Path(data) / "items.pickle"
            dump_items(assignment, wanted, items_file)
            runs: dict[str, list[dict[str, Any]]] = {"base": [], "head": []}
            for _ in range(max(1, args.rounds)):
                for side, root in (("base", base), ("head", ROOT)):
                    runs[side].append(child("--measure-normalize", str(root), str(items_file)))
            print("\nnormalize alone, the same parsed items on both sides: CPU µs per item")
            for fmt in sorted(runs["head"][0]):
                before = min(r[fmt][0] for r in runs["base"])
                after = min(r[fmt][0] for r in runs["head"])
                dropped = runs["base"][0][fmt][2]
                note = f"  (base lacks {', '.join(dropped)})" if dropped else ""
                print(
                    f"{fmt:14}{runs['head'][0][fmt][1]:>5} items {before:>8.0f} -> {after:>6.0f}"
                    f" ({after / before:.2f}){note}"
                )


if __name__ == "__main__":
    main()
