"""/resume: alerts again after /pause."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext


class Resume(ChatCommand):
    name = "resume"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        ctx.ensure_chat()
        ctx.services.store.set_paused(ctx.chat_id, False)
        await ctx.reply(ctx.text("resumed"))


COMMAND = Resume()
