"""/help: the commands this chat can use, in its language."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext, html_list, is_operator


class Help(ChatCommand):
    name = "help"

    async def handle(self, ctx: CommandContext) -> None:
        from bot.telegram.handlers import COMMANDS  # the registry imports this module

        operator = is_operator(ctx.runtime, ctx.chat_id)
        lines = html_list(
            f"/{c.name} – {ctx.text('cmd_' + c.name)}"
            for c in COMMANDS
            if c.menu or (operator and c.permission == "operator")
        )
        await ctx.reply(ctx.text("help", commands=lines))


COMMAND = Help()
