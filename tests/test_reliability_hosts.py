"""DNS rebinding and cross-site posts: the desk answers only the host names it was given (400 otherwise),
the re-run form refuses foreign Origin or Referer (scheme, host and port compared), and a desk token can
guard every page -- all against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import base64
import http.client
import socket
from collections.abc import Iterator

import pytest

from config.settings import Settings, desk_hosts
from desk.app import RerunResult, create_app
from desk.server import DeskThread
from storage.store import Store

TOKEN = "desk-token-5d1f0a"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(store: Store, settings: Settings) -> Iterator[int]:
    port = _free_port()
    app = create_app(
        store,
        rerun=lambda entry: RerunResult(resolved=False, error="still fails"),
        allowed_hosts=desk_hosts(settings, "127.0.0.1"),
        desk_token=settings.desk_token or None,
    )
    desk = DeskThread(app, "127.0.0.1", port)
    assert desk.start()
    try:
        yield port
    finally:
        desk.stop()


@pytest.fixture
def open_desk(tmp_path: object) -> Iterator[int]:
    store = Store.open(f"sqlite:///{tmp_path}/w.db")
    try:
        yield from _serve(store, Settings())
    finally:
        store.close()


@pytest.fixture
def locked_desk(tmp_path: object) -> Iterator[int]:
    store = Store.open(f"sqlite:///{tmp_path}/w.db")
    try:
        yield from _serve(store, Settings(desk_token=TOKEN))
    finally:
        store.close()


def request(port: int, method: str, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_foreign_host_names_are_refused(open_desk: int) -> None:
    port = open_desk
    assert request(port, "GET", "/", {"Host": f"127.0.0.1:{port}"}) == 200
    assert request(port, "GET", "/", {"Host": f"localhost:{port}"}) == 200
    assert request(port, "GET", "/", {"Host": f"rebind.attacker.example:{port}"}) == 400
    assert request(port, "GET", "/api/articles", {"Host": "rebind.attacker.example"}) == 400
    # a rebinding page posting to itself: Host and Origin match each other, but not the desk
    evil = {
        "Host": f"rebind.attacker.example:{port}",
        "Origin": f"http://rebind.attacker.example:{port}",
    }
    assert request(port, "POST", "/quarantine/1/rerun", evil) == 400


@pytest.mark.parametrize(
    ("extra", "allowed"),
    [
        ({"Origin": "http://127.0.0.1:{port}"}, True),
        ({"Origin": "https://127.0.0.1:{port}"}, False),  # scheme differs
        ({"Origin": "http://127.0.0.1:1"}, False),  # port differs
        ({"Referer": "http://news.attacker.example/page"}, False),  # foreign Referer, no Origin
        ({"Referer": "http://127.0.0.1:{port}/quarantine"}, True),
        ({"Origin": "null"}, False),
    ],
)
def test_rerun_compares_scheme_host_and_port(
    open_desk: int, extra: dict[str, str], allowed: bool
) -> None:
    port = open_desk
    headers = {"Host": f"127.0.0.1:{port}", **{k: v.format(port=port) for k, v in extra.items()}}
    status = request(port, "POST", "/quarantine/1/rerun", headers)
    # allowed: past the guard (no such entry -> 404); refused: 403
    assert status == (404 if allowed else 403), (extra, status)


def test_desk_token_guards_pages_and_api(locked_desk: int) -> None:
    port = locked_desk
    host = {"Host": f"127.0.0.1:{port}"}
    basic = base64.b64encode(f"editor:{TOKEN}".encode()).decode()
    assert request(port, "GET", "/", host) == 401
    assert (
        request(port, "GET", "/quarantine", {**host, "Authorization": "Basic " + basic[:-4]}) == 401
    )
    assert request(port, "GET", "/", {**host, "Authorization": f"Basic {basic}"}) == 200
    assert request(port, "GET", "/api/articles", host) == 401
    assert (
        request(port, "GET", "/api/articles", {**host, "Authorization": f"Bearer {TOKEN}"}) == 200
    )
    assert request(port, "GET", "/healthz", host) == 200


def test_allowed_hosts_setting() -> None:
    assert desk_hosts(Settings(allowed_hosts="desk.example, 10.0.0.5"), "0.0.0.0") == [
        "desk.example",
        "10.0.0.5",
    ]
    assert "0.0.0.0" not in desk_hosts(Settings(), "0.0.0.0")
    assert desk_hosts(Settings(), "192.0.2.7")[:3] == ["192.0.2.7", "localhost", "127.0.0.1"]
