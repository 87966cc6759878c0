"""The feed list (``config/feeds.toml``): one ``[[feed]]`` table per source.

Secrets never live in this file: authentication names *environment variables* (``token_env``,
``username_env``/``password_env``, ``value_env``). A URL carrying credentials (``user:password@``, or a
query parameter named like a secret: ``apikey=``, ``token=`` ...) is refused with a pointer to ``auth``. A
mistake gives one ``ConfigError`` naming the file, line and key, and never echoes a secret.

```toml
[[feed]]
name = "afp-de"
url = "https://example.com/afp/de.xml"   # or: path = "/srv/wire/afp"  (a drop folder or a single file;
                                         # a relative path is relative to this file's folder)
format = "auto"                          # or one of parsers.format_names()
interval = "5m"                          # seconds, or "30s" / "5m" / "1h"
agency = "AFP"                           # default credit when a document names none
language = "de"                          # hint, used only when the text is too short to judge
enabled = true
idle_alert = "2h"                        # warn when no new item arrived for this long
include = ["*.xml"]                      # folders: file patterns taken (default: every file)
exclude = [".*", "*.md"]                 # ... and skipped (default: config.patterns.DEFAULT_EXCLUDE)
auth = { type = "bearer", token_env = "AFP_TOKEN" }
# or { type = "basic", username_env = "U", password_env = "P" }
# or { type = "header", name = "X-Api-Key", value_env = "AP_KEY" }
# or { type = "query", name = "apikey", value_env = "REUTERS_KEY" }
```

A feed's ``transport`` says how its copy is delivered (``ingest.transports``): ``http`` for ``url`` and
``folder`` for ``path`` are the defaults; ``dpa-wireq``, ``afp-api``, ``ap-media``, ``reuters-connect``,
``ftp``, ``ftps``, ``sftp`` and ``pages`` take a ``url`` and their own keys in ``options = { ... }``
(``TRANSPORT_OPTIONS``). OAuth2 auth types (``oauth2-password``, ``oauth2-client-credentials``) and
``ssh-key`` name environment variables too; ``token_url``, ``scope``, ``audience`` and ``key_file`` are
not secrets and are written as they are.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NoReturn
from urllib.parse import parse_qsl, urlsplit

from config.patterns import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, FilePatterns, check_patterns
from config.redact import is_secret_param, redact_url

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
FEED_KEYS = frozenset(
    {
        "name",
        "url",
        "path",
        "format",
        "interval",
        "agency",
        "language",
        "enabled",
        "idle_alert",
        "auth",
        "include",
        "exclude",
        "transport",
        "options",
    }
)
AUTH_KEYS = frozenset({"type", "token_env", "username_env", "password_env", "name", "value_env"})
AUTH_TYPES = ("bearer", "basic", "header", "query")
_PAGING = frozenset({"max_per_poll", "page_size"})
#: Delivery transport -> the option keys it reads (``ingest.transports``); ``http``/``folder`` take none.
TRANSPORT_OPTIONS: dict[str, frozenset[str]] = {
    "http": frozenset(),
    "folder": frozenset(),
    "dpa-wireq": frozenset({"mode", "max_per_poll"}),
    "afp-api": _PAGING | {"langs", "products", "urgencies", "query", "date_from"},
    "ap-media": _PAGING | {"query"},
    "reuters-connect": _PAGING | {"filter", "query"},
    "ftp": frozenset({"max_per_poll", "read_only", "done_dir", "failed_dir"}),
    "ftps": frozenset({"max_per_poll", "read_only", "done_dir", "failed_dir", "ca_file"}),
    "sftp": frozenset({"max_per_poll", "read_only", "done_dir", "failed_dir", "known_hosts"}),
    "pages": frozenset({"max_per_poll", "rate_limit", "page_format"}),
}
#: Transports reached by URL, with the URL schemes each accepts.
TRANSPORT_SCHEMES: dict[str, frozenset[str]] = {
    "ftp": frozenset({"ftp"}),
    "ftps": frozenset({"ftps", "ftp"}),
    "sftp": frozenset({"sftp"}),
}
#: Auth types beyond ``AUTH_TYPES`` (each ``*_env`` is an environment variable) and where they fit.
EXTRA_AUTH: dict[str, tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]] = {
    # type: (required keys, optional keys, transports)
    "oauth2-password": (
        ("client_id_env", "client_secret_env", "username_env", "password_env"),
        frozenset({"token_url", "scope", "audience"}),
        ("afp-api",),
    ),
    "oauth2-client-credentials": (
        ("client_id_env", "client_secret_env"),
        frozenset({"token_url", "scope", "audience"}),
        ("reuters-connect",),
    ),
    "ssh-key": (("username_env", "key_file"), frozenset({"passphrase_env"}), ("sftp",)),
}
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")  # an RFC 9110 token
_PARAM_NAME = re.compile(r"^[A-Za-z0-9._~-]{1,100}$")
_RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
MIN_INTERVAL = 1.0
MAX_INTERVAL = 7 * 86400.0
# A feed silent for longer than a year is not waiting for an alert; a larger value overflowed the poll's
# time arithmetic.
MAX_IDLE_ALERT = 366 * 86400.0
"""A poll interval longer than a week is a typo (``1e400``, ``"9999d"``), not a schedule: refused."""


class ConfigError(Exception):
    """A configuration mistake, located: ``config/feeds.toml:12: feed 'afp': interval: ...``."""

    def __init__(self, file: Path | str, line: int | None, key: str | None, message: str) -> None:
        where = f"{file}:{line}" if line else str(file)
        what = f"{key}: " if key else ""
        super().__init__(f"{where}: {what}{message}")
        self.file, self.line, self.key = str(file), line, key


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """How a feed authenticates; every secret is the name of an environment variable.

    ``header``: the value of ``value_env`` is sent in header ``name`` (``X-Api-Key``); ``query``: it is
    added as query parameter ``name`` at request time (never stored in the feed URL or shown)."""

    type: Literal["bearer", "basic", "header", "query"]
    token_env: str | None = None
    username_env: str | None = None
    password_env: str | None = None
    name: str | None = None
    value_env: str | None = None

    @property
    def secret_envs(self) -> tuple[str, ...]:
        """The environment variables holding this feed's secrets."""
        names = (self.token_env, self.username_env, self.password_env, self.value_env)
        return tuple(n for n in names if n)


@dataclass(frozen=True, slots=True)
class FeedConfig:
    name: str
    url: str | None = None
    path: Path | None = None
    format: str | None = None
    interval: float = 300.0
    agency: str | None = None
    language: str | None = None
    enabled: bool = True
    idle_alert: float | None = None
    auth: AuthConfig | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    #: ``None``: ``http`` for ``url``, ``folder`` for ``path``; else a key of ``TRANSPORT_OPTIONS``.
    transport: str | None = None
    #: the transport's own keys as written (``TRANSPORT_OPTIONS``)
    options: dict[str, Any] = field(default_factory=dict, hash=False)
    #: the auth table as written (type, ``*_env`` variable names, non-secret names), for transports
    auth_table: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def patterns(self) -> FilePatterns:
        """Which files of a folder this feed takes (``config.patterns.file_wanted``)."""
        return FilePatterns(self.include, self.exclude)

    @property
    def source(self) -> str:
        """Where the feed's bytes come from, for logs and pages (credentials redacted)."""
        return redact_url(self.url) if self.url else str(self.path)


def parse_duration(value: Any) -> float:
    """``300``, ``"30s"``, ``"5m"``, ``"1h"`` -> seconds (a finite float). Raises ``ValueError`` for
    anything else, including TOML's ``inf``/``nan`` and numbers too large for a float (``1e400`` is
    ``inf`` in TOML), which would otherwise overflow the scheduler."""
    if isinstance(value, bool):
        raise ValueError("want seconds or a duration like '5m'")
    seconds: float | None = None
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an int beyond float's range
            seconds = math.inf
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            seconds = float(match.group(1)) * _SECONDS[match.group(2)]
    if seconds is None:
        raise ValueError(f"want seconds or a duration like '30s', '5m', '1h', not {value!r}")
    if not math.isfinite(seconds):
        raise ValueError(f"want a finite number of seconds, not {value!r}")
    return seconds


class _Locator:
    """Line numbers for the n-th ``[[feed]]`` table and a key inside it (tomllib gives none)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.starts = [
            i + 1 for i, line in enumerate(self.lines) if line.strip().startswith("[[feed]]")
        ]

    def line(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.starts):
            return None
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.lines) + 1
        if key:
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for number in range(start, end):
                if pattern.match(self.lines[number - 1]):
                    return number
        return start


def _auth(raw: Any, fail: Any) -> AuthConfig | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fail("auth", 'want a table like { type = "bearer", token_env = "AFP_TOKEN" }')
    unknown = set(raw) - AUTH_KEYS
    if unknown:
        fail("auth", f"unknown key(s) {sorted(unknown)}; secrets go in environment variables")
    kind = raw.get("type")
    if kind == "bearer":
        if not isinstance(raw.get("token_env"), str):
            fail("auth", 'bearer auth needs token_env = "NAME_OF_ENVIRONMENT_VARIABLE"')
        return AuthConfig("bearer", token_env=raw["token_env"])
    if kind == "basic":
        if not (
            isinstance(raw.get("username_env"), str) and isinstance(raw.get("password_env"), str)
        ):
            fail("auth", "basic auth needs username_env and password_env")
        return AuthConfig(
            "basic", username_env=raw["username_env"], password_env=raw["password_env"]
        )
    if kind in ("header", "query"):
        name, value_env = raw.get("name"), raw.get("value_env")
        pattern = _HEADER_NAME if kind == "header" else _PARAM_NAME
        if not isinstance(name, str) or not pattern.match(name):
            fail(
                "auth",
                f'{kind} auth needs name = "{"X-Api-Key" if kind == "header" else "apikey"}"',
            )
        if kind == "header" and str(name).lower() in _RESERVED_HEADERS:
            fail("auth", f"header {name!r} cannot carry a credential")
        if not isinstance(value_env, str):
            fail("auth", f'{kind} auth needs value_env = "NAME_OF_ENVIRONMENT_VARIABLE"')
        return AuthConfig(kind, name=str(name), value_env=str(value_env))
    known = (*AUTH_TYPES, *EXTRA_AUTH)
    fail("auth", f"type must be one of {', '.join(known)}, not {str(kind)[:20]!r}")
    return None


def _extra_auth(raw: dict[str, Any], transport: str, fail: Any) -> dict[str, str]:
    """An OAuth2 or SSH-key auth table: variable names (and non-secret names) only, checked."""
    kind = str(raw["type"])
    required, optional, transports = EXTRA_AUTH[kind]
    if transport not in transports:
        fail("auth", f"{kind} auth is for transport {' or '.join(transports)}")
    unknown = set(raw) - {"type", *required, *optional}
    if unknown:
        fail("auth", f"unknown key(s) {sorted(unknown)}; secrets go in environment variables")
    for key in required:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            want = (
                "path to the private key" if key == "key_file" else "NAME_OF_ENVIRONMENT_VARIABLE"
            )
            fail("auth", f'{kind} auth needs {key} = "{want}"')
    for key in optional:
        if key in raw and not isinstance(raw[key], str):
            fail("auth", f"{key} must be a string")
    return {key: str(value) for key, value in raw.items()}


def _transport_url_problem(url: str, schemes: frozenset[str]) -> str | None:
    """Why ``url`` cannot address a remote folder (no credentials in it, a known scheme)."""
    try:
        parts = urlsplit(url)
        has_credentials = parts.username is not None or parts.password is not None
    except ValueError:
        return f"not a valid URL: {redact_url(url)!r}"
    if has_credentials:
        return (
            "credentials in the URL are not allowed; use auth with environment variables "
            '(auth = { type = "basic", username_env = "...", password_env = "..." })'
        )
    if parts.scheme not in schemes or not parts.hostname:
        wanted = " or ".join(f"{scheme}://host/folder" for scheme in sorted(schemes))
        return f"want {wanted}, not {redact_url(url)!r}"
    return None


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a feed URL (credentials in it, wrong scheme), without echoing secrets."""
    try:
        parts = urlsplit(url)
        has_credentials = parts.username is not None or parts.password is not None
    except ValueError:
        return f"not a valid URL: {redact_url(url)!r}"
    if has_credentials:
        return (
            "credentials in the URL are not allowed; use auth with environment variables "
            '(auth = { type = "basic", username_env = "...", password_env = "..." })'
        )
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return f"want an http:// or https:// URL, not {redact_url(url)!r}"
    for name, _value in parse_qsl(parts.query, keep_blank_values=True):
        if is_secret_param(name):
            return (
                f"query parameter {name!r} looks like a credential; keep it out of the URL and use "
                f'auth = {{ type = "query", name = "{name}", value_env = "NAME_OF_VARIABLE" }}'
            )
    return None


def _feed(
    raw: dict[str, Any], index: int, file: Path, locate: _Locator, formats: list[str]
) -> FeedConfig:
    label = (
        f"feed #{index + 1}" if not isinstance(raw.get("name"), str) else f"feed {raw['name']!r}"
    )

    def fail(key: str | None, message: str) -> NoReturn:
        raise ConfigError(
            file, locate.line(index, key), f"{label}: {key}" if key else label, message
        )

    unknown = sorted(set(raw) - FEED_KEYS)
    if unknown:
        fail(unknown[0], f"unknown key (known: {', '.join(sorted(FEED_KEYS))})")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        fail("name", "want a short name of letters, digits, '-', '_' or '.'")
    url, path = raw.get("url"), raw.get("path")
    if (url is None) == (path is None):
        fail("url", "give exactly one of url (http/https) or path (a drop folder or file)")
    transport = raw.get("transport", "folder" if path is not None else "http")
    if transport not in TRANSPORT_OPTIONS:
        fail(
            "transport",
            f"unknown transport {str(transport)[:40]!r} (known: {', '.join(TRANSPORT_OPTIONS)})",
        )
    transport = str(transport)
    if (transport == "folder") != (path is not None):
        fail(
            "path" if path is not None else "url",
            "path is for transport folder; every other transport takes a url",
        )
    options = raw.get("options", {})
    if not isinstance(options, dict):
        fail("options", "want a table, e.g. options = { max_per_poll = 100 }")
    unknown_options = sorted(set(options) - TRANSPORT_OPTIONS[transport])
    if unknown_options:
        known_options = ", ".join(sorted(TRANSPORT_OPTIONS[transport])) or "none"
        fail(
            "options",
            f"unknown option {unknown_options[0]!r} for transport {transport} (known: {known_options})",
        )
    if url is not None:
        schemes = TRANSPORT_SCHEMES.get(transport)
        problem = _transport_url_problem(str(url), schemes) if schemes else _url_problem(str(url))
        if problem:
            fail("url", problem)
    fmt = raw.get("format", "auto")
    if fmt != "auto" and fmt not in formats:
        fail("format", f"unknown format {fmt!r} (known: auto, {', '.join(formats)})")
    values: dict[str, float | None] = {}
    for key, default in (("interval", 300.0), ("idle_alert", None)):
        if key in raw:
            try:
                values[key] = parse_duration(raw[key])
            except ValueError as exc:
                fail(key, str(exc))
        else:
            values[key] = default
    interval = values["interval"]
    # 0 is refused like any interval below the minimum (it used to mean "the default", silently).
    if interval is None or interval < MIN_INTERVAL:
        fail("interval", f"must be at least {MIN_INTERVAL:g} second (leave it out for 5m)")
    if interval > MAX_INTERVAL:
        fail(
            "interval",
            f"must be at most {MAX_INTERVAL:g} seconds (one week), not {raw['interval']!r}",
        )
    idle_alert = values["idle_alert"]
    if idle_alert is not None and not 0 < idle_alert <= MAX_IDLE_ALERT:
        fail(
            "idle_alert",
            f"must be more than 0 and at most {MAX_IDLE_ALERT:g} seconds (a year), "
            f"not {raw['idle_alert']!r}",
        )
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        fail("enabled", "want true or false")
    for key in ("agency", "language"):
        if key in raw and not isinstance(raw[key], str):
            fail(key, "want a string")
    patterns: dict[str, tuple[str, ...]] = {}
    for which, fallback in (("include", DEFAULT_INCLUDE), ("exclude", DEFAULT_EXCLUDE)):
        try:
            patterns[which] = check_patterns(raw[which]) if which in raw else fallback
        except ValueError as exc:
            fail(which, str(exc))
    raw_auth = raw.get("auth")
    extra = isinstance(raw_auth, dict) and raw_auth.get("type") in EXTRA_AUTH
    auth = None if extra else _auth(raw_auth, fail)
    auth_table = (
        _extra_auth(raw_auth, transport, fail)
        if extra and isinstance(raw_auth, dict)
        else {k: str(v) for k, v in (raw_auth or {}).items()}
    )
    resolved = None
    if path is not None:
        # Relative to the feeds file's own folder, wherever the command runs (one rule, no special case).
        resolved = Path(str(path)).expanduser()
        if not resolved.is_absolute():
            resolved = (file.parent / resolved).resolve()
    return FeedConfig(
        name=str(name),
        url=str(url) if url is not None else None,
        path=resolved,
        format=None if fmt == "auto" else str(fmt),
        interval=interval,
        agency=raw.get("agency"),
        language=raw.get("language"),
        enabled=enabled,
        idle_alert=values["idle_alert"],
        auth=auth,
        include=patterns["include"],
        exclude=patterns["exclude"],
        transport=None if transport in ("http", "folder") else transport,
        options=dict(options),
        auth_table=auth_table,
    )


def load_feeds(file: Path, formats: list[str]) -> list[FeedConfig]:
    """Read and check the feed list; ``formats`` are the format names the parsers know."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(file, None, None, f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:  # TOML is UTF-8 (TOML 1.0, "Spec"); say where it is not
        line = file.read_bytes()[: exc.start].count(b"\n") + 1
        raise ConfigError(
            file,
            line,
            None,
            f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            file, int(match.group(1)) if match else None, None, f"not valid TOML: {exc}"
        ) from exc
    unknown = sorted(set(data) - {"feed"})
    if unknown:
        raise ConfigError(
            file, None, unknown[0], "unknown top-level key (feeds are [[feed]] tables)"
        )
    entries = data.get("feed", [])
    if not isinstance(entries, list):
        raise ConfigError(file, None, "feed", "write feeds as [[feed]] tables")
    locate = _Locator(text)
    feeds = [_feed(entry, index, file, locate, formats) for index, entry in enumerate(entries)]
    names = [feed.name for feed in feeds]
    for index, name in enumerate(names):
        if names.index(name) != index:
            raise ConfigError(
                file, locate.line(index, "name"), f"feed {name!r}: name", "duplicate feed name"
            )
    return feeds
