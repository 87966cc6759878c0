"""Real FTP, FTPS (pyftpdlib) and SFTP (asyncssh) servers on 127.0.0.1 for the remote-folder tests.

Each serves a local folder. A ``Gate`` can hold the first rename (the acknowledgement: the document is
committed, not yet moved) or the first file read, so a crash test can kill the client at a known point.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

USER = "wire"
PASSWORD = "pw-remote-s3cret"


@dataclass
class Gate:
    """``hold_renames``: the first rename waits until ``release`` is set (``rename_arrived`` tells it
    came)."""

    hold_renames: bool = False
    rename_arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    renames: int = 0
    reads: int = 0

    def on_rename(self) -> None:
        self.renames += 1
        if self.hold_renames:
            self.rename_arrived.set()
            self.release.wait(60)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (IP SAN) and its key, as PEM files in ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def ftp_server(
    root: Path, gate: Gate, tls: tuple[Path, Path] | None = None, perm: str = "elradfmwMT"
) -> Iterator[int]:
    """A threaded pyftpdlib server for ``root`` (user ``USER``); yields its port. ``tls``: (cert, key)
    for explicit FTPS with TLS required on control and data channels."""
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
    from pyftpdlib.servers import ThreadedFTPServer

    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, str(root), perm=perm)
    base: Any = TLS_FTPHandler if tls else FTPHandler

    class Handler(base):  # type: ignore[misc, valid-type]
        def ftp_RETR(self, file: str) -> Any:
            gate.reads += 1
            return super().ftp_RETR(file)

        def ftp_RNFR(self, path: str) -> Any:
            gate.on_rename()
            return super().ftp_RNFR(path)

    Handler.authorizer = authorizer
    Handler.banner = "wiredesk test server"
    if tls:
        Handler.certfile, Handler.keyfile = str(tls[0]), str(tls[1])
        Handler.tls_control_required = Handler.tls_data_required = True
    server = ThreadedFTPServer(("127.0.0.1", 0), Handler)
    stopping = threading.Event()

    def serve() -> None:
        # One poll round at a time so the loop stops in its own thread before anything is closed.
        while not stopping.is_set():
            server.serve_forever(timeout=0.2, blocking=False)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(server.address[1])
    finally:
        gate.release.set()
        stopping.set()
        thread.join(10)
        server.close_all()


@dataclass
class SftpServer:
    port: int
    known_hosts: Path
    client_key: Path


@contextmanager
def sftp_server(root: Path, gate: Gate, folder: Path) -> Iterator[SftpServer]:
    """An asyncssh SFTP server chrooted at ``root`` on its own event loop; password ``PASSWORD`` or the
    client key written to ``folder`` (passphrase ``PASSWORD``) log in as ``USER``."""
    import asyncssh

    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    key_path = folder / "client_key"
    key_path.write_bytes(client_key.export_private_key("openssh", passphrase=PASSWORD))
    authorized = client_key.export_public_key().decode().split()[1]
    loop = asyncio.new_event_loop()

    class Server(asyncssh.SSHServer):  # type: ignore[misc]
        def begin_auth(self, username: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, password: str) -> bool:
            return username == USER and password == PASSWORD

        def public_key_auth_supported(self) -> bool:
            return True

        def validate_public_key(self, username: str, key: Any) -> bool:
            return bool(
                username == USER and key.export_public_key().decode().split()[1] == authorized
            )

    class Sftp(asyncssh.SFTPServer):  # type: ignore[misc]
        def __init__(self, chan: Any) -> None:
            super().__init__(chan, chroot=str(root).encode())

        def open(self, path: bytes, pflags: int, attrs: Any) -> Any:
            gate.reads += 1
            return super().open(path, pflags, attrs)

        async def rename(self, oldpath: bytes, newpath: bytes) -> None:
            await loop.run_in_executor(None, gate.on_rename)
            super().rename(oldpath, newpath)

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> Any:
        return await asyncssh.listen(
            "127.0.0.1", 0, server_factory=Server, server_host_keys=[host_key], sftp_factory=Sftp
        )

    server = asyncio.run_coroutine_threadsafe(start(), loop).result(30)
    port = int(server.sockets[0].getsockname()[1])
    known = folder / "known_hosts"
    known.write_text(
        f"[127.0.0.1]:{port} {host_key.export_public_key().decode().strip()}\n", encoding="utf-8"
    )
    try:
        yield SftpServer(port, known, key_path)
    finally:
        gate.release.set()

        async def stop() -> None:
            # asyncio objects belong to their loop's thread: close the listener there, not from here.
            server.close()
            await server.wait_closed()
            # Sessions a client dropped mid-transfer still have handler tasks: end them before the loop.
            pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
