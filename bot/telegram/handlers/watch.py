"""/watch <word or phrase>: a personal keyword alert beside the topics (see `bot.watch`)."""

from __future__ import annotations

from bot.telegram.handlers.common import ChatCommand, CommandContext
from bot.watch import MAX_CHARS, MAX_WORDS, WatchWordError, clean_phrase


def word_list(ctx: CommandContext) -> str:
    words = ctx.services.store.watch_words(ctx.chat_id)
    return ", ".join(words) if words else ctx.text("status_none")


class Watch(ChatCommand):
    name = "watch"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        store = ctx.services.store
        if not ctx.args:
            parts = [ctx.text("watch_usage", limit=MAX_WORDS)]
            if words := store.watch_words(ctx.chat_id):
                parts.append(
                    ctx.text(
                        "watch_list", count=len(words), limit=MAX_WORDS, phrases=", ".join(words)
                    )
                )
            await ctx.reply("\n\n".join(parts))
            return
        try:
            phrase = clean_phrase(" ".join(ctx.args))
        except WatchWordError as exc:
            await ctx.reply(ctx.text(exc.reason, limit=MAX_CHARS))
            return
        ctx.ensure_chat()
        added = store.add_watch_word(ctx.chat_id, phrase, limit=MAX_WORDS)
        if added is None:
            await ctx.reply(ctx.text("watch_full", limit=MAX_WORDS))
        elif added:
            await ctx.reply(ctx.text("watch_added", phrase=phrase))
        else:
            await ctx.reply(ctx.text("watch_already", phrase=phrase))


COMMAND = Watch()
