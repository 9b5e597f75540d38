"""Worker processes for the parses of a cold poll.

feedparser is pure Python: a first start with thousands of new feeds (each 20-50 items, none
answering 304 yet) is bound by parsing on one core, and a thread does not help with the GIL.
`fetch.parse_workers` > 0 parses the documents of feeds polled for the first time in that
many processes (started on the first such feed, spawned so no lock or connection of this
process is copied into them); later polls, mostly 304s and a few changed documents, parse in
a thread as before. Where no worker can be started (a daemonic process may have no children)
or the pool broke (a worker killed), parsing falls back to a thread, with one warning.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any

from bot.sources.feed import ParsedFeed, parse_feed

log = logging.getLogger(__name__)


class ParsePool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        #: Set when workers cannot run here: every parse goes to a thread.
        self.unavailable: str | None = None

    async def parse(self, raw: bytes, **kwargs: Any) -> ParsedFeed:
        """`parse_feed` in a worker process (its ParseError is raised here)."""
        job = partial(parse_feed, raw, **kwargs)
        if self.unavailable is None:
            try:
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(
                        self.workers, mp_context=multiprocessing.get_context("spawn")
                    )
                future = asyncio.get_running_loop().run_in_executor(self._pool, job)
            except Exception as exc:  # noqa: BLE001 - whatever stops a worker from starting
                self._give_up(f"cannot start parse workers: {exc!r}")
            else:
                try:
                    return await future
                except BrokenProcessPool as exc:
                    self._give_up(f"parse workers broke: {exc}")
        return await asyncio.to_thread(job)

    def _give_up(self, why: str) -> None:
        log.warning("%s; parsing in a thread instead", why)
        self.unavailable = why
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
