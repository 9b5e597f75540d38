"""Poll leases: several processes on one database poll each feed once per interval.

Every process schedules every feed; before polling, a process claims the feed's row in
`source_state` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: a row another process is claiming
right now is skipped, not waited for) and moves its `poll_lease` forward by the lease. After
the poll it sets `poll_lease` to the next poll time, so the other processes' jobs, firing at
their own moments, find the feed not due. A process that dies mid-poll leaves its lease
behind; when the lease runs out, whichever process fires next takes the feed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.base import StoreBase, to_iso


class LeaseMixin(StoreBase):
    def claim_source(self, source: str, *, lease: float, now: datetime | None = None) -> bool:
        """True when this process may poll `source` now (nobody holds it, its next poll is
        due); it then holds it for `lease` seconds or until `release_source`."""
        now = now or datetime.now(UTC)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO source_state (source) VALUES (?) ON CONFLICT DO NOTHING", (source,)
            )
            row = conn.execute(
                "SELECT source FROM source_state WHERE source = ?"
                " AND (poll_lease IS NULL OR poll_lease <= ?)" + self.backend.skip_locked,
                (source, to_iso(now)),
            ).fetchone()
            if row is None:
                return False
            conn.execute(
                "UPDATE source_state SET poll_lease = ? WHERE source = ?",
                (to_iso(now + timedelta(seconds=lease)), source),
            )
        return True

    def release_source(self, source: str, next_poll: datetime) -> None:
        """The poll is done: nobody polls `source` again before `next_poll`."""
        self._execute(
            "UPDATE source_state SET poll_lease = ? WHERE source = ?", (to_iso(next_poll), source)
        )

    def poll_lease(self, source: str) -> datetime | None:
        """Until when `source` is held or not due (None: free)."""
        rows = self._query("SELECT poll_lease FROM source_state WHERE source = ?", (source,))
        value = rows[0][0] if rows else None
        return datetime.fromisoformat(value) if value else None
