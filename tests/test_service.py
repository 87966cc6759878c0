"""The scheduled service: drop folders, independent feeds, backoff, and a clean SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from config.feeds import FeedConfig
from config.settings import Settings
from ingest.backfill import worker
from ingest.backfill.engine import CHUNK
from ingest.backfill.worker import Parsed, Task, parse_chunk
from ingest.dropfolder import ready_files
from ingest.fetch import HttpFetcher
from ingest.poller import FeedPoller, PollOutcome
from ingest.service import WireService, backoff_delay
from storage.feeds import load_state
from storage.search import ArticleQuery, search
from storage.store import Store
from tests.service_run import running_service
from tests.wire_server import send, wire_server

STORY = "Titel {n}\n\nBerlin (dpa) - Meldung Nummer {n} berichtet ausführlich über die Lage in der Stadt und die Pläne des Senats.\n\ndpa\n"
WIREDESK = Path(sys.executable).parent / "wiredesk"


def write_story(folder: Path, n: int, age: float = 10.0) -> Path:
    path = folder / f"story-{n}.txt"
    path.write_text(STORY.format(n=n), encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def test_drop_folder_takes_finished_files_and_moves_them(tmp_path: Path, store: Store) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_story(inbox, 1)
    write_story(inbox, 2, age=0)  # still being written
    (inbox / "story-3.txt.part").write_text("half", encoding="utf-8")
    (inbox / "broken.xml").write_bytes(b"<NewsML><x")
    os.utime(inbox / "broken.xml", (time.time() - 10, time.time() - 10))
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the wire", encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside)

    settings = Settings(settle_seconds=2.0)
    outcome = FeedPoller(store, settings).poll(FeedConfig(name="inbox", path=inbox, interval=5))
    assert (outcome.new, outcome.quarantined) == (1, 1)
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["story-1.txt"]
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == ["broken.xml"]
    assert (inbox / "story-2.txt").exists() and (inbox / "story-3.txt.part").exists()
    assert outside.exists() and (inbox / "link.txt").is_symlink()
    assert [p.name for p in ready_files(inbox, 2.0, now=time.time() + 5)] == ["story-2.txt"]


def test_backoff_doubles_up_to_the_cap() -> None:
    assert backoff_delay(60, 0, 3600) == 60
    assert backoff_delay(60, 1, 3600) == 120
    assert backoff_delay(60, 3, 3600) == 480
    assert backoff_delay(60, 10, 3600) == 3600


def test_two_feeds_run_independently_and_a_failing_one_backs_off(
    tmp_path: Path, store: Store
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with wire_server() as server:
        bad = server.route("/down", send(500))
        settings = Settings(retries=0, settle_seconds=0.2, backoff_cap=60)
        feeds = [
            FeedConfig(name="inbox", path=inbox, interval=1),
            FeedConfig(name="down", url=bad, interval=1),
        ]
        polls: list[PollOutcome] = []
        service = WireService(
            store, settings, feeds, FeedPoller(store, settings, HttpFetcher(settings))
        )
        service.on_poll = polls.append
        service.start()
        try:
            for n in range(3):
                write_story(inbox, n, age=1)
                time.sleep(1.2)
            deadline = time.time() + 10
            while time.time() < deadline and len(search(store, ArticleQuery())) < 3:
                time.sleep(0.2)
        finally:
            service.stop()
        down_polls = [p for p in polls if p.feed == "down"]
        inbox_polls = [p for p in polls if p.feed == "inbox"]
    assert len(search(store, ArticleQuery())) == 3
    assert len(inbox_polls) >= 3
    # the failing feed backed off (1 s, then 2 s, 4 s ...) instead of polling every second
    assert 1 <= len(down_polls) <= 3
    state = load_state(store, "down")
    assert state.consecutive_failures == len(down_polls) and state.last_error
    assert state.next_run is not None


def test_stop_lets_the_in_flight_poll_finish(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopping mid-poll: the files read so far are parsed, committed and moved; the rest wait."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    total = 3 * CHUNK
    for n in range(total):
        write_story(inbox, n)
    settings = Settings(settle_seconds=0)
    feeds = [FeedConfig(name="inbox", path=inbox, interval=60)]
    service = WireService(store, settings, feeds, parse_workers=0)  # the patch is in this process
    started = threading.Event()

    def slow_parse(tasks: list[Task]) -> list[Parsed]:
        started.set()
        time.sleep(0.3)
        return parse_chunk(tasks)

    monkeypatch.setattr(worker, "parse_chunk", slow_parse)
    service.start()
    assert started.wait(5)
    service.stop()
    stored = len(search(store, ArticleQuery(limit=total)))
    done = len(list((inbox / "done").iterdir()))
    waiting = len(list(ready_files(inbox, 0)))
    assert 1 <= stored < total and stored == done  # what was stored was moved, nothing half-done
    assert done + waiting == total


def test_sigterm_stops_the_service_cleanly(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_story(inbox, 1)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feed]]\nname = "inbox"\npath = "{inbox}"\ninterval = "1s"\n', encoding="utf-8"
    )
    with running_service(tmp_path, feeds, env={"WIREDESK_SETTLE_SECONDS": "0"}) as process:
        deadline = time.time() + 30
        while time.time() < deadline and not (inbox / "done").exists():
            time.sleep(0.2)
        assert (inbox / "done").exists(), "the service never ingested the file"
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "service stopped" in err
    assert "poll ok" in err and "feed=inbox" in err


def test_bad_config_stops_the_service_with_one_clear_line(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "x"\nurl = "gopher://old"\n', encoding="utf-8")
    env = {
        **os.environ,
        "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "WIREDESK_FEEDS": str(feeds),
    }
    result = subprocess.run(
        [str(WIREDESK), "run"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"wiredesk: configuration error: {feeds}:3: feed 'x': url: want an http:// or https:// URL, not 'gopher://old'"
    )


def test_feeds_command_shows_health(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "inbox"\npath = "{inbox}"\n', encoding="utf-8")
    env = {
        **os.environ,
        "WIREDESK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "WIREDESK_FEEDS": str(feeds),
    }
    before = subprocess.run(
        [str(WIREDESK), "feeds"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "inbox" in before.stdout and "not polled" in before.stdout
    polled = subprocess.run(
        [str(WIREDESK), "poll", "inbox"], env=env, capture_output=True, text=True, timeout=60
    )
    assert polled.returncode == 0 and polled.stdout.startswith("inbox: ok")
    after = subprocess.run(
        [str(WIREDESK), "feeds"], env=env, capture_output=True, text=True, timeout=60
    )
    assert " ok " in after.stdout
    unknown = subprocess.run(
        [str(WIREDESK), "poll", "nope"], env=env, capture_output=True, text=True, timeout=60
    )
    assert unknown.returncode == 2 and "no feed named 'nope'" in unknown.stderr


def test_sighup_reloads_the_feed_list(tmp_path: Path) -> None:
    """Add a feed, then break the file: the first reload schedules it, the second keeps the list."""
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
    write_story(second, 1)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "a"\npath = "{first}"\ninterval = "1s"\n', encoding="utf-8")
    with running_service(
        tmp_path, feeds, "--no-desk", env={"WIREDESK_SETTLE_SECONDS": "0"}
    ) as process:
        time.sleep(3)  # started and polled feed a
        assert process.poll() is None
        feeds.write_text(
            f'[[feed]]\nname = "a"\npath = "{first}"\ninterval = "2s"\n'
            f'[[feed]]\nname = "b"\npath = "{second}"\ninterval = "1s"\n',
            encoding="utf-8",
        )
        process.send_signal(signal.SIGHUP)
        deadline = time.time() + 30
        while time.time() < deadline and not (second / "done").exists():
            time.sleep(0.2)
        assert (second / "done").exists(), "the added feed was never polled"
        feeds.write_text('[[feed]]\nname = "a"\ninterval = "soon"\n', encoding="utf-8")
        process.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        write_story(second, 2)
        deadline = time.time() + 30
        while time.time() < deadline and len(list((second / "done").iterdir())) < 2:
            time.sleep(0.2)
        assert len(list((second / "done").iterdir())) == 2, "a broken file dropped the feeds"
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "feed list reloaded" in err and "added=b" in err and "rescheduled=a" in err
    assert "feed list not reloaded: keeping the running feeds" in err and "feeds.toml:1" in err


def test_apply_feeds_adds_removes_and_reschedules(store: Store, tmp_path: Path) -> None:
    feed_a = FeedConfig(name="a", path=tmp_path, interval=60)
    feed_b = FeedConfig(name="b", path=tmp_path, interval=60)
    service = WireService(store, Settings(), [feed_a, feed_b])
    service.start()
    try:
        changes = service.apply_feeds(
            [
                replace(feed_a, interval=30),
                replace(feed_b, enabled=False),
                FeedConfig("c", path=tmp_path),
            ]
        )
        assert changes == {"added": ["c"], "removed": ["b"], "rescheduled": ["a"]}
        assert sorted(job.id for job in service.scheduler.get_jobs()) == ["a", "c"]
        assert service.apply_feeds(
            [replace(feed_a, interval=30), FeedConfig("c", path=tmp_path)]
        ) == {
            "added": [],
            "removed": [],
            "rescheduled": [],
        }
    finally:
        service.stop()


def test_parse_workers_setting_reaches_the_poller(store: Store) -> None:
    """``WIREDESK_PARSE_WORKERS``: 0 parses in the service, N starts N parser processes, -1 the default."""
    from ingest.service import default_parse_workers

    for value, expected in (("0", 0), ("2", 2), ("-1", default_parse_workers())):
        settings = Settings.from_env({"WIREDESK_PARSE_WORKERS": value})
        assert WireService(store, settings, []).poller.workers == expected
    assert WireService(store, Settings(), [], parse_workers=1).poller.workers == 1  # argument wins


def test_store_outage_during_a_poll_is_one_line_and_backs_off(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The database stops: each poll logs one WARNING (no traceback) and the feed backs off."""
    import logging

    from sqlalchemy.exc import OperationalError

    feed = FeedConfig(name="inbox", path=tmp_path, interval=5)
    service = WireService(store, Settings(), [feed], parse_workers=0)

    def down(_feed: FeedConfig) -> PollOutcome:
        raise OperationalError("SELECT 1", {}, ConnectionError("connection refused"))

    monkeypatch.setattr(service.poller, "poll", down)
    with caplog.at_level(logging.WARNING, logger="ingest.service"):
        service._poll_job("inbox")
        service._poll_job("inbox")
    lines = [r for r in caplog.records if r.name == "ingest.service"]
    assert [r.getMessage() for r in lines] == ["store unavailable: poll postponed"] * 2
    assert all(r.exc_info is None for r in lines)
    assert service.failures["inbox"] == 2
