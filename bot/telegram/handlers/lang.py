"""/lang da|en: the chat's language for answers and alerts."""

from __future__ import annotations

from bot.i18n import LANGUAGES
from bot.telegram.handlers.common import ChatCommand, CommandContext


class Lang(ChatCommand):
    name = "lang"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        choice = ctx.args[0].casefold() if len(ctx.args) == 1 else ""
        if choice not in LANGUAGES:
            await ctx.reply(ctx.text("lang_usage"))
            return
        ctx.ensure_chat()
        ctx.services.store.set_language(ctx.chat_id, choice)
        ctx.language = choice
        await ctx.reply(ctx.text("lang_set"))


COMMAND = Lang()
