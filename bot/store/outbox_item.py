"""What the outbox hands a sender: one alert, digest entry or story edit, ready to format.

A module of its own so that `StoreParts` (the protocol the store's mixins are typed
against) can name it without importing the outbox mixin that implements that protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.article import Article
from classifiers.base import TopicScore


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One alert due for one chat, with everything needed to format it."""

    id: int
    chat_id: int
    article: Article
    topics: tuple[str, ...]
    scores: tuple[TopicScore, ...]
    attempts: int
    language: str
    #: The chat's watch words the article contains.
    watch: tuple[str, ...] = ()
    #: "alert", or "story_update": edit the story's earlier alert (see `bot.store.stories`).
    kind: str = "alert"
    story_id: str | None = None
    #: Other outlets of the story ("Også hos"), for the alert or the edit.
    also: tuple[str, ...] = ()
    #: Send without a notification sound (the chat's quiet hours, mode "silent").
    silent: bool = False
    #: When the row was queued (for the queue-to-delivery metric).
    queued_at: datetime | None = None
