"""Roles of a `topicbot run` process on a shared (PostgreSQL) database.

- ``poller``: polls feeds and folders (each feed claimed by one process: `bot.store.leases`),
  classifies, queues alerts. Any number of processes hold it at once.
- ``bot``: the Telegram side (getUpdates, the sender, digests, story edits). One process per
  bot token holds it: a PostgreSQL session-level advisory lock, taken on a connection of its
  own. When that process dies its session ends, the server releases the lock, and a standby
  that asks every `RETRY_SECONDS` takes over.

Nothing home-made: who holds the role is the database's answer, and a holder that cannot
reach the database any more gives the role up (`RoleLock.lost`), because the server has
released its lock for someone else by then.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from typing import TYPE_CHECKING

from bot.store.backend import redact

if TYPE_CHECKING:  # psycopg is imported when a role is asked for, not by every command
    import psycopg

log = logging.getLogger(__name__)

ROLES = ("all", "poller", "bot")
#: How often a standby asks for the lock, and a holder checks its session.
RETRY_SECONDS = 2.0


def lock_key(token: str) -> int:
    """The advisory lock's key for a bot token (a hash: the token never reaches the server)."""
    digest = hashlib.sha256(b"topicbot bot role\0" + token.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class RoleLock:
    """The bot role's advisory lock for one token, held on a dedicated connection."""

    def __init__(self, url: str, token: str, *, retry: float = RETRY_SECONDS) -> None:
        self._url = url
        self._key = lock_key(token)
        self._retry = retry
        self._conn: psycopg.AsyncConnection[object] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    async def _try_once(self) -> bool:
        import psycopg

        conn = await psycopg.AsyncConnection.connect(
            self._url,
            autocommit=True,
            application_name="topicbot bot role",
            # A holder on a machine that vanished is noticed by the server within ~10 s.
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=3,
        )
        try:
            cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (self._key,))
            row = await cur.fetchone()
        except BaseException:
            await conn.close()
            raise
        if row is not None and row[0]:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def acquire(self, stop: asyncio.Event) -> bool:
        """Wait until this process holds the role (True) or `stop` is set (False)."""
        import psycopg

        announced = False
        while not stop.is_set():
            try:
                if await self._try_once():
                    log.info("this process holds the bot role now")
                    return True
                if not announced:
                    log.info("another process holds the bot role; standing by")
                    announced = True
            except psycopg.Error as exc:
                log.warning("bot role: cannot ask %s: %s", redact(self._url), exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._retry)
        return False

    async def lost(self) -> None:
        """Return when the session holding the lock has ended (the role is someone else's)."""
        import psycopg

        while self._conn is not None:
            try:
                await asyncio.wait_for(self._conn.execute("SELECT 1"), timeout=self._retry * 2)
            except (psycopg.Error, TimeoutError) as exc:
                log.error("bot role lost: the database session ended (%s)", exc)
                await self.release()
                return
            await asyncio.sleep(self._retry)

    async def release(self) -> None:
        import psycopg

        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                await conn.close()  # the session ends: the server releases the lock
