"""AFP API transport against a local OAuth2 (password grant, refresh) + search server on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from config.settings import Settings
from ingest.transports import open_transport
from ingest.transports.base import TransportSpec
from ingest.transports.runner import run_transport
from ingest.transports.state import load_transport_state
from storage.store import Store

FAST = Settings(retries=0, connect_timeout=2, read_timeout=5, total_timeout=10)
WORDS = ["Hafen", "Rat", "Zug", "Brücke", "Wahl", "Bahn", "Markt", "Streik", "Wetter", "Flug"]


@dataclass
class AfpServer:
    docs: list[dict[str, Any]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    grants: list[str] = field(default_factory=list)
    searches: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.grants.append(form.get("grant_type", ""))
        if form.get("grant_type") == "password" and form.get("password") != "afp-pass":
            return 401, {"error": "invalid_grant"}
        access = f"afp-access-{len(self.grants)}"
        self.tokens.add(access)
        return 200, {"access_token": access, "refresh_token": "afp-refresh", "expires_in": 3600}

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        self.searches.append(body)
        since = body["dateRange"]["from"]
        found = [d for d in self.docs if since.startswith("now") or d["published"] >= since]
        found.sort(key=lambda d: d["published"])
        start = body["startAt"]
        return {
            "response": {"docs": found[start : start + body["maxRows"]], "numFound": len(found)}
        }


@pytest.fixture
def afp() -> Iterator[AfpServer]:
    server = AfpServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, payload: Any) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/oauth/token":
                basic = base64.b64encode(b"afp-client:afp-secret").decode()
                if self.headers.get("Authorization") != f"Basic {basic}":
                    self._send(401, {"error": "invalid_client"})
                    return
                self._send(*server.token({k: v[0] for k, v in parse_qs(raw.decode()).items()}))
            elif self.headers.get("Authorization", "").removeprefix("Bearer ") not in server.tokens:
                self._send(401, {"error": "expired"})
            else:
                self._send(200, server.search(json.loads(raw)))

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AFP_CLIENT": "afp-client",
        "AFP_SECRET": "afp-secret",
        "AFP_USER": "desk",
        "AFP_PASSWORD": "afp-pass",
    }.items():
        monkeypatch.setenv(name, value)


def doc(n: int, minute: int) -> dict[str, Any]:
    words = " ".join(f"{WORDS[(n + i) % 10]}{n * 11 + i}" for i in range(14))
    return {
        "uno": f"newsml.afp.com.20240611T10{minute:02d}00Z.doc-{n}",
        "revision": 1,
        "lang": "de",
        "urgency": 4,
        "published": f"2024-06-11T10:{minute:02d}:00Z",
        "headline": f"Meldung {n} aus Paris",
        "news": [f"PARIS, 11. Juni 2024 (AFP) - {words}."],
    }


def spec_for(afp: AfpServer, **options: Any) -> TransportSpec:
    return TransportSpec(
        name="afp-de",
        transport="afp-api",
        url=afp.url,
        auth={
            "type": "oauth2-password",
            "client_id_env": "AFP_CLIENT",
            "client_secret_env": "AFP_SECRET",
            "username_env": "AFP_USER",
            "password_env": "AFP_PASSWORD",
        },
        options={"page_size": 2, "langs": ["de"], "products": ["news"], **options},
    )


def test_search_pages_from_last_published_and_overlap_is_absorbed(
    afp: AfpServer, store: Store
) -> None:
    afp.docs = [doc(n, n) for n in range(1, 4)]
    spec = spec_for(afp)
    first = run_transport(open_transport(spec, FAST), store, spec)
    assert first.error is None and first.stored == 3
    assert load_transport_state(store, "afp-de", "afp-api").cursor == "2024-06-11T10:03:00Z"
    assert afp.searches[0]["query"] == {
        "and": [{"name": "lang", "in": ["de"]}, {"name": "product", "in": ["news"]}]
    }
    afp.docs.append(doc(4, 9))
    second = run_transport(open_transport(spec, FAST), store, spec)
    assert afp.searches[-1]["dateRange"]["from"] == "2024-06-11T10:03:00Z"
    assert (second.documents, second.stored, second.unchanged) == (2, 1, 1)


def test_cap_per_poll_then_the_rest_next_time(afp: AfpServer, store: Store) -> None:
    afp.docs = [doc(n, n) for n in range(1, 6)]
    spec = spec_for(afp, max_per_poll=3)
    assert run_transport(open_transport(spec, FAST), store, spec).stored == 3
    rest = run_transport(open_transport(spec, FAST), store, spec)
    assert (rest.stored, rest.unchanged) == (2, 1), "from the last published on, overlap absorbed"


def test_expired_token_is_refreshed_with_the_refresh_token(afp: AfpServer, store: Store) -> None:
    afp.docs = [doc(1, 1)]
    spec = spec_for(afp)
    transport = open_transport(spec, FAST)
    run_transport(transport, store, spec)
    afp.tokens.clear()
    afp.docs.append(doc(2, 2))
    assert run_transport(transport, store, spec).stored == 1
    assert afp.grants == ["password", "refresh_token"]


def test_poisoned_document_is_quarantined_and_later_ones_stored(
    afp: AfpServer, store: Store
) -> None:
    afp.docs = [doc(1, 1), {"published": "2024-06-11T10:02:00Z", "garbage": [1]}, doc(3, 3)]
    spec = spec_for(afp)
    run = run_transport(open_transport(spec, FAST), store, spec)
    assert (run.stored, run.quarantined) == (2, 1)
