"""Story updates: a later outlet of a story the chat was already alerted to is appended to that
alert by editing the message ("Også hos: Politiken, TV 2") instead of sending a new one.

`TelegramSender` hands outbox rows of kind ``story_update`` (see `bot.store.stories`) to a
`StoryEditor`, which edits through the same gate and the same delivery policy as a send
(`bot.telegram.send_errors.POLICY`). An edit Telegram refuses because nothing changed, or
because the message is gone or too old to edit, is done: retrying could never succeed, and
the chat has the alert anyway.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from telegram import Bot
from telegram.constants import ParseMode

from bot.store import OutboxItem, Store
from bot.telegram.attempt import Outcome, SendJob, attempt
from bot.telegram.format import NO_PREVIEW, format_alert
from bot.telegram.gate import SendGate
from bot.telegram.send_errors import Purpose


@dataclasses.dataclass
class _UpdateRow:
    """The outbox row of one story update."""

    store: Store
    outbox_id: int

    def sent(self, message_id: int | None) -> None:
        self.store.mark_sent(self.outbox_id)

    def retry(self, error: str, delay: float) -> None:
        self.store.mark_retry(self.outbox_id, error, delay)

    def failed(self, error: str) -> None:
        self.store.mark_failed(self.outbox_id, error)


class StoryEditor:
    """Edits the alert a chat got for a story when another outlet reports it."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        gate: SendGate,
        names: Callable[[str], Mapping[str, str]],
    ) -> None:
        self.bot = bot
        self.store = store
        self.gate = gate
        self.names = names

    async def deliver(self, item: OutboxItem) -> Outcome:
        store = self.store
        original = store.story_original(item.chat_id, item.story_id) if item.story_id else None
        base = store.alert_item(original[0]) if original else None
        if original is None or base is None:
            store.mark_failed(item.id, "story alert to edit not found")
            return Outcome.FAILED
        message_id = original[1]
        updated = dataclasses.replace(base, also=item.also)
        text, markup = format_alert(updated, self.names(base.language), base.language)

        async def edit(plain: bool) -> int | None:
            await self.bot.edit_message_text(
                text,
                chat_id=item.chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
            return message_id

        job = SendJob(
            Purpose.STORY_EDIT,
            item.chat_id,
            f"story update {item.id}",
            item.attempts,
            edit,
            _UpdateRow(store, item.id),
        )
        return await attempt(self.gate, store, job)
