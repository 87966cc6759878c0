"""Redaction and short error text: the one place that decides what of a secret or an error may be shown.

Every log line (``ingest.logsetup`` installs ``RedactingFilter``), feed health entry, quarantine reason, desk
page and stored origin goes through ``redact``/``redact_url``/``short_error``. What is hidden:

- the password (and user) part of ``scheme://user:password@host`` URLs, in any text;
- query parameters whose name says they carry a secret (``apikey``, ``token``, ``sig`` ...);
- ``Bearer``/``Basic`` credentials, ``password=...`` style pairs;
- every value registered with ``register_secret`` (tokens read from the environment for feed auth and the
  desk/API token), however it appears, also with surrounding whitespace stripped.

Errors are cut to one short line: a database error keeps the driver's first line (never the SQL statement
or the bound parameters SQLAlchemy appends), a Unicode error keeps its reason and position (never the
offending character, which may be part of a secret).
"""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

MASK = "***"
SHORT_ERROR_CHARS = 240
SECRET_PARAMS = frozenset(
    {
        "access_token",
        "api-key",
        "api_key",
        "apikey",
        "auth",
        "authorization",
        "client_secret",
        "code",
        "credential",
        "credentials",
        "key",
        "pass",
        "passwd",
        "password",
        "pwd",
        "secret",
        "session",
        "sessionid",
        "sig",
        "signature",
        "token",
        "x-api-key",
    }
)
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,15}://[^\s\"'<>]+")
# ``Bearer x``/``Basic x`` always; the bare word ``token`` only before something credential-shaped (a digit
# in it, or 20+ characters), so ``bearer token variable AFP_TOKEN`` stays readable.
_SCHEME_AUTH = re.compile(
    r"(?i)\b(bearer|basic)\s+(?!token\b)[A-Za-z0-9._~+/=-]{6,}"
    r"|\b(token)\s+(?=[A-Za-z._~+/=-]*\d|[A-Za-z0-9._~+/=-]{20})[A-Za-z0-9._~+/=-]{6,}"
)
_PAIR = re.compile(
    r"(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|access_token|client_secret)"
    r"(\s*[=:]\s*)([^\s&,;'\"]+)"
)
_secrets: set[str] = set()
_lock = threading.Lock()
MIN_SECRET_CHARS = 4  # shorter values would mask ordinary words


def register_secret(value: str | None) -> None:
    """Remember a secret (a token read from the environment) so that ``redact`` masks it anywhere."""
    if not value:
        return
    with _lock:
        for candidate in (value, value.strip()):
            if len(candidate) >= MIN_SECRET_CHARS:
                _secrets.add(candidate)


def is_secret_param(name: str) -> bool:
    """Whether a query parameter name says it carries a credential (``apikey``, ``access_token`` ...)."""
    return _is_secret_param(name)


# A parameter whose name, without case and separators, ends so is a credential: ``access_key``,
# ``subscription-key``, ``X-Amz-Signature``, ``private_key``, ``license_key``, ``refreshToken`` ... A name
# like ``sortkey`` is masked too: a masked harmless value costs less than a leaked key (and a feed can pass
# any parameter from the environment with ``auth = { type = "query", ... }``).
_SECRET_SUFFIXES = (
    "token", "secret", "key", "password", "passwd", "passphrase", "signature", "credential",
    "credentials", "sessionid",
)  # fmt: skip
_COMPACT = re.compile(r"[-_.\s]")


def _is_secret_param(name: str) -> bool:
    lowered = name.lower()
    compact = _COMPACT.sub("", lowered)
    return lowered in SECRET_PARAMS or compact.endswith(_SECRET_SUFFIXES)


def redact_url(url: str) -> str:
    """``url`` without user info and with secret-named query values masked; unparseable URLs are
    masked after their scheme, never echoed."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url.split(":", 1)[0] + "://" + MASK
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    if parts.username is not None or parts.password is not None:
        netloc = f"{MASK}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_is_secret_param(name) for name, _ in pairs):
            query = urlencode(
                [(name, MASK if _is_secret_param(name) else value) for name, value in pairs],
                safe="*",
                quote_via=quote,
            )
    rebuilt = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    if not netloc and url.startswith(parts.scheme + "://"):
        rebuilt = (
            f"{parts.scheme}://{rebuilt[len(parts.scheme) + 1 :]}"  # sqlite:///path keeps its //
        )
    return _mask_registered(rebuilt)


def _mask_registered(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact(text: str) -> str:
    """``text`` with every credential this module knows how to recognise replaced by ``***``."""
    if not text:
        return text
    text = _URL.sub(lambda match: redact_url(match.group(0)), text)
    text = _SCHEME_AUTH.sub(lambda match: f"{match.group(1) or match.group(2)} {MASK}", text)
    text = _PAIR.sub(lambda match: f"{match.group(1)}{match.group(2)}{MASK}", text)
    return _mask_registered(text)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def short_error(exc: BaseException, limit: int = SHORT_ERROR_CHARS) -> str:
    """One short, redacted line for ``exc``: ``DataError: value too long for type character varying(512)``.

    SQLAlchemy errors are reduced to their driver error's first line (the statement and its parameters,
    which hold article fields, are dropped); Unicode errors to reason and position."""
    inner: BaseException = exc
    orig = getattr(exc, "orig", None)  # sqlalchemy.exc.StatementError and subclasses
    if isinstance(orig, BaseException):
        inner = orig
    if isinstance(inner, UnicodeError) and hasattr(inner, "reason"):
        start = getattr(inner, "start", None)
        where = f" at position {start}" if isinstance(start, int) else ""
        detail = f"{getattr(inner, 'encoding', 'text')}: {inner.reason}{where}"
    else:
        detail = _first_line(str(inner))
        if orig is None and "[SQL:" in detail:
            detail = detail.split("[SQL:", 1)[0].strip()
    line = f"{type(inner).__name__}: {detail}" if detail else type(inner).__name__
    line = redact(line)
    return line if len(line) <= limit else line[: limit - 1] + "…"
