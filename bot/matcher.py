"""Which chats get an alert for an article: one alert per chat, listing every matched topic."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.store import Store
from classifiers.base import TopicScore

#: The pseudo-chat that receives every topic when no bot token is set.
CONSOLE_CHAT_ID = 0


def matched_topics(scores: Sequence[TopicScore]) -> list[str]:
    return [s.topic for s in scores if s.matched]


def alerts_for(
    store: Store,
    scores: Sequence[TopicScore],
    watch: Mapping[int, Sequence[str]] | None = None,
) -> dict[int, list[str]]:
    """Chat id → the subscribed topics this article matched (chats with none are left out).

    Chats whose watch words matched (`watch`, from `bot.watch.WatchIndex`) get an alert too:
    with an empty topic list when no subscribed topic matched; the alert names the words."""
    alerts = store.subscribers_for(matched_topics(scores))
    for chat_id in watch or {}:
        alerts.setdefault(chat_id, [])
    return alerts


def enable_console(store: Store, topics: Sequence[str]) -> None:
    """Console mode: the console pseudo-chat follows every topic."""
    store.ensure_chat(CONSOLE_CHAT_ID, kind="console", title="console")
    store.subscribe(CONSOLE_CHAT_ID, topics)


def disable_console(store: Store) -> None:
    """Telegram mode: nothing more is queued for the console."""
    if store.get_chat(CONSOLE_CHAT_ID):
        store.deactivate_chat(CONSOLE_CHAT_ID, "telegram mode")
