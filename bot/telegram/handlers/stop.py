"""/stop: forget the chat — subscriptions, queued alerts and feedback (data minimisation)."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext


class Stop(ChatCommand):
    name = "stop"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        ctx.services.store.forget_chat(ctx.chat_id)
        await ctx.reply(ctx.text("stopped"))  # ctx.language was read before forgetting


COMMAND = Stop()
