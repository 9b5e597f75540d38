"""/topics and the inline toggle keyboard: ✅ marks a followed topic, a tap flips it.

The keyboard is edited in place after a tap, so the chat shows one up-to-date list instead of
a new message per tap.
"""

from __future__ import annotations

from telegram import CallbackQuery
from telegram.error import BadRequest

from bot.telegram.handlers.common import (
    TOGGLE_PREFIX,
    CallbackAction,
    ChatCommand,
    CommandContext,
    answer,
    html_list,
    may_change_settings,
    names_of,
    topics_keyboard,
)


class Topics(ChatCommand):
    name = "topics"

    async def handle(self, ctx: CommandContext) -> None:
        subscribed = ctx.services.store.subscriptions(ctx.chat_id)
        lines = html_list(
            f"• {tp.display_name(ctx.language)} (<code>{tp.id}</code>)" for tp in ctx.config.topics
        )
        await ctx.reply(
            ctx.text("topics", lines=lines), topics_keyboard(ctx.config, subscribed, ctx.language)
        )


class ToggleTopic(CallbackAction):
    prefix = TOGGLE_PREFIX

    async def handle(self, ctx: CommandContext, query: CallbackQuery) -> None:
        topic_id = (query.data or "").removeprefix(TOGGLE_PREFIX)
        if ctx.config.topic(topic_id) is None:  # forged, or a topic removed by /reload
            await answer(query, ctx.text("button_gone"))
            return
        allowed = await may_change_settings(ctx.context, ctx.chat, None, query.from_user.id)
        if not allowed:
            await answer(query, ctx.text("not_admin"))
            return
        store = ctx.services.store
        ctx.ensure_chat()
        if topic_id in store.subscriptions(ctx.chat_id):
            store.unsubscribe(ctx.chat_id, [topic_id])
            note = ctx.text("toggled_off", topic=names_of(ctx.config, [topic_id], ctx.language))
        else:
            store.subscribe(ctx.chat_id, [topic_id])
            note = ctx.text("toggled_on", topic=names_of(ctx.config, [topic_id], ctx.language))
        markup = topics_keyboard(ctx.config, store.subscriptions(ctx.chat_id), ctx.language)
        try:
            await query.edit_message_reply_markup(markup)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():  # a double tap: nothing to redraw
                raise
        await answer(query, note)


COMMAND = Topics()
ACTION = ToggleTopic()
