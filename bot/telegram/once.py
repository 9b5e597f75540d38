"""`topicbot once` with a bot token: deliver what the polls queued, then stop.

Kept apart from the long-running bot (`bot.telegram.app`): it needs no Application, no
updates and no scheduler, only a Bot, the sender and the same send budget.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Bot
from telegram.error import InvalidToken

from bot.errors import ConfigError
from bot.instance_lock import lock_for
from bot.logging_setup import install_log_redaction, register_secret
from bot.matcher import disable_console
from bot.runtime import Services
from bot.telegram.application import api_request, api_urls, names_by_language, send_gate
from bot.telegram.sender import TelegramSender

__all__ = ["deliver_once"]

log = logging.getLogger(__name__)

#: `topicbot once`: longest time spent delivering after the polls.
ONCE_DELIVERY_SECONDS = 120.0


async def deliver_once(services: Services, token: str) -> int:
    """`topicbot once` with a token: send what the polls queued, then shut the Bot down.

    When a `topicbot run` holds the database lock it delivers these alerts itself; sending
    them here too could duplicate them, so nothing is sent.
    """
    register_secret(token)
    install_log_redaction()
    config = services.config
    lock = lock_for(config)
    if lock is not None and not lock.acquire():
        log.info("a running topicbot owns %s; it delivers the alerts", config.db_path)
        return 0
    try:
        disable_console(services.store)
        base_url, base_file_url = api_urls(config.telegram.api_url)
        request = api_request(
            config.telegram.http_client, paid_broadcast=config.telegram.paid_broadcast
        )
        bot = Bot(token, base_url=base_url, base_file_url=base_file_url, request=request)
        try:
            async with bot:
                sender = TelegramSender(
                    bot, services.store, names_by_language(config), gate=send_gate(config)
                )
                sender.warm_start()
                return await _drain_until_done(sender, services)
        except InvalidToken:
            raise ConfigError(
                [f"telegram: the bot token in ${config.telegram.token_env} was rejected"]
            ) from None
    finally:
        if lock is not None:
            lock.release()


async def _drain_until_done(sender: TelegramSender, services: Services) -> int:
    """Drain repeatedly: one drain leaves chats that must wait their turn (pacing)."""
    sent = 0
    deadline = time.monotonic() + ONCE_DELIVERY_SECONDS
    idle = 0
    while time.monotonic() < deadline:
        n = await sender.drain()
        sent += n
        if not services.store.due_alerts(limit=1):
            break
        idle = 0 if n else idle + 1
        if idle >= 5:  # what is left waits for a retry time; the next run sends it
            break
        await asyncio.sleep(1.0)
    return sent
