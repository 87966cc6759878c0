"""Filters from the URL -> ``ArticleQuery``, and back to a URL, so every desk view can be bookmarked.

The desk and the API read the same parameters and refuse the same values: parsing collects readable
errors (each naming its parameter) instead of raising, and both answer 400 with them -- the desk as a page
with the filter form and the errors but no rows, the API as JSON -- never an unfiltered list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import Path

from storage.search import (
    STATUS_FILTERS,
    ArticleQuery,
    MomentError,
    Order,
    StatusFilter,
    parse_moment,
    query_problems,
)

WINDOWS = ("15m", "1h", "6h", "24h", "3d", "7d")
URGENCIES = {1: "flash", 2: "flash + urgent", 3: "up to 3", 4: "up to 4"}
LANGUAGES = ("de", "en", "fr", "es", "it", "nl", "pt", "pl", "ar", "ru", "tr")
AGENCIES = ("dpa", "AFP", "Reuters", "AP", "KNA", "epd", "sid", "dpa-AFX")
TRUE = frozenset({"1", "true", "yes", "on", "show"})
FALSE = frozenset({"0", "false", "no", "off", "hide"})
# Store ids are 64-bit signed integers (BIGINT on PostgreSQL, INTEGER on SQLite): a larger number in a URL
# is refused by validation (400) instead of overflowing the database driver (500).
MAX_ID = 2**63 - 1
StoreId = Annotated[int, Path(ge=0, le=MAX_ID, description="a store id")]
_URGENCY = re.compile(r"^[1-8]$")


@dataclass(slots=True)
class Filters:
    """The raw URL parameters (as strings, for round-tripping) plus what they mean."""

    q: str = ""
    agency: str = ""
    lang: str = ""
    feed: str = ""
    urgency: str = ""
    since: str = ""
    until: str = ""
    status: str = ""
    dups: str = ""
    all: str = ""
    sort: str = ""
    before: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: dict[str, str]) -> Filters:
        filters = cls()
        for name in {f.name for f in fields(cls)} - {"errors"}:
            setattr(filters, name, (params.get(name) or "").strip()[:300])
        return filters

    @property
    def include_all(self) -> bool:
        return self.all.lower() in TRUE

    @property
    def show_duplicates(self) -> bool:
        return self.dups.lower() != "hide"

    def query(
        self, now: datetime, *, limit: int = 50, after: int | None = None, default_all: bool = False
    ) -> ArticleQuery:
        """The query these filters ask for; problems go to ``self.errors`` and that filter is dropped."""
        self.errors.clear()
        urgency: int | None = None
        if self.urgency:
            if _URGENCY.match(self.urgency):  # ASCII digits only: "²".isdigit() is True
                urgency = int(self.urgency)
            else:
                self.errors.append("urgency wants a number from 1 (flash) to 8")
        since = self._when("since", self.since, now)
        until = self._when("until", self.until, now)
        status: StatusFilter | None = None
        if self.status:
            if self.status in STATUS_FILTERS:
                status = cast(StatusFilter, self.status)
            else:
                self.errors.append(f"status is one of {', '.join(STATUS_FILTERS)}")
        before = self._before()
        if self.all and self.all.lower() not in TRUE | FALSE:
            self.errors.append("all is 1 (all copy) or 0 (publishable copy only)")
        if self.dups and self.dups.lower() not in ("show", "hide"):
            self.errors.append("dups is show or hide")
        order: Order = "newest"
        paging = after is not None or before is not None
        if self.sort == "relevance" or (not self.sort and self.q and not paging):
            order = "relevance"
        elif self.sort not in ("", "newest", "relevance"):
            self.errors.append("sort is newest or relevance")
        if before is not None and order == "relevance":
            # An id cursor pages by arrival; under relevance it would silently drop better hits.
            self.errors.append("before pages newest first: use sort=newest with it")
            before = None
        include_all = self.include_all if self.all else default_all
        query = ArticleQuery(
            text=self.q or None,
            agency=self.agency or None,
            language=self.lang.lower() or None,
            feed=self.feed or None,
            urgency_max=urgency,
            since=since,
            until=until,
            status=status,
            duplicates=self.show_duplicates,
            include_all=include_all,
            order=order,
            limit=limit,
            after=after,
            before=before,
        )
        self.errors += query_problems(query)
        return query

    def _before(self) -> int | None:
        """The "older" link's cursor: a store id, newest-first rows below it."""
        if not self.before:
            return None
        if self.before.isascii() and self.before.isdigit() and int(self.before) <= MAX_ID:
            return int(self.before)
        self.errors.append(f"before wants a store id from 0 to {MAX_ID}")
        return None

    def _when(self, name: str, value: str, now: datetime) -> datetime | None:
        if not value:
            return None
        try:
            return parse_moment(value, now)
        except (
            MomentError
        ) as exc:  # well formed, but no UTC instant: say which way it is out of range
            self.errors.append(f"{name}: {exc}")
        except ValueError:
            self.errors.append(f"{name} wants 15m, 2h, 3d or a date like 2026-11-27")
        return None

    def params(self, **changes: str) -> dict[str, str]:
        """Non-empty parameters, with ``changes`` applied (an empty value removes one)."""
        values: dict[str, Any] = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "errors"
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value}

    def url(self, path: str = "/", **changes: str) -> str:
        query = urlencode(self.params(**changes))
        return f"{path}?{query}" if query else path

    def with_changes(self, **changes: str) -> Filters:
        return replace(self, errors=[], **changes)
