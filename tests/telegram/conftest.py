"""Real parts for the Telegram tests: the Bot API stand-in, a loopback feed server, a text
folder, a config file in tmp_path, and the bot started exactly as `topicbot run` starts it
(`TelegramBot`), long-polling the stand-in inside the test's event loop."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.article import Article, utcnow
from bot.config import load_config
from bot.telegram.app import TelegramBot
from bot.telegram.gate import SendGate
from tests.configs import keyword_config, topic_item
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20
from tests.standins.telegram_api import TelegramStandin
from tests.standins.telegram_state import SentMessage

#: Short on purpose: only `register_secret` can catch it (the generic token pattern cannot).
TOKEN = "424242:topicbot-standin-secret"
OPERATOR = 777
FEED_PATH = "/dr/seneste.xml"

TOPICS = (
    topic_item("NATO", "nato, stoltenberg, forsvarsalliancen")
    + topic_item("COVID-19", '"covid*", "corona*", mundbind', da="Covid-19")
    + topic_item("Afghanistan", '"afghanistan*", "taliban*", kabul')
)


def rss(items: list[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed in DR's shape; every item published now."""
    return rss20(
        [(f"urn:dr:article:{g}", f"https://www.dr.dk/nyheder/{g}", t) for g, t in items],
        channel="DR",
    )


def drop_file(folder: Path, name: str, text: str) -> None:
    """A text file written a while ago (fresh files wait a second in case they grow)."""
    (folder / name).write_text(text, encoding="utf-8")
    os.utime(folder / name, (time.time() - 10, time.time() - 10))


def telegram_config(
    feed_url: str, folder: Path, db: Path, api_url: str, interval: str = "1s"
) -> str:
    """The Telegram tests' config: one feed and one folder polled every `interval`."""
    return keyword_config(
        topics=TOPICS,
        feeds=f"  - name: DR Seneste\n    url: {feed_url}\n    interval: {interval}",
        folders=f"  - name: indbakke\n    path: {folder}\n    interval: {interval}",
        fetch={"total_timeout": "3s", "read_timeout": "2s"},
        storage={"path": db},
        alerts={"max_age": "3650d"},
        telegram={
            "token_env": "TOPICBOT_TEST_TOKEN",
            "api_url": api_url,
            "admins": f"[{OPERATOR}]",
        },
    )


@pytest.fixture
def tg() -> Iterator[TelegramStandin]:
    with TelegramStandin(TOKEN) as standin:
        yield standin


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.add(FEED_PATH, rss([("old1", "Vejret bliver gråt i weekenden")]), etag=True)
        yield server


@pytest.fixture
def config_path(tmp_path: Path, tg: TelegramStandin, feeds: FeedServer) -> Path:
    folder = tmp_path / "indbakke"
    folder.mkdir()
    path = tmp_path / "config.yaml"
    text = telegram_config(
        feeds.url(FEED_PATH), folder, tmp_path / "data" / "topicbot.sqlite3", tg.base_url
    )
    path.write_text(text, encoding="utf-8")
    return path


def unspaced_gate() -> SendGate:
    """The production send budget without the per-chat spacing (1 s per user, 3 s per group):
    these tests talk to one chat many times in a row, and would wait a second per answer.
    The spacing itself is tested in test_send_budget.py and test_ratelimit.py."""
    return SendGate.build(private_interval=0.0, group_interval=0.0)


@pytest_asyncio.fixture
async def bot(config_path: Path) -> AsyncIterator[TelegramBot]:
    """The production bot, polling the stand-in with one-second long polls."""
    async with TelegramBot(
        load_config(config_path),
        TOKEN,
        config_path=config_path,
        poll_timeout=1,
        gate=unspaced_gate(),
    ) as running:
        yield running


async def ask(
    tg: TelegramStandin, chat_id: int, text: str, *, timeout: float = 5.0, **kwargs: object
) -> SentMessage:
    """Send a message as a user and return the bot's answer."""
    before = len(tg.sent_messages(chat_id))
    tg.send_user_message(chat_id, text, **kwargs)  # type: ignore[arg-type]
    got = await tg.wait_for_messages_async(before + 1, chat_id, timeout=timeout)
    return got[before]


async def wait_until(predicate: object, timeout: float = 5.0) -> None:
    """Poll a condition without blocking the loop the bot runs on."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)


def queue_nato_article(
    bot: TelegramBot, chat_id: int, article_id: str, source: str, title: str
) -> None:
    """A NATO article in the outbox for `chat_id`, as the pipeline would queue it."""
    article = Article(
        id=article_id,
        source=source,
        title=title,
        text="",
        link=None,
        published=None,
        fetched_at=utcnow(),
        version="1",
    )
    bot.services.store.record_articles([article])
    bot.services.store.complete_article(article.id, [], {chat_id: ["NATO"]})


def queue_alert(bot: TelegramBot, chat_id: int) -> int:
    """An alert for `chat_id` in the outbox, as the pipeline would queue it; its id."""
    store = bot.services.store
    queue_nato_article(bot, chat_id, f"test:{chat_id}", "test", "Nato øger beredskabet")
    # By id, not from the queue: the delivery loop may already have sent it.
    return next(i for i in range(1, 1000) if (store.outbox_entry(i) or (0,))[0] == chat_id)
