"""Delivery transports: one module per way an agency delivers copy (see ``base`` for the interface)."""

from __future__ import annotations

from collections.abc import Callable

from config.settings import Settings
from ingest.transports.base import Transport, TransportError, TransportSpec

__all__ = ["TRANSPORTS", "open_transport"]


def _wireq(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.wireq import WireQTransport

    return WireQTransport(spec, settings)


def _reuters(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.reuters import ReutersConnectTransport

    return ReutersConnectTransport(spec, settings)


def _afp(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.afp import AfpApiTransport

    return AfpApiTransport(spec, settings)


def _ap(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.ap import ApMediaTransport

    return ApMediaTransport(spec, settings)


def _pages(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.pages import PagesTransport

    return PagesTransport(spec, settings)


def _ftp(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.ftp import open_ftp

    return open_ftp(spec, settings, tls=False)


def _ftps(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.ftp import open_ftp

    return open_ftp(spec, settings, tls=True)


def _sftp(spec: TransportSpec, settings: Settings) -> Transport:
    from ingest.transports.sftp import open_sftp

    return open_sftp(spec, settings)


#: ``transport = "..."`` in feeds.toml -> factory. ``http`` and ``folder`` stay in ``ingest.poller``.
TRANSPORTS: dict[str, Callable[[TransportSpec, Settings], Transport]] = {
    "dpa-wireq": _wireq,
    "reuters-connect": _reuters,
    "afp-api": _afp,
    "ap-media": _ap,
    "ftp": _ftp,
    "ftps": _ftps,
    "sftp": _sftp,
    "pages": _pages,
}


def open_transport(spec: TransportSpec, settings: Settings) -> Transport:
    """The transport named by ``spec.transport``; raises ``TransportError`` for an unknown name."""
    factory = TRANSPORTS.get(spec.transport)
    if factory is None:
        raise TransportError(
            f"feed {spec.name}: unknown transport {spec.transport!r} "
            f"(known: http, folder, {', '.join(sorted(TRANSPORTS))})"
        )
    return factory(spec, settings)
