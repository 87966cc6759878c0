"""Security checks: XXE and entity bombs in every XML path, escaping in the desk, the API token, feed
credentials in logs and errors, path traversal in drop folders and archives."""

from __future__ import annotations

import inspect
import io
import json
import logging
import os
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config.feeds import AuthConfig, FeedConfig
from config.settings import Settings
from desk import api as desk_api
from desk.app import create_app
from ingest.backfill.sources import iter_path_documents
from ingest.dropfolder import ready_files
from ingest.fetch import FetchError, HttpFetcher
from ingest.pipeline import ingest_document
from ingest.poller import FeedPoller
from parsers import ParseError, parse_document
from parsers.registry import format_names
from storage.feeds import load_state
from storage.store import Store
from tests.wire_server import redirect, send, wire_server

SECRET = "TOPSECRET-7f3a"
ROOTS = {
    "newsml12": '<NewsML Version="1.2"><NewsItem><NewsComponent><ContentItem><DataContent>'
    "<p>&xxe; &lol9;</p></DataContent></ContentItem></NewsComponent></NewsItem></NewsML>",
    "newsmlg2": '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x" version="1">'
    "<itemMeta><itemClass qcode='ninat:text'/></itemMeta><contentMeta><headline>&xxe; &lol9;"
    '</headline></contentMeta><contentSet><inlineXML contenttype="application/nitf+xml">'
    "<nitf><body><body.content><p>&xxe; &lol9;</p></body.content></body></nitf></inlineXML>"
    "</contentSet></newsItem>",
    "nitf": "<nitf><head><title>&xxe;</title></head><body><body.head><hedline><hl1>&xxe; &lol9;</hl1>"
    "</hedline></body.head><body.content><p>&xxe; &lol9;</p></body.content></body></nitf>",
    "rss": "<rss version='2.0'><channel><item><title>&xxe; &lol9;</title>"
    "<description>&xxe; &lol9;</description></item></channel></rss>",
    "atom": "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>x</id><title>&xxe; &lol9;</title>"
    "<content>&xxe; &lol9;</content></entry></feed>",
    "html": "<html><head><title>&xxe;</title></head><body><article><h1>&xxe; &lol9;</h1>"
    "<p>&xxe; &lol9;</p></article></body></html>",
    "generic": "<doc><body><p>&xxe; &lol9;</p></body></doc>",
}


def _bomb_and_xxe(secret_file: Path, root: str) -> list[bytes]:
    lol = ['<!ENTITY lol0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    name = root.split("<", 2)[1].split()[0].rstrip(">")
    xxe = f'<!ENTITY xxe SYSTEM "file://{secret_file}">'
    variants = [
        f'<?xml version="1.0"?>\n<!DOCTYPE {name} [\n{xxe}\n{"".join(lol)}\n]>\n{root}',
        # declarations pushed past the head the guards look at
        f'<?xml version="1.0"?>\n<!--{" " * 70_000}-->\n<!DOCTYPE {name} [{xxe}{"".join(lol)}]>{root}',
        # a ']>' inside a comment before the DOCTYPE
        f'<?xml version="1.0"?><!-- ]> --><!DOCTYPE {name} [{xxe}{"".join(lol)}]>{root}',
        # parameter entity XXE (external DTD) and an external DTD
        f'<?xml version="1.0"?><!DOCTYPE {name} [<!ENTITY % p SYSTEM "file://{secret_file}"> %p;]>{root}',
        f'<?xml version="1.0"?><!DOCTYPE {name} SYSTEM "file://{secret_file}">{root}',
        # UTF-16 encoded
    ]
    encoded = [v.encode("utf-8") for v in variants]
    encoded.append(variants[0].replace('"1.0"?>', '"1.0" encoding="utf-16"?>', 1).encode("utf-16"))
    return encoded


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", [None, *format_names()])
def test_xxe_and_entity_bombs_are_blocked_in_every_format(
    fmt: str | None, secret_file: Path
) -> None:
    for root_name, root in ROOTS.items():
        for number, data in enumerate(_bomb_and_xxe(secret_file, root)):
            started = time.perf_counter()
            try:
                items = parse_document(data, fmt)
            except ParseError:
                items = []
            elapsed = time.perf_counter() - started
            text = repr(items)
            where = f"{fmt or 'sniffed'} / {root_name} variant {number}"
            assert SECRET not in text, f"XXE read the file: {where}"
            assert text.count("lollol") < 50, f"entities expanded: {where}"
            assert elapsed < 2, f"{where} took {elapsed:.1f} s"


XSS = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'sec.db'}")
    yield store
    store.close()


def test_html_and_js_in_every_feed_field_are_escaped_in_the_desk(sqlite_store: Store) -> None:
    item = {
        "uri": f"urn:xss:{XSS}",
        "type": "text",
        "version": 1,
        "headline": f"Schlagzeile {XSS}",
        "subheadline": f"Dachzeile {IMG}",
        "byline": f"Von {XSS}",
        "description_text": f"Bildtext {IMG}",
        "body_text": f"{XSS}Berlin (dpa) - Text {IMG} über die Lage.\n\nZweiter {XSS} Absatz.",
        "located": f"Berlin{XSS}",
        "subject": [{"name": f"Thema {XSS}"}],
        "keywords": [f"Stichwort {IMG}"],
        "associations": {
            "a": {"headline": f"Verwandt {XSS}", "uri": "javascript:alert(3)"},
        },
        "language": "de",
    }
    raw = json.dumps(item).encode()
    result = ingest_document(
        sqlite_store, raw, f"feed-{XSS}.json", feed=f"feed{XSS}", default_agency="dpa"
    )
    assert result.stored == 1, result
    article_id = result.article_ids[0]
    feeds = [FeedConfig(name=f"feed{XSS}", url=f"https://example.com/{XSS}")]
    with TestClient(create_app(sqlite_store, feeds=feeds)) as client:
        pages = {
            path: client.get(path)
            for path in (
                "/",
                "/?all=1",
                f"/?all=1&q={XSS}",
                "/?all=1&q=Lage",
                f"/story/{article_id}",
                "/feeds",
                "/quarantine",
            )
        }
        api = client.get(f"/api/articles/{article_id}")
    for path, page in pages.items():
        assert page.status_code == 200, path
        assert "<script>alert" not in page.text, f"unescaped script on {path}"
        assert "<img src=x" not in page.text, f"unescaped img on {path}"
        assert 'href="javascript:' not in page.text.lower(), f"javascript: link on {path}"
        assert "script-src" in page.headers.get("content-security-policy", ""), path
    assert "Schlagzeile" in pages["/?all=1"].text
    assert api.headers["content-type"].startswith("application/json")


def test_api_token_is_required_compared_in_constant_time_and_never_logged(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    token = "tok-9b1d2c3e4f"
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(sqlite_store, api_token=token)) as client:
        for path in ("/api/articles", "/api/feeds", "/api/articles/1", "/api/openapi.json"):
            answer = client.get(path)
            assert answer.status_code in (401, 200), path
            if path != "/api/openapi.json":
                assert answer.status_code == 401, path
        near = client.get("/api/articles", headers={"Authorization": f"Bearer {token[:-1]}"})
        assert near.status_code == 401 and token not in near.text
        assert client.get("/api/articles", headers={"Authorization": f"Bearer {token}"}).is_success
        assert (
            client.get("/api/articles", headers={"Authorization": f"Basic {token}"}).status_code
            == 401
        )
    assert token not in caplog.text
    assert "compare_digest" in inspect.getsource(desk_api.require_token)
    assert token not in repr(Settings(api_token=token))


def test_feed_credentials_never_in_logs_errors_or_foreign_hosts(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, user, password = "bearer-SECRET-1234", "wireuser", "pw-SECRET-5678"
    monkeypatch.setenv("T_TOKEN", token)
    monkeypatch.setenv("T_USER", user)
    monkeypatch.setenv("T_PASS", password)
    caplog.set_level(logging.DEBUG)
    settings = Settings(retries=1, connect_timeout=1, read_timeout=1, total_timeout=2)
    poller = FeedPoller(sqlite_store, settings, HttpFetcher(settings, sleep=lambda _s: None))
    bearer = AuthConfig(type="bearer", token_env="T_TOKEN")
    basic = AuthConfig(type="basic", username_env="T_USER", password_env="T_PASS")
    with wire_server() as wire, wire_server() as foreign:
        foreign_url = foreign.route("/steal", send(200, b"<rss><channel></channel></rss>"))
        # the same server under another host name is another origin for the client
        foreign_url = foreign_url.replace("127.0.0.1", "localhost")
        feeds = [
            FeedConfig("f401", url=wire.route("/401", send(401, b"denied")), auth=bearer),
            FeedConfig("f500", url=wire.route("/500", send(500, b"boom")), auth=basic),
            FeedConfig("fredir", url=wire.route("/r", redirect(foreign_url)), auth=bearer),
            FeedConfig(
                "fuserinfo",
                url=f"http://{user}:{password}@127.0.0.1:1/feed",
                auth=None,
            ),
            FeedConfig(
                "fmissing",
                url=wire.route("/ok", send(200, b"x")),
                auth=AuthConfig(type="bearer", token_env="T_NOT_SET"),
            ),
        ]
        outcomes = [poller.poll(feed) for feed in feeds]
        foreign_headers = [r.headers for r in foreign.requests]
    poller.fetcher.close()
    assert wire.hits("/401")[0].headers.get("Authorization") == f"Bearer {token}"
    errors = [o.error or "" for o in outcomes] + [
        load_state(sqlite_store, f.name).last_error or "" for f in feeds
    ]
    for secret in (token, password):
        assert secret not in caplog.text, "credential in the log"
        assert all(secret not in e for e in errors), errors
    assert all("Authorization" not in h and "authorization" not in h for h in foreign_headers)
    with pytest.raises(FetchError) as caught:
        HttpFetcher(settings).fetch(feeds[4])
    assert "T_NOT_SET" in str(caught.value) and token not in str(caught.value)


def test_drop_folder_never_reads_outside_itself(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "story.txt").write_text("Berlin (dpa) - Text.", encoding="utf-8")
    os.symlink(outside / "passwd", inbox / "link.txt")
    os.symlink(outside, inbox / "dirlink")
    os.symlink("/etc/passwd", inbox / "etc.txt")
    (inbox / "..hidden").write_text("x", encoding="utf-8")
    names = [p.name for p in ready_files(inbox, settle_seconds=0, now=time.time() + 10)]
    assert names == ["story.txt"]


def _tar_with(path: Path, members: dict[str, bytes], symlink: str | None = None) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo("link.xml")
            info.type = tarfile.SYMTYPE
            info.linkname = symlink
            archive.addfile(info)


def test_archive_members_leaving_the_archive_are_refused(tmp_path: Path) -> None:
    tar = tmp_path / "wire.tar.gz"
    good = b"Berlin (dpa) - Ein Text."
    _tar_with(
        tar,
        {
            "../../etc/passwd": b"root:x:0:0",
            "/etc/shadow": b"root:!:0",
            "ok/../../../escape.txt": b"x",
            "C:/windows/win.ini": b"x",
            "good.txt": good,
        },
        symlink="/etc/passwd",
    )
    archive_zip = tmp_path / "wire.zip"
    with zipfile.ZipFile(archive_zip, "w") as archive:
        archive.writestr("../../etc/passwd", b"root:x:0:0")
        archive.writestr("good.txt", good)
    docs = list(iter_path_documents([tar, archive_zip], 1024 * 1024))
    accepted = {d.origin.rsplit("!", 1)[1]: d.data for d in docs if d.data is not None}
    refused = {d.origin.rsplit("!", 1)[1]: d.refused for d in docs if d.data is None}
    assert accepted == {"good.txt": good}
    assert set(refused) >= {
        "../../etc/passwd",
        "/etc/shadow",
        "ok/../../../escape.txt",
        "C:/windows/win.ini",
        "link.xml",
    }, refused
    assert all(reason for reason in refused.values())
    assert not (tmp_path.parent / "escape.txt").exists()
