"""Console delivery: alerts printed to stdout when no bot token is set."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TextIO

from bot.i18n import t
from bot.localtime import format_published
from bot.matcher import CONSOLE_CHAT_ID
from bot.store import OutboxItem, Store

#: The console speaks Danish (as a chat does by default); its labels come from bot.i18n.
LANGUAGE = "da"


def format_console_alert(item: OutboxItem, topic_names: Mapping[str, str]) -> str:
    a = item.article
    also_at = t(LANGUAGE, "alert_also").lower()
    if item.kind == "story_update":  # the story's alert is already printed: name the outlet
        return f"   {also_at}: {', '.join(item.also) or a.source} – {a.title}\n"
    names = " · ".join(
        [topic_names.get(i, i) for i in item.topics] + [f"»{w}«" for w in item.watch]
    )
    why = sorted({r for s in item.scores if s.matched for r in s.reasons})
    when = format_published(a.published) if a.published else t(LANGUAGE, "alert_undated")
    lines = [f"━━ {names} ━━", a.title, f"{a.source} · {when}"]
    if a.link:
        lines.append(a.link)
    if why or item.watch:
        lines.append(
            f"{t(LANGUAGE, 'alert_why').lower()}: "
            + ", ".join([*(f"»{w}«" for w in item.watch), *why][:8])
        )
    if item.also:
        lines.append(f"{also_at}: " + ", ".join(item.also))
    return "\n".join(lines) + "\n"


class ConsoleSender:
    def __init__(
        self, store: Store, topic_names: Mapping[str, str], stream: TextIO | None = None
    ) -> None:
        self.store = store
        self.topic_names = topic_names
        self.stream = stream or sys.stdout

    async def drain(self) -> int:
        sent = 0
        while items := self.store.due_alerts(limit=100, chat_ids=[CONSOLE_CHAT_ID]):
            for item in items:
                print(format_console_alert(item, self.topic_names), file=self.stream, flush=True)
                self.store.mark_sent(item.id)
                sent += 1
        return sent
