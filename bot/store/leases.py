"""Poll leases: several processes on one database poll each feed once per interval.

Every process schedules every feed; before polling, a process claims the feed's row in
`source_state` with one statement (an upsert that moves `poll_lease` forward only where it has
run out; on PostgreSQL a concurrent claim waits for the other's commit, then sees its lease;
one round trip per claim instead of five: the warm cycle on PostgreSQL is round trips). After
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
        claimed = self._query(  # one statement, committed on its own
            "INSERT INTO source_state (source, poll_lease) VALUES (?, ?)"
            " ON CONFLICT (source) DO UPDATE SET poll_lease = excluded.poll_lease"
            " WHERE source_state.poll_lease IS NULL OR source_state.poll_lease <= ?"
            " RETURNING source",
            (source, to_iso(now + timedelta(seconds=lease)), to_iso(now)),
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
