"""The one send budget against the strict stand-in (any sliding second at most 30 sends):
a restart starts inside the limit, because the sends of the second before it count."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.store import Store
from bot.telegram.app import TelegramBot
from bot.telegram.gate import SendGate
from bot.telegram.reply_limiter import ReplyDropped, ReplyLimiter
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import ask
from tests.telegram.test_sender_faults import TOKEN, queue, sender_for

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning"),
    pytest.mark.timeout(30),
]


@pytest.mark.asyncio
async def test_a_restart_counts_the_sends_of_the_second_before_it(tmp_path: Path) -> None:
    with (
        TelegramStandin(TOKEN, rate_limit_per_s=30) as tg,
        Store.open(tmp_path / "topicbot.db") as store,
    ):
        for chat_id in range(1, 31):
            queue(store, chat_id)
        async with sender_for(tg, store, global_rate=30.0, global_burst=30.0) as before:
            assert await before.drain() == 30  # one full second of the budget
        # A restart: a new sender, 30 more chats at once.
        for chat_id in range(31, 61):
            queue(store, chat_id)
        async with sender_for(
            tg, store, global_rate=30.0, global_burst=30.0
        ) as after:  # "restarted"
            after.warm_start()
            assert await after.drain() + await after.drain() == 30
        assert tg.rate_limited_count == 0
        times = sorted(t for t, _, _ in tg.send_log)
        assert times[30] - times[0] > 1.0  # the 31st waited for the first second to pass


@pytest.mark.asyncio
async def test_a_reply_that_meets_retry_after_is_sent_after_it(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    tg.fail_next(55, "retry_after", seconds=1, method="sendMessage")
    started = time.monotonic()
    answer = await ask(tg, 55, "/help", timeout=10)
    assert answer.plain_text and "/subscribe" in answer.plain_text
    assert time.monotonic() - started >= 1.0  # not before Telegram allowed it
    assert len(tg.sent_messages(55)) == 1  # once, not dropped and not twice


@pytest.mark.asyncio
async def test_paid_broadcasts_go_past_30_per_second_without_a_429(tmp_path: Path) -> None:
    with (
        TelegramStandin(TOKEN, rate_limit_per_s=30, private_chat_limit_per_s=1) as tg,
        Store.open(tmp_path / "topicbot.db") as store,
    ):
        for chat_id in range(1, 91):
            queue(store, chat_id)
        gate = SendGate.build(paid_rate=1000.0, max_in_flight=32)
        async with sender_for(tg, store, gate=gate) as sender:
            assert await sender.drain() == 90
        assert tg.rate_limited_count == 0
        sent = tg.sent_messages()
        assert all(m.params.get("allow_paid_broadcast") in (True, "true") for m in sent)
        times = sorted(t for t, _, _ in tg.send_log)
        assert times[-1] - times[0] < 2.0  # at the free 30/s, 90 sends take more than 2 s


@pytest.mark.asyncio
async def test_a_reply_not_out_in_time_is_dropped_with_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A late answer confuses more than none: past `max_delay` (3 min in production) the
    reply is given up, logged, and the handler sees `ReplyDropped`."""
    gate = SendGate.build()
    limiter = ReplyLimiter(gate, max_delay=0.2)
    gate.pause(5.0)  # a long 429 pause: no turn within 0.2 s
    calls: list[int] = []

    async def send() -> bool:
        calls.append(1)
        return True

    with pytest.raises(ReplyDropped):
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert calls == []
    assert "sendMessage to chat 5 dropped" in caplog.text
    # Calls that send nothing are never held back.
    assert await limiter.process_request(send, (), {}, "getChat", {"chat_id": 5}, None)
    assert calls == [1]
