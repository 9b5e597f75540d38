"""Worker processes for the parses of a cold poll.

feedparser is pure Python: a first start with thousands of new feeds (each 20-50 items, none
answering 304 yet) is bound by parsing on one core, and a thread does not help with the GIL.
`fetch.parse_workers` > 0 parses the documents of feeds polled for the first time in that
many processes (started on the first such feed, spawned so no lock or connection of this
process is copied into them); later polls, mostly 304s and a few changed documents, parse in
a thread as before.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

from bot.sources.feed import ParsedFeed, parse_feed


class ParsePool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def parse(self, raw: bytes, **kwargs: Any) -> ParsedFeed:
        """`parse_feed` in a worker process (its ParseError is raised here)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(parse_feed, raw, **kwargs))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
