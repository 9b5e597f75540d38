"""Command replies and callback answers inside the one send budget, through PTB's own hook.

Handlers answer with ``message.reply_text``, ``edit_message_text``, ``reply_photo`` …; all of
those go through the Application's `ExtBot`, which hands every Bot API call to its rate
limiter (``ApplicationBuilder().rate_limiter(...)``) with the endpoint and parameters. This
limiter books each call that puts a message into a chat (or changes one) on the delivery's
`SendGate`, the same budget the alerts use, so a burst of commands and a fan-out together
never exceed Telegram's limits (30 in any second, 1/s per user, 20/min per group).

A reply goes before any alert not yet booked. One that meets a 429 is sent again after the
``retry_after`` (all sending pauses as well); one that cannot go out within `max_delay`
(three minutes: a late answer confuses more than none) is dropped with a log line. Calls the
sender makes itself already hold a turn (`SendGate.holds_turn`) and pass straight through,
as do calls that send nothing (getChat, answerCallbackQuery, setMyCommands …).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot.telegram.gate import SendGate
from bot.telegram.send_errors import retry_after_seconds

log = logging.getLogger(__name__)

#: Bot API methods that put a message into a chat or change one: they count in the budget.
COUNTED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAnimation",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
    }
)
#: Longest a reply may wait for its turn (and 429s) before it is dropped.
MAX_REPLY_DELAY = 180.0

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class ReplyDropped(TelegramError):
    """A reply could not be sent within `MAX_REPLY_DELAY`; it was logged and dropped."""


class ReplyLimiter(BaseRateLimiter[None]):
    """PTB's rate limiter hook, backed by the delivery's `SendGate`."""

    def __init__(self, gate: SendGate, *, max_delay: float = MAX_REPLY_DELAY) -> None:
        self.gate = gate
        self.max_delay = max_delay

    async def initialize(self) -> None:
        """Nothing to set up: the gate lives as long as the bot."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        chat_id = _chat_id(data)
        if endpoint not in COUNTED_METHODS or chat_id is None or self.gate.holds_turn():
            return await callback(*args, **kwargs)
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + self.max_delay
        while True:
            if not await self.gate.reply_turn(chat_id, deadline):
                log.warning(
                    "%s to chat %d dropped: not sent within %.0f s",
                    endpoint,
                    chat_id,
                    self.max_delay,
                )
                raise ReplyDropped(f"{endpoint} to chat {chat_id} not sent in time")
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self.gate.pause(seconds)
                log.warning(
                    "flood limit at %s to chat %d: all sending paused %.0f s, then sent again",
                    endpoint,
                    chat_id,
                    seconds,
                )
            finally:
                self.gate.reply_done(chat_id)


def _chat_id(data: dict[str, Any]) -> int | None:
    """The numeric chat a call writes to; None for inline messages and @channel names
    (those are rare here and go unpaced)."""
    value = data.get("chat_id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None
