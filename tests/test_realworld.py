"""Real inputs nobody on the project wrote (``../shared/fixtures/realworld``): every distinct
story of every feed is stored once, and every OPML export is imported or reported.

One module, one loopback server for all feeds, in-process polls: the checks stay fast.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest
import pytest_asyncio

from bot.config import FeedConfig, FetchConfig, parse_config
from bot.opml import export_opml, parse_opml, plan_import
from bot.pipeline import Pipeline
from bot.sources.feed import poll_feed
from bot.sources.fetcher import make_client
from bot.store import Store
from classifiers.factory import build_classifier
from tests.conftest import SHARED
from tests.standins.feed_server import FeedServer

REALWORLD = SHARED / "fixtures" / "realworld"
FEEDS = sorted((REALWORLD / "feeds").glob("*")) if REALWORLD.is_dir() else []
OPMLS = sorted((REALWORLD / "opml").glob("*")) if REALWORLD.is_dir() else []
CFG = FetchConfig(connect_timeout=2, read_timeout=2, total_timeout=5, max_bytes=5_000_000)
#: An outline's feed URL attribute (counted in the raw bytes, so a file that is not
#: well-formed is counted too; titles may hold a raw ">").
FEED_URL_OUTLINE = re.compile(rb"""\sxmlurl\s*=\s*["']""", re.IGNORECASE)

pytestmark = pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/fixtures is absent")


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        for file in FEEDS:
            srv.add(f"/{file.name}", file.read_bytes())
        yield srv


@pytest_asyncio.fixture
async def client() -> httpx.AsyncClient:
    async with make_client(CFG) as c:
        yield c


def distinct_items(raw: bytes) -> set[tuple[str | None, str | None]]:
    """What feedparser (not topicbot) sees: one item per distinct (guid, link)."""
    return {(e.get("id"), e.get("link")) for e in feedparser.parse(raw).entries}


async def poll_and_record(
    client: httpx.AsyncClient, store: Store, feed: FeedConfig
) -> tuple[int, list[str]]:
    outcome = await poll_feed(client, feed, CFG, store.source_state(feed.name))
    assert outcome.error is None, outcome.error
    new = store.record_articles(outcome.articles, source=feed.name, state=outcome.state)
    return len(new), outcome.warnings


@pytest.mark.asyncio
@pytest.mark.parametrize("file", FEEDS, ids=[f.name for f in FEEDS])
async def test_every_distinct_item_is_stored_once(
    file: Path, server: FeedServer, client: httpx.AsyncClient
) -> None:
    store = Store.open(":memory:")
    feed = FeedConfig(name=file.stem, url=server.url(f"/{file.name}"), interval=300)
    stored, _ = await poll_and_record(client, store, feed)
    assert stored == len(distinct_items(file.read_bytes()))
    assert store.article_count() == stored
    again, _ = await poll_and_record(client, store, feed)
    assert again == 0


CONFIG = """\
topics:
  - id: ALT
    name: {{da: Alt, en: Everything}}
    keywords: [a*, e*, i*, o*, s*, t*]
feeds:
  - name: Dagbladet
    url: {url}
storage:
  path: db.sqlite3
classifier:
  mode: keywords
alerts:
  max_age: 36500d
"""


@pytest.mark.asyncio
async def test_dagbladet_two_snapshots_store_and_alert_every_new_link(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    older = (REALWORLD / "extra" / "no_dagbladet_2022-10-03.xml").read_bytes()
    newer = (REALWORLD / "feeds" / "no_dagbladet_newswars.xml").read_bytes()
    caplog.set_level(logging.WARNING, logger="bot.sources.feed")
    with FeedServer() as srv:
        url = srv.add("/dagbladet.xml", older)
        config = parse_config(CONFIG.format(url=url), base_dir=tmp_path)
        store = Store.open(config.db_path)
        pipeline = Pipeline(config, store, build_classifier(config.topic_rules(), mode="keywords"))
        try:
            await pipeline.poll_feed(config.feeds[0])  # the backlog: recorded, not alerted
            srv.set_body("/dagbladet.xml", newer)
            outcome = await pipeline.poll_feed(config.feeds[0])
        finally:
            await pipeline.aclose()
    old_links = {link for _, link in distinct_items(older)}
    new_links = {link for _, link in distinct_items(newer)} - old_links
    assert len(new_links) > 100
    by_link = {a.link: a for a in outcome.articles}
    assert set(by_link) == new_links  # every new story stored, nothing else
    store.close()
    with sqlite3.connect(config.db_path) as conn:
        rows = conn.execute("SELECT link, suppressed, processed FROM articles").fetchall()
    eligible = {link for link, suppressed, processed in rows if suppressed is None and processed}
    assert new_links <= eligible
    warned = [r for r in caplog.records if "gives one guid" in r.getMessage()]
    assert len(warned) == 1 and "'Dagbladet'" in warned[0].getMessage()


@pytest.mark.parametrize("file", OPMLS, ids=[f.name for f in OPMLS])
def test_every_opml_outline_is_imported_or_reported(file: Path) -> None:
    data = file.read_bytes()
    doc = parse_opml(data)
    plan = plan_import(doc, [])
    assert len(plan.added) + len(plan.skipped) == len(FEED_URL_OUTLINE.findall(data))
    # Export, then import again: the same feeds, and nothing new on top of them.
    feeds = [FeedConfig(name=name, url=url) for name, url in plan.added]
    again = parse_opml(export_opml(feeds))
    assert [(f.name, f.url) for f in again.feeds] == plan.added
    assert again.skipped == [] and again.warnings == []
    assert plan_import(again, feeds).added == []
