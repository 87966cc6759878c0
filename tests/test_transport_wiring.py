"""Transport feeds from feeds.toml through the poller, the service and the health table.

A real wireQ queue on 127.0.0.1 (``bench.wireq``) behind a feed written as an operator would write it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.wireq import make_entry, running_queue
from config.feeds import ConfigError, load_feeds
from config.settings import Settings
from ingest.health import feeds_table
from ingest.poller import FeedPoller, PollOutcome
from ingest.service import WireService
from ingest.transports.state import transport_summaries
from parsers import format_names
from storage.feeds import all_states
from storage.store import Store

FAST = Settings(retries=0, connect_timeout=2, read_timeout=5, total_timeout=10)


def feeds_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_wireq_feed_is_polled_with_one_kept_transport_and_shown_in_health(
    tmp_path: Path, store: Store
) -> None:
    with running_queue(batch=2, idle_retry=7) as queue:
        queue.put(*(make_entry(n) for n in range(3)))
        (feed,) = load_feeds(
            feeds_file(
                tmp_path,
                f'[[feed]]\nname = "dpa"\ntransport = "dpa-wireq"\nurl = "{queue.base_url}"\n'
                'format = "digitalwires"\noptions = { max_per_poll = 50 }\n',
            ),
            format_names(),
        )
        poller = FeedPoller(store, FAST)
        first = poller.poll(feed)
        kept = poller._transports["dpa"][1]
        assert (first.status, first.new, first.documents) == ("ok", 3, 3)
        assert first.retry_after == 7  # the queue's pacing reaches the scheduler
        queue.put(make_entry(3))
        second = poller.poll(feed)
        assert second.new == 1 and poller._transports["dpa"][1] is kept
        poller.close()
        assert poller._transports == {}
    table = feeds_table([feed], all_states(store), deliveries=transport_summaries(store))
    delivery = table.splitlines()[-1].strip()
    assert delivery.startswith("dpa-wireq, acked 4, pending 0, retry-after 7s"), table


def test_a_capped_poll_with_more_waiting_comes_back_soon(tmp_path: Path, store: Store) -> None:
    with running_queue(batch=2) as queue:
        queue.put(*(make_entry(n) for n in range(5)))
        (feed,) = load_feeds(
            feeds_file(
                tmp_path,
                f'[[feed]]\nname = "dpa"\ntransport = "dpa-wireq"\nurl = "{queue.base_url}"\n'
                "options = { max_per_poll = 2 }\n",
            ),
            format_names(),
        )
        outcome = FeedPoller(store, FAST).poll(feed)
        assert outcome.documents == 2 and queue.remaining == 3
        assert outcome.retry_after is not None and outcome.retry_after <= 1.0  # the queue said 0


def test_a_changed_feed_reopens_its_transport(tmp_path: Path, store: Store) -> None:
    with running_queue() as queue:
        text = f'[[feed]]\nname = "dpa"\ntransport = "dpa-wireq"\nurl = "{queue.base_url}"\n'
        (feed,) = load_feeds(feeds_file(tmp_path, text), format_names())
        poller = FeedPoller(store, FAST)
        poller.poll(feed)
        old = poller._transports["dpa"][1]
        (changed,) = load_feeds(
            feeds_file(tmp_path, text + 'options = { mode = "dequeue" }\n'), format_names()
        )
        poller.poll(changed)
        assert poller._transports["dpa"][1] is not old
        poller.close()


def test_a_broken_transport_is_a_failed_poll_with_one_line(tmp_path: Path, store: Store) -> None:
    (feed,) = load_feeds(
        feeds_file(
            tmp_path,
            '[[feed]]\nname = "afp"\ntransport = "afp-api"\nurl = "http://127.0.0.1:9/"\n'
            'auth = { type = "oauth2-password", client_id_env = "NO_SUCH_ID", '
            'client_secret_env = "NO_SUCH_SECRET", username_env = "U", password_env = "P" }\n',
        ),
        format_names(),
    )
    outcome = FeedPoller(store, FAST).poll(feed)
    assert outcome.status == "error"
    assert outcome.error == "environment variable U (OAuth2 user) is not set"


class _Paced(FeedPoller):
    """A poller whose outcome carries the server's Retry-After (no network needed for scheduling)."""

    def __init__(self, store: Store, retry_after: float | None, failed: bool) -> None:
        super().__init__(store, FAST)
        self.retry_after, self.failed = retry_after, failed

    def poll(self, feed: object) -> PollOutcome:
        status = "error" if self.failed else "ok"
        return PollOutcome(feed="q", status=status, retry_after=self.retry_after, error=None)


@pytest.mark.parametrize(("retry_after", "failed"), [(45.0, False), (120.0, True)])
def test_the_service_schedules_the_next_poll_by_retry_after(
    tmp_path: Path, store: Store, retry_after: float, failed: bool
) -> None:
    (feed,) = load_feeds(
        feeds_file(
            tmp_path,
            '[[feed]]\nname = "q"\ntransport = "dpa-wireq"\nurl = "http://127.0.0.1:9/q/"\n'
            'interval = "10m"\n',
        ),
        format_names(),
    )
    service = WireService(store, FAST, [feed], poller=_Paced(store, retry_after, failed))
    service.start()
    try:
        service.scheduler.pause()
        before = datetime.now(UTC)
        service._poll_and_reschedule(feed)
        job = service.scheduler.get_job("q")
        assert job is not None
        wait = job.next_run_time - before
        assert timedelta(seconds=retry_after - 1) < wait < timedelta(seconds=retry_after + 2)
    finally:
        service.stop()


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ('transport = "carrier-pigeon"\nurl = "https://x.example/"', "transport", "unknown"),
        ('transport = "dpa-wireq"\npath = "/srv/x"', "path", "path is for transport folder"),
        ('transport = "dpa-wireq"\nurl = "https://x/"\noptions = { mood = 1 }', "options", "mood"),
        ('transport = "ftp"\nurl = "ftp://u:p@x/in"', "url", "credentials in the URL"),
        ('transport = "sftp"\nurl = "ftp://x/in"', "url", "sftp://host/folder"),
        ('url = "https://x/"\nauth = { type = "oauth2-client-credentials" }', "auth", "is for"),
        (
            'transport = "reuters-connect"\nurl = "https://x/"\n'
            'auth = { type = "oauth2-client-credentials", client_id_env = "I" }',
            "auth",
            "client_secret_env",
        ),
        (
            'transport = "afp-api"\nurl = "https://x/"\n'
            'auth = { type = "oauth2-password", client_id_env = "I", client_secret_env = "S", '
            'username_env = "U", password_env = "P", password = "hunter2" }',
            "auth",
            "unknown key",
        ),
    ],
)
def test_transport_mistakes_name_the_key(tmp_path: Path, body: str, key: str, message: str) -> None:
    path = feeds_file(tmp_path, f'[[feed]]\nname = "a"\n{body}\n')
    with pytest.raises(ConfigError) as raised:
        load_feeds(path, format_names())
    assert raised.value.key == f"feed 'a': {key}" and message in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_transport_defaults_and_tables(tmp_path: Path) -> None:
    path = feeds_file(
        tmp_path,
        '[[feed]]\nname = "web"\nurl = "https://x.example/a.xml"\n'
        '[[feed]]\nname = "drop"\npath = "in"\n'
        '[[feed]]\nname = "rc"\ntransport = "reuters-connect"\nurl = "https://x.example/graphql"\n'
        'options = { page_size = 20, filter = { language = "de" } }\n'
        'auth = { type = "oauth2-client-credentials", client_id_env = "I", '
        'client_secret_env = "S", audience = "aud-1" }\n',
    )
    web, drop, rc = load_feeds(path, format_names())
    assert web.transport is None and drop.transport is None
    assert rc.transport == "reuters-connect" and rc.auth is None
    assert rc.options == {"page_size": 20, "filter": {"language": "de"}}
    assert rc.auth_table["audience"] == "aud-1" and rc.auth_table["client_id_env"] == "I"


def test_the_readme_transport_examples_load(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Agency delivery: transports") :]
    example = section[
        section.index("```toml\n") + 8 : section.index("```\n", section.index("```toml"))
    ]
    feeds = load_feeds(feeds_file(tmp_path, example), format_names())
    kinds = {feed.transport for feed in feeds}
    assert kinds == {
        "dpa-wireq",
        "afp-api",
        "ap-media",
        "reuters-connect",
        "ftps",
        "sftp",
        "pages",
    }
    from ingest.transports import TRANSPORTS

    assert set(TRANSPORTS) == kinds | {"ftp"}  # every transport has its example (ftp as ftps)
