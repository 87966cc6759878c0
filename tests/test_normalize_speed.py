"""normalizers: the shortcuts taken for speed give the plain definitions' answers."""

from __future__ import annotations

import itertools
import random
from urllib.parse import urlsplit

import pytest

from normalizers import agencies, dateline
from normalizers.agencies import split_author, without_addresses
from normalizers.normalize import _host

_SCHEMES = ["http://", "https://", "HTTP://", "hTtPs://", "ftp://", "http:/", "http:", "", " http://"]  # fmt: skip
_HOSTS = [
    "www.Example.COM", "example.com", "", "a-b.c-d.de", "xn--bcher-kva.ch", "127.0.0.1", "[::1]",
    "[fe80::1%25eth0]", "user:pw@Host.org", "@host", "bücher.de", "ſite.com", "\u212aelvin.org",
    "exa\tmple.com", "exa\nmple.com", "host.com.", "host_name.com", "[bad",
]  # fmt: skip
_PORTS = ["", ":", ":80", ":8080", ":x", ":80:81"]
_TAILS = ["", "/", "/a/b.html?x=1#f", "?q", "#frag", "\t/path", "\n", " ", "/\r\n", "\\path"]


def _plain_host(url: str | None) -> str | None:
    """The definition: ``urlsplit``'s host name, ``None`` for no URL or one it rejects."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


@pytest.mark.parametrize("scheme", _SCHEMES)
def test_host_shortcut_agrees_with_urlsplit(scheme: str) -> None:
    for host, port, tail in itertools.product(_HOSTS, _PORTS, _TAILS):
        url = f"{scheme}{host}{port}{tail}"
        assert _host(url) == _plain_host(url), url


def test_host_of_nothing() -> None:
    assert _host(None) is None
    assert _host("") is None


def _plain_without_addresses(value: str) -> str:
    """The definition: the three address rewrites always applied, then the strip."""
    value = agencies._EMAIL_NAME.sub(r"\1", value)
    value = agencies._NAME_EMAIL.sub(r"\1", value)
    return agencies._EMAIL.sub(" ", value).strip(" ()<>")


_AUTHORS = [
    "jane@example.com (Jane Doe)", "Jane Doe <jane@example.com>", "jane@example.com", "mailto:a@b.de",
    "(Jane Doe)", "<Jane Doe>", "Jane Doe", "", " ( ) ", "dpa", "tb/beg", "Ana @ AFP", "x@y",
    "Felix Schröder und Jörg Soldwisch, dpa", "Von Anna Beispiel, Online-Redakteurin",
    "REBECCA BOONE Associated Press", "Associated Press in Palm Beach, Florida", "Staff and agencies",
]  # fmt: skip


@pytest.mark.parametrize("author", _AUTHORS)
def test_address_shortcut_agrees_with_plain_rewrites(author: str) -> None:
    assert without_addresses(author) == _plain_without_addresses(author)


@pytest.mark.parametrize("author", _AUTHORS)
def test_split_author_cache_returns_fresh_lists(author: str) -> None:
    """The cached answer is the same on every call, and a caller changing its lists changes no later one."""
    first = split_author(author, "www.theguardian.com")
    first[0].append("changed")
    first[1].append("changed")
    again = split_author(author, "www.theguardian.com")
    assert "changed" not in again[0] and "changed" not in again[1]
    agencies._split_author.cache_clear()
    assert split_author(author, "www.theguardian.com") == again


def _plain_separator(text: str, end: int) -> tuple[int, int] | None:
    """The definition: the first ``_SEPARATOR`` match before ``end``, else the first ``_BRACKET_ONLY`` one."""
    found = dateline._SEPARATOR.search(text, 0, end) or dateline._BRACKET_ONLY.search(text, 0, end)
    return found.span() if found else None


def test_separator_shortcut_agrees_with_plain_search() -> None:
    """Random texts over the characters the separator patterns look at, plus real dateline shapes."""
    rng = random.Random(15)
    alphabet = " -–—_.:/()aZé1\n\t\u00a0"
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 120))) for _ in range(20000)
    ]
    texts += [
        "Berlin (dpa) - Die Regierung", "LONDON, Sept 28 (Reuters) -", "Nueva Delhi, 21 ene (EFE).-",
        "København /ritzau/: Text", "MOSCOW, January 21. /TASS/. Text", "Paris (ats afp) Les violences",
        "well-known - x", "A -- b", "x—", "(AP)_ y", "a" * 93 + " - b", "a" * 92 + ") b",
    ]  # fmt: skip
    for text in texts:
        for end in (len(text), 94, 10):
            found = dateline.find_separator(text, end)
            assert (found.span() if found else None) == _plain_separator(text, end), (text, end)
