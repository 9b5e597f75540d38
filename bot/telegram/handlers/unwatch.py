"""/unwatch <word or phrase> | alle: stop a personal watch word."""

from __future__ import annotations

from bot.telegram.handlers.common import ALL_WORDS, ChatCommand, CommandContext
from bot.telegram.handlers.watch import word_list
from bot.watch import WatchWordError, clean_phrase


class Unwatch(ChatCommand):
    name = "unwatch"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        store = ctx.services.store
        if not ctx.args:
            await ctx.reply(ctx.text("unwatch_usage", phrases=word_list(ctx)))
            return
        raw = " ".join(ctx.args)
        if raw.strip().casefold() in ALL_WORDS:
            removed = store.remove_watch_words(ctx.chat_id)
        else:
            try:
                phrase = clean_phrase(raw)
            except WatchWordError:
                phrase = raw.strip()[:50]
            removed = store.remove_watch_words(ctx.chat_id, [phrase])
            if not removed:
                await ctx.reply(ctx.text("unwatch_unknown", phrase=phrase, phrases=word_list(ctx)))
                return
        if not removed:
            await ctx.reply(ctx.text("unwatch_usage", phrases=word_list(ctx)))
            return
        await ctx.reply(ctx.text("unwatch_done", phrases=", ".join(removed)))


COMMAND = Unwatch()
