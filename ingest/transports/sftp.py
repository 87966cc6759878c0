"""SFTP remote folders (paramiko), behind ``ingest.transports.remote``.

``url = "sftp://host:port/folder"``. The server's host key must be known: it is checked against the feed's
``known_hosts`` file (OpenSSH format) or, without one, the user's ``~/.ssh/known_hosts``; an unknown or
changed key refuses the connection (no trust on first use: a feed must not hand copy to whoever answers).
Login: ``auth = { type = "basic", username_env, password_env }`` (password) or ``{ type = "ssh-key",
username_env, key_file, passphrase_env }`` (a private key file; the passphrase from the environment).
"""

from __future__ import annotations

import contextlib
import logging
import posixpath
import stat
from datetime import UTC, datetime
from pathlib import Path

import paramiko

from config.settings import Settings
from ingest.files import QUARANTINE_PREFIX_BYTES
from ingest.transports.base import TransportError, TransportSpec, secret
from ingest.transports.remote import (
    RemoteAddress,
    RemoteBytes,
    RemoteFile,
    RemoteFolderTransport,
    unique_name,
)

log = logging.getLogger(__name__)
_ERRORS: tuple[type[Exception], ...] = (paramiko.SSHException, OSError, EOFError)
_CONNECT_ERRORS: tuple[type[Exception], ...] = (*_ERRORS, ValueError)
_CHUNK = 64 * 1024


def _why(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


class SftpFolder:
    """One SSH connection with an SFTP session on a feed's folder, opened on first use and after a
    failure."""

    def __init__(self, spec: TransportSpec, settings: Settings) -> None:
        self.address = RemoteAddress.of(spec, {"sftp": 22})
        self.spec, self.settings = spec, settings
        if spec.auth.get("type") not in ("basic", "ssh-key"):
            raise TransportError(f"feed {spec.name}: sftp needs basic or ssh-key auth")
        known = spec.option("known_hosts")
        self.known_hosts = Path(str(known)).expanduser() if known else None
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None
        self._made: set[str] = set()

    def _session(self) -> paramiko.SFTPClient:
        if self._sftp is not None and self._client is not None:
            transport = self._client.get_transport()
            if transport is not None and transport.is_active():
                return self._sftp
            self._drop()
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            if self.known_hosts is not None:
                client.load_host_keys(str(self.known_hosts))
            else:
                client.load_system_host_keys()
            user = secret(self.spec.auth.get("username_env"), "SFTP user", register=False)
            password: str | None = None
            key: paramiko.PKey | None = None
            if self.spec.auth.get("type") == "basic":
                password = secret(self.spec.auth.get("password_env"), "SFTP password")
            else:
                passphrase_env = self.spec.auth.get("passphrase_env")
                passphrase = secret(passphrase_env, "key passphrase") if passphrase_env else None
                key = paramiko.PKey.from_path(
                    Path(self.spec.auth.get("key_file", "")).expanduser(),
                    # bytes: paramiko hands it to cryptography, which refuses str (stubs say str)
                    passphrase.encode("utf-8") if passphrase else None,  # type: ignore[arg-type]
                )
            client.connect(
                self.address.host,
                port=self.address.port or 22,
                username=user,
                password=password,
                pkey=key,
                timeout=self.settings.connect_timeout,
                banner_timeout=self.settings.connect_timeout,
                auth_timeout=self.settings.read_timeout,
                allow_agent=False,
                look_for_keys=False,
            )
            sftp = client.open_sftp()
            channel = sftp.get_channel()
            if channel is not None:
                channel.settimeout(self.settings.read_timeout)
            sftp.chdir(self.address.folder)
        except TransportError:
            client.close()
            raise
        except _CONNECT_ERRORS as exc:  # ValueError: a key file that is no key
            client.close()
            raise TransportError(
                f"sftp {self.address.host}:{self.address.port}: {_why(exc)}"
            ) from None
        self._client, self._sftp = client, sftp
        return sftp

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = self._sftp = None

    def close(self) -> None:
        self._drop()

    def listing(self) -> list[RemoteFile]:
        sftp = self._session()
        try:
            entries = sftp.listdir_attr(".")
        except _ERRORS as exc:
            self._drop()
            raise TransportError(f"sftp listing failed: {_why(exc)}") from None
        files = []
        for entry in entries:
            if entry.st_mode is None or not stat.S_ISREG(entry.st_mode):
                continue
            mtime = entry.st_mtime
            files.append(
                RemoteFile(
                    entry.filename,
                    entry.st_size,
                    None if mtime is None else str(int(mtime)),
                    None if mtime is None else datetime.fromtimestamp(mtime, UTC),
                )
            )
        return files

    def read(self, name: str, cap: int) -> RemoteBytes:
        sftp = self._session()
        chunks: list[bytes] = []
        size = 0
        try:
            with sftp.open(name, "rb") as handle:
                while True:
                    block = handle.read(_CHUNK)
                    if not block:
                        break
                    size += len(block)
                    if size > cap:
                        prefix = b"".join(chunks)[:QUARANTINE_PREFIX_BYTES]
                        declared = handle.stat().st_size or size
                        return RemoteBytes(prefix, max(size, declared), oversized=True)
                    chunks.append(block)
        except _ERRORS as exc:  # socket timeouts are OSErrors
            self._drop()
            raise TransportError(f"sftp read of {name}: {_why(exc)}") from None
        return RemoteBytes(b"".join(chunks), size)

    def move(self, name: str, folder: str) -> str:
        sftp = self._session()
        try:
            if folder not in self._made:
                with contextlib.suppress(OSError):
                    sftp.mkdir(folder)  # it may exist (or not be allowed: the rename says which)
                self._made.add(folder)
            last: Exception = OSError("rename refused")
            # An earlier delivery under the same name in done/ is kept: this one gets a new name.
            first = unique_name(name) if _exists(sftp, posixpath.join(folder, name)) else name
            for target in (first, unique_name(name)):
                try:
                    sftp.rename(name, posixpath.join(folder, target))
                    return target
                except OSError as exc:
                    last = exc
            raise TransportError(
                f"sftp cannot move {name} to {folder}/: {_why(last)} "
                "(for an account that may not rename, set options.read_only = true)"
            )
        except (paramiko.SSHException, EOFError) as exc:
            self._drop()
            raise TransportError(f"sftp move of {name}: {_why(exc)}") from None


def _exists(sftp: paramiko.SFTPClient, path: str) -> bool:
    try:
        sftp.stat(path)
    except FileNotFoundError:
        return False
    return True


def open_sftp(spec: TransportSpec, settings: Settings) -> RemoteFolderTransport:
    """``transport = "sftp"``."""
    folder = SftpFolder(spec, settings)
    transport = RemoteFolderTransport("sftp", spec, settings, folder)
    transport.address = folder.address
    return transport
