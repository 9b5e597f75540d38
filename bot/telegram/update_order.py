"""Updates of different chats handled concurrently, those of one chat in order.

PTB handles one update at a time by default. With every reply booked on the send budget
(`bot.telegram.reply_limiter`), a reply that waits its turn — a user's second command within
a second, or the 31st answer in a second — would then hold up every other chat: a burst of
1,000 chats sending /start and /subscribe would take the sum of all waits. PTB's
``concurrent_updates(True)`` fixes that but gives up the order within a chat (a /subscribe
could be answered before the /start before it); this processor keeps that order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

#: Updates in progress at once (each waiting reply holds one).
MAX_CONCURRENT_UPDATES = 512


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        #: chat id → (its lock, updates holding or waiting for it)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._chats.get(chat.id) or (asyncio.Lock(), 0)
        self._chats[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._chats[chat.id]
            if users <= 1:
                del self._chats[chat.id]
            else:
                self._chats[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB waits for the updates in progress itself."""
