"""/mysubs: what this chat follows, whether alerts are paused, how and when they arrive."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext, names_of
from bot.telegram.handlers.digest import delivery_text
from bot.telegram.handlers.quiet import quiet_text


class MySubs(ChatCommand):
    name = "mysubs"

    async def handle(self, ctx: CommandContext) -> None:
        store = ctx.services.store
        subscribed = store.subscriptions(ctx.chat_id)
        if subscribed:
            text = ctx.text("mysubs", topics=names_of(ctx.config, subscribed, ctx.language))
        else:
            text = ctx.text("mysubs_none")
        chat = store.get_chat(ctx.chat_id)
        if chat is not None and chat.paused:
            text += "\n" + ctx.text("mysubs_paused")
        prefs = store.delivery_prefs(ctx.chat_id)
        if prefs.is_digest:
            text += "\n" + delivery_text(ctx, prefs)
        if prefs.has_quiet:
            text += "\n" + quiet_text(ctx, prefs)
        await ctx.reply(text)


COMMAND = MySubs()
