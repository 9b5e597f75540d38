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

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from bot.store.backend import Connection
from bot.store.base import StoreBase, to_iso

#: How long a sent alert collects later outlets of its story.
STORY_WINDOW = timedelta(hours=24)
#: `Backend.lock_keys` topic of story assignment: one process at a time compares new articles
#: with the window, so two outlets' articles of one story never start two stories.
ASSIGNMENT_LOCK = "story assignment"

#: (id, source, title, text, when, story id), as `story_candidates` gives them.
StoryRow = tuple[str, str, str, str, str, str]


class StoryMixin(StoreBase):
    def story_candidates(self, since: datetime, limit: int = 5000) -> list[StoryRow]:
        """(id, source, title, text, when, story id) of articles with a story since `since`,
        oldest first; `when` is the publication time, else the fetch time (ISO)."""
        rows = self._query(
            """SELECT id, source, title, text, COALESCE(published, fetched_at) AS t, story_id
               FROM articles WHERE story_id IS NOT NULL AND fetched_at >= ?
               ORDER BY rowid DESC LIMIT ?""",
            (to_iso(since), limit),
        )
        return [tuple(r) for r in reversed(rows)]

    def story_seq(self) -> int:
        """Where `assign_stories` continues from for a window loaded now (read it first)."""
        return int(self._query("SELECT COALESCE(MAX(story_seq), 0) FROM articles")[0][0])

    def assign_stories(
        self, after: int, assign: Callable[[Sequence[StoryRow]], Mapping[str, str]]
    ) -> int:
        """Place articles in stories on a database several processes share; the new `after`.

        One transaction at a time across processes (an advisory lock): `assign` gets the
        articles the others placed since `after` (to learn them first) and returns article id
        → story id, stored at once with the next positions of the order the others read."""
        with self._tx() as conn:
            self._backend.lock_keys(conn, ASSIGNMENT_LOCK, ["all"])
            rows = conn.execute(
                """SELECT id, source, title, text, COALESCE(published, fetched_at) AS t,
                          story_id, story_seq
                   FROM articles WHERE story_seq > ? ORDER BY story_seq""",
                (after,),
            ).fetchall()
            top = max([after, *(int(r[6]) for r in rows)])
            stories = assign([tuple(r[:6]) for r in rows])
            conn.executemany(
                "UPDATE articles SET story_id = ?, story_seq = ? WHERE id = ?",
                [(story, top + n, aid) for n, (aid, story) in enumerate(stories.items(), 1)],
            )
            return top + len(stories)

    def story_placements(
        self, conn: Connection, chat_ids: Sequence[int], story_id: str | None, article_id: str
    ) -> dict[int, tuple[str, str] | None]:
        """(kind, status) of a new outbox row per chat, or None to queue nothing for it.

        No query per chat (a fan-out to thousands of chats must not cost a round trip each):
        every row of these chats in this story, read oldest first (`Backend.any_of`)."""
        fresh: tuple[str, str] = ("alert", "pending")
        places: dict[int, tuple[str, str] | None] = dict.fromkeys(chat_ids, fresh)
        if story_id is None or not chat_ids:
            return places
        since = to_iso(datetime.now(UTC) - STORY_WINDOW) or ""
        # The chat's newest alert of the story in the window (pending or sent), and every
        # outlet already in the chat's story.
        latest: dict[int, str] = {}
        sources: dict[int, set[str]] = {}
        for chats, params in self.backend.any_of("o.chat_id", chat_ids):
            rows = conn.execute(
                f"""SELECT o.chat_id, o.kind, o.status, o.created_at, a.source
                    FROM outbox o JOIN articles a ON a.id = o.article_id
                    WHERE o.story_id = ? AND o.status IN ('pending', 'sent', 'merged')
                      AND {chats}
                    ORDER BY o.id""",
                (story_id, *params),
            ).fetchall()
            for chat_id, kind, status, created_at, source in rows:
                sources.setdefault(chat_id, set()).add(source)
                if kind == "alert" and status in ("pending", "sent") and created_at >= since:
                    latest[chat_id] = status
        if not latest:
            return places
        mine = conn.execute("SELECT source FROM articles WHERE id = ?", (article_id,)).fetchone()
        for chat_id, status in latest.items():
            if mine is None or mine[0] in sources[chat_id]:
                places[chat_id] = None
            else:
                places[chat_id] = ("story_update", "pending" if status == "sent" else "merged")
        return places

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
