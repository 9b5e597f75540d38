"""/status (operators): per source last success, last error and items; the outbox queue;
subscribers per topic. Enough to answer "is it working?" from a phone."""

from __future__ import annotations

import html
from datetime import datetime

from bot.i18n import Markup, t
from bot.localtime import format_local
from bot.sources.base import SourceState
from bot.telegram.handlers.common import ChatCommand, CommandContext, html_list

MAX_ERROR_CHARS = 160
#: Characters of source lines in one answer: the whole must stay under Telegram's 4096, and
#: sources with errors are listed first, so a long list never hides the broken ones.
SOURCES_BUDGET = 3000


def _when(moment: datetime | None, language: str) -> str:
    if moment is None:
        return t(language, "status_never")
    return format_local(moment, "%d.%m %H:%M")


def source_line(name: str, state: SourceState, language: str) -> str:
    """One source: last success and items, plus the last error when it is newer."""
    error = ""
    if state.last_error and (
        state.last_success is None
        or (state.last_error_at is not None and state.last_error_at > state.last_success)
    ):
        error = t(
            language,
            "status_source_error",
            when=_when(state.last_error_at, language),
            error=state.last_error[:MAX_ERROR_CHARS],
        )
    return t(
        language,
        "status_source",
        name=name,
        success=_when(state.last_success, language),
        items=state.last_items,
        error=Markup(error),  # already escaped by t()
    )


class Status(ChatCommand):
    name = "status"
    menu = False
    permission = "operator"

    async def handle(self, ctx: CommandContext) -> None:
        store = ctx.services.store
        states = store.all_source_states()
        names = ctx.services.pipeline.source_names
        failing = [n for n in names if states.get(n, SourceState()).failures]
        ordered = failing + [n for n in names if n not in failing]
        lines: list[str] = []
        used = 0
        for i, name in enumerate(ordered):
            line = source_line(name, states.get(name, SourceState()), ctx.language)
            used += len(line) + 1
            if used > SOURCES_BUDGET:
                lines.append(f"… +{len(ordered) - i}")
                break
            lines.append(line)
        counts = store.outbox_counts()
        subscribers = store.subscriber_counts()
        subscriber_lines = [
            f"• {tp.display_name(ctx.language)}: {subscribers.get(tp.id, 0)}"
            for tp in ctx.config.topics
        ]
        none = ctx.text("status_none")
        await ctx.reply(
            ctx.text(
                "status",
                sources=html_list(lines or [none]),
                pending=counts.get("pending", 0),
                sent=counts.get("sent", 0),
                failed=counts.get("failed", 0),
                chats=store.chat_count(),
                subscribers=html_list(html.escape(line, quote=False) for line in subscriber_lines),
            )
        )


COMMAND = Status()
