"""Queueing one article's alerts costs no SQL statement per chat: a round trip per chat made
a 10,000-chat fan-out on PostgreSQL spend seconds before its first send. Counted on SQLite
(its trace callback sees every statement); the mixins' SQL is the same text on PostgreSQL,
where `Backend.any_of` is one array parameter and the insert one pipelined batch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.article import Article
from bot.store import Store
from bot.store.preferences import PreferencesMixin
from bot.store.sqlite_backend import SqliteBackend
from classifiers.base import TopicScore

#: 00:00 in Copenhagen: inside quiet hours 22-07.
NOW = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)
SCORES = [TopicScore("NATO", 0.9, True, ("nato",)), TopicScore("COVID-19", 0.1, False)]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PreferencesMixin, "delivery_clock", staticmethod(lambda: NOW))


@pytest.fixture
def store(tmp_path: Path, clock: None) -> Iterator[Store]:
    with Store.open(tmp_path / "t.sqlite3") as s:
        yield s


def _audience(store: Store, n: int) -> dict[int, list[str]]:
    """n chats with every kind of preference: default, quiet hours (hold / silent), daily."""
    for chat in range(1, n + 1):
        store.ensure_chat(chat)
        if chat % 4 == 1:
            store.set_quiet(chat, "22:00", "07:00", "hold")
        elif chat % 4 == 2:
            store.set_quiet(chat, "22:00", "07:00", "silent")
        elif chat % 4 == 3:
            store.set_delivery(chat, "daily", "08:00")
    return {chat: ["NATO"] for chat in range(1, n + 1)}


def _queue_story(store: Store, n: int) -> tuple[int, int]:
    """The story's first alert to n chats (half marked sent), then a second outlet's article
    of it; returns (statements, alerts queued) of that second article."""
    for aid, source in (("a", "DR"), ("b", "Berlingske")):
        store.record_articles([Article(aid, source, f"Nato {aid}", "", None, NOW)])
    alerts = _audience(store, n)
    watch = {n + 1: ["fly"]}  # a chat that only watches a word
    store.ensure_chat(n + 1)
    assert store.complete_article("a", SCORES, alerts, watch, story_id="a") > 0
    first = store.due_alerts(limit=10 * n, now=NOW)
    for item in first[::2]:
        store.mark_sent(item.id, message_id=item.id)
    statements: list[str] = []
    backend = store.backend
    assert isinstance(backend, SqliteBackend)
    backend.trace(statements.append)
    queued = store.complete_article("b", SCORES, alerts, watch, story_id="a")
    backend.trace(None)
    return len(statements), queued


def test_statements_for_one_article_do_not_grow_with_its_chats(tmp_path: Path, clock: None) -> None:
    counts = {}
    for n in (4, 80):
        with Store.open(tmp_path / f"{n}.sqlite3") as store:
            counts[n], queued = _queue_story(store, n)
            assert queued > 0  # story updates for the chats that saw the first alert
            rows = store.outbox_counts()
            assert rows["merged"] > 0 and rows["pending"] > 0
    assert counts[4] > 0
    assert counts[80] == counts[4], counts


def test_each_chat_keeps_its_own_timing_and_story_place(store: Store) -> None:
    _queue_story(store, 8)
    rows = [store.outbox_row(i) for i in range(1, 40)]
    second = {r["chat_id"]: r for r in rows if r and r["article_id"] == "b"}
    first = {r["chat_id"]: r for r in rows if r and r["article_id"] == "a"}
    for chat, row in second.items():
        was_sent = first[chat]["status"] == "sent"
        assert (row["kind"], row["status"]) == (
            ("story_update", "pending") if was_sent else ("story_update", "merged")
        )
    for rows_of in (first, second):
        for chat, row in rows_of.items():
            kind = chat % 4 if chat <= 8 else None
            held = row["hold_until"] is not None
            assert held == (kind in (1, 3)), (chat, row)  # quiet "hold", daily digest
            assert row["silent"] == (1 if kind == 2 else 0), (chat, row)
    assert first[9]["watch"] == '["fly"]' and first[9]["topics"] == "[]"
