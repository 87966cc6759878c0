"""The ``wiredesk`` command as operators run it: a real process, a real store file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import storage.search
from ingest.cli import parse_since
from ingest.cli_store import stream
from ingest.pipeline import ingest_document
from storage.search import ArticleQuery
from storage.store import Store

WIREDESK = Path(sys.executable).parent / "wiredesk"

STORY = """Nach dem Sturm

Aufräumen im Hafen beginnt

Hamburg (dpa) - Nach dem schweren Sturm haben am Donnerstag im Hamburger Hafen die Aufräumarbeiten begonnen.

Mehrere Container waren in der Nacht ins Wasser gestürzt, verletzt wurde nach Angaben der Polizei niemand.

dpa
"""


def run(
    *args: str, db: Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIREDESK_DB_URL": f"sqlite:///{db}", **(env or {})}
    return subprocess.run(
        [str(WIREDESK), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "nested").mkdir()
    (folder / "nested" / "broken.xml").write_bytes(b"<?xml version='1.0'?><NewsML><oops")
    return folder


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run("--help", db=tmp_path / "x.db", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("parse", "ingest", "search", "show"):
        assert command in result.stdout


def test_parse_prints_json_lines_and_stores_nothing(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    result = run("parse", str(files / "story.txt"), db=db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["headline"] == "Aufräumen im Hafen beginnt"
    assert record["kicker"] == "Nach dem Sturm"
    assert record["dateline"] == {"place": "Hamburg", "date": None, "agencies": ["dpa"]}
    assert record["agencies"] == ["dpa"]
    assert record["id"] is None
    assert not db.exists()


def test_parse_failure_exit_2_with_one_line(files: Path, tmp_path: Path) -> None:
    broken = files / "nested" / "broken.xml"
    result = run("parse", str(broken), str(files / "story.txt"), db=tmp_path / "x.db", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"wiredesk: cannot parse {broken}: ")
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == 1  # the good file is still printed


def test_ingest_twice_stores_once_then_search_and_show(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = run("ingest", str(files), db=db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "1 stored" in first.stdout and "1 quarantined" in first.stdout
    second = run("ingest", str(files), db=db, cwd=tmp_path)
    assert "0 stored" in second.stdout and "1 unchanged" in second.stdout

    found = run("search", "Hafen", "--json", db=db, cwd=tmp_path)
    records = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(records) == 1
    assert records[0]["id"] == 1 and records[0]["duplicate_of"] is None
    assert records[0]["received_at"].endswith("Z")

    assert run("search", "--agency", "AFP", "--json", db=db, cwd=tmp_path).stdout == ""
    assert (
        run("search", "--urgency", "2", "--json", db=db, cwd=tmp_path).stdout == ""
    )  # no urgency set
    assert run("search", "--status", "canceled", "--json", db=db, cwd=tmp_path).stdout == ""
    assert "Aufräumen" in run("search", "--no-duplicates", "Hafen", db=db, cwd=tmp_path).stdout
    assert "Aufräumen" in run("search", "--lang", "de", "--since", "1h", db=db, cwd=tmp_path).stdout

    shown = run("show", "1", db=db, cwd=tmp_path)
    assert shown.returncode == 0 and "Hamburg (dpa) - Nach dem schweren Sturm" in shown.stdout
    assert json.loads(run("show", "1", "--json", db=db, cwd=tmp_path).stdout)["id"] == 1
    missing = run("show", "99", db=db, cwd=tmp_path)
    assert missing.returncode == 1 and "no article with id 99" in missing.stderr


def test_parse_since() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert parse_since("2h", now) == now - timedelta(hours=2)
    assert parse_since("30m", now) == now - timedelta(minutes=30)
    assert parse_since("2026-11-20", now) == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse_since("2026-11-20T10:00:00+01:00", now) == datetime(2026, 11, 20, 9, tzinfo=UTC)


REPO = Path(__file__).resolve().parents[1]
PHOTO = REPO / "tests" / "fixtures" / "newsmlg2" / "photo_only_item.xml"


def test_parse_photo_item_is_one_note_and_exit_0(files: Path, tmp_path: Path) -> None:
    result = run("parse", str(PHOTO), str(files / "story.txt"), db=tmp_path / "x.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"wiredesk: {PHOTO}: no text story (a photo, audio, video or metadata-only item)"
    ]
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["origin"] == str(files / "story.txt")  # a multi-file parse is attributed


def test_missing_and_unreadable_paths_exit_2_with_one_line(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    missing = run("ingest", str(tmp_path / "nowhere"), db=db, cwd=tmp_path)
    assert missing.returncode == 2
    assert (
        missing.stderr.strip()
        == f"wiredesk: cannot ingest {tmp_path / 'nowhere'}: No such file or directory"
    )
    dangling = files / "dangling.xml"
    dangling.symlink_to(tmp_path / "gone.xml")
    result = run("ingest", str(files), db=db, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"wiredesk: cannot ingest {dangling}: " in result.stderr
    assert "No such file or directory" in result.stderr
    assert "1 stored" in result.stdout  # the readable files are still ingested
    parsed = run("parse", str(tmp_path / "nowhere"), db=db, cwd=tmp_path)
    assert parsed.returncode == 2 and "cannot parse" in parsed.stderr
    fresh = tmp_path / "fresh.db"
    both = run(
        "ingest", str(tmp_path / "nowhere"), str(files / "story.txt"), db=fresh, cwd=tmp_path
    )
    assert both.returncode == 2 and "cannot ingest" in both.stderr
    assert "1 stored" in both.stdout  # a missing path does not cost the others


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_and_folder_exit_2(files: Path, tmp_path: Path) -> None:
    secret, closed = files / "secret.txt", files / "closed"
    secret.write_text(STORY, encoding="utf-8")
    closed.mkdir()
    secret.chmod(0)
    closed.chmod(0)
    try:
        result = run("ingest", str(files), db=tmp_path / "s.db", cwd=tmp_path)
    finally:
        secret.chmod(0o644)
        closed.chmod(0o755)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"cannot ingest {secret}: Permission denied" in result.stderr
    assert f"cannot ingest {closed}: Permission denied" in result.stderr


def test_backfill_refuses_bad_arguments(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    missing = run("backfill", str(tmp_path / "nowhere.tar.gz"), db=db, cwd=tmp_path)
    assert missing.returncode == 2
    assert "cannot backfill" in missing.stderr and "No such file or directory" in missing.stderr
    for option, value in (("--workers", "-1"), ("--batch", "0")):
        result = run("backfill", str(tmp_path), option, value, db=db, cwd=tmp_path)
        assert result.returncode == 2 and option in result.stderr, result.stderr


def test_scripts_backfill_refuses_the_same_arguments(tmp_path: Path) -> None:
    """``scripts/backfill.py`` (no ``wiredesk`` in front) takes the same argument types: a missing path, a
    negative ``--workers`` or a ``--batch`` under 1 stop before any run (no store, no checkpoint)."""
    env = {**os.environ, "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 's.db'}"}
    env["WIREDESK_BACKFILL_DIR"] = str(tmp_path / "runs")
    script = REPO / "scripts" / "backfill.py"
    for args, said in (
        ([str(tmp_path / "nowhere")], f"cannot backfill {tmp_path / 'nowhere'}: No such file"),
        ([str(tmp_path), "--workers", "-1"], "--workers: want a whole number of at least 0"),
        ([str(tmp_path), "--batch", "0"], "--batch: want a whole number of at least 1"),
        ([str(tmp_path), "--batch", "x"], "--batch: want a whole number, not 'x'"),
    ):
        done = subprocess.run(
            [sys.executable, str(script), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2 and said in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "s.db").exists() and not (tmp_path / "runs").exists()


def test_archives_point_to_backfill_and_stray_files_are_skipped(
    files: Path, tmp_path: Path
) -> None:
    for name in ("README.md", "log.tsv", "list.csv", "story.expected.json", ".hidden.txt"):
        (files / name).write_text("# not wire copy\n\nsome | table\n", encoding="utf-8")
    archive = tmp_path / "day.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(files / "story.txt", arcname="story.txt")
    db = tmp_path / "s.db"
    result = run("ingest", str(files), db=db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 documents: 1 stored")  # story.txt + broken.xml only
    only_txt = run(
        "ingest", str(files), "--include", "*.txt", "--exclude", "nested", db=db, cwd=tmp_path
    )
    assert only_txt.stdout.startswith("2 documents: 0 stored")  # story.txt + .hidden.txt
    packed = run("parse", str(archive), db=db, cwd=tmp_path)
    assert packed.returncode == 2
    assert f"{archive} is an archive: use `wiredesk backfill {archive}`" in packed.stderr
    unpacked = run("ingest", str(archive), db=db, cwd=tmp_path)  # backfill's engine reads members
    assert unpacked.returncode == 0 and unpacked.stdout.startswith("1 document: 0 stored, 0 dup")
    for option, value in (("--workers", "-1"), ("--batch", "0")):
        refused = run("ingest", str(files), option, value, db=db, cwd=tmp_path)
        assert refused.returncode == 2 and option in refused.stderr


def test_search_streams_any_limit_and_refuses_bad_ones(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    for n in range(5):
        (files / f"s{n}.txt").write_text(STORY.replace("Sturm", f"Sturm {n}"), encoding="utf-8")
    run("ingest", str(files), db=db, cwd=tmp_path)
    everything = run("search", "--limit", "100000", "--json", "--all", db=db, cwd=tmp_path)
    ids = [json.loads(line)["id"] for line in everything.stdout.splitlines()]
    assert len(ids) == 6 and ids == sorted(ids, reverse=True)
    for bad in ("0", "-3", "x"):
        refused = run("search", "--limit", bad, db=db, cwd=tmp_path)
        assert refused.returncode == 2 and "--limit" in refused.stderr
    after = run("search", "--after", str(ids[2]), "--json", "--all", db=db, cwd=tmp_path)
    assert [json.loads(line)["id"] for line in after.stdout.splitlines()] == sorted(ids[:2])
    assert run("search", "--until", "1h", "--json", db=db, cwd=tmp_path).stdout == ""
    too_many = run("search", "Hafen", "--sort", "relevance", "--limit", "501", db=db, cwd=tmp_path)
    assert too_many.returncode == 2 and "--sort newest" in too_many.stderr
    assert "(default: 50)" in " ".join(run("search", "--help", db=db, cwd=tmp_path).stdout.split())


def test_search_words_may_start_with_a_dash(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    (files / "other.txt").write_text(
        STORY.replace("Hamburger Hafen", "Kieler Hafen"), encoding="utf-8"
    )
    run("ingest", str(files), db=db, cwd=tmp_path)
    both = run("search", "Hafen", "--json", db=db, cwd=tmp_path).stdout.splitlines()
    phrase = run("search", '"Kieler Hafen"', "--json", db=db, cwd=tmp_path).stdout.splitlines()
    excluded = run("search", "Hafen", "-Kieler", "--json", "--limit", "5", db=db, cwd=tmp_path)
    assert excluded.returncode == 0, excluded.stderr
    assert len(both) == 2 and len(phrase) == 1
    assert [json.loads(x)["id"] for x in excluded.stdout.splitlines()] != [
        json.loads(phrase[0])["id"]
    ]
    assert len(excluded.stdout.splitlines()) == 1


def test_stream_pages_through_more_than_a_page(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(7):
        ingest_document(store, STORY.replace("Sturm", f"Sturm {n}").encode(), f"s{n}.txt")
    monkeypatch.setattr(storage.search, "MAX_LIMIT", 2)
    newest = [r.id for r in stream(store, ArticleQuery(include_all=True), 100)]
    assert len(newest) == 7 and newest == sorted(newest, reverse=True)
    assert [r.id for r in stream(store, ArticleQuery(include_all=True), 5)] == newest[:5]
    cursor = [r.id for r in stream(store, ArticleQuery(after=newest[-1]), 100)]
    assert cursor == sorted(newest)[1:]


def test_serve_on_a_busy_port_says_so(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port), db=tmp_path / "s.db", cwd=tmp_path)
    assert result.returncode == 1
    assert f"wiredesk: cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "serving" not in result.stderr


def test_poll_a_disabled_feed_needs_force(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "off"\npath = "inbox"\nenabled = false\n', encoding="utf-8")
    env = {"WIREDESK_FEEDS": str(feeds)}
    refused = run("poll", "off", db=tmp_path / "s.db", cwd=tmp_path, env=env)
    assert (
        refused.returncode == 2 and "is disabled" in refused.stderr and "--force" in refused.stderr
    )
    forced = run("poll", "off", "--force", db=tmp_path / "s.db", cwd=tmp_path, env=env)
    assert forced.returncode == 0 and forced.stdout.startswith("off: ok, 0 documents")


IMPORT_PROBE = """
import os
import sys
from ingest.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = tuple(os.environ["PROBE_HEAVY"].split(","))
print("LOADED:" + ",".join(sorted(m for m in sys.modules if m.startswith(heavy))))
"""


def probe(args: list[str], heavy: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Run ``wiredesk ARGS`` in a fresh interpreter; (its output, the ``heavy`` modules it imported)."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {}), "PROBE_HEAVY": heavy},
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output, loaded = result.stdout.rsplit("LOADED:", 1)
    return output, loaded.strip()


@pytest.mark.parametrize("args", [["--help"], ["search", "Hafen"], ["show", "1"], ["feeds"]])
def test_light_commands_import_no_heavy_machinery(args: list[str], tmp_path: Path) -> None:
    """No numpy, parsers, pipeline or backfill, no ORM and no PostgreSQL driver on a SQLite store; no
    Alembic either while the store's schema is current (its script machinery imports every migration)."""
    Store.open(f"sqlite:///{tmp_path / 's.db'}").close()  # an existing store: nothing to migrate
    env = {
        "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 's.db'}",
        "WIREDESK_FEEDS": str(tmp_path / "none.toml"),
    }
    heavy = (
        "numpy,lxml,rich,langdetect,ingest.backfill,ingest.pipeline,parsers.text,alembic,"
        "sqlalchemy.orm,sqlalchemy.dialects.postgresql,psycopg"
    )
    _output, loaded = probe(args, heavy, env)
    assert loaded == "", f"{args} imported {loaded}"


def test_parse_imports_no_store_no_alembic_and_no_numpy(tmp_path: Path) -> None:
    """``parse`` stores nothing, so it loads neither the store (SQLAlchemy) nor Alembic; and one document's
    language is scored without numpy (its import alone costs more than the rest of the command), from the
    profile matrix's disk copy that the first run writes."""
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    heavy = "sqlalchemy,storage,alembic,ingest.transports,numpy"
    env = {"WIREDESK_CACHE_DIR": str(tmp_path / "cache")}
    _first, loaded = probe(["parse", str(story)], heavy, env)
    assert loaded.split(",")[0] == "numpy" and "storage" not in loaded, (
        "the first run builds the matrix"
    )
    assert list((tmp_path / "cache").glob("profiles-*.f32"))
    output, loaded = probe(["parse", str(story)], heavy, env)
    assert loaded == "", f"parse imported {loaded}"
    assert json.loads(output)["language"] == "de"


FORMAT_MODULES = (
    "lxml,feedparser,numpy,parsers.rss,parsers.atom,parsers.nitf,parsers.text,parsers._feeds"
)


def test_feeds_forcing_a_format_imports_no_parser(tmp_path: Path) -> None:
    """Forced format names are checked against the names the format modules' sources declare: ``feeds``
    with a feed forcing ``rss`` loads neither the format modules, nor lxml nor feedparser."""
    Store.open(f"sqlite:///{tmp_path / 's.db'}").close()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[[feed]]\nname = "wire"\nurl = "https://wire.example/rss"\nformat = "rss"\n',
        encoding="utf-8",
    )
    env = {"WIREDESK_DB_URL": f"sqlite:///{tmp_path / 's.db'}", "WIREDESK_FEEDS": str(feeds)}
    output, loaded = probe(["feeds"], FORMAT_MODULES, env)
    assert "wire" in output and loaded == ""


def test_feeds_forcing_an_unknown_format_is_still_refused(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[[feed]]\nname = "wire"\nurl = "https://wire.example/rss"\nformat = "rss3"\n',
        encoding="utf-8",
    )
    shown = run("feeds", db=tmp_path / "s.db", cwd=tmp_path, env={"WIREDESK_FEEDS": str(feeds)})
    assert shown.returncode == 2
    assert "unknown format 'rss3'" in shown.stderr and "nitf" in shown.stderr


def test_parse_loads_only_the_format_modules_sniffing_reaches(tmp_path: Path) -> None:
    """A NITF file is sniffed by the formats ranked before NITF and parsed by NITF alone: feedparser, the
    feed, HTML and text-dump parsers and their grammars are not imported."""
    story = tmp_path / "story.xml"
    story.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><nitf><head><title>Hafen</title></head><body>'
        "<body.head><hedline><hl1>Neuer Hafen eröffnet</hl1></hedline></body.head><body.content>"
        "<p>Der neue Hafen ist am Montag nach vier Jahren Bauzeit eröffnet worden, teilte die Stadt "
        "mit. Die ersten Schiffe legten am Nachmittag an.</p></body.content></body></nitf>",
        encoding="utf-8",
    )
    heavy = (
        "feedparser,parsers._feeds,parsers.rss,parsers.atom,parsers.html,parsers._html_body,"
        "parsers.text,parsers._timelines,parsers.iptc7901,parsers.anpa1312"
    )
    output, loaded = probe(["parse", str(story)], heavy)
    assert '"source_format": "nitf"' in output and loaded == ""


def test_feeds_shows_the_delivery_line_of_a_transport_feed(tmp_path: Path) -> None:
    """``wiredesk feeds`` prints the transport's stored state (cursor, acknowledgements) under its feed."""
    from ingest.transports.state import load_transport_state, save_transport_state
    from storage.store import Store

    db = tmp_path / "s.db"
    store = Store.open(f"sqlite:///{db}")
    state = load_transport_state(store, "dpa-queue", "dpa-wireq")
    state.acknowledged, state.pending_acks = 12, 1
    save_transport_state(store, "dpa-queue", state)
    store.close()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[[feed]]\nname = "dpa-queue"\nurl = "https://wireq.example/queue/"\ntransport = "dpa-wireq"\n'
        'auth = { type = "bearer", token_env = "DPA_TOKEN" }\n',
        encoding="utf-8",
    )
    shown = run("feeds", db=db, cwd=tmp_path, env={"WIREDESK_FEEDS": str(feeds)})
    assert shown.returncode == 0, shown.stderr
    assert (
        "dpa-wireq" in shown.stdout and "acked 12" in shown.stdout and "pending 1" in shown.stdout
    )


def test_the_bundled_feed_list_loads(tmp_path: Path) -> None:
    """``make run``'s feed list (a feed forcing ``format = "rss"``) loads in every command that reads it."""
    from ingest.cli_service import load_feed_list

    bundled = Path(__file__).resolve().parents[1] / "config" / "feeds.toml"
    env = {"WIREDESK_FEEDS": str(bundled)}
    shown = run("feeds", db=tmp_path / "s.db", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "demo-rss" in shown.stdout
    from config.settings import Settings

    feeds = load_feed_list(Settings.from_env({"WIREDESK_FEEDS": str(bundled)}))
    assert any(feed.format == "rss" for feed in feeds)
    forced = tmp_path / "forced.toml"
    forced.write_text('[[feed]]\nname = "x"\npath = "in"\nformat = "nosuch"\n', encoding="utf-8")
    refused = run("feeds", db=tmp_path / "s.db", cwd=tmp_path, env={"WIREDESK_FEEDS": str(forced)})
    assert refused.returncode != 0 and "nosuch" in refused.stderr


@pytest.mark.parametrize(
    ("since", "reason"),
    [
        ("99999999d", "too far back"),
        ("99999999999999999999999h", "too far back"),
        ("0001-01-01T00:00+01:00", "outside the range of dates"),
    ],
)
def test_time_filters_without_a_utc_instant_are_refused_not_a_traceback(
    tmp_path: Path, since: str, reason: str
) -> None:
    result = run("search", "--since", since, "x", db=tmp_path / "s.db", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert reason in result.stderr and "want a duration" not in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["ingest", "--workers", "999", "."], ["--workers", "at most", "999"]),
        (
            ["ingest", "--workers", "\u0663", "."],
            ["want a whole number", "\u0663"],
        ),  # Arabic-Indic 3
        (["ingest", "--batch", "1_000", "."], ["want a whole number"]),
        (["ingest", "--batch", "99999999999999", "."], ["--batch", "at most 10,000"]),
        (["backfill", "--batch", "10001", "."], ["--batch", "at most 10,000"]),
        (["serve", "--port", "99999"], ["--port", "0-65535"]),
        (["--log-level", "bogus", "feeds"], ["--log-level", "BOGUS"]),
        (["backfill", "--workers", "-1", "."], ["--workers"]),
        (["frobnicate"], ["invalid choice", "frobnicate"]),
    ],
)
def test_argument_errors_are_one_line(args: list[str], words: list[str], tmp_path: Path) -> None:
    """A refused argument is one line naming it, with where to look (not the usage block above it)."""
    result = run(*args, db=tmp_path / "s.db", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("wiredesk") and "--help" in line
    for word in words:
        assert word in line, line


@pytest.mark.parametrize(
    ("first", "second", "said", "status"),
    [
        (2, 15, "SIGINT, then SIGTERM", 143),
        (15, 15, "SIGTERM twice", 143),
        (2, 2, "SIGINT twice", 130),
    ],
)
def test_the_second_signal_is_named_as_it_came(
    first: int, second: int, said: str, status: int
) -> None:
    stopped = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ingest.backfill.engine import _StopOnSignal\n"
            f"_StopOnSignal.stop_now({second}, {first})",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert stopped.returncode == status
    assert stopped.stderr == f"wiredesk: stopped at once ({said}); committed batches are kept\n"


def test_the_same_relative_time_is_one_instant(tmp_path: Path) -> None:
    """``--since 1h --until 1h`` is an empty window, refused as the desk and the API refuse it (the CLI read
    the clock twice and answered "no articles match")."""
    result = run("search", "--since", "1h", "--until", "1h", db=tmp_path / "s.db", cwd=tmp_path)
    assert result.returncode == 2
    assert "--since must be earlier than --until" in result.stderr


def test_parse_reads_a_gzipped_document_and_points_a_tar_to_backfill(tmp_path: Path) -> None:
    """``story.txt.gz`` compresses one document: parse reads it (as the webpage set's ``*.html.gz``); a
    tar, also one named ``.gz``, is an archive: one line pointing to backfill/ingest."""
    import gzip
    import tarfile

    single = tmp_path / "story.txt.gz"
    single.write_bytes(gzip.compress(STORY.encode()))
    parsed = run("parse", str(single), db=tmp_path / "s.db", cwd=tmp_path)
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["headline"] == "Aufräumen im Hafen beginnt"
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    for name in ("two.tar.gz", "two.gz"):
        with tarfile.open(tmp_path / name, "w:gz") as packed:
            packed.add(story, arcname="a.txt")
            packed.add(story, arcname="b.txt")
        refused = run("parse", str(tmp_path / name), db=tmp_path / "s.db", cwd=tmp_path)
        assert refused.returncode == 2 and refused.stdout == ""
        (line,) = refused.stderr.strip().splitlines()
        assert "is an archive" in line and "wiredesk backfill" in line


def test_show_prints_what_an_editor_acts_on() -> None:
    """Editor's notes, signals, the feed and topics are shown; a record without text says so; related
    items show where they lead."""
    from ingest.cli_store import render
    from normalizers.record import ArticleRecord, RelatedItem

    record = ArticleRecord(
        guid="urn:newsml:example:list#pkg-1",
        source_format="newsmlg2",
        id=7,
        feed="reuters-top",
        headline="Storm closes ports",
        signals=["correction"],
        subjects=["weather"],
        ednotes=["Corrects name of port in paragraph 3", "Embargoed until 0600 GMT"],
        related=[RelatedItem(title="Ports reopen", url="https://example.com/ports")],
    )
    shown = render(record)
    assert "  feed: reuters-top" in shown and "  signals: correction" in shown
    assert "  subjects: weather" in shown
    assert "  ednote: Corrects name of port in paragraph 3" in shown
    assert "  ednote: Embargoed until 0600 GMT" in shown
    assert "(no text of its own)" in shown
    assert "  - Ports reopen  <https://example.com/ports>" in shown
    record.body = ["The storm closed every port on the coast."]
    assert "(no text of its own)" not in render(record)
