"""Per-chat delivery preferences (instant / hourly / daily digest, quiet hours) in the store,
and the outbox side of them: when a queued alert may go out (`outbox.hold_until`), whether it
goes out silently (`outbox.silent`), and the digest queries.

The outbox stays the single source of truth. Each new alert row is timed in the transaction
that queues it (`new_alert_timings`, read by `complete_article`); changing a preference
re-times the chat's pending rows in the same transaction that stores it. A digest is every
pending row of a digest chat whose `hold_until` has passed; its rows are marked sent together
(`mark_digest_sent`) only after Telegram accepted the message, so a restart in the middle of a
period loses nothing (the rows are still pending) and doubles nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bot.delivery_modes import (
    DEFAULT_DIGEST_AT,
    DIGEST_MODES,
    MODES,
    QUIET_MODES,
    DeliveryPrefs,
    Timing,
    timing,
)
from bot.store.backend import Connection, Row
from bot.store.base import StoreBase, now_iso, to_iso
from bot.store.outbox import ITEM_SELECT
from bot.store.outbox_item import OutboxItem
from bot.store.parts import StoreParts


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _prefs_of(row: Row | None) -> DeliveryPrefs:
    if row is None:
        return DeliveryPrefs()
    return DeliveryPrefs(
        delivery=row["delivery"] or "instant",
        digest_at=row["digest_at"],
        quiet_from=row["quiet_from"],
        quiet_to=row["quiet_to"],
        quiet_mode=row["quiet_mode"] or "silent",
    )


_PREFS_SQL = (
    "SELECT delivery, digest_at, quiet_from, quiet_to, quiet_mode FROM chats WHERE chat_id = ?"
)


class PreferencesMixin(StoreBase):
    #: What "now" is for delivery decisions; tests replace it to move through a day.
    delivery_clock: Callable[[], datetime] = staticmethod(_utcnow)

    def delivery_now(self) -> datetime:
        return self.delivery_clock()

    # --- preferences ----------------------------------------------------------------------

    def delivery_prefs(self, chat_id: int) -> DeliveryPrefs:
        rows = self._query(_PREFS_SQL, (chat_id,))
        return _prefs_of(rows[0] if rows else None)

    def set_delivery(
        self, chat_id: int, mode: str, digest_at: str | None = None, *, now: datetime | None = None
    ) -> int:
        """instant / hourly / daily (at `digest_at`, default 08:00); re-times pending alerts.

        Returns how many pending alerts were re-timed. Switching to a digest folds what is
        pending into the first digest; switching to instant releases it (quiet hours apply).
        """
        if mode not in MODES:
            raise ValueError(f"unknown delivery mode {mode!r}")
        digest_at = (digest_at or DEFAULT_DIGEST_AT) if mode == "daily" else None
        return self._set_prefs(chat_id, "delivery = ?, digest_at = ?", (mode, digest_at), now)

    def set_quiet(
        self,
        chat_id: int,
        quiet_from: str | None,
        quiet_to: str | None,
        mode: str = "silent",
        *,
        now: datetime | None = None,
    ) -> int:
        """Quiet hours (None, None: none) and what happens in them; re-times pending alerts."""
        if mode not in QUIET_MODES:
            raise ValueError(f"unknown quiet mode {mode!r}")
        assignment = "quiet_from = ?, quiet_to = ?, quiet_mode = ?"
        return self._set_prefs(chat_id, assignment, (quiet_from, quiet_to, mode), now)

    def _set_prefs(
        self, chat_id: int, assignment: str, params: tuple[object, ...], now: datetime | None
    ) -> int:
        when = now or self.delivery_now()
        with self._tx() as conn:
            conn.execute(
                f"UPDATE chats SET {assignment}, updated_at = ? WHERE chat_id = ?",
                (*params, now_iso(), chat_id),
            )
            return self._retime(conn, chat_id, when)

    def _retime(self, conn: Connection, chat_id: int, now: datetime) -> int:
        """Give every pending alert of the chat the timing a new one would get now."""
        prefs = _prefs_of(conn.execute(_PREFS_SQL, (chat_id,)).fetchone())
        due = timing(prefs, now)
        cur = conn.execute(
            "UPDATE outbox SET hold_until = ?, silent = ? WHERE chat_id = ? AND status = 'pending'",
            (to_iso(due.hold_until), int(due.silent), chat_id),
        )
        return cur.rowcount

    def new_alert_timings(self, conn: Connection, chat_ids: Sequence[int]) -> dict[int, Timing]:
        """When new alert rows of these chats may go out (digest, quiet hours), to be stored
        with the rows (inside `complete_article`'s transaction, so no row is ever visible
        untimed). Chats with default preferences are left out: theirs go out now, with
        sound. No query per chat (`Backend.any_of`); one `timing` per distinct preferences."""
        now = self.delivery_now()
        by_prefs: dict[DeliveryPrefs, Timing] = {}
        out: dict[int, Timing] = {}
        for chats, params in self.backend.any_of("chat_id", chat_ids):
            rows = conn.execute(
                f"""SELECT chat_id, delivery, digest_at, quiet_from, quiet_to, quiet_mode
                    FROM chats WHERE {chats}
                      AND (delivery <> 'instant' OR digest_at IS NOT NULL
                           OR quiet_from IS NOT NULL OR quiet_to IS NOT NULL
                           OR quiet_mode <> 'silent')""",
                params,
            ).fetchall()
            for row in rows:
                prefs = _prefs_of(row)
                if prefs == DeliveryPrefs():
                    continue
                if prefs not in by_prefs:
                    by_prefs[prefs] = timing(prefs, now)
                out[int(row["chat_id"])] = by_prefs[prefs]
        return out

    # --- digests --------------------------------------------------------------------------

    def digest_due_chats(self: StoreParts, now: datetime | None = None) -> list[int]:
        """Digest chats with at least one pending alert whose time has come, oldest first."""
        self._flush_unrecorded_sends()
        now_s = to_iso(now or self.delivery_now())
        rows = self._query(
            f"""SELECT o.chat_id FROM outbox o JOIN chats c ON c.chat_id = o.chat_id
                WHERE o.status = 'pending' AND c.active = 1
                  AND c.delivery IN ({",".join("?" * len(DIGEST_MODES))})
                  AND (o.hold_until IS NULL OR o.hold_until <= ?)
                  AND (o.next_attempt IS NULL OR o.next_attempt <= ?)
                GROUP BY o.chat_id ORDER BY MIN(o.id)""",
            (*DIGEST_MODES, now_s, now_s),
        )
        return [int(r[0]) for r in rows]

    def digest_items(
        self: StoreParts, chat_id: int, now: datetime | None = None, limit: int = 1000
    ) -> list[OutboxItem]:
        """The chat's pending alerts due for its digest, in outbox order (`OutboxItem`s)."""
        self._flush_unrecorded_sends()
        now_s = to_iso(now or self.delivery_now())
        rows = self._query(
            ITEM_SELECT.format(index="")
            + """
               WHERE o.chat_id = ? AND o.status = 'pending'
                 AND (o.hold_until IS NULL OR o.hold_until <= ?)
                 AND (o.next_attempt IS NULL OR o.next_attempt <= ?)
               ORDER BY o.id LIMIT ?""",
            (chat_id, now_s, now_s, limit),
        )
        return self._to_items(rows)

    def mark_digest_sent(self: StoreParts, outbox_ids: Sequence[int]) -> None:
        """The digest message holding these alerts was delivered: all marked in one transaction.

        No message id is stored: a digest has no 👍/👎 and is not an alert a story update may
        edit. Like `mark_sent`, a mark that cannot be written is kept in memory (and raised)
        so no drain hands these rows out again.
        """
        sent_at = now_iso()
        self._record_sent({oid: (sent_at, None) for oid in outbox_ids})

    def mark_digest_retry(
        self: StoreParts, outbox_ids: Sequence[int], error: str, delay: float
    ) -> None:
        for oid in outbox_ids:
            self.mark_retry(oid, error, delay)

    def mark_digest_failed(self: StoreParts, outbox_ids: Sequence[int], error: str) -> None:
        for oid in outbox_ids:
            self.mark_failed(oid, error)
