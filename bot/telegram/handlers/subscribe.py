"""/subscribe <topic...>: follow topics by id, Danish or English name, in any case."""

from __future__ import annotations

from bot.telegram.handlers.common import (
    ChatCommand,
    CommandContext,
    names_of,
    resolve_topics,
    topics_keyboard,
    valid_topics,
)


class Subscribe(ChatCommand):
    name = "subscribe"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        valid = valid_topics(ctx.config, ctx.language)
        found, unknown = resolve_topics(ctx.config, ctx.args)
        if not found and not unknown:  # no arguments, or only separators ("/subscribe ,")
            subscribed = ctx.services.store.subscriptions(ctx.chat_id)
            markup = topics_keyboard(ctx.config, subscribed, ctx.language)
            await ctx.reply(ctx.text("subscribe_usage", valid=valid), markup)
            return
        if unknown:
            # Nothing is changed when part of the list is wrong: the user retypes it anyway.
            await ctx.reply(ctx.text("unknown_topic", unknown=", ".join(unknown), valid=valid))
            return
        ctx.ensure_chat()
        added = ctx.services.store.subscribe(ctx.chat_id, found)
        already = [x for x in found if x not in added]
        parts = []
        if added:
            parts.append(ctx.text("subscribed", topics=names_of(ctx.config, added, ctx.language)))
        if already:
            parts.append(
                ctx.text("already_subscribed", topics=names_of(ctx.config, already, ctx.language))
            )
        await ctx.reply("\n".join(parts))


COMMAND = Subscribe()
