"""Engine creation and automatic migrations: a store is always at the newest schema once opened.

A store opened read-only is never migrated: it must already be at this code's schema. A store whose schema
is newer than this code (written by a later wiredesk) is never touched: Alembic would fail on the unknown
revision with a long traceback, and running older code against it could corrupt what it does not know.

Alembic is imported only when a store is migrated, downgraded or its revision is not this code's: its
script machinery imports every migration module, which costs more than a whole ``wiredesk search`` (issue
17 item 2). Opening a store already at this code's schema is one ``SELECT`` on ``alembic_version``.
"""

from __future__ import annotations

import logging
import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from config.redact import redact_url
from storage.errors import SchemaMismatch, StoreUnavailable

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_read_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """A read-only connection cannot switch the journal mode; it reads WAL stores as they are."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_read_only_url(parsed: URL) -> URL:
    """The same file opened with SQLite's ``mode=ro`` (a URI filename): every write is refused."""
    database = parsed.database or ""
    if parsed.query.get("uri") == "true" and database.startswith("file:"):
        separator = "&" if "?" in database else "?"
        if "mode=" not in database and "mode" not in parsed.query:
            database = f"{database}{separator}mode=ro"
        return parsed.set(database=database)
    path = Path(database).expanduser().resolve()
    return parsed.set(database=f"file:{path}?mode=ro", query={**parsed.query, "uri": "true"})


def _make_store_folder(folder: Path) -> None:
    """Create the store's own folder (``var/`` on first run), but not a whole missing path: a mistyped
    ``WIREDESK_DB_URL`` must not leave folders behind; raises ``StoreUnavailable`` (one line)."""
    try:
        folder.mkdir(exist_ok=True)
    except FileNotFoundError:
        raise StoreUnavailable(
            f"cannot create the store in {folder}: {folder.parent} does not exist"
        ) from None
    except OSError as exc:
        raise StoreUnavailable(
            f"cannot create the store folder {folder}: {exc.strerror or exc}"
        ) from None


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    """Engine for ``url``; SQLite gets WAL + busy timeout and its parent directory created.

    ``readonly``: SQLite opens the file with ``mode=ro`` (never created, never written); PostgreSQL
    sessions start with ``default_transaction_read_only``. ``postgres://`` and ``postgresql://`` (libpq
    and hosting-service spelling) use psycopg 3, the driver wiredesk installs. Raises ``StoreUnavailable``
    for a URL no supported store can use (one line, no traceback)."""
    try:
        return _make_engine(supported_url(url), readonly)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(
            f"cannot use the store URL {redact_url(url)} ({type(exc).__name__}); use "
            "sqlite:///PATH or postgresql+psycopg://USER@HOST/DATABASE"
        ) from None


def supported_url(url: str) -> str:
    """``url`` with the PostgreSQL driver wiredesk ships (psycopg 3) where none or another is named."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in {"postgres", "postgresql", "postgresql+psycopg2"}:
        return f"postgresql+psycopg://{rest}"
    return url


def _make_engine(url: str, readonly: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if readonly and database and database != ":memory:":
            engine = create_engine(_sqlite_read_only_url(parsed), connect_args=connect_args)
            event.listen(engine, "connect", _sqlite_read_pragmas)
            return engine
        if database and database != ":memory:" and not database.startswith("file:"):
            _make_store_folder(Path(database).expanduser().parent)
        engine = create_engine(url, connect_args=connect_args)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise sa_exc.ArgumentError(f"unsupported database {parsed.get_backend_name()}")
    if readonly:
        options = "-c default_transaction_read_only=on"
        return create_engine(url, pool_pre_ping=True, connect_args={"options": options})
    return create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def describe(engine: Engine) -> str:
    """Where the store is, for a message: the SQLite file's path, or the URL without its password."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ":memory:"
        return database.removeprefix("file:").split("?", 1)[0]
    return redact_url(engine.url.render_as_string(hide_password=False))


def writable(engine: Engine) -> bool:
    """Whether the store accepts writes, found without writing or taking a lock (a live service may hold
    SQLite's write lock): SQLite's ``mode=ro``, the file's and its folder's permissions and a read-only
    mount; PostgreSQL's ``transaction_read_only`` (a standby, a read-only role or session)."""
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("SHOW transaction_read_only").scalar()) != "on"
    database = engine.url.database or ""
    if not database or database == ":memory:":
        return True
    if "mode=ro" in database or engine.url.query.get("mode") == "ro":
        return False
    path = Path(describe(engine)).expanduser()
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return True  # let SQLite report what is wrong
    return may_write(folder) and (not path.exists() or may_write(path))


def may_write(path: Path) -> bool:
    """The permission check of ``writable`` (real uid's access, as SQLite will get it)."""
    return os.access(path, os.W_OK)


@cache
def schema_head() -> str | None:
    """The newest migration's revision read from the migration files' text (``revision = "0007"`` and
    ``down_revision = "0006"`` lines), without importing them; None unless the chain has exactly one
    head. Cached: the files do not change while the process runs."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for key, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (revisions if key == "revision" else parents).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def code_revision() -> str:
    """The newest schema revision this code knows (its migrations' head), e.g. ``0007``: read from the
    files' text, or asked of Alembic when that text does not give exactly one head."""
    head = schema_head()
    if head is not None:
        return head
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def stored_revision(engine: Engine) -> str | None:
    """The store's schema revision (None for an empty store); reads only, one ``SELECT``. Raises
    ``SchemaMismatch`` for a store with several revisions (branches this code never makes)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(stored) > 1:
        raise SchemaMismatch(
            f"store has several schema revisions ({', '.join(sorted(stored))}): "
            f"not a wiredesk store ({describe(engine)})"
        )
    return stored[0] if stored else None


def check_schema(engine: Engine, *, readonly: bool) -> None:
    """Refuse a store this code cannot use: a schema newer than the code (unknown revision), or, when it
    may not be migrated (``readonly``), one older than the code. Raises ``SchemaMismatch``."""
    stored, head = stored_revision(engine), code_revision()
    if stored == head:
        return
    from alembic.script import ScriptDirectory

    where = describe(engine)
    known = {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    if stored is not None and stored not in known:
        raise SchemaMismatch(
            f"store schema {stored} is newer than this wiredesk ({head}): upgrade wiredesk ({where})"
        )
    if readonly:
        raise SchemaMismatch(
            f"store schema {stored or 'none'} is older than this wiredesk ({head}) and the store is "
            f"opened read-only: open it once read-write to upgrade it ({where})"
        )


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (idempotent). A store already at this code's head is left
    alone without loading Alembic (one ``SELECT``)."""
    if revision == "head" and stored_revision(engine) == code_revision():
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to ``revision`` (tests and operators going back one release)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
