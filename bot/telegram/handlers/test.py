"""/test <text>: a dry run — which topics and watch words this text would match, and why.

Nothing is stored or sent; the text is classified exactly as an article headline would be.
"""

from __future__ import annotations

import asyncio
import html

from bot.telegram.handlers.common import ChatCommand, CommandContext, html_list
from bot.watch import chat_hits
from classifiers.base import Document, published_day
from classifiers.language import identify

MAX_TERMS = 6


class Test(ChatCommand):
    name = "test"

    async def handle(self, ctx: CommandContext) -> None:
        text = " ".join(ctx.args).strip()
        if not text:
            await ctx.reply(ctx.text("test_usage"))
            return
        language = await asyncio.to_thread(identify, text)
        doc = Document(text, "", language, published_day(None))  # as if published today
        classifier = ctx.services.classifier
        (scores,) = await asyncio.to_thread(classifier.classify_many, [doc])
        by_id = {tp.id: tp for tp in ctx.config.topics}
        lines: list[str] = []
        for score in sorted(scores, key=lambda s: (not s.matched, -s.score)):
            tp = by_id.get(score.topic)
            name = tp.display_name(ctx.language) if tp else score.topic
            terms = ", ".join(score.reasons[:MAX_TERMS])
            lines.append(
                ctx.text(
                    "test_topic",
                    mark="✅" if score.matched else "▫️",
                    topic=name,
                    score=f"{score.score:.2f}",
                    terms=f" ({terms})" if terms else "",
                )
            )
        words = ctx.services.store.watch_words(ctx.chat_id)
        watched = dict.fromkeys(h.term for h in chat_hits(words, doc)) if words else {}
        lines.extend(ctx.text("test_watch", phrase=w) for w in watched)
        if not any(s.matched for s in scores) and not watched:
            lines.append(html.escape(ctx.text("test_nothing"), quote=False))
        shown = language or ("ukendt" if ctx.language == "da" else "unknown")
        await ctx.reply(ctx.text("test_result", language=shown, lines=html_list(lines)))


COMMAND = Test()
