"""Two topicbot services on one PostgreSQL database poll a feed once per interval.

The services are built the way `topicbot run` builds them (`Services.build`, `schedule_polls`)
and share nothing but the database and the feed server, which counts the fetches.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.runtime import Services, schedule_polls
from tests.configs import keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20

Job = Callable[[], Awaitable[object]]


def jobs_of(services: Services) -> dict[str, Job]:
    jobs: dict[str, Job] = {}
    schedule_polls(lambda job, _interval, name: jobs.__setitem__(name, job), services.pipeline)
    return jobs


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_two_processes_fetch_a_feed_once_and_take_over_a_dead_ones_lease(
    tmp_path: Path, postgres_url: str
) -> None:
    with FeedServer() as server:
        body = rss20([("urn:dr:1", "https://dr.dk/1", "Nato holder topmøde")])
        url = server.add("/dr.xml", body)
        config = parse_config(
            keyword_config(
                feeds=f"  - name: DR\n    url: {url}\n    interval: 1h",
                storage={"url": postgres_url, "poll_lease": "1s"},
            ),
            base_dir=tmp_path,
        )
        one, two = Services.build(config), Services.build(config)
        try:
            first, second = jobs_of(one)["poll feed DR"], jobs_of(two)["poll feed DR"]
            await asyncio.gather(first(), second())  # both fire at once
            assert server.stats("/dr.xml").requests == 1
            assert one.store.pending_count() == 0  # no chat: nothing queued, nothing doubled
            assert one.store.article_count() == 1
            await asyncio.gather(first(), second())  # not due for an hour
            assert server.stats("/dr.xml").requests == 1

            # A process claimed the feed and died mid-poll: after the lease another polls it.
            one.store.release_source("DR", datetime.now(UTC))  # due again now
            assert one.store.claim_source("DR", lease=1.0)
            assert await second() is None
            deadline = time.monotonic() + 10
            while server.stats("/dr.xml").requests < 2:
                assert time.monotonic() < deadline, "the lease never ran out"
                await second()
                await asyncio.sleep(0.1)
        finally:
            for s in (one, two):
                await s.aclose()
