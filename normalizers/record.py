"""The normalized article record: the contract shared by the CLI's JSON, the API and the store.

Field names and their order follow the table in DESIGN.md. Datetimes are aware UTC and serialise as ISO 8601
with a ``Z`` suffix, so the JSON is stable across runs and platforms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Status = Literal["usable", "withheld", "canceled"]


@dataclass(slots=True)
class Dateline:
    """``Montreal (dpa) -`` -> place ``Montreal``, agencies ``["dpa"]``; ``date`` as written, if any."""

    place: str | None = None
    date: str | None = None
    agencies: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"place": self.place, "date": self.date, "agencies": list(self.agencies)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dateline:
        return cls(data.get("place"), data.get("date"), list(data.get("agencies") or []))


@dataclass(slots=True)
class RelatedItem:
    """A teaser listed with the story (title, teaser text without its dateline, link, dateline)."""

    title: str
    teaser: str | None = None
    url: str | None = None
    dateline: Dateline | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "teaser": self.teaser,
            "url": self.url,
            "dateline": self.dateline.to_dict() if self.dateline else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RelatedItem:
        dateline = data.get("dateline")
        return cls(
            title=data["title"],
            teaser=data.get("teaser"),
            url=data.get("url"),
            dateline=Dateline.from_dict(dateline) if dateline else None,
        )


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive datetime in record: {value!r}")
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(slots=True)
class ArticleRecord:
    """One normalized article. See DESIGN.md for the meaning of every field (``origin``: the path, URL or
    queue entry the raw document came from, credentials redacted; set by whoever read the bytes); ``signals`` (``correction``,
    ``update``, take labels such as ``lead:2``) and ``ednotes`` (editorial notes, never for publication)
    and ``replaces`` (ids of items this one supersedes) extend the contract at its end."""

    guid: str
    source_format: str
    version: int = 1
    id: int | None = None
    origin: str | None = None
    feed: str | None = None
    agencies: list[str] = field(default_factory=list)
    kicker: str | None = None
    headline: str | None = None
    caption: str | None = None
    dateline: Dateline | None = None
    byline: str | None = None
    body: list[str] = field(default_factory=list)
    related: list[RelatedItem] = field(default_factory=list)
    language: str | None = None
    urgency: int | None = None
    status: Status = "usable"
    embargo_until: datetime | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    received_at: datetime | None = None
    subjects: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    content_hash: str = ""
    duplicate_of: int | None = None
    signals: list[str] = field(default_factory=list)
    ednotes: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the contract's field names, in the contract's order."""
        return {
            "id": self.id,
            "guid": self.guid,
            "version": self.version,
            "source_format": self.source_format,
            "origin": self.origin,
            "feed": self.feed,
            "agencies": list(self.agencies),
            "kicker": self.kicker,
            "headline": self.headline,
            "caption": self.caption,
            "dateline": self.dateline.to_dict() if self.dateline else None,
            "byline": self.byline,
            "body": list(self.body),
            "related": [r.to_dict() for r in self.related],
            "language": self.language,
            "urgency": self.urgency,
            "status": self.status,
            "embargo_until": _iso(self.embargo_until),
            "published_at": _iso(self.published_at),
            "updated_at": _iso(self.updated_at),
            "received_at": _iso(self.received_at),
            "subjects": list(self.subjects),
            "keywords": list(self.keywords),
            "content_hash": self.content_hash,
            "duplicate_of": self.duplicate_of,
            "signals": list(self.signals),
            "ednotes": list(self.ednotes),
            "replaces": list(self.replaces),
        }

    def to_json(self) -> str:
        """One line of JSON (JSON Lines friendly), non-ASCII kept readable."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleRecord:
        dateline = data.get("dateline")
        return cls(
            id=data.get("id"),
            guid=data["guid"],
            version=int(data.get("version") or 1),
            source_format=data["source_format"],
            origin=data.get("origin"),
            feed=data.get("feed"),
            agencies=list(data.get("agencies") or []),
            kicker=data.get("kicker"),
            headline=data.get("headline"),
            caption=data.get("caption"),
            dateline=Dateline.from_dict(dateline) if dateline else None,
            byline=data.get("byline"),
            body=list(data.get("body") or []),
            related=[RelatedItem.from_dict(r) for r in data.get("related") or []],
            language=data.get("language"),
            urgency=data.get("urgency"),
            status=data.get("status") or "usable",
            embargo_until=_from_iso(data.get("embargo_until")),
            published_at=_from_iso(data.get("published_at")),
            updated_at=_from_iso(data.get("updated_at")),
            received_at=_from_iso(data.get("received_at")),
            subjects=list(data.get("subjects") or []),
            keywords=list(data.get("keywords") or []),
            content_hash=data.get("content_hash") or "",
            duplicate_of=data.get("duplicate_of"),
            signals=list(data.get("signals") or []),
            ednotes=list(data.get("ednotes") or []),
            replaces=list(data.get("replaces") or []),
        )
