"""/start: welcome, and the topics as a keyboard to tap (the quickest way to subscribe)."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext, topics_keyboard


class Start(ChatCommand):
    name = "start"

    async def handle(self, ctx: CommandContext) -> None:
        # Any chat may say /start (it only creates the record); the toggles check rights.
        ctx.ensure_chat()
        subscribed = ctx.services.store.subscriptions(ctx.chat_id)
        await ctx.reply(ctx.text("welcome"), topics_keyboard(ctx.config, subscribed, ctx.language))


COMMAND = Start()
