"""Story grouping in the store: which earlier alert a new article of the same story joins.

A chat gets one alert per story (`bot.stories` assigns `articles.story_id`). When a later
outlet's article of that story is matched for a chat that already has the story's alert:

- alert already sent (within `STORY_WINDOW`): an outbox row of kind ``story_update`` is queued;
  the sender edits the earlier message, appending "Også hos: <outlets>";
- alert still pending: the row is stored as ``merged`` (never sent on its own), and the alert
  shows the outlet when it goes out;
- the outlet is already part of the chat's story (an outlet's second version): nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.backend import Connection
from bot.store.base import StoreBase, to_iso

#: How long a sent alert collects later outlets of its story.
STORY_WINDOW = timedelta(hours=24)


class StoryMixin(StoreBase):
    def story_candidates(
        self, since: datetime, limit: int = 5000
    ) -> list[tuple[str, str, str, str, str, str]]:
        """(id, source, title, text, when, story id) of articles with a story since `since`,
        oldest first; `when` is the publication time, else the fetch time (ISO)."""
        rows = self._query(
            """SELECT id, source, title, text, COALESCE(published, fetched_at) AS t, story_id
               FROM articles WHERE story_id IS NOT NULL AND fetched_at >= ?
               ORDER BY rowid DESC LIMIT ?""",
            (to_iso(since), limit),
        )
        return [tuple(r) for r in reversed(rows)]

    @staticmethod
    def story_placement(
        conn: Connection, chat_id: int, story_id: str | None, article_id: str
    ) -> tuple[str, str] | None:
        """(kind, status) for a new outbox row of this chat, or None to queue nothing."""
        if story_id is None:
            return "alert", "pending"
        since = to_iso(datetime.now(UTC) - STORY_WINDOW)
        rows = conn.execute(
            """SELECT o.status FROM outbox o
               WHERE o.chat_id = ? AND o.story_id = ? AND o.kind = 'alert'
                 AND o.status IN ('pending', 'sent') AND o.created_at >= ?
               ORDER BY o.id DESC LIMIT 1""",
            (chat_id, story_id, since),
        ).fetchall()
        if not rows:
            return "alert", "pending"
        sources = {
            r[0]
            for r in conn.execute(
                """SELECT a.source FROM outbox o JOIN articles a ON a.id = o.article_id
                   WHERE o.chat_id = ? AND o.story_id = ?
                     AND o.status IN ('pending', 'sent', 'merged')""",
                (chat_id, story_id),
            )
        }
        mine = conn.execute("SELECT source FROM articles WHERE id = ?", (article_id,)).fetchone()
        if mine is None or mine[0] in sources:
            return None
        return "story_update", "pending" if rows[0][0] == "sent" else "merged"

    def story_also(
        self, chat_id: int, story_id: str, exclude_source: str, upto_id: int | None = None
    ) -> tuple[str, ...]:
        """The other outlets of this chat's story, in order of arrival (for "Også hos")."""
        rows = self._query(
            """SELECT a.source FROM outbox o JOIN articles a ON a.id = o.article_id
               WHERE o.chat_id = ? AND o.story_id = ? AND o.kind = 'story_update'
                 AND o.status IN ('pending', 'sent', 'merged') AND o.id <= ?
               ORDER BY o.id""",
            (chat_id, story_id, upto_id if upto_id is not None else 2**62),
        )
        return tuple(dict.fromkeys(r[0] for r in rows if r[0] != exclude_source))

    def story_original(self, chat_id: int, story_id: str) -> tuple[int, int] | None:
        """(outbox id, message id) of the sent alert a story update edits."""
        rows = self._query(
            """SELECT id, message_id FROM outbox
               WHERE chat_id = ? AND story_id = ? AND kind = 'alert' AND status = 'sent'
                 AND message_id IS NOT NULL ORDER BY id DESC LIMIT 1""",
            (chat_id, story_id),
        )
        return (int(rows[0][0]), int(rows[0][1])) if rows else None
