"""A burst of commands (a bot shared in a big group or a newsletter): 1,000 chats send /start
and /subscribe within a few seconds, against the stand-in's strict limits. Every chat gets
both answers, in order, and Telegram never has to answer 429.

The global limit is scaled up (250/s instead of 30/s) to keep this test's wall time short;
the per-user limit is Telegram's (1/s). `bench/burst.py` runs the same burst at 30/s.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import load_config
from bot.telegram.app import TelegramBot
from bot.telegram.gate import SendGate
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import TOKEN, wait_until

CHATS = 1000
RATE = 250.0
pytestmark = [pytest.mark.timeout(120)]


@pytest.fixture
def tg() -> Iterator[TelegramStandin]:
    """Strict: at most RATE sends in any sliding second, one per second per user."""
    with TelegramStandin(TOKEN, rate_limit_per_s=RATE, private_chat_limit_per_s=1) as standin:
        yield standin


@pytest_asyncio.fixture
async def bot(config_path: Path) -> AsyncIterator[TelegramBot]:
    gate = SendGate.build(global_rate=RATE, global_burst=RATE / 10)
    async with TelegramBot(
        load_config(config_path), TOKEN, config_path=config_path, poll_timeout=1, gate=gate
    ) as running:
        yield running


@pytest.mark.asyncio
async def test_every_chat_gets_both_answers_and_no_429(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    started = time.monotonic()
    for chat_id in range(1, CHATS + 1):
        tg.send_user_message(chat_id, "/start")
        tg.send_user_message(chat_id, "/subscribe nato")
    assert time.monotonic() - started < 5.0  # the burst itself
    await wait_until(lambda: len(tg.sent_messages()) >= 2 * CHATS, timeout=90)

    assert tg.rate_limited_count == 0
    store = bot.services.store
    for chat_id in range(1, CHATS + 1):
        start, subscribe = tg.sent_messages(chat_id)  # exactly two, in order
        assert "/help" in (start.plain_text or "")  # the /start greeting
        assert "NATO" in (subscribe.plain_text or "")
        assert store.subscriptions(chat_id) == ["NATO"]
