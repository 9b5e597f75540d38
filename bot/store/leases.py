"""Poll leases: several processes on one database poll each feed once per interval.

Every process schedules every feed; before polling, a process claims the feed's row in
`source_state` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: a row another process is claiming
right now is skipped, not waited for) and moves its `poll_lease` forward by the lease, in one
autocommitted statement for a known feed (a transaction of three took five round trips, and
the warm cycle on PostgreSQL is mostly round trips). After the poll it sets `poll_lease` to
the next poll time, so the other processes' jobs, firing at their own moments, find the feed
not due. A process that dies mid-poll leaves its lease
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
        until = to_iso(now + timedelta(seconds=lease))
        # A known feed: one statement. The row is taken only where the lease ran out and no
        # other process is claiming it right now (skipped, not waited for).
        claimed = self._query(
            "UPDATE source_state SET poll_lease = ? WHERE source = (SELECT source FROM"
            " source_state WHERE source = ? AND (poll_lease IS NULL OR poll_lease <= ?)"
            + self.backend.skip_locked
            + ") RETURNING source",
            (until, source, to_iso(now)),
        )
        if not claimed:  # a feed never seen, or held: whoever inserts its row holds it
            claimed = self._query(
                "INSERT INTO source_state (source, poll_lease) VALUES (?, ?)"
                " ON CONFLICT (source) DO NOTHING RETURNING source",
                (source, until),
            )
        return bool(claimed)

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
