"""One delivery policy: `classify` reads Telegram's errors once, `POLICY` decides per purpose,
and a story edit now follows the same chain as an alert (it used to keep a gone chat active,
count nothing in the metrics and never close the circuit breaker again)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.article import Article
from bot.ops import metrics
from bot.store import Store
from bot.telegram.send_errors import POLICY, FailureKind, Purpose, Step, classify
from bot.telegram.sender import TelegramSender
from classifiers.base import TopicScore
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.test_sender_faults import TOKEN, sender_for

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning"),
    pytest.mark.timeout(30),
]
NOW = datetime(2026, 4, 14, 12, 48, tzinfo=UTC)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (RetryAfter(7), FailureKind.FLOOD),
        (ChatMigrated(-1005), FailureKind.MIGRATED),
        (Forbidden("bot was blocked by the user"), FailureKind.GONE),
        (BadRequest("Chat not found"), FailureKind.GONE),
        (BadRequest("Can't parse entities: unclosed tag"), FailureKind.MARKUP),
        (BadRequest("Message is not modified: same content"), FailureKind.NOTHING_TO_EDIT),
        (BadRequest("Wrong file identifier"), FailureKind.REJECTED),
        (TimedOut(), FailureKind.TRANSIENT),
        (NetworkError("Bad Gateway"), FailureKind.TRANSIENT),
        (OSError("connection reset"), FailureKind.TRANSIENT),
    ],
)
def test_classify_reads_each_failure_once(exc: BaseException, kind: FailureKind) -> None:
    failure = classify(exc)
    assert failure.kind is kind
    if kind is FailureKind.FLOOD:
        assert failure.retry_after == 7
    if kind is FailureKind.MIGRATED:
        assert failure.new_chat_id == -1005


def test_the_policy_decides_every_kind_for_every_purpose() -> None:
    assert set(POLICY) == set(FailureKind)
    assert all(set(row) == set(Purpose) for row in POLICY.values())
    # A chat that is gone is gone whatever was being sent to it.
    assert set(POLICY[FailureKind.GONE].values()) == {Step.DEACTIVATE}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "topicbot.db") as s:
        yield s


@pytest.fixture
def tg() -> Iterator[TelegramStandin]:
    with TelegramStandin(TOKEN) as standin:
        yield standin


def queue_story(store: Store, chat_id: int, article_id: str, source: str) -> None:
    store.ensure_chat(chat_id, kind="private", language="da")
    store.subscribe(chat_id, ["nato"])
    a = Article(article_id, source, f"NATO-topmøde {article_id}", "Alliancen.", None, NOW)
    store.record_articles([a])
    score = TopicScore("nato", 0.9, True, ("nato",))
    store.complete_article(a.id, [score], {chat_id: ["nato"]}, story_id="s1")


def sent_total() -> float:
    return metrics.REGISTRY.get_sample_value("topicbot_alert_sends_total", {"outcome": "sent"})


@asynccontextmanager
async def an_edit_queued(tg: TelegramStandin, store: Store) -> AsyncIterator[TelegramSender]:
    """A sender that has sent chat 7 a story's alert, with another outlet's article of the
    same story queued: its next send is an edit."""
    queue_story(store, 7, "a", "DR")
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 1
        queue_story(store, 7, "b", "Politiken")
        yield sender


@pytest.mark.asyncio
async def test_a_story_edit_to_a_gone_chat_deactivates_it(
    tg: TelegramStandin, store: Store
) -> None:
    async with an_edit_queued(tg, store) as sender:
        tg.fail_next(7, "bad_request", description="chat not found", method="editMessageText")
        assert await sender.drain() == 0
    chat = store.get_chat(7)
    assert chat is not None and not chat.active
    assert "chat not found" in (chat.inactive_reason or "").lower()


@pytest.mark.asyncio
async def test_a_story_edit_counts_in_the_metrics_and_reports_the_network_back(
    tg: TelegramStandin, store: Store
) -> None:
    async with an_edit_queued(tg, store) as sender:
        # Two network failures in a row (the breaker's pause doubles), then the edit works.
        sender.gate.back_off(0)
        before = sent_total()
        tg.fail_next(7, "server_error", method="editMessageText")
        while not tg.edits(7):
            await sender.drain()
            await asyncio.sleep(0.05)
        assert sent_total() == before + 1
        # The edit closed the breaker: the next failure pauses for the base time again.
        _, pause = sender.gate.back_off(0)
        assert pause == pytest.approx(sender.gate.retry_base)
