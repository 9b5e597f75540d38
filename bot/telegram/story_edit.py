"""Story updates: a later outlet of a story the chat was already alerted to is appended to that
alert by editing the message ("Også hos: Politiken, TV 2") instead of sending a new one.

Called by `TelegramSender._deliver` for outbox rows of kind ``story_update`` (see
`bot.store.stories`), with the same pacing and failure handling as a send. An edit Telegram
refuses because nothing changed, or because the message is gone or too old to edit, is done:
retrying could never succeed, and the chat has the alert anyway.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Literal

from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.logging_setup import redact
from bot.store import OutboxItem
from bot.telegram.format import NO_PREVIEW, format_alert

if TYPE_CHECKING:
    from bot.telegram.sender import TelegramSender

log = logging.getLogger(__name__)

#: Edits that can never succeed and need no retry.
_EDIT_DONE = ("message is not modified", "message to edit not found", "message can't be edited")

Result = Literal["sent", "failed", "stop"]


async def deliver_story_update(sender: TelegramSender, item: OutboxItem) -> Result:
    from bot.telegram.sender import retry_after_seconds

    store = sender.store
    original = store.story_original(item.chat_id, item.story_id) if item.story_id else None
    base = store.alert_item(original[0]) if original else None
    if original is None or base is None:
        store.mark_failed(item.id, "story alert to edit not found")
        return "failed"
    message_id = original[1]
    names = sender.names(base.language)
    text, markup = format_alert(dataclasses.replace(base, also=item.also), names, base.language)
    if not await sender._turn(item.chat_id):
        return "stop"
    assert sender._slots is not None
    try:
        await sender.bot.edit_message_text(
            text,
            chat_id=item.chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
    except RetryAfter as exc:
        seconds = retry_after_seconds(exc)
        sender.pacer.pause(seconds)
        store.mark_retry(item.id, f"retry after {seconds:.0f}s", seconds)
        return "stop"
    except Forbidden as exc:
        sender._gone(item, f"forbidden: {exc.message}")
        return "stop"
    except ChatMigrated:
        store.mark_failed(item.id, "chat migrated: the alert to edit stayed behind")
        return "failed"
    except BadRequest as exc:
        reason = exc.message.lower()
        if any(p in reason for p in _EDIT_DONE):
            log.info("story update %d for chat %d: %s", item.id, item.chat_id, exc.message)
            store.mark_sent(item.id)
            return "sent"
        log.error("story update %d for chat %d failed: %s", item.id, item.chat_id, exc.message)
        store.mark_failed(item.id, redact(f"bad request: {exc.message}"))
        return "failed"
    except (TelegramError, OSError) as exc:
        sender._transient(item, exc)
        return "stop"
    finally:
        sender.pacer.done(item.chat_id)
        sender._slots.release()
    store.mark_sent(item.id)
    return "sent"
