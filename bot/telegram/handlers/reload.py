"""/reload (operators): re-read config.yaml without a restart.

New topics, feeds and folders take effect at once; an invalid file is answered with its
problems (key path and line) while the running configuration carries on untouched.
"""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext, html_list


class Reload(ChatCommand):
    name = "reload"
    menu = False
    permission = "operator"

    async def handle(self, ctx: CommandContext) -> None:
        ok, notes = await ctx.runtime.reload()
        if not ok:
            problems = html_list(f"• {ctx.text('error') if not p else _esc(p)}" for p in notes)
            await ctx.reply(ctx.text("reload_failed", problems=problems))
            return
        config = ctx.config
        text = ctx.text(
            "reload_ok",
            topics=len(config.topics),
            feeds=sum(f.enabled for f in config.feeds),
            folders=sum(f.enabled for f in config.folders),
        )
        for note in notes:
            text += "\n" + ctx.text("reload_note", note=note)
        await ctx.reply(text)


def _esc(text: str) -> str:
    import html

    return html.escape(text[:500], quote=False)


COMMAND = Reload()
