"""Crawling manners for article pages: robots.txt (RFC 9309, ``urllib.robotparser``) and a per-host pace.

robots.txt is fetched with the transports' HTTP client (timeouts, size cap, our User-Agent), not with
``RobotFileParser.read`` (no timeout, no cap), and kept per host for ``ROBOTS_TTL`` seconds. As RFC 9309
section 2.3.1.3/2.3.1.4 says: a 4xx answer means no rules (everything allowed), a 5xx answer or an
unreachable server means everything is disallowed until it can be read. The pace is the feed's
``rate_limit`` (seconds between two requests to one host) or the host's ``Crawl-delay``, whichever is longer.
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ingest.transports.base import TransportError
from ingest.transports.http import TransportHttp

log = logging.getLogger(__name__)
ROBOTS_TTL = 3600.0
ROBOTS_CAP = 512 * 1024
UNAVAILABLE_TTL = 300.0  # an unreadable robots.txt is asked again after this long


@dataclass(slots=True)
class _Rules:
    parser: urllib.robotparser.RobotFileParser | None  # None: the whole host is off limits for now
    read_at: float

    @property
    def ttl(self) -> float:
        return ROBOTS_TTL if self.parser is not None else UNAVAILABLE_TTL


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class Manners:
    """robots.txt and pacing for one feed's page fetches (one instance per transport, so it lasts)."""

    def __init__(
        self,
        http: TransportHttp,
        user_agent: str,
        rate_limit: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http, self.user_agent, self.rate_limit = http, user_agent, rate_limit
        self.clock, self.sleep = clock, sleep
        self._rules: dict[str, _Rules] = {}
        self._next: dict[str, float] = {}

    def allowed(self, url: str) -> bool | None:
        """Whether robots.txt of ``url``'s host lets our User-Agent fetch it; ``None`` while the host's
        robots.txt cannot be read (nothing may be fetched, nothing decided)."""
        rules = self._rules_for(host_of(url))
        if rules.parser is None:
            return None
        return rules.parser.can_fetch(self.user_agent, url)

    def wait_turn(self, url: str) -> None:
        """Sleep until the host of ``url`` may be asked again; then book the next turn."""
        host = host_of(url)
        rules = self._rules.get(host)
        delay = self.rate_limit
        if rules is not None and rules.parser is not None:
            crawl_delay = rules.parser.crawl_delay(self.user_agent)
            if crawl_delay is not None:
                delay = max(delay, float(crawl_delay))
        now = self.clock()
        turn = self._next.get(host, now)
        if turn > now:
            self.sleep(turn - now)
        self._next[host] = max(turn, now) + delay

    def _rules_for(self, host: str) -> _Rules:
        cached = self._rules.get(host)
        if cached is not None and self.clock() - cached.read_at < cached.ttl:
            return cached
        self.wait_turn(host + "/robots.txt")
        parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser()
        assert parser is not None
        try:
            answer = self.http.request("GET", host + "/robots.txt", cap=ROBOTS_CAP)
        except TransportError as exc:
            log.warning(
                "robots.txt unreadable: host skipped", extra={"host": host, "error": str(exc)}
            )
            parser = None
        else:
            if answer.status == 200:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            elif 400 <= answer.status < 500:
                parser.parse([])  # no rules
            else:
                log.warning(
                    "robots.txt unavailable: host skipped",
                    extra={"host": host, "status": answer.status},
                )
                parser = None
        rules = _Rules(parser, self.clock())
        self._rules[host] = rules
        return rules
