"""One page request at a time per host, with a pause between them.

Full-text fetching asks one news site for a page per new item; twenty new items in a poll
must not become twenty parallel requests to the same server. `HostPacer.turn` gives a host
to one caller at a time; inside the turn, each `PacedTurn.request` starts no sooner than
``pause`` after the previous request to that host ended.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

__all__ = ["HostPacer", "PacedTurn"]


class PacedTurn:
    """A caller's exclusive use of one host; `request` wraps each request it makes."""

    def __init__(self, pacer: HostPacer, key: str) -> None:
        self._pacer = pacer
        self._key = key

    @contextlib.asynccontextmanager
    async def request(self, pause: float | None = None) -> AsyncIterator[None]:
        """Wait out the pause since the host's last request, then make one request."""
        pacer = self._pacer
        loop = asyncio.get_running_loop()
        gap = pacer.pause if pause is None else max(pause, pacer.pause)
        last = pacer.last_request_end.get(self._key)
        if last is not None and (wait := last + gap - loop.time()) > 0:
            await asyncio.sleep(wait)
        try:
            yield
        finally:
            pacer.last_request_end[self._key] = loop.time()


class HostPacer:
    """Per-host turns (one caller at a time) and the pause between that host's requests."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self._locks: dict[str, asyncio.Lock] = {}
        #: Event-loop time each host's last request ended.
        self.last_request_end: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[PacedTurn]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            yield PacedTurn(self, key)
