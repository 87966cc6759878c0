"""The JSON API for downstream publishing and tools: ``/api/articles`` (filters + cursor), one article,
its versions, feed health, and ``/healthz``.

Polling contract: ``GET /api/articles?after=<id>`` returns articles stored after ``id`` in ascending id
order, at most ``limit``, and ``next_after`` to send next time. Because ids are handed out in commit order
(see ``storage.search``), a poller that always sends the ``next_after`` it got loses nothing and gets
nothing twice, also while ingest is running. In cursor mode the publishable-only rule is off unless
``all=0`` is sent: filters are evaluated when an item is read, so an item still embargoed at that moment
would otherwise be skipped for good; each item says whether it is ``publishable``.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from desk.app import context_of
from desk.diff import compare
from desk.params import MAX_ID, Filters, StoreId
from desk.render import snippet_html
from storage.feeds import all_states
from storage.search import Hit, get_hit, ping, search_page, versions

_bearer = HTTPBearer(auto_error=False, description="WIREDESK_API_TOKEN, when the desk is given one")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Bearer token check in constant time; the token is never logged or echoed."""
    expected = context_of(request).api_token
    if expected is None:
        return
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise HTTPException(
            status_code=401,
            detail="missing or wrong bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )


router = APIRouter()
# Tags per route: a router-wide tag would list /api/feeds under "articles" as well as "feeds".
api = APIRouter(prefix="/api", dependencies=[Depends(require_token)])


class DatelineOut(BaseModel):
    place: str | None
    date: str | None
    agencies: list[str]


class RelatedOut(BaseModel):
    title: str
    teaser: str | None
    url: str | None
    dateline: DatelineOut | None


class ArticleOut(BaseModel):
    """The normalized record (DESIGN.md field names) plus what the desk knows about it."""

    id: int
    guid: str
    version: int
    source_format: str
    origin: str | None = Field(
        None, description="where the raw document came from: path, URL or queue entry (redacted)"
    )
    feed: str | None
    agencies: list[str]
    kicker: str | None
    headline: str | None
    caption: str | None
    dateline: DatelineOut | None
    byline: str | None
    body: list[str]
    related: list[RelatedOut]
    language: str | None
    urgency: int | None
    status: str
    embargo_until: str | None = Field(description="ISO 8601 UTC")
    published_at: str | None
    updated_at: str | None
    received_at: str | None
    subjects: list[str]
    keywords: list[str]
    content_hash: str
    duplicate_of: int | None
    signals: list[str]
    ednotes: list[str]
    is_current: bool = Field(description="the newest stored version of its story")
    publishable: bool = Field(description="current, usable and not under embargo right now")
    snippet: str | None = Field(
        None, description="search hit in context: escaped HTML with <mark> around matched words"
    )


class ArticlePage(BaseModel):
    items: list[ArticleOut]
    has_more: bool
    next_after: int | None = Field(description="cursor mode: send as ?after= on the next poll")


class VersionOut(ArticleOut):
    changed: list[str] = Field(description="fields that differ from the previous version")


class VersionList(BaseModel):
    items: list[VersionOut]


class FeedOut(BaseModel):
    name: str
    configured: bool
    enabled: bool
    source: str | None
    format: str | None
    interval_s: float | None
    health: dict[str, Any]


class FeedList(BaseModel):
    feeds: list[FeedOut]


def _article(hit: Hit) -> dict[str, Any]:
    data = hit.record.to_dict()
    data.update(is_current=hit.is_current, publishable=hit.publishable)
    data["snippet"] = str(snippet_html(hit.snippet)) if hit.snippet else None
    return data


@api.get(
    "/articles", tags=["articles"], response_model=ArticlePage, summary="Search and poll articles"
)
def list_articles(
    request: Request,
    q: Annotated[
        str | None, Query(description='words (all must occur), "a phrase", -exclude')
    ] = None,
    agency: Annotated[str | None, Query(description="e.g. dpa, AFP, Reuters")] = None,
    lang: Annotated[str | None, Query(description="ISO 639-1, e.g. de")] = None,
    feed: Annotated[str | None, Query(description="configured feed name")] = None,
    urgency: Annotated[
        int | None, Query(ge=1, le=8, description="at most this (1 flash, 2 urgent)")
    ] = None,
    since: Annotated[str | None, Query(description="15m, 2h, 3d or an ISO date (received)")] = None,
    until: Annotated[str | None, Query(description="like since, exclusive")] = None,
    status: Annotated[
        str | None, Query(description="usable withheld canceled embargoed corrected")
    ] = None,
    dups: Annotated[str | None, Query(description="show (default) or hide duplicates")] = None,
    all: Annotated[
        bool | None, Query(description="include unpublishable; default off, on with after")
    ] = None,
    sort: Annotated[str | None, Query(description="newest (default) or relevance")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="cursor: ids above it, ascending")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Newest first, or with ``after`` in ascending id order from the cursor (see module docstring)."""
    filters = Filters.from_params(
        {
            "q": q or "",
            "agency": agency or "",
            "lang": lang or "",
            "feed": feed or "",
            "urgency": str(urgency or ""),
            "since": since or "",
            "until": until or "",
            "status": status or "",
            "dups": dups or "",
            "sort": sort or "newest",
            "all": "" if all is None else ("1" if all else "0"),
        }
    )
    query = filters.query(
        datetime.now(UTC), limit=limit, after=after, default_all=after is not None
    )
    if filters.errors:
        raise HTTPException(status_code=400, detail=filters.errors)
    page = search_page(context_of(request).store, query)
    return {
        "items": [_article(hit) for hit in page.hits],
        "has_more": page.has_more,
        "next_after": page.next_after,
    }


@api.get(
    "/articles/{article_id}",
    tags=["articles"],
    response_model=ArticleOut,
    summary="One stored article",
)
def one_article(request: Request, article_id: StoreId) -> dict[str, Any]:
    hit = get_hit(context_of(request).store, article_id)
    if hit is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id}")
    return _article(hit)


@api.get(
    "/articles/{article_id}/versions",
    tags=["articles"],
    response_model=VersionList,
    summary="Every version",
)
def article_versions(request: Request, article_id: StoreId) -> dict[str, Any]:
    """All stored versions of the article's story, oldest first, each with the fields it changed."""
    hits = versions(context_of(request).store, article_id)
    if not hits:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id}")
    items = []
    previous = None
    for hit in hits:
        item = _article(hit)
        item["changed"] = compare(previous, hit.record).changed_names
        items.append(item)
        previous = hit.record
    return {"items": items}


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


@api.get("/feeds", response_model=FeedList, tags=["feeds"], summary="Configured feeds and health")
def feeds(request: Request) -> dict[str, Any]:
    context = context_of(request)
    states = all_states(context.store)
    out: list[dict[str, Any]] = []
    for config in context.feeds:
        state = states.pop(config.name, None)
        out.append(
            {
                "name": config.name,
                "configured": True,
                "enabled": config.enabled,
                "source": config.source,
                "format": config.format,
                "interval_s": config.interval,
                "health": _health(state),
            }
        )
    for name, state in sorted(states.items()):
        out.append(
            {
                "name": name,
                "configured": False,
                "enabled": False,
                "source": None,
                "format": None,
                "interval_s": None,
                "health": _health(state),
            }
        )
    return {"feeds": out}


def _health(state: Any) -> dict[str, Any]:
    if state is None:
        return {}
    skip = {"name", "etag", "last_modified", "content_sha256"}
    return {key: _iso(getattr(state, key)) for key in state.__dataclass_fields__ if key not in skip}


@router.get("/healthz", tags=["health"], summary="Liveness: the store answers")
def healthz(request: Request) -> JSONResponse:
    try:
        last_id = ping(context_of(request).store)
    except Exception as exc:  # the point of a health check: report, do not raise
        return JSONResponse({"status": "error", "error": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "last_article_id": last_id})


router.include_router(api)
