"""The loop that drains the outbox through a sender, woken as soon as alerts are queued.

Polls are scheduled jobs; delivery is one long-lived task so an alert goes out the moment it
is committed, not at the next tick, and retries wait in the outbox, not in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.errors import StoreError

log = logging.getLogger(__name__)


class DeliveryLoop:
    def __init__(self, drain: Callable[[], Awaitable[int]], *, idle_seconds: float = 2.0) -> None:
        #: Sends what is due and returns how many it sent.
        self._drain = drain
        self._idle = idle_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        #: Drain passes finished, and whether one is running: a caller that must know that
        #: everything due was tried (a test proving that nothing is sent) waits on these.
        self.passes = 0
        self.in_pass = False

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="topicbot-delivery")

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            self._wake.clear()
            self.in_pass = True
            try:
                sent = await self._drain()
                failures = 0
                if sent:
                    continue  # more may be due (a fan-out): drain again at once
            except StoreError as exc:
                failures += 1
                log.error("delivery paused: %s (retrying)", exc)
            except Exception:
                failures += 1
                log.exception("delivery failed unexpectedly (retrying)")
            finally:
                self.in_pass = False
                self.passes += 1
            delay = self._idle if not failures else min(60.0, self._idle * 2**failures)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def stop(self) -> None:
        """Finish the send in flight, then stop (what is left stays in the outbox)."""
        self._stopping = True
        self._wake.set()
        if self._task:
            try:
                await asyncio.wait_for(self._task, timeout=30)
            except TimeoutError:
                self._task.cancel()
            self._task = None
