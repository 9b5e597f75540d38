"""Full text as a polite crawler: robots.txt honoured, one request at a time per host.

Real loopback servers; the pages are on 127.0.0.1, so the outbound policy's address check is
lifted (`allow_private_networks`) — these tests are about manners, not addresses.
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.robotparser
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio

from bot.article import Article
from bot.config import FetchConfig
from bot.sources.fetcher import make_client
from bot.sources.fulltext import PageManners, fetch_full_text
from bot.sources.robots import MAX_CRAWL_DELAY, RobotsRules, product_token
from tests.standins.feed_server import FeedServer

HTML = "text/html; charset=utf-8"
PAGE = (
    "<!DOCTYPE html><html><head><title>Nyhed</title></head><body><article><h1>Nyhed</h1>"
    + "<p>Forsvarsministeren præsenterer en ny aftale om Nato og det danske forsvar.</p>" * 4
    + "</article></body></html>"
).encode()
PATHS = ["/nyheder/1", "/nyheder/2", "/nyheder/3"]


def cfg(**changes: object) -> FetchConfig:
    base: dict[str, object] = {
        "total_timeout": 2.0,
        "read_timeout": 1.0,
        "connect_timeout": 1.0,
        "allow_private_networks": True,
        "page_pause": 0,
        "contact_url": "https://nyhedsbot.example.dk/kontakt",
    }
    return FetchConfig.model_validate(base | changes)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        for path in PATHS:
            s.add(path, PAGE, content_type=HTML)
        yield s


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    c = make_client(cfg())
    try:
        yield c
    finally:
        await c.aclose()


async def _fetch_all(
    server: FeedServer, client: httpx.AsyncClient, fetch_cfg: FetchConfig
) -> list[Article]:
    manners = PageManners(client, fetch_cfg)
    articles = [
        Article(id=f"t:{p}", source="Test", title="Overskrift", text="Manchet.", link=server.url(p))
        for p in PATHS
    ]
    return list(
        await asyncio.gather(
            *(
                fetch_full_text(client, a, fetch_cfg, source="Test", manners=manners)
                for a in articles
            )
        )
    )


def test_product_token() -> None:
    assert product_token(cfg().user_agent) == "topicbot"
    assert (
        cfg().user_agent
        == "topicbot/0.1 (+https://nyhedsbot.example.dk/kontakt; Danish news alerts)"
    )


@pytest.mark.parametrize(
    ("robots", "fetched"),
    [
        ("User-agent: *\nDisallow: /nyheder/\n", False),
        ("User-agent: *\nDisallow: /admin/\n", True),
        # Our own group first, whatever the order in the file.
        ("User-agent: *\nDisallow: /\n\nUser-agent: topicbot\nAllow: /\n", True),
        ("User-agent: topicbot\nDisallow: /nyheder\n\nUser-agent: *\nAllow: /\n", False),
    ],
)
@pytest.mark.asyncio
async def test_robots_txt_decides_and_is_read_once(
    server: FeedServer,
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    robots: str,
    fetched: bool,
) -> None:
    server.add("/robots.txt", robots.encode(), content_type="text/plain")
    with caplog.at_level(logging.INFO, logger="bot.sources.fulltext"):
        out = await _fetch_all(server, client, cfg())
    assert server.stats("/robots.txt").requests == 1
    assert [server.stats(p).requests for p in PATHS] == [1 if fetched else 0] * 3
    assert all(("Forsvarsministeren" in a.text) is fetched for a in out)
    if not fetched:
        assert all(a.text == "Manchet." for a in out)
        assert "disallowed by robots.txt" in caplog.text
    ua = server.stats("/robots.txt").last_headers["User-Agent"]
    assert ua.startswith("topicbot/") and "https://nyhedsbot.example.dk/kontakt" in ua


@pytest.mark.parametrize(("status", "fetched"), [(404, True), (403, True), (503, False)])
@pytest.mark.asyncio
async def test_missing_robots_allows_and_unreachable_robots_forbids(
    server: FeedServer, client: httpx.AsyncClient, status: int, fetched: bool
) -> None:
    server.error("/robots.txt", status)
    await _fetch_all(server, client, cfg())
    assert server.stats("/robots.txt").requests == 1
    assert [server.stats(p).requests for p in PATHS] == [1 if fetched else 0] * 3


@pytest.mark.asyncio
async def test_one_request_at_a_time_per_host_with_a_pause(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    """Each page takes 0.2 s to answer; pause 0.25 s. Concurrent requests would take ~0.2 s
    in all; one at a time with the pauses takes at least 3 × 0.2 + 3 × 0.25 (robots.txt is a
    request too)."""
    server.add("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
    for path in PATHS:
        server.update(path, delay=0.2)
    started = time.perf_counter()
    out = await _fetch_all(server, client, cfg(page_pause=0.25))
    elapsed = time.perf_counter() - started
    assert all("Forsvarsministeren" in a.text for a in out)
    assert elapsed >= 3 * 0.2 + 3 * 0.25


def test_crawl_delay_for_us_is_read_and_capped() -> None:
    """(The pause it sets is the one `test_one_request_at_a_time_per_host_with_a_pause` times.)"""
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(["User-agent: topicbot", "Crawl-delay: 7", "", "User-agent: *", "Crawl-delay: 1"])
    parser.modified()
    assert RobotsRules(parser, True, "", 0).crawl_delay("topicbot") == 7
    slow = urllib.robotparser.RobotFileParser()
    slow.parse(["User-agent: topicbot", "Crawl-delay: 86400"])
    slow.modified()
    assert RobotsRules(slow, True, "", 0).crawl_delay("topicbot") == MAX_CRAWL_DELAY
