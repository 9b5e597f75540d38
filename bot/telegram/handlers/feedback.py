"""👍/👎 under an alert: the chat's vote on whether the article was on topic.

Callback data comes back from the client and can be forged, so the outbox entry it names
must have been sent to the very chat the button was pressed in; anything else is answered
politely and ignored. The votes become training labels for the classifier.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery

from bot.telegram.format import parse_feedback_data
from bot.telegram.handlers.common import CallbackAction, CommandContext, answer

log = logging.getLogger(__name__)


class Feedback(CallbackAction):
    prefix = "fb:"

    async def handle(self, ctx: CommandContext, query: CallbackQuery) -> None:
        parsed = parse_feedback_data(query.data)
        entry = ctx.services.store.outbox_entry(parsed[0]) if parsed else None
        if parsed is None or entry is None or entry[0] != ctx.chat_id:
            log.info("ignored feedback button %r pressed in chat %s", query.data, ctx.chat_id)
            await answer(query, ctx.text("button_gone"))
            return
        _, vote = parsed
        _, article_id, topics = entry
        ctx.services.store.record_feedback(ctx.chat_id, article_id, vote, topics)
        await answer(query, ctx.text("feedback_thanks"))


ACTION = Feedback()
