"""/stats: a chart (PNG) of matched articles per topic per day, the last 30 days.

The same numbers and drawing as `topicbot stats --plot` (`bot.stats`); drawn in a worker thread
so the bot keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import TelegramError

from bot.stats import PlotUnavailable, render_chart, topic_counts_per_day
from bot.telegram.handlers.common import ChatCommand, CommandContext

log = logging.getLogger(__name__)
DAYS = 30


class Stats(ChatCommand):
    name = "stats"

    async def handle(self, ctx: CommandContext) -> None:
        topics = [tp.id for tp in ctx.config.topics]
        counts = topic_counts_per_day(ctx.services.store, days=DAYS, topics=topics)
        names = ctx.config.topic_names(ctx.language)
        caption = ctx.text("stats_caption", days=DAYS)
        try:
            png = await asyncio.to_thread(render_chart, counts, names, caption)
        except PlotUnavailable:
            await ctx.reply(ctx.text("stats_unavailable"))
            return
        try:
            await ctx.context.bot.send_photo(ctx.chat_id, png, caption=caption)
        except TelegramError as exc:
            log.warning("cannot send /stats chart to chat %s: %s", ctx.chat_id, exc)


COMMAND = Stats()
