"""/unsubscribe <topic...>: stop following topics (same names as /subscribe)."""

from __future__ import annotations

from bot.telegram.handlers.common import (
    ChatCommand,
    CommandContext,
    names_of,
    resolve_topics,
    topics_keyboard,
    valid_topics,
)


class Unsubscribe(ChatCommand):
    name = "unsubscribe"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        store = ctx.services.store
        subscribed = store.subscriptions(ctx.chat_id)
        found, unknown = resolve_topics(ctx.config, ctx.args)
        if not found and not unknown:  # no arguments, or only separators ("/unsubscribe ,")
            have = names_of(ctx.config, subscribed, ctx.language) or ctx.text("status_none")
            markup = topics_keyboard(ctx.config, subscribed, ctx.language)
            await ctx.reply(ctx.text("unsubscribe_usage", topics=have), markup)
            return
        if unknown:
            valid = valid_topics(ctx.config, ctx.language)
            await ctx.reply(ctx.text("unknown_topic", unknown=", ".join(unknown), valid=valid))
            return
        removed = store.unsubscribe(ctx.chat_id, found)
        missing = [x for x in found if x not in removed]
        parts = []
        if removed:
            parts.append(
                ctx.text("unsubscribed", topics=names_of(ctx.config, removed, ctx.language))
            )
        if missing:
            parts.append(
                ctx.text("not_subscribed", topics=names_of(ctx.config, missing, ctx.language))
            )
        await ctx.reply("\n".join(parts))


COMMAND = Unsubscribe()
