"""Server-rendered desk pages: incoming list, story, feed health, quarantine (+ raw download, re-run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from desk.app import context_of
from desk.diff import compare
from desk.params import AGENCIES, LANGUAGES, URGENCIES, WINDOWS, Filters, StoreId
from desk.render import make_templates
from storage.feeds import FeedHealth, all_states
from storage.search import (
    STATUS_FILTERS,
    ArticleQuery,
    Hit,
    SearchPage,
    duplicate_cluster,
    get_hit,
    quarantine_item,
    quarantine_items,
    raw_document_stream,
    search_page,
    version_positions,
    versions,
)

router = APIRouter(include_in_schema=False)
templates = make_templates()
PAGE_SIZE = 100


def _render(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    values.setdefault("now", datetime.now(UTC))
    return templates.TemplateResponse(request, name, values, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def incoming(request: Request) -> HTMLResponse:
    """The incoming wire, newest first (or by relevance for a search), filtered from the URL."""
    context = context_of(request)
    filters = Filters.from_params(dict(request.query_params))
    now = datetime.now(UTC)
    query = filters.query(now, limit=PAGE_SIZE)
    if filters.errors:
        # As the API: a bad filter is the client's mistake (400). The page keeps the form so the editor
        # can fix it, names each bad parameter, and shows no rows: an unfiltered list that looks filtered
        # would be worse than none.
        page = SearchPage(hits=[], has_more=False, next_after=None)
    else:
        page = search_page(context.store, query, now)
    return _render(
        request,
        "incoming.html",
        400 if filters.errors else 200,
        filters=filters,
        query=query,
        page=page,
        positions=version_positions(context.store, [hit.id for hit in page.hits]),
        pager=_pager(filters, query, page),
        now=now,
        feeds=sorted({f.name for f in context.feeds}),
        agencies=AGENCIES,
        languages=LANGUAGES,
        urgencies=URGENCIES,
        windows=WINDOWS,
        statuses=STATUS_FILTERS,
    )


@dataclass(frozen=True, slots=True)
class Pager:
    """Links below the incoming list (None: not shown)."""

    older: str | None
    newest: str | None
    more: str | None


def _pager(filters: Filters, query: ArticleQuery, page: SearchPage) -> Pager:
    """Links below the list, filters kept: ``older`` continues newest-first below the last id shown (the
    keyset cursor, so it is cheap at any depth and never repeats a row when new copy arrives);
    ``newest`` goes back to the top; a relevance-ranked search gets ``more``, which pages newest first."""
    older = more = None
    if page.has_more and page.hits:
        if query.order == "newest":
            older = filters.url(before=str(page.hits[-1].id))
        else:
            more = filters.url(sort="newest", before="")
    newest = filters.url(before="") if query.before is not None else None
    return Pager(older=older, newest=newest, more=more)


@router.get("/story/{article_id}", response_class=HTMLResponse)
def story(request: Request, article_id: StoreId) -> HTMLResponse:
    """One article with every field, its versions (and what changed) and its duplicate cluster."""
    store = context_of(request).store
    hit = get_hit(store, article_id)
    if hit is None:
        return _render(
            request, "error.html", 404, title="Not found", message=f"No article #{article_id}."
        )
    story_versions = versions(store, article_id)
    ids = [version.id for version in story_versions]
    ordinal = ids.index(article_id) + 1 if article_id in ids else 1
    last_text = _text_before_kill(hit, story_versions[: ordinal - 1])
    changes = []
    previous = None
    for version in story_versions:
        changes.append((version, compare(previous, version.record)))
        previous = version.record
    return _render(
        request,
        "story.html",
        hit=hit,
        record=hit.record,
        versions=list(reversed(changes)),
        total=len(story_versions),
        position=(ordinal, max(len(story_versions), 1)),
        last_text=last_text,
        last_text_ordinal=ids.index(last_text.id) + 1 if last_text else None,
        cluster=duplicate_cluster(store, article_id),
    )


def _text_before_kill(hit: Hit, earlier: list[Hit]) -> Hit | None:
    """For a killed story: the newest earlier version whose text differs from this one's, so the editor
    still sees what was withdrawn (a kill notice often has no text, or only the withdrawal line).
    None for stories that are not canceled or have no earlier text."""
    if hit.record.status != "canceled":
        return None
    for version in reversed(earlier):
        if version.record.body and version.record.body != hit.record.body:
            return version
    return None


@router.get("/raw/{raw_id}")
def raw(request: Request, raw_id: StoreId) -> Response:
    """The kept raw bytes, always as a download: they are untrusted and never rendered by the browser."""
    found = raw_document_stream(context_of(request).store, raw_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such raw document")
    info, pieces = found
    extension = {"newsml12": "xml", "newsmlg2": "xml", "nitf": "xml", "rss": "xml", "atom": "xml"}
    suffix = extension.get(info.source_format or "", "bin")
    return StreamingResponse(
        pieces,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="wiredesk-raw-{info.id}.{suffix}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/feeds", response_class=HTMLResponse)
def feeds(request: Request) -> HTMLResponse:
    """Configured feeds with their health from the service's ``feed_state`` table."""
    context = context_of(request)
    states = all_states(context.store)
    now = datetime.now(UTC)
    rows = []
    for config in context.feeds:
        state = states.pop(config.name, None) or FeedHealth(name=config.name)
        idle = bool(
            config.enabled
            and config.idle_alert
            and state.last_new_item_at
            and (now - state.last_new_item_at).total_seconds() > config.idle_alert
        )
        rows.append({"config": config, "state": state, "idle": idle})
    orphans = [states[name] for name in sorted(states)]
    return _render(request, "feeds.html", rows=rows, orphans=orphans, now=now)


@router.get("/quarantine", response_class=HTMLResponse)
def quarantine_page(request: Request) -> HTMLResponse:
    """Documents that failed to parse, with their error, raw download and a re-run button."""
    context = context_of(request)
    show_resolved = request.query_params.get("resolved") == "1"
    items = quarantine_items(context.store, include_resolved=show_resolved)
    done = request.query_params.get("done", "")
    outcome = request.query_params.get("outcome", "")
    message = None
    if done.isdigit() and outcome in ("resolved", "failed"):
        message = (
            f"Quarantine entry #{done} re-ran cleanly and is resolved."
            if outcome == "resolved"
            else f"Quarantine entry #{done} still fails; its error is updated below."
        )
    return _render(
        request,
        "quarantine.html",
        items=items,
        can_rerun=context.rerun is not None,
        show_resolved=show_resolved,
        message=message,
        outcome=outcome,
    )


def _origin_of(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of a URL, default ports made explicit; None when it is not a web origin."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port


def _same_origin(request: Request) -> bool:
    """Reject cross-site form posts (the desk has no login, so this is its CSRF guard): the Origin -- or,
    without one, the Referer -- must match this request's scheme, host and port exactly."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    own = _origin_of(f"{request.url.scheme}://{request.headers.get('host', '')}/")
    origin = request.headers.get("origin")
    if origin == "null":
        return False
    if origin:
        return own is not None and _origin_of(origin) == own
    referer = request.headers.get("referer")
    if referer:
        return own is not None and _origin_of(referer) == own
    return True


@router.post("/quarantine/{entry_id}/rerun")
def rerun(request: Request, entry_id: StoreId) -> Response:
    """The desk's one write: re-ingest a quarantined document's raw bytes (via the injected action)."""
    context = context_of(request)
    if context.rerun is None:
        raise HTTPException(status_code=404, detail="re-run is not available in this desk")
    if not _same_origin(request):
        raise HTTPException(status_code=403, detail="cross-site request refused")
    if quarantine_item(context.store, entry_id) is None:
        raise HTTPException(status_code=404, detail="no such quarantine entry")
    result = context.rerun(entry_id)
    outcome = "resolved" if result.resolved else "failed"
    return RedirectResponse(f"/quarantine?done={entry_id}&outcome={outcome}", status_code=303)
