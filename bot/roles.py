"""Roles of a `topicbot run` process on a shared (PostgreSQL) database.

- ``poller``: polls feeds and folders (each feed claimed by one process: `bot.store.leases`),
  classifies, queues alerts. Any number of processes hold it at once.
- ``bot``: the Telegram side (getUpdates, the sender, digests, story edits), or without a
  token the console delivery (printing alerts). One process per bot token (or one console per
  database) holds it: a PostgreSQL session-level advisory lock, taken on a connection of its
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
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.ops import metrics
from bot.store.backend import redact

if TYPE_CHECKING:  # psycopg is imported when a role is asked for, not by every command
    import psycopg

log = logging.getLogger(__name__)

ROLES = ("all", "poller", "bot")
#: How often a standby asks for the lock, and a holder checks its session.
RETRY_SECONDS = 2.0


def lock_key(token: str | None) -> int:
    """The advisory lock's key for a bot token (a hash: the token never reaches the server);
    None: the console delivery's, one per database."""
    seed = b"topicbot console role" if token is None else b"topicbot bot role\0" + token.encode()
    digest = hashlib.sha256(seed).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class RoleLock:
    """The bot role's advisory lock for one token (None: console mode), held on a dedicated
    connection."""

    def __init__(self, url: str, token: str | None, *, retry: float = RETRY_SECONDS) -> None:
        self._url = url
        self._key = lock_key(token)
        self._retry = retry
        self._what = "bot role" if token is not None else "bot role (console delivery)"
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
                    log.info("this process holds the %s now", self._what)
                    return True
                if not announced:
                    log.info("another process holds the %s; standing by", self._what)
                    announced = True
            except psycopg.Error as exc:
                log.warning("%s: cannot ask %s: %s", self._what, redact(self._url), exc)
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
                log.error("%s lost: the database session ended (%s)", self._what, exc)
                await self.release()
                return
            await asyncio.sleep(self._retry)

    async def release(self) -> None:
        import psycopg

        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                await conn.close()  # the session ends: the server releases the lock


class RoleSide(Protocol):
    """What runs while the role is held (`TelegramBot`, the console delivery): entered when
    the lock is won, left when it is lost; `stop_requested` says it stopped itself."""

    stop_requested: asyncio.Event

    async def __aenter__(self) -> object: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> object: ...


Side = TypeVar("Side", bound=RoleSide)


async def serve_role(lock: RoleLock, stop: asyncio.Event, start: Callable[[], Side]) -> Side | None:
    """Stand by for the lock, run a side from `start()` while it is held, again after a loss;
    until `stop` is set. The last side that ran (None: the role never came), so a caller can
    ask why it stopped; a side that stops itself (a fatal error) stops the process too."""
    side: Side | None = None
    while await lock.acquire(stop):
        metrics.set_role("bot", True)
        side = start()
        try:
            async with side:
                waits = {
                    asyncio.create_task(lock.lost()),
                    asyncio.create_task(stop.wait()),
                    asyncio.create_task(side.stop_requested.wait()),
                }
                _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
        finally:
            metrics.set_role("bot", False)
            await lock.release()
        if side.stop_requested.is_set():
            stop.set()
    return side
