"""Running the desk under uvicorn: in the foreground (``wiredesk serve``) or in a thread beside the
service (``wiredesk run``), where the service owns the signals and stops the desk with itself."""

from __future__ import annotations

import logging
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

log = logging.getLogger(__name__)


def _config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    # log_config=None keeps the process's own logging setup; no access log (it would log every refresh).
    return uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="off"
    )


def serve(app: FastAPI, host: str, port: int, listener: socket.socket | None = None) -> int:
    """Serve until SIGINT/SIGTERM (uvicorn handles both); 0 on a clean stop, 1 if it could not start.

    ``listener``: a socket already bound to ``host:port`` (the caller then knows the port is free before
    it says anything), else uvicorn binds one."""
    server = uvicorn.Server(_config(app, host, port))
    server.run(sockets=[listener] if listener is not None else None)
    return 0 if server.started else 1


class DeskThread:
    """uvicorn in a daemon thread. uvicorn installs no signal handlers off the main thread, so the
    caller decides when to :meth:`stop`."""

    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.server = uvicorn.Server(_config(app, host, port))
        self.thread = threading.Thread(target=self._run, name="desk", daemon=True)

    def _run(self) -> None:
        try:
            self.server.run()
        except SystemExit:  # uvicorn exits when it cannot bind; the service goes on without a desk
            log.error("desk could not start", extra={"host": self.host, "port": self.port})

    def start(self, timeout: float = 10.0) -> bool:
        """Start and wait until the socket listens; False if it did not come up."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.thread.is_alive():
            if self.server.started:
                log.info("desk listening", extra={"url": f"http://{self.host}:{self.port}/"})
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout)
