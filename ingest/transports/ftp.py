"""FTP and FTPS remote folders (stdlib ``ftplib``), behind ``ingest.transports.remote``.

``transport = "ftp"``: plain FTP (RFC 959), passive mode. ``transport = "ftps"``: explicit FTP over TLS
(RFC 4217: ``AUTH TLS`` on the control port, ``PROT P`` for the data channel), certificate and host name
verified against the system CAs or the feed's ``ca_file``; implicit TLS (port 990) is not supported by
``ftplib``. The listing uses ``MLSD`` (RFC 3659: type, size, modify in UTC) and falls back to ``NLST`` +
``SIZE`` + ``MDTM`` on servers without it. Login comes from ``auth = { type = "basic", username_env,
password_env }``, else anonymous. A transfer over the size cap is abandoned after the cap (the connection
is dropped and opened afresh) and the first bytes go to the quarantine.
"""

from __future__ import annotations

import contextlib
import ftplib
import logging
import posixpath
import ssl
from datetime import UTC, datetime

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
_ERRORS: tuple[type[Exception], ...] = (ftplib.Error, OSError, EOFError)  # ssl errors are OSErrors


class _OverCap(Exception):
    """Raised from the transfer callback to stop reading a file over the size cap."""


def _reply(exc: BaseException) -> str:
    """The first line of an FTP error reply (a server's text, never our credentials)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


def _modify_time(value: str | None) -> datetime | None:
    """An RFC 3659 ``time-val`` (``YYYYMMDDHHMMSS[.sss]``, always UTC) as an aware datetime."""
    if not value or len(value) < 14 or not value[:14].isdigit():
        return None
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


class FtpFolder:
    """One FTP(S) connection to a feed's folder, opened on first use and again after a failure."""

    def __init__(self, spec: TransportSpec, settings: Settings, tls: bool) -> None:
        schemes = {"ftps": 21, "ftp": 21} if tls else {"ftp": 21}
        self.address = RemoteAddress.of(spec, schemes)
        self.spec, self.settings, self.tls = spec, settings, tls
        kind = spec.auth.get("type")
        if kind not in (None, "basic"):
            raise TransportError(f"feed {spec.name}: {spec.transport} takes basic auth or none")
        ca_file = spec.option("ca_file")
        try:
            self.context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        except (OSError, ssl.SSLError) as exc:
            raise TransportError(
                f"feed {spec.name}: ca_file {ca_file} unreadable: {exc.strerror or exc}"
            ) from None
        self._ftp: ftplib.FTP | None = None
        self._made: set[str] = set()

    def _connect(self) -> ftplib.FTP:
        if self._ftp is not None:
            try:
                self._ftp.voidcmd("NOOP")
                return self._ftp
            except _ERRORS:
                self._drop()
        if self.spec.auth.get("type") == "basic":
            user = secret(self.spec.auth.get("username_env"), "FTP user", register=False)
            password = secret(self.spec.auth.get("password_env"), "FTP password")
        else:
            user, password = "anonymous", "wiredesk@"
        timeout = max(self.settings.connect_timeout, self.settings.read_timeout)
        ftp: ftplib.FTP = (
            ftplib.FTP_TLS(context=self.context, timeout=timeout)
            if self.tls
            else ftplib.FTP(timeout=timeout)
        )
        try:
            ftp.connect(self.address.host, self.address.port or 21, timeout=timeout)
            ftp.login(user, password)
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.prot_p()
            ftp.cwd(self.address.folder)
        except _ERRORS as exc:
            ftp.close()
            raise TransportError(
                f"{self.spec.transport} {self.address.host}:{self.address.port}: {_reply(exc)}"
            ) from None
        self._ftp = ftp
        return ftp

    def _drop(self) -> None:
        if self._ftp is not None:
            self._ftp.close()
        self._ftp = None

    def close(self) -> None:
        if self._ftp is not None:
            with contextlib.suppress(*_ERRORS):
                self._ftp.quit()
        self._drop()

    def listing(self) -> list[RemoteFile]:
        ftp = self._connect()
        try:
            try:
                return [
                    RemoteFile(
                        name,
                        _int(facts.get("size")),
                        facts.get("modify"),
                        _modify_time(facts.get("modify")),
                    )
                    for name, facts in ftp.mlsd(facts=["type", "size", "modify"])
                    if facts.get("type", "").lower() == "file" and "/" not in name
                ]
            except ftplib.error_perm:
                return self._list_without_mlsd(ftp)
        except _ERRORS as exc:
            self._drop()
            raise TransportError(f"{self.spec.transport} listing failed: {_reply(exc)}") from None

    def _list_without_mlsd(self, ftp: ftplib.FTP) -> list[RemoteFile]:
        files: list[RemoteFile] = []
        for path in ftp.nlst():
            name = posixpath.basename(path)
            try:
                size = ftp.size(name)
            except ftplib.error_perm:
                continue  # a folder (SIZE refused) or gone
            try:
                stamp = ftp.sendcmd(f"MDTM {name}").split(maxsplit=1)[1].strip()
            except (ftplib.error_perm, IndexError):
                stamp = None
            files.append(RemoteFile(name, size, stamp, _modify_time(stamp)))
        return files

    def read(self, name: str, cap: int) -> RemoteBytes:
        ftp = self._connect()
        chunks: list[bytes] = []
        size = 0

        def take(block: bytes) -> None:
            nonlocal size
            size += len(block)
            if size > cap:
                raise _OverCap
            chunks.append(block)

        try:
            ftp.retrbinary(f"RETR {name}", take, blocksize=64 * 1024)
        except _OverCap:
            self._drop()  # the transfer is abandoned mid-way: start a clean connection next time
            prefix = b"".join(chunks)[:QUARANTINE_PREFIX_BYTES]
            return RemoteBytes(prefix, size, oversized=True)
        except _ERRORS as exc:
            self._drop()
            raise TransportError(f"{self.spec.transport} read of {name}: {_reply(exc)}") from None
        return RemoteBytes(b"".join(chunks), size)

    def _exists(self, path: str) -> bool:
        """Whether a file is at ``path`` (``SIZE`` in binary mode answers 213 for a file)."""
        assert self._ftp is not None
        try:
            self._ftp.voidcmd("TYPE I")
            self._ftp.size(path)
        except ftplib.error_perm:
            return False
        return True

    def move(self, name: str, folder: str) -> str:
        ftp = self._connect()
        try:
            if folder not in self._made:
                with contextlib.suppress(ftplib.error_perm):
                    ftp.mkd(folder)  # it may exist (or not be allowed: the rename says which)
                self._made.add(folder)
            last: Exception = ftplib.error_perm("550 rename refused")
            # Many servers replace an existing target on rename: an earlier delivery under the same
            # name in done/ is kept by giving this one a new name.
            first = unique_name(name) if self._exists(f"{folder}/{name}") else name
            for target in (first, unique_name(name)):
                try:
                    ftp.rename(name, f"{folder}/{target}")
                    return target
                except ftplib.error_perm as exc:
                    last = exc
            raise TransportError(
                f"{self.spec.transport} cannot move {name} to {folder}/: {_reply(last)} "
                "(for an account that may not rename, set options.read_only = true)"
            )
        except _ERRORS as exc:
            self._drop()
            raise TransportError(f"{self.spec.transport} move of {name}: {_reply(exc)}") from None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def open_ftp(spec: TransportSpec, settings: Settings, tls: bool) -> RemoteFolderTransport:
    """``transport = "ftp"`` / ``"ftps"``."""
    folder = FtpFolder(spec, settings, tls)
    transport = RemoteFolderTransport(spec.transport, spec, settings, folder)
    transport.address = folder.address
    return transport
