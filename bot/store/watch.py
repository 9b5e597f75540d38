"""Personal watch words of chats (`/watch`, `/unwatch`); rows go with the chat (FK cascade)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.store.base import StoreBase, now_iso


class WatchMixin(StoreBase):
    def add_watch_word(self, chat_id: int, phrase: str, *, limit: int) -> bool | None:
        """Add one (already cleaned) phrase. True: added; False: the chat had it already;
        None: the chat has `limit` words (nothing changed). The check and the insert are one
        transaction, so two quick `/watch` cannot pass the limit together."""
        with self._tx() as conn:
            have = conn.execute(
                "SELECT phrase FROM watch_words WHERE chat_id = ?", (chat_id,)
            ).fetchall()
            if any(r[0] == phrase for r in have):
                return False
            if len(have) >= limit:
                return None
            conn.execute(
                "INSERT INTO watch_words (chat_id, phrase, created_at) VALUES (?, ?, ?)",
                (chat_id, phrase, now_iso()),
            )
            return True

    def remove_watch_words(self, chat_id: int, phrases: Iterable[str] | None = None) -> list[str]:
        """Remove the given phrases (all when None); returns those that were there."""
        with self._tx() as conn:
            have = [
                r[0]
                for r in conn.execute(
                    "SELECT phrase FROM watch_words WHERE chat_id = ? ORDER BY created_at, phrase",
                    (chat_id,),
                )
            ]
            wanted = set(have if phrases is None else phrases)
            gone = [p for p in have if p in wanted]
            conn.executemany(
                "DELETE FROM watch_words WHERE chat_id = ? AND phrase = ?",
                [(chat_id, p) for p in gone],
            )
            return gone

    def watch_words(self, chat_id: int) -> list[str]:
        """The chat's watch words, oldest first."""
        rows = self._query(
            "SELECT phrase FROM watch_words WHERE chat_id = ? ORDER BY created_at, phrase",
            (chat_id,),
        )
        return [r[0] for r in rows]

    def watchers(self) -> dict[str, list[int]]:
        """phrase → active, unpaused chats watching it (what the pipeline matches against)."""
        rows = self._query(
            """SELECT w.phrase, w.chat_id FROM watch_words w
               JOIN chats c ON c.chat_id = w.chat_id
               WHERE c.active = 1 AND c.paused = 0 ORDER BY w.phrase, w.chat_id"""
        )
        out: dict[str, list[int]] = {}
        for phrase, chat_id in rows:
            out.setdefault(phrase, []).append(chat_id)
        return out
