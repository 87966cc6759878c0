"""A real HTTP server on 127.0.0.1 for fetch tests: each path gets a scripted behaviour.

Behaviours are plain functions ``(handler) -> None`` so a test can answer 200, 304, 500, stall, drip,
redirect or gzip exactly as a misbehaving agency server would. Every request's headers are recorded.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Behaviour = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]


@dataclass
class WireServer:
    base_url: str
    routes: dict[str, list[Behaviour]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def route(self, path: str, *behaviours: Behaviour) -> str:
        """Answer ``path`` with the behaviours in turn (the last one repeats); returns the full URL."""
        self.routes[path] = list(behaviours)
        return self.base_url + path

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]


def send(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Behaviour:
    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return behaviour


def send_gzip(body: bytes) -> Behaviour:
    return send(
        200, gzip.compress(body), {"Content-Encoding": "gzip", "Content-Type": "application/xml"}
    )


def conditional(body: bytes, etag: str, last_modified: str) -> Behaviour:
    """200 with validators, or 304 when the client sends them back."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            send(304, b"", {"ETag": etag})(handler)
        else:
            send(200, body, {"ETag": etag, "Last-Modified": last_modified})(handler)

    return behaviour


def stall(seconds: float) -> Behaviour:
    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.flush()
        time.sleep(seconds)

    return behaviour


def endless(chunk: bytes = b"x" * 65536, pause: float = 0.0) -> Behaviour:
    """A body that never ends (no Content-Length, connection kept writing)."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(chunk)
                if pause:
                    handler.wfile.flush()
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            return

    return behaviour


def redirect(to: str) -> Behaviour:
    return send(302, b"", {"Location": to})


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.wire.requests.append(Recorded(self.path, dict(self.headers.items())))
        behaviours = self.server.wire.routes.get(self.path)
        if not behaviours:
            send(404, b"not found")(self)
            return
        behaviour = behaviours.pop(0) if len(behaviours) > 1 else behaviours[0]
        behaviour(self)

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    wire: WireServer


@contextmanager
def wire_server() -> Iterator[WireServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    host, port = server.server_address[:2]
    server.wire = WireServer(base_url=f"http://{host!s}:{port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.wire
    finally:
        server.shutdown()
        server.server_close()


# -- misbehaviours for the reliability fault tests (tests/test_reliability_faults.py) -------------------


def reset_mid_body(
    declared: int = 10_000, sent: bytes = b"<rss><channel><item><title>cut"
) -> Behaviour:
    """Headers promise ``declared`` bytes; part of the body is sent, then the connection is reset (RST)."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        import socket
        import struct

        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(sent)
        handler.wfile.flush()
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True

    return behaviour


def drip(body: bytes, per_second: float = 1.0) -> Behaviour:
    """The whole body, one byte at a time, ``per_second`` bytes a second (never trips a read timeout)."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for index in range(len(body)):
                handler.wfile.write(body[index : index + 1])
                handler.wfile.flush()
                time.sleep(1.0 / per_second)
        except (BrokenPipeError, ConnectionResetError):
            return

    return behaviour


def wrong_length(body: bytes, declared: int, headers: dict[str, str] | None = None) -> Behaviour:
    """``Content-Length: declared`` whatever the body really is; the connection closes after the body."""

    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(declared))
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            handler.wfile.write(body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    return behaviour


def redirect_chain(wire: WireServer, prefix: str, hops: int, final: Behaviour) -> str:
    """``hops`` redirects ``prefix0 -> prefix1 -> ...`` ending in ``final``; returns the first URL."""
    for hop in range(hops):
        wire.route(f"{prefix}{hop}", redirect(f"{wire.base_url}{prefix}{hop + 1}"))
    wire.route(f"{prefix}{hops}", final)
    return f"{wire.base_url}{prefix}0"
