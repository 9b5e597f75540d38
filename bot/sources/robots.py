"""robots.txt for full-text fetching: fetching item pages is crawling, and sites say what may
be crawled.

Python's `urllib.robotparser` does the matching; this module decides when to ask and what a
missing or broken robots.txt means (RFC 9309):

* one robots.txt per origin (scheme, host, port), fetched through the same client as pages
  (so through the outbound policy), cached for a day;
* 2xx: its rules; 4xx (no robots.txt, 403 …): everything allowed; 5xx, 429, a timeout, a
  network error or a refused redirect: nothing allowed ("unreachable" — the site may be
  struggling), retried after an hour rather than a day;
* rules are matched for the product token of our User-Agent (``topicbot``): a ``topicbot``
  group wins over ``*`` (robotparser checks named groups before the default one);
* ``Crawl-delay`` for us lengthens the pause between page requests to that host (capped).
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from bot.config import FetchConfig
from bot.errors import FetchError
from bot.sources.fetcher import HTTPStatusFetchError, RefusedFetchError, fetch

__all__ = ["ROBOTS_MAX_BYTES", "RobotsCache", "RobotsRules", "origin_of", "product_token"]

log = logging.getLogger(__name__)

#: RFC 9309 asks crawlers to read at least 500 KiB; more is not worth holding.
ROBOTS_MAX_BYTES = 512_000
RULES_TTL = 86_400.0
UNREACHABLE_TTL = 3_600.0
#: A Crawl-delay longer than this is treated as this: a page pause holds the feed's poll.
MAX_CRAWL_DELAY = 30.0


def origin_of(url: str) -> str:
    """``https://www.dr.dk:443/nyheder/x`` → ``https://www.dr.dk:443`` (robots.txt's scope)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def product_token(user_agent: str) -> str:
    """``topicbot/0.1 (+https://…)`` → ``topicbot``: what robots.txt groups are matched on."""
    return user_agent.split("/", 1)[0].split()[0].lower() if user_agent.strip() else "*"


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """One origin's answer: a parser, or allow/deny everything; why, for the logs."""

    parser: urllib.robotparser.RobotFileParser | None
    allow_all: bool
    why: str
    expires: float

    def allows(self, agent: str, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay is not None else None


class RobotsCache:
    """robots.txt rules per origin, fetched on first need and kept for a day."""

    def __init__(self, client: httpx.AsyncClient, fetch_cfg: FetchConfig) -> None:
        self.client = client
        self.fetch_cfg = fetch_cfg
        self.agent = product_token(fetch_cfg.user_agent)
        self._rules: dict[str, RobotsRules] = {}

    def cached(self, origin: str) -> RobotsRules | None:
        rules = self._rules.get(origin)
        if rules is None or rules.expires <= time.monotonic():
            return None
        return rules

    async def load(self, origin: str, *, source: str) -> RobotsRules:
        """Fetch and parse ``origin``'s robots.txt (one request, plus its redirects)."""
        url = f"{origin}/robots.txt"
        now = time.monotonic()
        try:
            response = await fetch(
                self.client,
                url,
                source=source,
                fetch_cfg=self.fetch_cfg,
                max_bytes=ROBOTS_MAX_BYTES,
            )
        except HTTPStatusFetchError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                rules = RobotsRules(None, True, f"{url}: {exc.reason}", now + RULES_TTL)
            else:
                rules = RobotsRules(None, False, f"{url}: {exc.reason}", now + UNREACHABLE_TTL)
        except RefusedFetchError:
            raise  # the outbound policy's refusal: the caller reports it as one
        except FetchError as exc:
            rules = RobotsRules(None, False, f"{url}: {exc.reason}", now + UNREACHABLE_TTL)
        else:
            parser = urllib.robotparser.RobotFileParser(url)
            text = response.content.decode("utf-8", errors="replace")
            await asyncio.to_thread(parser.parse, text.splitlines())
            parser.modified()  # can_fetch answers False until a read is recorded
            rules = RobotsRules(parser, True, url, now + RULES_TTL)
        log.debug("%s: robots.txt of %s: %s", source, origin, rules.why)
        self._rules[origin] = rules
        return rules
