"""/mysubs: what this chat follows, and whether alerts are paused."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext, names_of


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
        await ctx.reply(text)


COMMAND = MySubs()
