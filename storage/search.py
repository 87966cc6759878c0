"""The one query layer for the desk, the JSON API and ``wiredesk search``: filters, full text, cursors.

Full text on SQLite is an FTS5 table over ``articles`` (kicker, headline, caption, body). unicode61 with
``remove_diacritics 2`` folds accents (``Aleppo``/``Alep``, ``Lawrow``, ``Genève``/``Geneve``), but it has
no rule that turns ``ß`` into ``ss``; so the *indexed* text is folded once more by :func:`fold_sql` (in the
triggers that keep the index in sync) and every query word by :func:`fold_text`. Both are built from the
one table ``storage.folding.FOLDS`` (PostgreSQL folds with it too), so index and query never disagree.

The FTS table is "external content": it reads its text back from ``articles`` for snippets. Folding never
changes the number of tokens (``ß`` -> ``ss`` stays inside one word), so FTS5 finds the matched token
positions in the original, unfolded text and the highlighted snippet shows ``Außenminister`` as written.
For the same reason the index must never be rebuilt with FTS5's ``'rebuild'`` command (it would index the
unfolded text): :func:`fts_fill_sql` refills it.

Cursor reads (``after=<id>``) return rows with a larger id in ascending order. That is safe because on
SQLite ids are handed out inside the single write transaction SQLite allows at a time: a row with a larger
id is always committed after every row with a smaller one, so a reader never sees id N+1 before id N.
(Articles are never deleted; SQLite reuses the largest id only after a delete of that row.) PostgreSQL
allocates ids from a sequence, so the store serialises article inserts with a transaction-level advisory
lock taken before the id is drawn (``storage.store``): ids are committed in order there too.

PostgreSQL full text is ``storage.pgsearch`` (tsvector per article language, same editor syntax).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    false,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
    text,
    true,
)

from normalizers.record import ArticleRecord
from storage import rawcodec
from storage.folding import FOLDS, fold_sql, fold_text
from storage.pgsearch import exclusion_text, query_configs, tsquery_text
from storage.store import Store, articles, quarantine, raw_documents, row_to_record

_DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION_DIGITS = 12
"""More digits than this in a window is always before year 1 (the limit keeps ``int()`` cheap)."""


class MomentError(ValueError):
    """A time filter that is well formed but names no representable instant: its message says which way
    it is out of range (``too far back``), so callers show it instead of a generic "want a duration"."""


def parse_moment(value: str, now: datetime | None = None) -> datetime:
    """A time filter as editors and scripts write it: ``30s``/``15m``/``2h``/``3d``/``1w`` before ``now``,
    or an ISO date/datetime (UTC unless it has an offset). Aware UTC. Raises :class:`MomentError` for a
    window reaching before year 1 (``99999999d``: "too far back") or a date with no UTC instant (year 1 at
    +01:00), ``ValueError`` for anything else, so every caller (CLI, desk, API) refuses it the same way."""
    text = value.strip()
    moment = now or datetime.now(UTC)
    match = _DURATION.match(text)
    if match:
        digits, unit = match.groups()
        try:
            if len(digits.lstrip("0")) > _DURATION_DIGITS:
                raise OverflowError(digits)
            return moment - timedelta(**{_DURATION_UNITS[unit]: int(digits)})
        except OverflowError as exc:
            raise MomentError(
                f"{value.strip()!r} is too far back (before year 1); leave the filter out for everything"
            ) from exc
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError as exc:
        raise MomentError(f"{value.strip()!r} is outside the range of dates") from exc


def query_problems(query: ArticleQuery, *, options: bool = False) -> list[str]:
    """What makes a query self-contradictory, as readable lines naming the parameters (``options``: as
    the CLI spells them, ``--since``; else as URL parameters, ``since``). The desk, the API and ``wiredesk
    search`` refuse these alike rather than answer something other than was asked: ``since`` not before
    ``until`` (an empty window, usually the two swapped), and ``after`` (a cursor in id order) with
    relevance order (ranks are not a cursor; the rows would silently come in id order)."""
    dash = "--" if options else ""
    problems: list[str] = []
    if query.since is not None and query.until is not None and query.since >= query.until:
        problems.append(
            f"{dash}since must be earlier than {dash}until ({query.since:%Y-%m-%d %H:%M:%S} UTC is not "
            f"before {query.until:%Y-%m-%d %H:%M:%S} UTC): swap them?"
        )
    if query.after is not None and query.order == "relevance":
        newest = "--sort newest" if options else "sort=newest"
        problems.append(f"{dash}after reads in id order, not by relevance: use {newest} with it")
    return problems


# -- folding and the FTS5 schema (used by migration 0004 and bench/search.py) ---------------------

FTS_TABLE = "articles_fts"
FTS_COLUMNS = ("kicker", "headline", "caption", "body_text")
FTS_RANK = "bm25(4.0, 6.0, 1.5, 1.0)"
"""Column weights for relevance: a hit in the headline counts most, then kicker, caption, body."""


def _folded(prefix: str, folds: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(fold_sql(f"{prefix}{name}", folds) for name in FTS_COLUMNS)


def fts_create_sql(folds: tuple[tuple[str, str], ...] = FOLDS) -> list[str]:
    """The FTS5 table, its rank function and the sync triggers (text folded by ``folds``)."""
    names = ", ".join(FTS_COLUMNS)
    return [
        f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
            {names}, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2')""",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', '{FTS_RANK}')",
        *fts_trigger_sql(folds),
    ]


def fts_trigger_sql(folds: tuple[tuple[str, str], ...] = FOLDS) -> list[str]:
    """Triggers keeping the index in sync on insert, delete and update of an indexed column (text folded
    by ``folds``: a migration passes the table of its time)."""
    names = ", ".join(FTS_COLUMNS)
    insert_new = (
        f"INSERT INTO {FTS_TABLE}(rowid, {names}) VALUES (new.id, {_folded('new.', folds)});"
    )
    delete_old = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {names}) "
        f"VALUES ('delete', old.id, {_folded('old.', folds)});"
    )
    return [
        f"CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN {insert_new} END",
        f"CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN {delete_old} END",
        # An update un-indexes the old text before the row changes and indexes the new text after: two
        # triggers, because one holding both statements overflows SQLite's parser stack (YYSTACKDEPTH) with
        # the nested replace() of a longer fold table.
        f"CREATE TRIGGER articles_fts_bu BEFORE UPDATE OF {names} ON articles BEGIN {delete_old} END",
        f"CREATE TRIGGER articles_fts_au AFTER UPDATE OF {names} ON articles BEGIN {insert_new} END",
    ]


FTS_TRIGGERS = ("articles_fts_ai", "articles_fts_ad", "articles_fts_bu", "articles_fts_au")


def fts_fill_sql(min_id: int = 0, folds: tuple[tuple[str, str], ...] = FOLDS) -> str:
    """Index every article with an id above ``min_id`` in one ``INSERT ... SELECT`` (folded text)."""
    names = ", ".join(FTS_COLUMNS)
    return (
        f"INSERT INTO {FTS_TABLE}(rowid, {names}) "
        f"SELECT id, {_folded('', folds)} FROM articles WHERE id > {int(min_id)} ORDER BY id"
    )


# -- the query ----------------------------------------------------------------------------------

StatusFilter = Literal["usable", "withheld", "canceled", "embargoed", "corrected"]
STATUS_FILTERS: tuple[str, ...] = ("usable", "withheld", "canceled", "embargoed", "corrected")
Order = Literal["newest", "relevance"]
HIT_START, HIT_END = "\x02", "\x03"
"""Marks around a matched word in :attr:`Hit.snippet`; the desk escapes the text, then replaces them."""
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """What an editor (or a poller) asks for.

    By default only *publishable* copy: the current version, status usable, embargo over. ``include_all``
    also shows embargoed, withheld, canceled and older versions (each :class:`Hit` says which it is). A
    status filter that is never publishable (withheld/canceled/embargoed) lifts the publishable rule itself
    but keeps to current versions. ``after`` switches to cursor order: ids above it, ascending;
    ``before`` keeps the order and starts below that id.
    """

    text: str | None = None
    agency: str | None = None
    language: str | None = None
    since: datetime | None = None
    limit: int = 50
    include_all: bool = False
    feed: str | None = None
    urgency_max: int | None = None
    until: datetime | None = None
    status: StatusFilter | None = None
    duplicates: bool = True
    after: int | None = None
    order: Order = "newest"
    before: int | None = None
    """Newest-first pages below this id: the desk's "older" link and ``wiredesk search``'s keyset pages."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One stored article as the desk and the API see it: the record plus what the record leaves out."""

    record: ArticleRecord
    is_current: bool
    publishable: bool
    raw_document_id: int | None
    canceled_at: datetime | None
    snippet: str | None = None

    @property
    def id(self) -> int:
        assert self.record.id is not None
        return self.record.id


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: list[Hit]
    has_more: bool
    next_after: int | None
    """For cursor reads: the id to pass as ``after`` next time (the last id returned, or the old cursor)."""


_WORD = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_TOKEN = re.compile(r"\w+", re.UNICODE)


def _fts5_terms(user_text: str) -> tuple[list[str], list[str], bool]:
    """(wanted terms, excluded terms, whether the last wanted term is a bare word), each term quoted."""
    positive: list[str] = []
    negative: list[str] = []
    last_is_word = False
    for neg_phrase, phrase, neg_word, word in _WORD.findall(user_text):
        quoted = not word
        tokens = _TOKEN.findall(fold_text(phrase if quoted else word))
        last_is_word = False
        if not tokens:
            continue
        term = '"' + " ".join(tokens) + '"'
        if neg_phrase if quoted else neg_word:
            negative.append(term)
        else:
            positive.append(term)
            last_is_word = not quoted and len(tokens) == 1
    return positive, negative, last_is_word


def fts5_query(user_text: str) -> str | None:
    """Editor syntax -> FTS5: every word must occur, ``"a phrase"`` as written, ``-word`` excludes, and the
    last word is a prefix while it is being typed. Terms are re-quoted, so FTS5 syntax in the input is inert.
    None when no word must occur (:func:`fts5_exclusion` covers a query of exclusions only)."""
    positive, negative, last_is_word = _fts5_terms(user_text)
    if not positive:
        return None
    if last_is_word and not user_text[-1:].isspace():
        positive[-1] += "*"
    return " AND ".join(positive) + "".join(f" NOT {term}" for term in negative)


def fts5_exclusion(user_text: str) -> str | None:
    """For a query of exclusions only (``-Trump``: every article without the word): the FTS5 query of
    what must not match, OR-ed (FTS5 has no unary NOT, so the caller subtracts its rows). None when the
    query has a word that must occur, or no exclusion."""
    positive, negative, _ = _fts5_terms(user_text)
    return " OR ".join(negative) if negative and not positive else None


def publishable_condition(now: datetime) -> ColumnElement[bool]:
    """Current version, usable, embargo (if any) over."""
    return and_(
        articles.c.is_current.is_(True),
        articles.c.status == "usable",
        or_(articles.c.embargo_until.is_(None), articles.c.embargo_until <= now),
    )


def _status_condition(status: str, now: datetime) -> ColumnElement[bool]:
    if status == "embargoed":
        return and_(articles.c.embargo_until.is_not(None), articles.c.embargo_until > now)
    if status == "corrected":
        return cast(articles.c.signals, String).like('%"correction"%')
    return articles.c.status == status


def _filters(query: ArticleQuery, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.agency:
        # Agency names as editors type them (``kyodo``, ``AFP``), matched without case and literally:
        # ``%`` and ``_`` in the filter are characters, not wildcards.
        wanted = query.agency.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(func.lower(articles.c.agency_tags).like(f"%|{wanted}|%", escape="\\"))
    if query.language:
        conditions.append(articles.c.language == query.language.lower())
    if query.feed:
        conditions.append(articles.c.feed == query.feed)
    if query.urgency_max is not None:
        conditions.append(
            and_(articles.c.urgency.is_not(None), articles.c.urgency <= query.urgency_max)
        )
    if query.since:
        conditions.append(articles.c.received_at >= query.since)
    if query.until:
        conditions.append(articles.c.received_at < query.until)
    if query.status:
        conditions.append(_status_condition(query.status, now))
    if not query.duplicates:
        conditions.append(articles.c.duplicate_of.is_(None))
    if query.after is not None:
        conditions.append(articles.c.id > query.after)
    if query.before is not None:
        conditions.append(articles.c.id < query.before)
    if not query.include_all:
        if query.status in (None, "usable", "corrected"):
            conditions.append(publishable_condition(now))
        else:
            conditions.append(articles.c.is_current.is_(True))
    return conditions


_fts = table(FTS_TABLE, column("rowid"), column("rank"))
_UNREAD = frozenset({"minhash", "body_text", "agency_tags"})


def _columns() -> list[Any]:
    """The article columns a hit needs (not the MinHash blob nor the derived search columns)."""
    return [c for c in articles.c if c.name not in _UNREAD]


def _is_sqlite(store: Store) -> bool:
    return store.engine.dialect.name == "sqlite"


def build_select(
    store: Store, query: ArticleQuery, now: datetime | None = None, conn: Connection | None = None
) -> Select[Any]:
    """The statement behind :func:`search_page` (one extra row is fetched to know ``has_more``).

    On PostgreSQL a text query first asks the server for its ``tsquery`` (:func:`postgres_tsquery`, on
    ``conn`` or a connection of its own), so the statement carries it as a constant the planner can
    estimate."""
    moment = now or datetime.now(UTC)
    conditions = _filters(query, moment)
    match = fts5_query(query.text) if query.text else None
    publishable = publishable_condition(moment)
    columns: list[Any] = [*_columns(), publishable.label("publishable")]
    limit = max(1, min(query.limit, MAX_LIMIT)) + 1
    if match is not None and _is_sqlite(store):
        snippet = func.snippet(literal_column(FTS_TABLE), -1, HIT_START, HIT_END, "…", 24).label(
            "snippet"
        )
        statement = (
            select(*columns, snippet)
            .select_from(_fts.join(articles, articles.c.id == _fts.c.rowid))
            .where(text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=match))
        )
        if query.after is not None:
            order: Any = _fts.c.rowid.asc()
        elif query.order == "relevance":
            order = _fts.c.rank
        else:
            order = _fts.c.rowid.desc()
    elif query.text and exclusion_text(query.text) and not _is_sqlite(store):
        if conn is None:
            with store.engine.connect() as own:
                excluded = postgres_excluded(own, query.text, query.language)
        else:
            excluded = postgres_excluded(conn, query.text, query.language)
        statement = select(*columns, literal(None, String).label("snippet"))
        if excluded is not None:  # None: stop words only, which exclude nothing
            conditions.append(not_(_tsquery_match(excluded, store.engine.dialect)))
        order = articles.c.id.asc() if query.after is not None else articles.c.id.desc()
    elif query.text and query.text.strip() and not _is_sqlite(store):
        if conn is None:
            with store.engine.connect() as own:
                tsquery = postgres_tsquery(own, query.text, query.language)
        else:
            tsquery = postgres_tsquery(conn, query.text, query.language)
        statement, order = _postgres_text_search(
            query, columns, conditions, tsquery, store.engine.dialect
        )
    else:
        statement = select(*columns, literal(None, String).label("snippet"))
        excluded = fts5_exclusion(query.text) if query.text else None
        if excluded is not None:
            # Exclusions only: every article but those matching any excluded term (id order; no rank).
            matching = select(_fts.c.rowid).where(
                text(f"{FTS_TABLE} MATCH :fts_not").bindparams(fts_not=excluded)
            )
            conditions.append(articles.c.id.not_in(matching))
        elif query.text and query.text.strip():
            conditions.append(false())  # punctuation only: nothing can match
        order = articles.c.id.asc() if query.after is not None else articles.c.id.desc()
    if conditions:
        statement = statement.where(and_(true(), *conditions))
    return statement.order_by(order).limit(limit)


def postgres_tsquery(conn: Connection, user_text: str, language: str | None) -> str | None:
    """The ``tsquery`` (as text) of an editor's query on PostgreSQL, or None when nothing can match.

    One small ``SELECT`` folds the words (``wiredesk_fold``) and parses them in every configuration the
    query runs in (:func:`storage.pgsearch.query_configs`); identical and empty results are dropped and the
    rest OR-ed. Done apart from the search itself because the planner must see the final query as a
    constant: ``'lawrow':*`` four times over (simple, german, english, french) was estimated at four
    times its frequency, and an expression over a parameter is estimated with a fixed default, so a rare
    name looked common enough to walk the whole primary key newest-first (seconds at 1M articles)."""
    texts = tsquery_text(user_text)
    if texts is None:
        return None
    configs = query_configs(language)

    def parsed(name: str, words: str) -> list[Any]:
        folded = func.wiredesk_fold(bindparam(name, words, type_=String))
        return [  # configuration names come from a fixed table, never from the input
            cast(func.to_tsquery(literal_column(f"'{config}'::regconfig"), folded), String)
            for config in configs
        ]

    wanted, unwanted = texts
    parts = parsed("pg_words", wanted) + (parsed("pg_not", unwanted) if unwanted else [])
    row = conn.execute(select(*parts)).one()
    positive = _any_of(row[: len(configs)])
    if positive is None:
        return None  # stop words only
    negative = _any_of(row[len(configs) :])
    return positive if negative is None else f"( {positive} ) & !( {negative} )"


def postgres_excluded(conn: Connection, user_text: str, language: str | None) -> str | None:
    """For a query of exclusions only (:func:`storage.pgsearch.exclusion_text`): the ``tsquery`` (as text)
    an article must not match, parsed in every configuration the query runs in and OR-ed, so a word is
    excluded in each form; None when the exclusions are all stop words (nothing is excluded)."""
    words = exclusion_text(user_text)
    if words is None:
        return None
    folded = func.wiredesk_fold(bindparam("pg_not", words, type_=String))
    parts = [  # configuration names come from a fixed table, never from the input
        cast(func.to_tsquery(literal_column(f"'{config}'::regconfig"), folded), String)
        for config in query_configs(language)
    ]
    return _any_of(conn.execute(select(*parts)).one())


def _tsquery_match(tsquery_value: str, dialect: Dialect) -> ColumnElement[bool]:
    """``articles.search_vector @@ '<tsquery_value>'::tsquery`` with the value as a literal (see
    :func:`_postgres_text_search` for why it is not a parameter)."""
    quoted = literal(tsquery_value, String).compile(
        dialect=dialect, compile_kwargs={"literal_binds": True}
    )
    vector: Any = literal_column("articles.search_vector")
    result: ColumnElement[bool] = vector.bool_op("@@")(literal_column(f"{quoted}::tsquery"))
    return result


def _any_of(queries: Sequence[str | None]) -> str | None:
    """The distinct non-empty tsqueries OR-ed (stop words parse to an empty query)."""
    unique = list(dict.fromkeys(part for part in queries if part))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else " | ".join(f"( {part} )" for part in unique)


def _postgres_text_search(
    query: ArticleQuery,
    columns: list[Any],
    conditions: list[ColumnElement[bool]],
    tsquery_value: str | None,
    dialect: Dialect,
) -> tuple[Select[Any], Any]:
    """``search_vector @@ tsquery`` ranked by ``ts_rank``, with a ``ts_headline`` snippet.

    The tsquery is a string literal in the statement (quoted by the dialect's literal rendering; the
    value is server output built from ``\\w+`` tokens), not a parameter: each query is planned for its
    own words even where the driver prepares a statement (psycopg does after five runs in one connection
    checkout) and PostgreSQL could switch to one generic plan for every value, estimated with a default
    selectivity that fits neither a rare name (GIN index, sort the few hits by id) nor a common word
    (walk the primary key newest-first, stop after a page)."""
    if tsquery_value is None:
        conditions.append(false())
        return select(*columns, literal(None, String).label("snippet")), articles.c.id.desc()
    quoted = literal(tsquery_value, String).compile(
        dialect=dialect, compile_kwargs={"literal_binds": True}
    )
    tsquery: Any = literal_column(f"{quoted}::tsquery")
    vector: Any = literal_column("articles.search_vector")
    conditions.append(vector.bool_op("@@")(tsquery))
    # One cover of 12-30 words (ts_headline's default mode), not MaxFragments=1: the fragment search
    # costs twice as much per article (about 0.17 vs 0.08 ms for a 900-character body at 1M articles,
    # paid for every hit on a page) for a window that only differs in how much text precedes the hit.
    options = f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=12"
    snippet = func.ts_headline(
        func.wiredesk_ts_config(articles.c.language),
        articles.c.body_text,
        tsquery,
        bindparam("pg_headline", options, type_=String),
    ).label("snippet")
    statement = select(*columns, snippet)
    if query.after is not None:
        return statement, articles.c.id.asc()
    if query.order == "relevance":
        return statement, func.ts_rank(vector, tsquery).desc()
    return statement, articles.c.id.desc()


def _hit(row: Any, now: datetime | None = None) -> Hit:
    publishable = getattr(row, "publishable", None)
    if publishable is None:
        moment = now or datetime.now(UTC)
        publishable = (
            bool(row.is_current)
            and row.status == "usable"
            and (row.embargo_until is None or row.embargo_until <= moment)
        )
    return Hit(
        record=row_to_record(row),
        is_current=bool(row.is_current),
        publishable=bool(publishable),
        raw_document_id=row.raw_document_id,
        canceled_at=row.canceled_at,
        snippet=getattr(row, "snippet", None),
    )


def search_page(store: Store, query: ArticleQuery, now: datetime | None = None) -> SearchPage:
    """Matching articles: newest first, by relevance, or (with ``after``) ascending from the cursor."""
    limit = max(1, min(query.limit, MAX_LIMIT))
    with store.engine.connect() as conn:
        rows = conn.execute(build_select(store, query, now, conn)).all()
    hits = [_hit(row) for row in rows[:limit]]
    next_after = query.after
    if query.after is not None and hits:
        next_after = hits[-1].id
    return SearchPage(hits=hits, has_more=len(rows) > limit, next_after=next_after)


def search(store: Store, query: ArticleQuery, now: datetime | None = None) -> list[ArticleRecord]:
    """Matching articles as records (``wiredesk search``), in the order of :func:`search_page`."""
    return [hit.record for hit in search_page(store, query, now).hits]


# -- one story: the article, its versions, its duplicate cluster -----------------------------------


def get_hit(store: Store, article_id: int) -> Hit | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(*_columns()).where(articles.c.id == article_id)).first()
    return _hit(row) if row else None


def versions(store: Store, article_id: int) -> list[Hit]:
    """Every stored version of the article's story (same story key and guid), oldest first."""
    with store.engine.connect() as conn:
        key = conn.execute(
            select(articles.c.story_key, articles.c.guid).where(articles.c.id == article_id)
        ).first()
        if key is None:
            return []
        rows = conn.execute(
            select(*_columns())
            .where(articles.c.story_key == key.story_key, articles.c.guid == key.guid)
            .order_by(articles.c.version, articles.c.id)
        ).all()
    return [_hit(row) for row in rows]


def version_positions(store: Store, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """``{id: (ordinal, total)}``: where each article stands among its story's stored versions, counted in
    the order of :func:`versions` (version, then id), e.g. ``(3, 3)`` for the newest of three. This is the
    desk's "v3 of 3"; the agency's own number stays in ``ArticleRecord.version`` (it may start above 1 or
    skip numbers). One grouped self-join over the (story_key, guid) index; ids not stored are absent."""
    if not ids:
        return {}
    this, other = articles.alias("this"), articles.alias("other")
    earlier = or_(
        other.c.version < this.c.version,
        and_(other.c.version == this.c.version, other.c.id <= this.c.id),
    )
    statement = (
        select(
            this.c.id,
            func.sum(case((earlier, 1), else_=0)).label("ordinal"),
            func.count().label("total"),
        )
        .join(other, and_(other.c.story_key == this.c.story_key, other.c.guid == this.c.guid))
        .where(this.c.id.in_(list(ids)))
        .group_by(this.c.id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(statement).all()
    return {int(row.id): (int(row.ordinal), int(row.total)) for row in rows}


def duplicate_cluster(store: Store, article_id: int, limit: int = 100) -> list[Hit]:
    """The first article of the cluster and every article marked a duplicate of it, by id."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(articles.c.id, articles.c.duplicate_of).where(articles.c.id == article_id)
        ).first()
        if row is None:
            return []
        root = int(row.duplicate_of or row.id)
        rows = conn.execute(
            select(*_columns())
            .where(or_(articles.c.id == root, articles.c.duplicate_of == root))
            .order_by(articles.c.id)
            .limit(limit)
        ).all()
    return [_hit(r) for r in rows] if len(rows) > 1 else []


# -- raw documents and quarantine (read side) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawDocumentInfo:
    id: int
    origin: str
    feed: str | None
    source_format: str | None
    size: int
    received_at: datetime


@dataclass(frozen=True, slots=True)
class QuarantineItem:
    id: int
    raw: RawDocumentInfo
    origin: str
    feed: str | None
    error: str
    created_at: datetime
    resolved_at: datetime | None


_RAW_INFO = (
    raw_documents.c.id,
    raw_documents.c.origin,
    raw_documents.c.feed,
    raw_documents.c.source_format,
    raw_documents.c.size,
    raw_documents.c.received_at,
)


def _raw_info(row: Any) -> RawDocumentInfo:
    return RawDocumentInfo(
        row.id, row.origin, row.feed, row.source_format, row.size, row.received_at
    )


def raw_document_stream(
    store: Store, raw_id: int
) -> tuple[RawDocumentInfo, Iterator[bytes]] | None:
    """A kept raw document and its bytes as decompressed pieces (for downloads: bounded memory)."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(*_RAW_INFO, raw_documents.c.data).where(raw_documents.c.id == raw_id)
        ).first()
    if row is None:
        return None
    return _raw_info(row), rawcodec.iter_unpack(row.data)


def raw_document(store: Store, raw_id: int) -> tuple[RawDocumentInfo, bytes] | None:
    """A kept raw document and its (decompressed) bytes."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(*_RAW_INFO, raw_documents.c.data).where(raw_documents.c.id == raw_id)
        ).first()
    if row is None:
        return None
    return _raw_info(row), rawcodec.unpack(row.data)


def _quarantine_rows(
    conn: Connection, where: Sequence[ColumnElement[bool]], limit: int
) -> list[Any]:
    raw = raw_documents.alias("raw")
    statement = (
        select(
            quarantine,
            raw.c.id.label("raw_id"),
            raw.c.origin.label("raw_origin"),
            raw.c.feed.label("raw_feed"),
            raw.c.source_format.label("raw_format"),
            raw.c.size.label("raw_size"),
            raw.c.received_at.label("raw_received_at"),
        )
        .join(raw, raw.c.id == quarantine.c.raw_document_id)
        .where(and_(true(), *where))
        .order_by(quarantine.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(statement).all())


def _quarantine_item(row: Any) -> QuarantineItem:
    info = RawDocumentInfo(
        row.raw_id, row.raw_origin, row.raw_feed, row.raw_format, row.raw_size, row.raw_received_at
    )
    return QuarantineItem(
        row.id, info, row.origin, row.feed, row.error, row.created_at, row.resolved_at
    )


def quarantine_items(
    store: Store, *, include_resolved: bool = False, limit: int = 200
) -> list[QuarantineItem]:
    """Quarantined documents, newest first; open ones only unless ``include_resolved``."""
    where = [] if include_resolved else [quarantine.c.resolved_at.is_(None)]
    with store.engine.connect() as conn:
        return [_quarantine_item(row) for row in _quarantine_rows(conn, where, limit)]


def quarantine_item(store: Store, entry_id: int) -> QuarantineItem | None:
    with store.engine.connect() as conn:
        rows = _quarantine_rows(conn, [quarantine.c.id == entry_id], 1)
    return _quarantine_item(rows[0]) if rows else None


def ping(store: Store) -> int:
    """A cheap liveness read: the highest article id (0 for an empty store)."""
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(articles.c.id), 0))).scalar_one())
