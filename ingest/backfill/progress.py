"""Run counters and the progress display of backfill and ``wiredesk ingest``.

A terminal gets a rich progress bar: documents so far, documents/s and the ETA always fit in 80 columns (the
per-kind counts are shown only on wider terminals, and the line never takes more than ``MAX_WIDTH``
columns, however wide the terminal). It moves from the first parsed chunk (``parsed``), not only when the
first batch commits (a 200-document batch used to leave it at 0 % with no ETA for seconds); a pipe or a log file gets one structured log line every
``LOG_EVERY`` seconds instead of a bar redrawn with control characters; ``quiet`` gets nothing.

What the bar measures: for stored sources, documents against their count (one SQL count); for files and
archives, input bytes consumed against the inputs' size (``sources.input_bytes``), so that the ETA needs
no pass that reads every archive to count its members first.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, fields
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from config.wording import counted

log = logging.getLogger(__name__)
LOG_EVERY = 10.0
WIDE = 100  # columns from which the per-kind counts are shown next to the bar
MAX_WIDTH = 100  # the longest line the display draws


@dataclass(slots=True)
class Counts:
    """Documents by what happened to them, and articles by how they were saved."""

    documents: int = 0  # read from the source (including skipped ones)
    new: int = 0  # articles stored as new stories/versions
    duplicates: int = 0  # articles stored, marked duplicate_of
    unchanged: int = 0  # articles already stored as they are
    updated: int = 0  # articles rewritten in place (--from-store)
    quarantined: int = 0  # documents that do not parse
    resolved: int = 0  # documents that left quarantine
    known: int = 0  # documents whose raw bytes were already stored: skipped without parsing
    filtered: int = 0  # documents outside --since/--until
    refused: int = 0  # unreadable files, unsafe or oversized archive members
    empty: int = 0  # documents without a text story

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> Counts:
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in data.items() if k in known})

    def short(self) -> str:
        """The bar's counter text: new articles, then only the kinds that occurred (it shares a line of
        ``MAX_WIDTH`` columns with the bar)."""
        kinds = {
            "upd": self.updated,
            "unch": self.unchanged,
            "dup": self.duplicates,
            "quar": self.quarantined,
            "known": self.known,
        }
        return " ".join([f"new {self.new}", *(f"{k} {v}" for k, v in kinds.items() if v)])

    def line(self) -> str:
        """The summary line (the ``wiredesk ingest`` wording, extended)."""
        parts = [
            f"{self.new} stored",
            counted(self.duplicates, "duplicate"),
            f"{self.unchanged} unchanged",
            f"{self.updated} updated",
            f"{self.quarantined} quarantined",
        ]
        extra = {
            "left quarantine": self.resolved,
            "already stored": self.known,
            "outside the date range": self.filtered,
            "refused": self.refused,
            "without a text story": self.empty,
        }
        parts += [f"{value} {label}" for label, value in extra.items() if value]
        return f"{counted(self.documents, 'document')}: " + ", ".join(parts)


class Reporter:
    """Shows progress while a run goes; a context manager so the bar is always taken down.

    ``total`` is in documents, or in input bytes when ``unit == "bytes"`` (then ``update`` gets the byte
    position of the last committed document); None means unknown (the bar shows count and rate only)."""

    def __init__(
        self,
        total: int | None,
        *,
        quiet: bool,
        done: int = 0,
        label: str = "backfill",
        unit: str = "documents",
        console: Console | None = None,
    ) -> None:
        self.quiet, self.unit, self.label = quiet, unit, label
        self.started = time.monotonic()
        self.start_done = done
        self._last_log = self.started
        self._position = 0
        self._seen = done  # documents parsed (committed or not)
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        console = console or Console(stderr=True)
        if not quiet and console.is_terminal:
            width = min(console.width, MAX_WIDTH)
            console.width = (
                width  # rich lays the line out in this many columns, however wide the tty
            )
            self._progress = Progress(*self._columns(width), console=console)
            self._task = self._progress.add_task(
                label,
                total=total,
                completed=0 if unit == "bytes" else done,
                docs=f"{done:,}",
                rate="-",
                counts="",
            )

    @staticmethod
    def _columns(width: int) -> list[ProgressColumn | str]:
        """label, bar, percent, documents, docs/s, ETA (about 70 columns); the counts only when wide
        (then the bar gives way to them: ``MAX_WIDTH`` columns in all)."""
        wide = width >= WIDE
        columns: list[ProgressColumn | str] = [
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=10 if wide else max(10, min(40, width - 64))),
            TaskProgressColumn(),
            TextColumn("{task.fields[docs]} docs"),
            TextColumn("{task.fields[rate]}/s"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        ]
        if wide:
            columns.append(TextColumn("{task.fields[counts]}"))
        return columns

    def __enter__(self) -> Reporter:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def rate(self, counts: Counts) -> float:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return (counts.documents - self.start_done) / elapsed

    def parsed(self, documents: int, position: int = 0) -> None:
        """``documents`` more were parsed (not yet committed), the last read at input byte ``position``:
        the bar, count and rate move between commits."""
        self._seen += documents
        self._position = max(self._position, position)
        if self._progress is not None and self._task is not None:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            self._progress.update(
                self._task,
                completed=self._position if self.unit == "bytes" else self._seen,
                docs=f"{self._seen:,}",
                rate=f"{(self._seen - self.start_done) / elapsed:,.0f}",
            )

    def update(self, counts: Counts, position: int | None = None) -> None:
        """Called after every committed batch; ``position``: input bytes consumed (``unit == "bytes"``)."""
        if position is not None:
            self._position = max(self._position, position)  # a refused archive reports 0
        self._seen = max(self._seen, counts.documents)
        if self._progress is not None and self._task is not None:
            self._progress.update(
                self._task,
                completed=self._position if self.unit == "bytes" else self._seen,
                docs=f"{self._seen:,}",
                rate=f"{self.rate(counts):,.0f}",
                counts=counts.short(),
            )
            return
        now = time.monotonic()
        if not self.quiet and now - self._last_log >= LOG_EVERY:
            self._last_log = now
            log.warning(
                f"{self.label} progress",
                extra={"docs_per_s": round(self.rate(counts)), **counts.to_dict()},
            )
