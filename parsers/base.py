"""The parser contract: what every format module returns and the one error it may raise.

A parser extracts what the document *says*; it does not clean text, canonicalise agency names or split
datelines off the first paragraph -- that is the normalizers' job, done once for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

Status = Literal["usable", "withheld", "canceled"]


class ParseError(Exception):
    """The document cannot be read. ``reason`` says what and where, for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class ParsedDateline:
    """A dateline as the format states it in metadata (G2 ``located``, AFP ``Location/City`` ...)."""

    place: str | None = None
    date: str | None = None
    agencies: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedRelated:
    """A teaser or linked item listed with the story. ``teaser`` may still start with a dateline."""

    title: str
    teaser: str | None = None
    url: str | None = None


@dataclass(slots=True)
class ParsedItem:
    """One story as found in a document, before normalization.

    ``body`` holds paragraphs in order; the first may still carry its dateline prefix and the last may be a
    credit line (``AFP``, ``(dpa)``) -- the normalizer removes both and records them. ``agencies`` holds
    credits the *metadata* gives (provider, creditline); credits in the text are found by the normalizer.
    ``replaces`` lists item ids this item supersedes (G2 ``link``/replace references), so the store can file
    it as a new version of that story even when the agency gave it a new id.

    ``authors`` holds author/creator/credit strings exactly as the source gives them (JSON-LD and meta
    authors, RSS ``dc:creator``, Atom ``author``, byline boxes): the normalizer credits the agencies among
    them through the agency table (``normalizers.agencies.split_author``) and keeps the persons as the
    byline; job titles, the site's own organisation and places are never credited. A parser puts an author
    string here instead of deciding itself whether it names an agency.

    Datetimes may be naive: that means the source gave a local time *without* an offset. The normalizer
    places it in the zone of the credited agency (agency table: STT Helsinki, dpa Berlin, ...), else UTC;
    a parser never guesses a zone. Values with an offset are aware.
    """

    source_format: str
    guid: str | None = None
    version: int | None = None
    kicker: str | None = None
    headline: str | None = None
    caption: str | None = None
    byline: str | None = None
    dateline: ParsedDateline | None = None
    body: list[str] = field(default_factory=list)
    related: list[ParsedRelated] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    language: str | None = None
    urgency: int | None = None
    status: Status = "usable"
    embargo_until: datetime | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    subjects: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    ednotes: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    url: str | None = None
    replaces: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


class FormatModule(Protocol):
    """What a module in ``parsers/`` provides to be picked up by the registry."""

    FORMAT: str
    SNIFF_ORDER: int

    def can_parse(self, raw: bytes) -> bool: ...

    def parse(self, raw: bytes) -> list[ParsedItem]: ...
