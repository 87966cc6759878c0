"""Field length caps end to end (issue 16, finding 10): a 20 MB headline once made the incoming page 20 MB.

Documents go through ``wiredesk ingest``'s engine (``ingest.backfill.ingest_paths``, parser processes and
the batched writer) into a SQLite store; the desk is then served by uvicorn on 127.0.0.1 and its pages and
API are fetched over HTTP, as a browser would. An over-long headline is stored cut with the marker; a
20 MB one is absurd for any wire story, so its document is quarantined with a one-line reason. Two formats
(ninjs JSON, NITF XML) carry the fault, since the caps sit at the record boundary, not in one parser.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from xml.sax.saxutils import escape

import pytest

from config.settings import Settings, desk_hosts
from desk.app import create_app
from desk.server import DeskThread
from ingest.backfill import ingest_paths
from normalizers.validate import ABSURD_CHARS, CUT_MARKER, LIMITS
from storage.store import Store

HUGE = 20 * 1024 * 1024  # characters: the size of the headline that made the page 20 MB
HUGE_XML = 5 * 1024 * 1024  # absurd too; lxml refuses a text node over 10 MB as malformed anyway
LONG = 200_000  # over the headline cap, under the absurd size: cut, stored
PAGE_LIMIT = 300_000  # bytes: a page of 100 rows of sane copy is far below this


BONN = (
    "Bonn (dpa) - Der Rat der Stadt hat am Abend den Haushalt beschlossen.\n\n"
    "Die Opposition stimmte dagegen und kündigte Widerstand an."
)
KIEL = (
    "Kiel (dpa) - Die Fähre nach Oslo fällt wegen des Sturms bis Freitag aus.\n\n"
    "Reisende werden gebeten, sich bei der Reederei nach Ersatzverbindungen zu erkundigen."
)


def _ninjs(guid: str, headline: str, body: str = BONN) -> bytes:
    item = {
        "uri": guid,
        "type": "text",
        "version": 1,
        "language": "de",
        "body_text": body,
        "headline": headline,  # last: the sniffer reads the first 8 KB for keys (issue 16, finding 13)
    }
    return json.dumps(item, ensure_ascii=False).encode("utf-8")


def _nitf(doc_id: str, headline: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>{escape(headline[:80])}</title><docdata><doc-id id-string="{doc_id}"/></docdata></head>
<body><body.head><hedline><hl1>{escape(headline)}</hl1></hedline><distributor>ANSA</distributor>
</body.head><body.content><p>ROMA (ANSA) - Il consiglio comunale ha approvato il bilancio in serata.</p>
<p>L'opposizione ha votato contro e ha annunciato ricorso.</p></body.content></body></nitf>
""".encode()


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def desk(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Store, int, dict[str, object]]]:
    tmp_path = tmp_path_factory.mktemp("fields")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge-headline.json").write_bytes(_ninjs("urn:test:huge", "Sturm " * (HUGE // 6)))
    (folder / "huge-headline.xml").write_bytes(_nitf("nitf-huge", "Tempesta " * (HUGE_XML // 9)))
    (folder / "long-headline.json").write_bytes(_ninjs("urn:test:long", "Hafen " * (LONG // 6)))
    (folder / "long-headline.xml").write_bytes(_nitf("nitf-long", "Porto " * (LONG // 6)))
    (folder / "sane.json").write_bytes(_ninjs("urn:test:sane", "Fähre fällt aus", KIEL))
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    summary = ingest_paths([folder], store, workers=1, settings=Settings(), progress=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    app = create_app(store, allowed_hosts=desk_hosts(Settings(), "127.0.0.1"))
    server = DeskThread(app, "127.0.0.1", port)
    assert server.start()
    try:
        yield store, port, {"line": summary.line()}
    finally:
        server.stop()
        store.close()


def test_over_long_headlines_are_cut_and_absurd_ones_quarantined(
    desk: tuple[Store, int, dict[str, object]],
) -> None:
    store, _port, run = desk
    assert run["line"] == "5 documents: 3 stored, 0 duplicates, 0 unchanged, 2 quarantined"
    errors = sorted(entry.error for entry in store.quarantined())
    assert len(errors) == 2
    for error in errors:
        assert "headline" in error and str(ABSURD_CHARS) in error.replace(",", ""), error
        assert len(error) < 300 and "\n" not in error  # one short line, never the field
    headlines = sorted(
        store.get(article_id).headline or ""  # type: ignore[union-attr]
        for article_id in range(1, store.count_articles() + 1)
    )
    cut = [h for h in headlines if h.endswith(CUT_MARKER)]
    assert len(cut) == 2 and all(len(h) <= LIMITS["headline"] for h in cut)
    assert {h.split()[0] for h in cut} == {"Hafen", "Porto"}


def test_incoming_page_and_api_stay_small(desk: tuple[Store, int, dict[str, object]]) -> None:
    _store, port, _run = desk
    for path in ("/", "/?all=1", "/?q=Hafen", "/api/articles", "/quarantine"):
        status, body = _get(port, path)
        assert status == 200, (path, status)
        assert len(body) < PAGE_LIMIT, (path, len(body))
    _status, page = _get(port, "/?all=1")
    assert CUT_MARKER.strip().encode() in page and "Fähre fällt aus".encode() in page
