"""/pause: keep the subscriptions, stop the alerts (nothing is queued while paused)."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext


class Pause(ChatCommand):
    name = "pause"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        ctx.ensure_chat()
        ctx.services.store.set_paused(ctx.chat_id, True)
        await ctx.reply(ctx.text("paused"))


COMMAND = Pause()
