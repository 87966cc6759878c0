"""OAuth 2.0 access tokens for the API transports (RFC 6749): password grant (AFP) and client credentials
(Reuters Connect), with the client authenticated by HTTP Basic (section 2.3.1).

The token is cached until shortly before ``expires_in`` runs out, refreshed with the refresh token when the
server gave one (section 6), and dropped when an API answers 401 so that the next request fetches a new one.
Every token and credential is registered for redaction the moment it is read or received.

Why not a library: the token request must go through ``TransportHttp`` (size cap, deadline, retries,
redaction, credential scope on redirects) like every other request of a feed. Authlib 1.9 deprecates its httpx
integration (for httpx2) and its core client signs requests through integration-specific auth classes;
httpx-auth keeps tokens in one process-wide cache keyed by the grant request, and reads the expiry of a token
sent without ``expires_in`` from it as a JWT, which fails for an opaque token. Both were tried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from config.redact import register_secret
from ingest.transports.base import TransportError, TransportSpec, secret
from ingest.transports.http import TransportHttp

EARLY_REFRESH_SECONDS = 30.0
GRANTS = ("password", "client_credentials")


@dataclass(slots=True)
class _Token:
    access: str
    refresh: str | None
    expires_at: float


class TokenSource:
    """Access tokens for one feed. ``auth`` keys: ``token_url``, ``client_id_env``, ``client_secret_env``
    and, for the password grant, ``username_env``/``password_env``; optional ``scope``/``audience``."""

    def __init__(
        self,
        spec: TransportSpec,
        http: TransportHttp,
        grant: str,
        default_token_url: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if grant not in GRANTS:
            raise TransportError(f"unknown OAuth2 grant {grant!r}")
        self.spec, self.http, self.grant, self.clock = spec, http, grant, clock
        self.token_url = spec.auth.get("token_url") or default_token_url
        self._token: _Token | None = None
        self.requests = 0

    def headers(self) -> dict[str, str]:
        """``Authorization: Bearer ...`` with a valid token (fetched or refreshed when needed)."""
        return {"Authorization": f"Bearer {self.token()}"}

    def token(self) -> str:
        now = self.clock()
        if self._token is not None and now < self._token.expires_at:
            return self._token.access
        if self._token is not None and self._token.refresh:
            try:
                return self._request(
                    {"grant_type": "refresh_token", "refresh_token": self._token.refresh}
                )
            except TransportError:
                self._token = None  # refresh refused: fall back to a full grant
        form = {"grant_type": self.grant}
        if self.grant == "password":
            form["username"] = secret(
                self.spec.auth.get("username_env"), "OAuth2 user", register=False
            )
            form["password"] = secret(self.spec.auth.get("password_env"), "OAuth2 password")
        for key in ("scope", "audience"):
            if self.spec.auth.get(key):
                form[key] = self.spec.auth[key]
        return self._request(form)

    def invalidate(self) -> None:
        """Forget the access token (the API answered 401); a refresh token is kept for the next try."""
        if self._token is not None:
            self._token.expires_at = float("-inf")

    def _request(self, form: dict[str, str]) -> str:
        client_id = secret(self.spec.auth.get("client_id_env"), "OAuth2 client id")
        client_secret = secret(self.spec.auth.get("client_secret_env"), "OAuth2 client secret")
        basic = httpx.BasicAuth(client_id, client_secret)
        request = httpx.Request("POST", self.token_url)
        header = next(basic.auth_flow(request)).headers["Authorization"]
        register_secret(header.split(" ", 1)[1])
        self.requests += 1
        answer = self.http.request(
            "POST", self.token_url, headers={"Authorization": header}, data=form, cap=1 << 20
        )
        if answer.status != 200:
            raise TransportError(f"OAuth2 grant refused (HTTP {answer.status} from the token URL)")
        payload = answer.json()
        access = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(access, str) or not access:
            raise TransportError("OAuth2 answer holds no access_token")
        register_secret(access)
        refresh = payload.get("refresh_token")
        refresh = refresh if isinstance(refresh, str) and refresh else None
        register_secret(refresh)
        expires_in = payload.get("expires_in")
        lifetime = (
            float(expires_in) if isinstance(expires_in, int | float) and expires_in > 0 else 300.0
        )
        self._token = _Token(
            access, refresh, self.clock() + max(lifetime - EARLY_REFRESH_SECONDS, 1.0)
        )
        return access
