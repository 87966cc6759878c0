"""Mutation fuzzing of every parser: corpus files and fixtures, mutated by hypothesis, through every format.

Every seed document (``../shared/corpus`` when present, and every fixture under ``tests/fixtures``) is
mutated (byte flips, truncation, insertions of random bytes and of markup tokens such as ``<!DOCTYPE``,
``&amp;``, CDATA, deep nesting, encoding declarations, splices of two documents, duplicated chunks) and the
result goes through ``parse_document`` with sniffing and with every format forced. Anything but a list of
items or ``ParseError`` is a bug; so is one call taking longer than ``HANG_SECONDS`` or the process running
out of its memory limit. Failures are written to ``--out`` (default ``var/fuzz-failures``) as reproducers.

    .venv/bin/python bench/fuzz.py --minutes 10 [--seed 1] [--memory-mb 2048] [--normalize]

``tests/test_fuzz.py`` runs the same strategy briefly and deterministically in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from parsers import ParseError, parse_document
from parsers.registry import format_names, gunzip_if_needed

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
HANG_SECONDS = 2.0
_TOKENS = [
    b"<",
    b">",
    b"</",
    b"/>",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#xD800;",
    b"&#1114112;",
    b"&bogus;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
    b'<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="bogus-enc"?>',
    b'<meta charset="x-unknown">',
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\r",
    b"\x01",
    b"\x16\x16\x01",
    b"\x03",
    b"\x04",
    b"ZCZC",
    b"NNNN",
    b'"',
    b"{",
    b"}",
    b"[",
    b"]",
    b"null",
    b"1e999",
    b"-",
    b"(dpa) -",
    b"T00:00:00+25:00",
    b"9999-99-99",
    b"<p>",
    b"<script>",
    b"<div>" * 200,
    b"[" * 300,
    b"<a>" * 300,
]


def seed_paths() -> list[Path]:
    """Every corpus file (when the shared corpus is present) and every fixture input, sorted."""
    paths: list[Path] = []
    if CORPUS.is_dir():
        paths += [p for p in CORPUS.rglob("*") if p.is_file() and p.parent != CORPUS]
    paths += [
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and not p.name.endswith(".expected.json") and p.name != ".gitkeep"
    ]
    return sorted(paths)


def load_seeds() -> list[bytes]:
    seeds: list[bytes] = []
    for path in seed_paths():
        data = path.read_bytes()
        try:
            seeds.append(gunzip_if_needed(data))
        except ParseError:
            seeds.append(data)
    return seeds


def _apply(data: bytes, op: tuple[int, int, int, bytes], other: bytes) -> bytes:
    kind, a, b, payload = op
    n = len(data)
    i = a % (n + 1)
    j = b % (n + 1)
    lo, hi = min(i, j), max(i, j)
    if kind == 0:  # flip one byte
        if n == 0:
            return payload
        k = a % n
        return data[:k] + bytes([data[k] ^ (b % 255 + 1)]) + data[k + 1 :]
    if kind == 1:  # truncate
        return data[:i]
    if kind == 2:  # insert random bytes
        return data[:i] + payload + data[i:]
    if kind == 3:  # insert a markup / wire token
        return data[:i] + _TOKENS[b % len(_TOKENS)] + data[i:]
    if kind == 4:  # delete a range
        return data[:lo] + data[hi:]
    if kind == 5:  # duplicate a range
        return data[:hi] + data[lo:hi] + data[hi:]
    if kind == 6:  # splice with another seed
        k = b % (len(other) + 1)
        return data[:i] + other[k:]
    # overwrite with payload
    return data[:i] + payload + data[i + len(payload) :]


_OP = st.tuples(
    st.integers(0, 7),
    st.integers(0, 1 << 30),
    st.integers(0, 1 << 30),
    st.binary(min_size=0, max_size=24),
)


def mutations(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """A seed document with 1-8 mutations applied."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = draw(st.sampled_from(seeds))
        other = draw(st.sampled_from(seeds))
        for op in draw(st.lists(_OP, min_size=1, max_size=8)):
            data = _apply(data, op, other)
        return data

    return build()


class Hang(Exception):
    """Raised by the alarm when one parse runs far beyond the hang limit."""


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Interrupt Python code running longer than ``seconds`` (main thread only; no-op elsewhere)."""

    def _ring(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds:g} s")

    try:
        previous = signal.signal(signal.SIGALRM, _ring)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(slots=True)
class Failure:
    kind: str  # exception | hang | memory
    fmt: str
    detail: str
    data: bytes


@dataclass(slots=True)
class Stats:
    inputs: int = 0
    calls: int = 0
    parsed: int = 0
    parse_errors: int = 0
    slowest: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)


def check_one(
    data: bytes, stats: Stats, *, formats: list[str] | None = None, normalize: bool = False
) -> list[Failure]:
    """Parse ``data`` sniffed and with every format forced; return the failures (also kept in stats)."""
    found: list[Failure] = []
    stats.inputs += 1
    for fmt in [None, *(formats if formats is not None else format_names())]:
        stats.calls += 1
        started = time.perf_counter()
        try:
            with alarm(HANG_SECONDS * 5):
                items = parse_document(data, fmt)
                if normalize:
                    from normalizers.normalize import normalize as normalize_item

                    for item in items:
                        normalize_item(item)
            stats.parsed += 1
        except ParseError:
            stats.parse_errors += 1
        except Hang as exc:
            found.append(Failure("hang", fmt or "sniffed", str(exc), data))
        except MemoryError:
            found.append(Failure("memory", fmt or "sniffed", "MemoryError", data))
        except Exception as exc:
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(tb.filename).name}:{tb.lineno}"
            found.append(
                Failure(
                    "exception", fmt or "sniffed", f"{type(exc).__name__} at {where}: {exc}", data
                )
            )
        elapsed = time.perf_counter() - started
        stats.slowest = max(stats.slowest, elapsed)
        if elapsed > HANG_SECONDS and not any(f.data is data and f.kind == "hang" for f in found):
            found.append(Failure("hang", fmt or "sniffed", f"took {elapsed:.2f} s", data))
    for failure in found:
        stats.kinds[f"{failure.kind} {failure.fmt}: {failure.detail[:100]}"] += 1
    stats.failures.extend(found)
    return found


def run_batch(
    seeds: list[bytes], examples: int, seed: int, stats: Stats, *, normalize: bool = False
) -> None:
    """One hypothesis run of ``examples`` mutated inputs; failures are recorded, never raised."""

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @given(mutations(seeds))
    def fuzz(data: bytes) -> None:
        check_one(data, stats, normalize=normalize)

    fuzz._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    fuzz()


def save_failures(failures: list[Failure], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for failure in failures:
        digest = hashlib.sha256(failure.data).hexdigest()[:16]
        path = out / f"{failure.kind}_{failure.fmt}_{digest}.bin"
        if not path.exists():
            path.write_bytes(failure.data)
            path.with_suffix(".txt").write_text(failure.detail + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None, *, now: Callable[[], float] = time.monotonic) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=500, help="examples per hypothesis run")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space limit")
    parser.add_argument("--normalize", action="store_true", help="also normalize parsed items")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "fuzz-failures")
    args = parser.parse_args(argv)
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    seeds = load_seeds()
    stats = Stats()
    started = now()
    deadline = started + args.minutes * 60
    batch = 0
    print(f"fuzz: {len(seeds)} seed documents, {len(format_names()) + 1} parse modes per input")
    while now() < deadline:
        run_batch(seeds, args.batch, args.seed * 1_000_003 + batch, stats, normalize=args.normalize)
        batch += 1
        save_failures(stats.failures, args.out)  # keep reproducers even if the run is killed
        elapsed = now() - started
        print(
            f"  {elapsed / 60:5.1f} min  inputs {stats.inputs:>8}  calls {stats.calls:>9}  "
            f"failures {len(stats.failures):>4}  slowest {stats.slowest:.3f} s",
            flush=True,
        )
    elapsed = now() - started
    written = save_failures(stats.failures, args.out)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        "| minutes | seed docs | mutated inputs | parser calls | ParseError | parsed | slowest call | peak RSS | failures |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {elapsed / 60:.1f} | {len(seeds)} | {stats.inputs} | {stats.calls} | {stats.parse_errors} "
        f"| {stats.parsed} | {stats.slowest:.3f} s | {rss_mb:.0f} MB | {len(stats.failures)} |"
    )
    for kind, count in stats.kinds.most_common():
        print(f"  {count:>5}  {kind}")
    if written:
        print(f"reproducers in {args.out}")
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
