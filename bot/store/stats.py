"""Read-only queries for operations and statistics (health checks, metrics, charts).

Each query is a module function taking any store; the ops endpoint, the metrics and
`topicbot stats` call them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.store.base import StoreBase, from_iso, to_iso


def ping(store: StoreBase) -> None:
    """Raise StoreError unless the database answers (a SQLite file: and is still there)."""
    store.backend.ping()


def last_poll_success(store: StoreBase, sources: Sequence[str] | None = None) -> datetime | None:
    """The latest successful poll of any (of the given) sources, from the persisted state."""
    sql = "SELECT MAX(last_success) FROM source_state WHERE last_success IS NOT NULL"
    params: tuple[object, ...] = ()
    if sources is not None:
        if not sources:
            return None
        sql += f" AND source IN ({','.join('?' * len(sources))})"
        params = tuple(sources)
    value = store.read(sql, params)[0][0]
    return from_iso(value)


def oldest_due_pending(
    store: StoreBase, *, now: datetime | None = None, chat_ids: Sequence[int] | None = None
) -> datetime | None:
    """Since when the longest-waiting due alert has been due (its retry time or queue time).

    Alerts waiting out a retry delay are not due, so a Telegram outage (which pushes retries
    into the future) is not mistaken for a stuck sender; nor are alerts the sender holds back
    behind an earlier alert of the same chat that waits for its retry (`sendable_alerts`).
    """
    now_s = to_iso(now or datetime.now(UTC))
    # Rows held for a digest or quiet hours are due from their hold time, not their queue time.
    sql = f"""SELECT MIN({store.backend.greatest}(COALESCE(o.next_attempt, o.created_at),
                            COALESCE(o.hold_until, o.created_at))) FROM outbox o
             WHERE o.status = 'pending' AND (o.next_attempt IS NULL OR o.next_attempt <= ?)
               AND (o.hold_until IS NULL OR o.hold_until <= ?)
               AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id
                   AND p.status = 'pending' AND p.id < o.id AND p.next_attempt > ?)"""
    params: list[object] = [now_s, now_s, now_s]
    if chat_ids is not None:
        if not chat_ids:
            return None
        sql += f" AND o.chat_id IN ({','.join('?' * len(chat_ids))})"
        params.extend(chat_ids)
    return from_iso(store.read(sql, tuple(params))[0][0])


def matched_topic_times(
    store: StoreBase, since: datetime
) -> list[tuple[str, datetime, datetime | None]]:
    """(topic, fetched_at, published) for every matched article topic seen since `since`.

    Filtering is loose (either timestamp after `since`); callers pick the time they bucket by.
    """
    since_s = to_iso(since)
    rows = store.read(
        """SELECT t.topic, a.fetched_at, a.published FROM article_topics t
           JOIN articles a ON a.id = t.article_id
           WHERE t.matched = 1 AND (a.fetched_at >= ? OR a.published >= ?)""",
        (since_s, since_s),
    )
    out = []
    for topic, fetched, published in rows:
        fetched_dt = from_iso(fetched)
        if fetched_dt is not None:
            out.append((str(topic), fetched_dt, from_iso(published)))
    return out
