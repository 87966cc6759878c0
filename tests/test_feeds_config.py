"""The feed list and settings: valid files load, every mistake names file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.feeds import ConfigError, load_feeds, parse_duration
from config.patterns import FilePatterns, file_wanted
from config.settings import Settings
from parsers import format_names

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_feeds_file_loads() -> None:
    feeds = load_feeds(REPO / "config" / "feeds.toml", format_names())
    names = [f.name for f in feeds]
    assert names == ["demo-inbox", "demo-rss", "example-afp"]
    inbox = feeds[0]
    assert inbox.path == REPO / "var" / "demo-inbox" and inbox.interval == 5
    assert (
        feeds[2].enabled is False
        and feeds[2].auth is not None
        and feeds[2].auth.token_env == "AFP_TOKEN"
    )


def test_full_feed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[feed]]
name = "afp-de"
url = "https://example.com/afp.xml"
format = "newsml12"
interval = "2m"
agency = "AFP"
language = "de"
idle_alert = "1h"
auth = { type = "basic", username_env = "U", password_env = "P" }
""",
    )
    (feed,) = load_feeds(path, format_names())
    assert feed.interval == 120 and feed.idle_alert == 3600 and feed.format == "newsml12"
    assert feed.auth is not None and feed.auth.type == "basic"


@pytest.mark.parametrize(
    ("body", "line", "key", "message"),
    [
        ('[[feed]]\nname = "a"\nurl = "ftp://x/y"\n', 3, "url", "http:// or https://"),
        ('[[feed]]\nname = "a"\nurl = "https://u:p@x/y"\n', 3, "url", "credentials in the URL"),
        ('[[feed]]\nname = "a"\npath = "/tmp"\ninterval = "soon"\n', 4, "interval", "duration"),
        ('[[feed]]\nname = "a"\npath = "/tmp"\nformat = "word"\n', 4, "format", "unknown format"),
        ('[[feed]]\nname = "a"\npath = "/tmp"\ntoken = "abc"\n', 4, "token", "unknown key"),
        ('[[feed]]\nname = "a"\n', 1, "url", "exactly one of url"),
        (
            '[[feed]]\nname = "a"\npath = "/tmp"\n\n[[feed]]\nname = "a"\npath = "/x"\n',
            6,
            "name",
            "duplicate",
        ),
        (
            '[[feed]]\nname = "a"\npath = "/tmp"\nauth = { type = "bearer", token = "x" }\n',
            4,
            "auth",
            "environment",
        ),
        ('[[feed]]\nname = "a"\npath = "/tmp"\nenabled = "yes"\n', 4, "enabled", "true or false"),
    ],
)
def test_mistakes_name_file_line_and_key(
    tmp_path: Path, body: str, line: int, key: str, message: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_feeds(path, format_names())
    text = str(info.value)
    assert text.startswith(f"{path}:{line}: "), text
    assert key in text and message in text


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[feed]]\nname = "a"\nurl = "https://x/y\n')
    with pytest.raises(ConfigError, match=rf"^{path}:3: not valid TOML"):
        load_feeds(path, format_names())


def test_durations() -> None:
    assert parse_duration(90) == 90
    assert parse_duration("30s") == 30
    assert parse_duration("5m") == 300
    assert parse_duration("1h") == 3600
    with pytest.raises(ValueError):
        parse_duration("5 minutes")


def test_settings_from_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "wiredesk.toml"
    config.write_text('db_url = "sqlite:///from-file.db"\nread_timeout = 5\n', encoding="utf-8")
    env = {
        "WIREDESK_CONFIG": str(config),
        "WIREDESK_READ_TIMEOUT": "7.5",
        "WIREDESK_FEEDS": "/srv/feeds.toml",
    }
    settings = Settings.from_env(env)
    assert settings.db_url == "sqlite:///from-file.db"
    assert settings.read_timeout == 7.5
    assert settings.feeds_file == Path("/srv/feeds.toml")
    with pytest.raises(ConfigError, match="unknown setting"):
        Settings.from_env({"WIREDESK_CONFIG": str(write(tmp_path, "colour = 1\n"))})


def test_relative_paths_resolve_against_the_feeds_files_folder(tmp_path: Path) -> None:
    folder = tmp_path / "etc" / "config"  # even a folder named config: no special case
    folder.mkdir(parents=True)
    path = folder / "feeds.toml"
    path.write_text('[[feed]]\nname = "a"\npath = "../inbox"\n', encoding="utf-8")
    (feed,) = load_feeds(path, format_names())
    assert feed.path == (tmp_path / "etc" / "inbox").resolve()
    bundled = load_feeds(REPO / "config" / "feeds.toml", format_names())
    assert bundled[1].path == REPO / "config" / "demo" / "wire.rss"


def test_file_patterns_per_feed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[feed]]\nname = "a"\npath = "in"\ninclude = ["*.xml"]\n'
        '[[feed]]\nname = "b"\npath = "in"\nexclude = "*.log"\n',
    )
    only_xml, own_exclude = load_feeds(path, format_names())
    assert file_wanted("afp/1.XML", only_xml.patterns)
    assert not file_wanted("1.json", only_xml.patterns)
    assert not file_wanted(".partial.xml", only_xml.patterns)  # default excludes still hold
    assert file_wanted("table.csv", own_exclude.patterns)  # an exclude list replaces the default
    assert not file_wanted("x/feed.LOG", own_exclude.patterns)
    with pytest.raises(ConfigError, match=r"feeds.toml:4: feed 'a': include: want a list"):
        load_feeds(write(tmp_path, '[[feed]]\nname = "a"\npath = "in"\ninclude = [1]\n'), [])


def test_default_patterns_skip_stray_files() -> None:
    for name in ("README.md", "log.tsv", "t.CSV", "a.expected.json", ".DS_Store", ".git/x.xml"):
        assert not file_wanted(name), name
    for name in ("afp.xml", "dpa.json", "flash.txt", "sub/ninjs.json", "notes.mdx"):
        assert file_wanted(name), name
    assert not file_wanted("drafts/a.xml", FilePatterns(exclude=("drafts",)))
    assert file_wanted("in/a.xml", FilePatterns(include=("in/*.xml",)))
