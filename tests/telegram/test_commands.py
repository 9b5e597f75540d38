"""Chat commands through the real bot and the stand-in: answers in Danish and English,
topic names in any form, group administrators, operator commands, buttons."""

from __future__ import annotations

import pytest

from bot.telegram.app import TelegramBot
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import ask


@pytest.mark.asyncio
async def test_start_shows_topic_keyboard(tg: TelegramStandin, bot: TelegramBot) -> None:
    reply = await ask(tg, 101, "/start")
    assert "Hej!" in (reply.plain_text or "")
    buttons = [b["text"] for row in reply.reply_markup["inline_keyboard"] for b in row]
    assert buttons == ["▫️ NATO", "▫️ Covid-19", "▫️ Afghanistan"]
