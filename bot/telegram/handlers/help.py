"""/help: the commands this chat can use, in its language."""

from __future__ import annotations

from collections.abc import Callable

from telegram import BotCommand

from bot.telegram.handlers.common import ChatCommand, CommandContext, html_list, is_operator

#: (language, operator?) -> the command menu; the registry's, handed in so /help lists what
#: setMyCommands publishes without importing the registry that imports this module.
MenuFor = Callable[[str, bool], list[BotCommand]]


class Help(ChatCommand):
    name = "help"

    def __init__(self, menu_for: MenuFor) -> None:
        self.menu_for = menu_for

    async def handle(self, ctx: CommandContext) -> None:
        commands = self.menu_for(ctx.language, is_operator(ctx.runtime, ctx.chat_id))
        lines = html_list(f"/{c.command} – {c.description}" for c in commands)
        await ctx.reply(ctx.text("help", commands=lines))
