"""A forced interleaving of two PostgreSQL sessions, for tests of what two processes do at once.

Timing alone would make such a race rare; instead a third session holds a lock the first
session's transaction needs last, so the second runs while the first's work is uncommitted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import psycopg


def lock_waits(url: str) -> int:
    """Sessions of this database waiting for a lock (a row's or an advisory one)."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return int(row[0]) if row else 0


def until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def race_past_a_held_lock(
    url: str,
    hold: str,
    first: Callable[[], object],
    second: Callable[[], object],
    params: tuple[object, ...] | None = None,
) -> None:
    """`first` runs until it waits on the lock that `hold` (run with `params` in a transaction
    left open) takes; then `second` runs until it finishes or waits too; then the lock is
    released and both are joined."""
    with psycopg.connect(url) as gate:  # a transaction, open until rollback
        gate.execute(hold, params)
        one = threading.Thread(target=first)
        one.start()
        until(lambda: lock_waits(url) == 1, "the first never reached the gate")
        two = threading.Thread(target=second)
        two.start()
        # Barrier: the second has finished (no fix) or waits for the first (fixed).
        until(
            lambda: not two.is_alive() or lock_waits(url) == 2,
            "the second neither finished nor waited",
        )
        gate.rollback()
    one.join(10)
    two.join(10)
