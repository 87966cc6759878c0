"""Article queries shared by the CLI (and later the desk and API): filters, full text, newest first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select, text

from normalizers.record import ArticleRecord
from storage.store import Store, articles, row_to_record

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """What an editor asks for. ``include_all`` also shows embargoed, canceled and older versions."""

    text: str | None = None
    agency: str | None = None
    language: str | None = None
    since: datetime | None = None
    limit: int = 50
    include_all: bool = False


def fts5_query(user_text: str) -> str | None:
    """Every word must occur (prefix match on the last one); quotes make FTS5 syntax characters inert."""
    tokens = _TOKEN.findall(user_text)
    if not tokens:
        return None
    quoted = [f'"{token}"' for token in tokens]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _text_filter(store: Store, user_text: str) -> ColumnElement[bool] | None:
    if store.engine.dialect.name == "sqlite":
        match = fts5_query(user_text)
        if match is None:
            return None
        return articles.c.id.in_(
            select(text("rowid"))
            .select_from(text("articles_fts"))
            .where(text("articles_fts MATCH :q").bindparams(q=match))
        )
    pattern = f"%{user_text.strip()}%"
    return or_(articles.c.headline.ilike(pattern), articles.c.body_text.ilike(pattern))


def build_select(
    store: Store, query: ArticleQuery, now: datetime | None = None
) -> Select[tuple[object]]:
    conditions: list[ColumnElement[bool]] = []
    if query.text and query.text.strip():
        condition = _text_filter(store, query.text)
        if condition is not None:
            conditions.append(condition)
    if query.agency:
        conditions.append(articles.c.agency_tags.like(f"%|{query.agency}|%"))
    if query.language:
        conditions.append(articles.c.language == query.language.lower())
    if query.since:
        conditions.append(articles.c.received_at >= query.since)
    if not query.include_all:
        moment = now or datetime.now(UTC)
        conditions.append(articles.c.is_current.is_(True))
        conditions.append(articles.c.status == "usable")
        conditions.append(
            or_(articles.c.embargo_until.is_(None), articles.c.embargo_until <= moment)
        )
    statement = select(articles)
    if conditions:
        statement = statement.where(and_(*conditions))
    return statement.order_by(articles.c.id.desc()).limit(query.limit)


def search(store: Store, query: ArticleQuery, now: datetime | None = None) -> list[ArticleRecord]:
    """Matching articles, newest first (by arrival)."""
    with store.engine.connect() as conn:
        rows = conn.execute(build_select(store, query, now)).all()
    return [row_to_record(row) for row in rows]
