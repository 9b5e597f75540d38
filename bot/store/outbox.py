"""The alert outbox: written and committed before anything is sent, marked after.

A crash between a send and its mark resends that one alert on restart (at most one
duplicate per crash); nothing queued is ever lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from bot.errors import StoreError
from bot.store.articles import row_to_article
from bot.store.backend import Row
from bot.store.base import StoreBase, now_iso, to_iso
from bot.store.outbox_item import OutboxItem
from bot.store.parts import StoreParts
from classifiers.base import TopicScore

#: Mark delivered alerts (params: sent at, message id, outbox id).
_MARK_SENT_SQL = """UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,
                       attempts = attempts + 1 WHERE id = ?"""
#: What `_to_item` reads, from `outbox o` plus its article and chat (format in an index
#: clause: "" or the backend's `index_hint`).
ITEM_SELECT = """SELECT o.id AS oid, o.chat_id, o.topics, o.attempts, o.watch, o.kind,
                    o.silent, o.created_at AS queued_at, c.language AS chat_language, a.*
             FROM outbox o {index} JOIN articles a ON a.id = o.article_id
             LEFT JOIN chats c ON c.chat_id = o.chat_id"""
#: Pending instant alerts whose retry and hold times have passed (params: now, now; format
#: in an index clause).
_DUE_SQL = (
    ITEM_SELECT
    + """
             WHERE o.status = 'pending' AND (o.next_attempt IS NULL OR o.next_attempt <= ?)
               AND (o.hold_until IS NULL OR o.hold_until <= ?)
               AND COALESCE(c.delivery, 'instant') = 'instant'"""
)

#: `Backend.lock_keys` topic of story placement: two articles of one story completed at once
#: by two processes must not both become a chat's alert (`StoryMixin.story_placements`).
STORY_LOCKS = "story placement"


#: Queue an article's alerts, a row per chat (`Backend.insert_returning`); a row another
#: process queued for the same chat and article conflicts: one alert.
_QUEUE_SQL = """INSERT INTO outbox (chat_id, article_id, topics, created_at, watch, story_id,
                    kind, status, hold_until, silent)
                VALUES {values} ON CONFLICT DO NOTHING RETURNING status"""


class OutboxMixin(StoreBase):
    def complete_article(
        self: StoreParts,
        article_id: str,
        scores: Sequence[TopicScore],
        alerts: Mapping[int, Sequence[str]],
        watch: Mapping[int, Sequence[str]] | None = None,
        story_id: str | None = None,
        language: str | None = None,
    ) -> int:
        """Store the scores (and the article's language), queue one alert per chat, mark the
        article processed: atomically.

        `alerts` maps chats to their matched topics (possibly none when only `watch` words
        matched); a chat that already has this story's alert gets a story update instead.
        A fan-out costs no statement per chat (`Backend.any_of`, `insert_returning`)."""
        watch = watch or {}
        chats = sorted(set(alerts) | set(watch))
        with self._tx() as conn:
            if story_id is not None:  # another process placing this story's article waits
                self.backend.lock_keys(conn, STORY_LOCKS, [story_id])
            self.write_scores(conn, article_id, scores)
            conn.execute(
                "UPDATE articles SET story_id = ?, language = ? WHERE id = ?",
                (story_id, language, article_id),
            )
            places = self.story_placements(conn, chats, story_id, article_id)
            timings = self.new_alert_timings(conn, chats)  # digest / quiet hours
            created = now_iso()
            encoded: dict[tuple[str, ...], str] = {}  # most chats share their topics

            def as_json(words: Sequence[str]) -> str:
                key = tuple(words)
                if key not in encoded:
                    encoded[key] = json.dumps(list(key))
                return encoded[key]

            rows: list[tuple[object, ...]] = []
            for chat_id in chats:
                place = places[chat_id]
                if place is None:
                    continue
                due = timings.get(chat_id)
                rows.append(
                    (
                        chat_id,
                        article_id,
                        as_json(alerts.get(chat_id, ())),
                        created,
                        as_json(watch.get(chat_id, ())),
                        story_id,
                        *place,
                        to_iso(due.hold_until) if due else None,
                        int(due.silent) if due else 0,
                    )
                )
            inserted = self.backend.insert_returning(conn, _QUEUE_SQL, rows)
            queued = sum(1 for r in inserted if r[0] == "pending")
            conn.execute("UPDATE articles SET processed = 1 WHERE id = ?", (article_id,))
        return queued

    def due_alerts(
        self: StoreParts,
        *,
        limit: int = 100,
        now: datetime | None = None,
        chat_ids: Sequence[int] | None = None,
    ) -> list[OutboxItem]:
        """Pending alerts whose retry time has come, oldest first (order of publication).

        Alerts held back (`hold_until`: quiet hours) and the alerts of digest chats (sent as
        one message by `bot.telegram.digest`) are not due here."""
        self._flush_unrecorded_sends()
        now_s = to_iso(now or datetime.now(UTC))
        sql = _DUE_SQL.format(index=self.backend.index_hint("outbox_pending"))
        params: list[object] = [now_s, now_s]
        if chat_ids is not None:
            sql += f" AND o.chat_id IN ({','.join('?' * len(chat_ids))})"
            params.extend(chat_ids)
        sql += " ORDER BY o.id LIMIT ?"
        params.append(limit)
        return self._to_items(self._query(sql, tuple(params)))

    def _to_items(self: StoreParts, rows: Sequence[Row]) -> list[OutboxItem]:
        """Rows to items, reading each article's scores once (a fan-out is one article)."""
        scores: dict[str, tuple[TopicScore, ...]] = {}
        return [self._to_item(r, scores) for r in rows]

    def _to_item(
        self: StoreParts, r: Row, scores: dict[str, tuple[TopicScore, ...]] | None = None
    ) -> OutboxItem:
        article = row_to_article(r)
        story_id = r["story_id"]
        also: tuple[str, ...] = ()
        if story_id is not None:
            update = r["kind"] == "story_update"  # its own outlet is one of the "also"
            exclude, upto = ("", r["oid"]) if update else (article.source, None)
            also = self.story_also(r["chat_id"], story_id, exclude, upto)
        if scores is None:
            scores = {}
        if article.id not in scores:
            scores[article.id] = tuple(self.article_topics(article.id))
        return OutboxItem(
            id=r["oid"],
            chat_id=r["chat_id"],
            article=article,
            topics=tuple(json.loads(r["topics"])),
            scores=scores[article.id],
            attempts=r["attempts"],
            language=r["chat_language"] or "da",
            watch=tuple(json.loads(r["watch"])),
            kind=r["kind"],
            story_id=story_id,
            also=also,
            silent=bool(r["silent"]),
            queued_at=datetime.fromisoformat(r["queued_at"]) if r["queued_at"] else None,
        )

    def alert_item(self: StoreParts, outbox_id: int) -> OutboxItem | None:
        """One outbox row as an item (the earlier alert a story update re-renders)."""
        rows = self._query(ITEM_SELECT.format(index="") + " WHERE o.id = ?", (outbox_id,))
        return self._to_item(rows[0]) if rows else None

    def mark_sent(self, outbox_id: int, message_id: int | None = None) -> None:
        """Record a delivered alert. If the database cannot be written (locked, read-only,
        full), the mark is kept in memory and the StoreError raised: until the mark is written,
        `due_alerts` and `sendable_alerts` raise too, so no drain sends that alert again (or
        anything else that could not be marked either)."""
        self._record_sent({outbox_id: (now_iso(), message_id)})

    def _record_sent(self, marks: Mapping[int, tuple[str, int | None]]) -> None:
        """Write delivered marks; ones that cannot be written are kept in memory, then the
        StoreError is raised (`_flush_unrecorded_sends` writes them first, next time)."""
        try:
            self._write_sent(marks)
        except StoreError:
            self._unrecorded_sends.update(marks)
            raise

    @property
    def _unrecorded_sends(self) -> dict[int, tuple[str, int | None]]:
        """Outbox id → (sent at, message id) of delivered alerts whose mark failed."""
        marks: dict[int, tuple[str, int | None]] = self.__dict__.setdefault(
            "_unrecorded_sends_", {}
        )
        return marks

    def _write_sent(self, marks: Mapping[int, tuple[str, int | None]]) -> None:
        rows = [(sent_at, message_id, oid) for oid, (sent_at, message_id) in marks.items()]
        if len(rows) == 1:  # the usual case: one statement is its own committed transaction
            self._execute(_MARK_SENT_SQL, rows[0])
            return
        with self._tx() as conn:
            conn.executemany(_MARK_SENT_SQL, rows)

    def _flush_unrecorded_sends(self) -> None:
        """Write the marks `mark_sent` could not; raises StoreError while it still cannot."""
        with self._lock:
            marks = self._unrecorded_sends
            if marks:
                self._write_sent(marks)
                marks.clear()

    def mark_retry(self, outbox_id: int, error: str, delay: float) -> None:
        """A transient failure: try again after `delay` seconds."""
        when = datetime.now(UTC) + timedelta(seconds=delay)
        with self._tx() as conn:
            conn.execute(
                """UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?
                   WHERE id = ?""",
                (error, to_iso(when), outbox_id),
            )

    def mark_failed(self, outbox_id: int, error: str) -> None:
        """A permanent failure: recorded, never retried."""
        with self._tx() as conn:
            conn.execute(
                """UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
                   WHERE id = ?""",
                (error, outbox_id),
            )

    def drop_pending(self, chat_id: int, reason: str) -> int:
        """Stop delivering to a chat (blocked, kicked, gone)."""
        with self._tx() as conn:
            cur = conn.execute(
                """UPDATE outbox SET status = 'dropped', last_error = ?
                   WHERE chat_id = ? AND status = 'pending'""",
                (reason, chat_id),
            )
            return cur.rowcount

    def outbox_counts(self) -> dict[str, int]:
        rows = self._query("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {r[0]: r[1] for r in rows}

    def pending_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")[0][0])

    def recent_sends(self, limit: int = 2000) -> list[tuple[datetime, int]]:
        """(sent time, chat id) of the newest sent rows, oldest first: what the process did
        just before a restart, so the next one starts inside Telegram's limits. Newest by
        id, not by time (no index on sent_at): an older alert retried late may be missed."""
        rows = self._query(
            "SELECT sent_at, chat_id FROM outbox WHERE status = 'sent' AND sent_at IS NOT NULL"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        sends = [(datetime.fromisoformat(r[0]), int(r[1])) for r in rows]
        return sorted(sends)

    def sent_message(self, chat_id: int, message_id: int) -> str | None:
        """The article an alert message showed (for 👍/👎 presses)."""
        rows = self._query(
            "SELECT article_id FROM outbox WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return rows[0][0] if rows else None

    def sendable_alerts(
        self: StoreParts,
        *,
        limit: int = 100,
        now: datetime | None = None,
        exclude_chats: Sequence[int] = (),
    ) -> list[OutboxItem]:
        """Due alerts that may go out now without breaking per-chat order, oldest first.

        Like `due_alerts`, but an alert is held back while an earlier alert of the same chat
        waits for its retry time (a chat must never see alert 2 before alert 1), and chats the
        sender is already busy with (`exclude_chats`) are skipped so they cannot fill the batch.
        """
        self._flush_unrecorded_sends()
        now_s = to_iso(now or datetime.now(UTC))
        sql = (
            _DUE_SQL.format(index=self.backend.index_hint("outbox_pending"))
            + """
                   AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id
                       AND p.status = 'pending' AND p.id < o.id
                       AND (p.next_attempt > ? OR p.hold_until > ?))"""
        )
        params: list[object] = [now_s, now_s, now_s, now_s]
        if exclude_chats:
            sql += f" AND o.chat_id NOT IN ({','.join('?' * len(exclude_chats))})"
            params.extend(exclude_chats)
        sql += " ORDER BY o.id LIMIT ?"
        params.append(limit)
        return self._to_items(self._query(sql, tuple(params)))

    def outbox_row(self, outbox_id: int) -> dict[str, object] | None:
        """One outbox row as stored (status, attempts, last_error...), for checks and tests."""
        rows = self._query("SELECT * FROM outbox WHERE id = ?", (outbox_id,))
        return dict(rows[0]) if rows else None

    def outbox_entry(self, outbox_id: int) -> tuple[int, str, tuple[str, ...]] | None:
        """(chat id, article id, topics) of one alert, for its 👍/👎 buttons; None if unknown."""
        rows = self._query(
            "SELECT chat_id, article_id, topics FROM outbox WHERE id = ?", (outbox_id,)
        )
        if not rows:
            return None
        r = rows[0]
        return int(r["chat_id"]), str(r["article_id"]), tuple(json.loads(r["topics"]))
