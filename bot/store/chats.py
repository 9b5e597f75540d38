"""Chats (subscribers), their subscriptions, and their feedback on alerts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.store.backend import Row
from bot.store.base import StoreBase, now_iso
from bot.store.parts import StoreParts


@dataclass(frozen=True, slots=True)
class Chat:
    chat_id: int
    kind: str
    title: str | None
    language: str
    active: bool
    paused: bool
    inactive_reason: str | None


def _row_to_chat(r: Row) -> Chat:
    return Chat(
        chat_id=r["chat_id"],
        kind=r["kind"],
        title=r["title"],
        language=r["language"],
        active=bool(r["active"]),
        paused=bool(r["paused"]),
        inactive_reason=r["inactive_reason"],
    )


class ChatMixin(StoreBase):
    def ensure_chat(
        self, chat_id: int, *, kind: str = "private", title: str | None = None, language: str = "da"
    ) -> Chat:
        """Create the chat if new; a chat that returns after blocking the bot is active again."""
        now = now_iso()
        with self._tx() as conn:
            conn.execute(
                """INSERT INTO chats (chat_id, kind, title, language, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(chat_id) DO UPDATE SET kind = excluded.kind,
                       title = COALESCE(excluded.title, chats.title), active = 1,
                       inactive_reason = NULL, updated_at = excluded.updated_at""",
                (chat_id, kind, title, language, now, now),
            )
        chat = self.get_chat(chat_id)
        assert chat is not None
        return chat

    def get_chat(self, chat_id: int) -> Chat | None:
        rows = self._query("SELECT * FROM chats WHERE chat_id = ?", (chat_id,))
        return _row_to_chat(rows[0]) if rows else None

    def set_language(self, chat_id: int, language: str) -> None:
        self._update_chat(chat_id, "language = ?", (language,))

    def set_paused(self, chat_id: int, paused: bool) -> None:
        self._update_chat(chat_id, "paused = ?", (int(paused),))

    def deactivate_chat(self: StoreParts, chat_id: int, reason: str) -> None:
        """The bot cannot write there (blocked, kicked): keep the data, stop the alerts."""
        self._update_chat(chat_id, "active = 0, inactive_reason = ?", (reason,))
        self.drop_pending(chat_id, reason)

    def _update_chat(self, chat_id: int, assignment: str, params: tuple[object, ...]) -> None:
        with self._tx() as conn:
            conn.execute(
                f"UPDATE chats SET {assignment}, updated_at = ? WHERE chat_id = ?",
                (*params, now_iso(), chat_id),
            )

    def forget_chat(self, chat_id: int) -> None:
        """/stop: the chat, its subscriptions, its queued alerts and its feedback go."""
        with self._tx() as conn:
            conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
            conn.execute("DELETE FROM outbox WHERE chat_id = ? AND status = 'pending'", (chat_id,))
            conn.execute("DELETE FROM feedback WHERE chat_id = ?", (chat_id,))
            conn.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: everything moves to the new id, pending alerts too."""
        with self._tx() as conn:
            conn.execute(
                """INSERT INTO chats (chat_id, kind, title, language, active, paused,
                       inactive_reason, created_at, updated_at, delivery, digest_at,
                       quiet_from, quiet_to, quiet_mode)
                   SELECT ?, 'supergroup', title, language, active, paused, inactive_reason,
                       created_at, ?, delivery, digest_at, quiet_from, quiet_to, quiet_mode
                   FROM chats WHERE chat_id = ? ON CONFLICT DO NOTHING""",
                (new_id, now_iso(), old_id),
            )
            conn.execute(
                """INSERT INTO subscriptions (chat_id, topic, created_at)
                   SELECT ?, topic, created_at FROM subscriptions WHERE chat_id = ?
                   ON CONFLICT DO NOTHING""",
                (new_id, old_id),
            )
            conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", (old_id,))
            conn.execute(
                """INSERT INTO watch_words (chat_id, phrase, created_at)
                   SELECT ?, phrase, created_at FROM watch_words WHERE chat_id = ?
                   ON CONFLICT DO NOTHING""",
                (new_id, old_id),
            )
            conn.execute("DELETE FROM chats WHERE chat_id = ?", (old_id,))
            # Merged story rows move too: they name the outlets the pending alert shows. A row
            # whose article the new id has already stays (and is dropped as a duplicate).
            conn.execute(
                """UPDATE outbox SET chat_id = ?, next_attempt = NULL
                   WHERE chat_id = ? AND status IN ('pending', 'merged')
                     AND article_id NOT IN (SELECT article_id FROM outbox WHERE chat_id = ?)""",
                (new_id, old_id, new_id),
            )
            conn.execute(
                """UPDATE outbox SET status = 'dropped', last_error = 'migrated (duplicate)'
                   WHERE chat_id = ? AND status = 'pending'""",
                (old_id,),
            )

    def subscribe(self, chat_id: int, topics: Iterable[str]) -> list[str]:
        """Returns the topics that were newly added."""
        added = []
        with self._tx() as conn:
            for topic in topics:
                cur = conn.execute(
                    "INSERT INTO subscriptions (chat_id, topic, created_at) "
                    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (chat_id, topic, now_iso()),
                )
                if cur.rowcount:
                    added.append(topic)
        return added

    def unsubscribe(self, chat_id: int, topics: Iterable[str]) -> list[str]:
        removed = []
        with self._tx() as conn:
            for topic in topics:
                cur = conn.execute(
                    "DELETE FROM subscriptions WHERE chat_id = ? AND topic = ?", (chat_id, topic)
                )
                if cur.rowcount:
                    removed.append(topic)
        return removed

    def subscriptions(self, chat_id: int) -> list[str]:
        rows = self._query(
            "SELECT topic FROM subscriptions WHERE chat_id = ? ORDER BY topic", (chat_id,)
        )
        return [r[0] for r in rows]

    def subscribers_for(self, topics: Sequence[str]) -> dict[int, list[str]]:
        """Active, unpaused chats subscribed to any of `topics`, with the topics they match."""
        if not topics:
            return {}
        rows = self._query(
            f"""SELECT s.chat_id, s.topic FROM subscriptions s
                JOIN chats c ON c.chat_id = s.chat_id
                WHERE c.active = 1 AND c.paused = 0
                  AND s.topic IN ({",".join("?" * len(topics))})
                ORDER BY s.chat_id""",
            tuple(topics),
        )
        out: dict[int, list[str]] = {}
        order = {t: i for i, t in enumerate(topics)}
        for chat_id, topic in rows:
            out.setdefault(chat_id, []).append(topic)
        for chat_topics in out.values():
            chat_topics.sort(key=order.__getitem__)
        return out

    def subscriber_counts(self) -> dict[str, int]:
        rows = self._query(
            """SELECT s.topic, COUNT(*) FROM subscriptions s JOIN chats c USING (chat_id)
               WHERE c.active = 1 GROUP BY s.topic"""
        )
        return {r[0]: r[1] for r in rows}

    def chat_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM chats WHERE active = 1")[0][0])

    # --- feedback -------------------------------------------------------------------------

    def record_feedback(
        self, chat_id: int, article_id: str, vote: int, topics: Sequence[str]
    ) -> None:
        """👍 (+1) / 👎 (-1) on an alert; a second press replaces the first."""
        with self._tx() as conn:
            conn.execute(
                """INSERT INTO feedback (chat_id, article_id, vote, topics, created_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(chat_id, article_id) DO UPDATE SET vote = excluded.vote,
                       topics = excluded.topics, created_at = excluded.created_at""",
                (chat_id, article_id, vote, json.dumps(list(topics)), now_iso()),
            )

    def feedback_labels(self) -> list[tuple[str, Mapping[str, bool]]]:
        """Per article, topic → label from subscribers' votes (majority; ties are dropped)."""
        totals: dict[tuple[str, str], int] = {}
        for article_id, vote, topics in self._query(
            "SELECT article_id, vote, topics FROM feedback"
        ):
            for topic in json.loads(topics):
                totals[(article_id, topic)] = totals.get((article_id, topic), 0) + vote
        labels: dict[str, dict[str, bool]] = {}
        for (article_id, topic), total in totals.items():
            if total:
                labels.setdefault(article_id, {})[topic] = total > 0
        return sorted(labels.items())
