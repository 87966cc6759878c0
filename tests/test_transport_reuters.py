"""Reuters Connect transport against a local OAuth2 + GraphQL server on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from config.settings import Settings
from ingest.transports import open_transport
from ingest.transports.base import TransportSpec
from ingest.transports.runner import run_transport
from ingest.transports.state import load_transport_state
from storage.store import Store, articles

FAST = Settings(retries=0, connect_timeout=2, read_timeout=5, total_timeout=10)
CLIENT, SECRET = "rc-client-id", "rc-client-s3cret"


@dataclass
class ConnectServer:
    """Items in order; a cursor is the index after the last item handed out, base64-encoded."""

    items: list[dict[str, Any]] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    issued: int = 0
    unauthorized: int = 0
    grants: list[str] = field(default_factory=list)
    url: str = ""

    def issue(self) -> dict[str, Any]:
        self.issued += 1
        token = f"access-{self.issued}-xyz"
        self.valid_tokens.add(token)
        return {"access_token": token, "token_type": "bearer", "expires_in": 3600}

    def search(self, variables: dict[str, Any]) -> dict[str, Any]:
        start = int(base64.b64decode(variables["cursor"])) if variables.get("cursor") else 0
        chunk = self.items[start : start + int(variables.get("limit") or 10)]
        end = start + len(chunk)
        return {
            "search": {
                "pageInfo": {
                    "endCursor": base64.b64encode(str(end).encode()).decode(),
                    "hasNextPage": end < len(self.items),
                },
                "items": [{"uri": item["uri"]} for item in chunk if item],
            }
        }

    def item(self, ident: str) -> dict[str, Any]:
        found = next(item for item in self.items if item["uri"] == ident)
        return {"item": None if found.get("poison") else found}


def _handler(server: ConnectServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, payload: Any) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/oauth/token":
                expected = "Basic " + base64.b64encode(f"{CLIENT}:{SECRET}".encode()).decode()
                form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                server.grants.append(form.get("grant_type", ""))
                if self.headers.get("Authorization") != expected:
                    self._send(401, {"error": "invalid_client"})
                    return
                self._send(200, server.issue())
                return
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in server.valid_tokens:
                server.unauthorized += 1
                self._send(401, {"errors": [{"message": "token expired"}]})
                return
            request = json.loads(body)
            if request["query"].startswith("query Search"):
                self._send(200, {"data": server.search(request["variables"])})
            else:
                self._send(200, {"data": server.item(request["variables"]["id"])})

    return Handler


@pytest.fixture
def connect() -> Iterator[ConnectServer]:
    state = ConnectServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/content/graphql"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


WORDS = [
    "copper",
    "wheat",
    "cocoa",
    "nickel",
    "sugar",
    "coffee",
    "cotton",
    "zinc",
    "barley",
    "lumber",
]


def item(n: int, **extra: Any) -> dict[str, Any]:
    words = " ".join(f"{WORDS[(n + i) % len(WORDS)]}{n * 7 + i}" for i in range(14))
    return {
        "uri": f"tag:reuters.com,2024:newsml_TEST{n:04d}",
        "type": "text",
        "versionCreated": "2024-06-11T08:15:00.000Z",
        "headLine": f"Market report number {n} for the desk",
        "language": "en",
        "bodyXhtml": (
            f"<html xmlns='http://www.w3.org/1999/xhtml'><body><p>LONDON, June 11 (Reuters) - Report {n} "
            f"says {words}.</p></body></html>"
        ),
        **extra,
    }


def spec_for(server: ConnectServer, **options: Any) -> TransportSpec:
    return TransportSpec(
        name="reuters",
        transport="reuters-connect",
        url=server.url,
        auth={
            "type": "oauth2-client-credentials",
            "token_url": server.url.rsplit("/content", 1)[0] + "/oauth/token",
            "client_id_env": "RC_CLIENT_ID",
            "client_secret_env": "RC_CLIENT_SECRET",
        },
        options={"page_size": 2, **options},
    )


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RC_CLIENT_ID", CLIENT)
    monkeypatch.setenv("RC_CLIENT_SECRET", SECRET)


def stored(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(row[0] for row in conn.execute(select(articles.c.guid)))


def test_pages_until_caught_up_then_continues_from_the_cursor(
    connect: ConnectServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    connect.items = [item(n) for n in range(3)]
    spec = spec_for(connect)
    with caplog.at_level(logging.DEBUG):
        first = run_transport(open_transport(spec, FAST), store, spec)
    assert first.error is None and first.stored == 3
    state = load_transport_state(store, "reuters", "reuters-connect")
    assert base64.b64decode(state.cursor or "") == b"3"
    connect.items += [item(3), item(4)]
    second = run_transport(open_transport(spec, FAST), store, spec)
    assert (second.documents, second.stored) == (2, 2), "only the items after the cursor"
    assert len(stored(store)) == 5
    assert SECRET not in caplog.text and "access-1-xyz" not in caplog.text


def test_expired_token_gets_401_then_a_new_token(connect: ConnectServer, store: Store) -> None:
    connect.items = [item(1), item(2)]
    spec = spec_for(connect)
    transport = open_transport(spec, FAST)
    assert run_transport(transport, store, spec).stored == 2
    connect.valid_tokens.clear()  # the server expired the token early
    connect.items.append(item(3))
    run = run_transport(transport, store, spec)
    assert run.error is None and run.stored == 1
    assert connect.unauthorized == 1 and connect.issued == 2
    assert connect.grants == ["client_credentials", "client_credentials"]


def test_poisoned_item_is_quarantined_and_the_cursor_moves_past_it(
    connect: ConnectServer, store: Store
) -> None:
    connect.items = [item(1), item(2, poison=True), item(3)]
    spec = spec_for(connect)
    run = run_transport(open_transport(spec, FAST), store, spec)
    assert (run.stored, run.quarantined) == (2, 1)
    assert run_transport(open_transport(spec, FAST), store, spec).documents == 0


def test_wrong_client_secret_is_a_clear_error(
    connect: ConnectServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RC_CLIENT_SECRET", "wrong-secret-value")
    connect.items = [item(1)]
    spec = spec_for(connect)
    run = run_transport(open_transport(spec, FAST), store, spec)
    assert run.error == "OAuth2 grant refused (HTTP 401 from the token URL)"
    assert load_transport_state(store, "reuters", "reuters-connect").cursor is None
