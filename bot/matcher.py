"""Which chats get an alert for an article: one alert per chat, listing every matched topic."""

from __future__ import annotations

from collections.abc import Sequence

from bot.store import Store
from classifiers.base import TopicScore

#: The pseudo-chat that receives every topic when no bot token is set.
CONSOLE_CHAT_ID = 0


def matched_topics(scores: Sequence[TopicScore]) -> list[str]:
    return [s.topic for s in scores if s.matched]


def alerts_for(store: Store, scores: Sequence[TopicScore]) -> dict[int, list[str]]:
    """Chat id → the subscribed topics this article matched (chats with none are left out)."""
    return store.subscribers_for(matched_topics(scores))


def enable_console(store: Store, topics: Sequence[str]) -> None:
    """Console mode: the console pseudo-chat follows every topic."""
    store.ensure_chat(CONSOLE_CHAT_ID, kind="console", title="console")
    store.subscribe(CONSOLE_CHAT_ID, topics)


def disable_console(store: Store) -> None:
    """Telegram mode: nothing more is queued for the console."""
    if store.get_chat(CONSOLE_CHAT_ID):
        store.deactivate_chat(CONSOLE_CHAT_ID, "telegram mode")
