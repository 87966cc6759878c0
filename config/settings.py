"""Runtime settings: defaults, then an optional TOML file, then ``WIREDESK_*`` environment variables.

| setting | environment | default |
|---|---|---|
| db_url | WIREDESK_DB_URL | sqlite:///var/wiredesk.db |
| feeds_file | WIREDESK_FEEDS | config/feeds.toml |
| desk_host / desk_port | WIREDESK_DESK_HOST / WIREDESK_DESK_PORT | 127.0.0.1 / 8080 |
| api_token | WIREDESK_API_TOKEN | empty: the API is open (bearer token when set; never logged) |
| desk_token | WIREDESK_DESK_TOKEN | empty: pages open; set: pages need it (and /api, without api_token) |
| allowed_hosts | WIREDESK_ALLOWED_HOSTS | empty: the bound address, localhost, 127.0.0.1 (DNS rebinding) |
| max_document_bytes | WIREDESK_MAX_DOCUMENT_BYTES | 32 MiB |
| connect_timeout / read_timeout / total_timeout | WIREDESK_CONNECT_TIMEOUT ... | 10 / 30 / 120 s |
| max_redirects | WIREDESK_MAX_REDIRECTS | 5 |
| retries | WIREDESK_RETRIES | 3 |
| backoff_cap | WIREDESK_BACKOFF_CAP | 3600 s |
| settle_seconds | WIREDESK_SETTLE_SECONDS | 2 s (drop-folder files younger than this are still being written) |
| parse_workers | WIREDESK_PARSE_WORKERS | -1: one parser process per core but one, at most 2 (0: parse in the service) |

The settings file is ``WIREDESK_CONFIG`` (default ``config/wiredesk.toml`` when it exists), with the same
keys at top level. Numbers must be finite and not negative (``desk_port`` 0-65535, ``parse_workers`` from
-1): a value out of range is a ``ConfigError`` naming the setting, not a failure later (``bind()``'s
OverflowError, a ``nan`` timeout).
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from config.feeds import ConfigError
from config.redact import register_secret

DEFAULT_DB_URL = "sqlite:///var/wiredesk.db"
DEFAULT_CONFIG = Path("config/wiredesk.toml")
PORT_RANGE = (0, 65535)
"""TCP ports (0: any free port); checked with the setting, not left to ``bind()``'s OverflowError."""
_RANGES: dict[str, tuple[float, float]] = {"desk_port": PORT_RANGE, "parse_workers": (-1, 1024)}
"""Bounds of numeric settings; any other number must be finite and not negative (a timeout of ``nan`` or
``-1``, retries ``-3``: refused when read, with the setting named, not misbehaving later)."""


def port_problem(port: int) -> str | None:
    """Why ``port`` is no TCP port, or None (shared by ``WIREDESK_DESK_PORT`` and ``serve --port``)."""
    low, high = PORT_RANGE
    return None if low <= port <= high else f"a port is {low}-{high}, not {port}"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = DEFAULT_DB_URL
    feeds_file: Path = Path("config/feeds.toml")
    desk_host: str = "127.0.0.1"
    desk_port: int = 8080
    api_token: str = field(default="", repr=False)
    desk_token: str = field(default="", repr=False)
    allowed_hosts: str = ""  # comma list; empty: the bound address, localhost and 127.0.0.1
    max_document_bytes: int = 32 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_redirects: int = 5
    retries: int = 3
    backoff_cap: float = 3600.0
    settle_seconds: float = 2.0
    parse_workers: int = -1  # drop-folder parser processes of ``wiredesk run``; -1: the default
    user_agent: str = "wiredesk/0.1 (+https://github.com/wiredesk; wire ingest)"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Defaults, the settings file, then environment variables (each later source wins)."""
        env = os.environ if environ is None else environ
        settings = cls()
        config_path = Path(env["WIREDESK_CONFIG"]) if env.get("WIREDESK_CONFIG") else DEFAULT_CONFIG
        if env.get("WIREDESK_CONFIG") or config_path.exists():
            settings = settings._merge(_read_toml(config_path), str(config_path))
        overrides = {
            f.name: env[f"WIREDESK_{f.name.upper()}"]
            for f in fields(cls)
            if env.get(f"WIREDESK_{f.name.upper()}")
        }
        if env.get("WIREDESK_FEEDS"):
            overrides["feeds_file"] = env["WIREDESK_FEEDS"]
        merged = settings._merge(overrides, "environment")
        register_secret(merged.api_token)  # never logged or shown, wherever it turns up
        register_secret(merged.desk_token)
        register_secret(make_url_password(merged.db_url))
        return merged

    def _merge(self, values: dict[str, Any], origin: str) -> Settings:
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(
                    origin, None, key, f"unknown setting (known: {', '.join(sorted(known))})"
                )
            current = getattr(self, key)
            try:
                if isinstance(current, bool):
                    changes[key] = str(value).lower() in {"1", "true", "yes"}
                elif isinstance(current, Path):
                    changes[key] = Path(str(value))
                else:
                    changes[key] = type(current)(value)
            except (TypeError, ValueError) as exc:
                raise ConfigError(
                    origin, None, key, f"want a {type(current).__name__}: {value!r}"
                ) from exc
            problem = _number_problem(key, changes[key])
            if problem:
                raise ConfigError(origin, None, key, problem)
        return replace(self, **changes)


def _number_problem(key: str, value: Any) -> str | None:
    """Why a numeric setting's value is out of range (see ``_RANGES``), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    low, high = _RANGES.get(key, (0, math.inf))
    if math.isfinite(value) and low <= value <= high:
        return None
    span = f"{low:g}-{high:g}" if math.isfinite(high) else f"a finite number >= {low:g}"
    return f"want {span}, not {value:g}"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(path, None, None, f"cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, None, f"not valid TOML: {exc}") from exc


def make_url_password(url: str) -> str | None:
    """The password in a store URL (``postgresql+psycopg://user:PASSWORD@host/db``), if it has one."""
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def desk_hosts(settings: Settings, bound: str) -> list[str]:
    """Host header values the desk answers: ``allowed_hosts``, else the bound address, localhost and
    127.0.0.1 (``*`` allows any, for a desk behind a proxy that checks the name itself)."""
    configured = [h.strip() for h in settings.allowed_hosts.split(",") if h.strip()]
    if configured:
        return configured
    hosts = [bound, "localhost", "127.0.0.1", "::1", "[::1]"]
    return [h for h in dict.fromkeys(hosts) if h and h not in ("0.0.0.0", "::")]
