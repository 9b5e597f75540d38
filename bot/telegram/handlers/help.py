"""/help: the commands this chat can use, in its language."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext, html_list, is_operator


class Help(ChatCommand):
    name = "help"

    async def handle(self, ctx: CommandContext) -> None:
        from bot.telegram.handlers import menu  # the registry imports this module

        operator = is_operator(ctx.runtime, ctx.chat_id)
        commands = menu(ctx.language, operator=operator)
        lines = html_list(f"/{c.command} – {c.description}" for c in commands)
        await ctx.reply(ctx.text("help", commands=lines))


COMMAND = Help()
