"""Full-text search on PostgreSQL: a ``tsvector`` per article in its language's text-search configuration.

The vector is kept by a trigger (so every write path -- pipeline, backfill, replays -- keeps it in sync),
built from folded text: ``wiredesk_fold`` applies the fold table both stores share (``storage.folding``: ``ß`` -> ``ss``, ``ł`` -> ``l`` ...), removes accents
(``unaccent``), so "Aussenminister" finds "Außenminister" and "Lawrow" finds "Lawrów", as on SQLite. Headline
and kicker weigh most (A), then caption (B), then the body (C). Queries use the same editor syntax as FTS5
(all words, ``"phrases"``, ``-exclusions``, last word as prefix) turned into a ``tsquery`` from sanitised
tokens, and folded by the same SQL function.
"""

from __future__ import annotations

import re

from storage.folding import FOLDS, composed, fold_sql

# ISO 639-1 -> PostgreSQL text-search configuration (PostgreSQL 15 ships these); anything else: simple.
TS_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip
# Without a language filter a query is tried in the configurations a desk mostly holds, plus 'simple'.
DEFAULT_QUERY_CONFIGS = ("simple", "german", "english", "french")

_CASES = "\n".join(
    f"        WHEN '{code}' THEN '{config}'::regconfig" for code, config in TS_CONFIGS.items()
)


def search_vector_sql(row: str, config: str) -> str:
    """The weighted, folded vector of one article (``row``: ``"NEW."`` in the trigger, a table alias with a
    dot in a bulk fill) in text-search configuration ``config`` (an SQL ``regconfig`` expression). The one
    definition the trigger and ``bench/search.py``'s bulk fill share, so both index the same lexemes."""
    return (
        f"setweight(to_tsvector({config}, wiredesk_fold(concat_ws(' ', {row}kicker, {row}headline))), 'A')\n"
        f"            || setweight(to_tsvector({config}, wiredesk_fold({row}caption)), 'B')\n"
        f"            || setweight(to_tsvector({config}, wiredesk_fold({row}body_text)), 'C')"
    )


def fold_function_sql(folds: tuple[tuple[str, str], ...] = FOLDS) -> str:
    """``wiredesk_fold``: the fold table (``folds``: a migration passes the table of its time), then
    ``unaccent``, then lower case."""
    return f"""CREATE OR REPLACE FUNCTION wiredesk_fold(value text) RETURNS text
        LANGUAGE sql STABLE AS $$ SELECT lower(unaccent({fold_sql("coalesce(value, '')", folds)})) $$"""


CREATE_SQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    fold_function_sql(),
    f"""CREATE OR REPLACE FUNCTION wiredesk_ts_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE AS $$ SELECT CASE language
{_CASES}
        ELSE 'simple'::regconfig END $$""",
    f"""CREATE OR REPLACE FUNCTION wiredesk_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE config regconfig := wiredesk_ts_config(NEW.language);
    BEGIN
        NEW.search_vector :=
            {search_vector_sql("NEW.", "config")};
        RETURN NEW;
    END $$""",
    "ALTER TABLE articles ADD COLUMN search_vector tsvector",
    """CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF kicker, headline, caption, body_text,
        language ON articles FOR EACH ROW EXECUTE FUNCTION wiredesk_search_vector()""",
    "UPDATE articles SET language = language",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]
DROP_SQL = [
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "DROP TRIGGER IF EXISTS articles_search_vector ON articles",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS wiredesk_search_vector()",
    "DROP FUNCTION IF EXISTS wiredesk_ts_config(text)",
    "DROP FUNCTION IF EXISTS wiredesk_fold(text)",
]

_WORD = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_TOKEN = re.compile(r"\w+", re.UNICODE)


def _terms(user_text: str) -> tuple[list[str], list[str], bool]:
    """(wanted terms, excluded terms, whether the last wanted term is a bare word) as tsquery text."""
    positive: list[str] = []
    negative: list[str] = []
    last_is_word = False
    for neg_phrase, phrase, neg_word, word in _WORD.findall(composed(user_text)):
        quoted = not word
        tokens = _TOKEN.findall(phrase if quoted else word)
        last_is_word = False
        if not tokens:
            continue
        term = " <-> ".join(f"'{token}'" for token in tokens)
        term = f"({term})" if len(tokens) > 1 else term
        if neg_phrase if quoted else neg_word:
            negative.append(term)
        else:
            positive.append(term)
            last_is_word = not quoted and len(tokens) == 1
    return positive, negative, last_is_word


def tsquery_text(user_text: str) -> tuple[str, str | None] | None:
    """Editor syntax -> ``to_tsquery`` texts built only from ``\\w+`` tokens (so input cannot inject
    operators): (what must match, what must not) -- words AND-ed, ``"a b"`` as ``a <-> b``, the last word
    a prefix; ``-word``/``-"a b"`` OR-ed into the second text, applied as ``!( ... )`` by the caller. Kept
    apart because the words are parsed in several configurations: an exclusion must exclude in all of
    them (``-flights`` is ``flight`` in English), not only in the one its branch of the OR was parsed in.
    ``None`` when nothing must match (see :func:`exclusion_text` for a query of exclusions only)."""
    positive, negative, last_is_word = _terms(user_text)
    if not positive:
        return None
    if last_is_word and not user_text[-1:].isspace():
        positive[-1] += ":*"
    return " & ".join(positive), (" | ".join(negative) if negative else None)


def exclusion_text(user_text: str) -> str | None:
    """For a query of exclusions only (``-Trump -"a b"``: everything else): the ``to_tsquery`` text of
    what must not match, OR-ed; None when the query has a word that must occur, or no exclusion."""
    positive, negative, _ = _terms(user_text)
    return " | ".join(negative) if negative and not positive else None


def query_configs(language: str | None) -> tuple[str, ...]:
    """The configurations a query runs in: the filtered language's (plus simple), else the common ones."""
    if language:
        return ("simple", TS_CONFIGS.get(language.lower(), "simple"))
    return DEFAULT_QUERY_CONFIGS
