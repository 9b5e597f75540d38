"""The store as its parts see each other: the methods one mixin calls on another.

Each mixin (`ArticleMixin`, `OutboxMixin`, …) is a slice of `bot.store.db.Store`; a method
that calls into another slice annotates ``self: StoreParts`` so the type checker knows the
whole store is there (mypy's protocol self-types for mixins) instead of ignoring the call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.store.backend import Backend, Connection, Row
from classifiers.base import TopicScore

if TYPE_CHECKING:
    from bot.delivery_modes import Timing
    from bot.store.outbox_item import OutboxItem


class StoreParts(Protocol):
    @property
    def backend(self) -> Backend: ...
    def _tx(self) -> AbstractContextManager[Connection]: ...
    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[Row]: ...
    def _update_chat(self, chat_id: int, assignment: str, params: tuple[object, ...]) -> None: ...

    # articles
    def write_scores(
        self, conn: Connection, article_id: str, scores: Iterable[TopicScore]
    ) -> None: ...
    def article_topics(self, article_id: str) -> list[TopicScore]: ...

    # stories
    def story_placements(
        self, conn: Connection, chat_ids: Sequence[int], story_id: str | None, article_id: str
    ) -> dict[int, tuple[str, str] | None]: ...
    def story_also(
        self, chat_id: int, story_id: str, exclude_source: str, upto_id: int | None = None
    ) -> tuple[str, ...]: ...

    # preferences
    def new_alert_timings(self, conn: Connection, chat_ids: Sequence[int]) -> dict[int, Timing]: ...
    def delivery_now(self) -> datetime: ...

    # outbox
    def drop_pending(self, chat_id: int, reason: str) -> int: ...
    def mark_retry(self, outbox_id: int, error: str, delay: float) -> None: ...
    def mark_failed(self, outbox_id: int, error: str) -> None: ...
    def _to_items(self, rows: Sequence[Row]) -> list[OutboxItem]: ...
    def _to_item(
        self, r: Row, scores: dict[str, tuple[TopicScore, ...]] | None = None
    ) -> OutboxItem: ...
    def _record_sent(self, marks: Mapping[int, tuple[str, int | None]]) -> None: ...
    def _flush_unrecorded_sends(self) -> None: ...
