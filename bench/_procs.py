"""Stand-in servers in child processes, with the timestamps the delivery benchmarks need.

`_common.Worker` runs each of these in a process of its own, so the stand-ins' CPU never
counts as topicbot's:

* `telegram_child`: the Bot API stand-in (`tests.standins.telegram_api.TelegramStandin`)
  that also records *when* each ``sendMessage`` arrived (``time.time()``, comparable across
  processes) for the requests it accepted; 429s are counted by the stand-in itself.
* `feed_child`: the loopback `FeedServer` with a request log: for every request the time it
  arrived and which published version of the feed it was served (so "the poll that first
  fetched item k" can be read off afterwards).

Plus `proc_cpu_s(pid)` (CPU seconds of any process, from /proc, for a subprocess such as
``topicbot run`` that cannot measure itself) and `percentile`.
"""

from __future__ import annotations

import math
import os
import resource
import threading
import time
from collections import Counter
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from _common import add_repo_root, serve

add_repo_root()

__all__ = ["feed_child", "percentile", "proc_cpu_s", "telegram_child"]


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) with linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


# --- the Bot API stand-in ------------------------------------------------------------------


def telegram_child(
    conn: Connection,
    token: str,
    rate_limit_per_s: float | None,
    private_chat_limit_per_s: float | None,
) -> None:
    """Serve the Bot API stand-in until told to stop; handlers below."""
    from tests.standins.telegram_api import TelegramStandin
    from tests.standins.telegram_state import JSON

    class TimedStandin(TelegramStandin):
        """Records (arrival time, chat id, text) of every sendMessage it accepted."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.sends: list[tuple[float, int, str]] = []
            self.sends_lock = threading.Lock()

        def _send_message(self, p: JSON) -> JSON:
            arrived = time.time()
            message = super()._send_message(p)  # raises ApiError (e.g. 429): not recorded
            with self.sends_lock:
                self.sends.append((arrived, int(message["chat"]["id"]), str(p.get("text"))))
            return message

    tg = TimedStandin(
        token,
        rate_limit_per_s=rate_limit_per_s,
        private_chat_limit_per_s=private_chat_limit_per_s,
    )
    tg.start()
    cpu_start = _own_cpu_s()

    def url() -> str:
        return tg.base_url

    def inject(chat_id: int, text: str) -> None:
        """A user writes to the bot (e.g. ``/subscribe nato``)."""
        tg.send_user_message(chat_id, text)

    def sends(start: int = 0) -> list[tuple[float, int, str]]:
        with tg.sends_lock:
            return tg.sends[start:]

    def count() -> int:
        with tg.sends_lock:
            return len(tg.sends)

    def summary(expected_chats: Sequence[int] = ()) -> dict[str, Any]:
        """Accepted sends, 429s, first/last arrival, and per-chat loss/duplicates."""
        with tg.sends_lock:
            got = list(tg.sends)
        per_chat = Counter(chat for _, chat, _ in got)
        expected = set(expected_chats)
        return {
            "accepted": len(got),
            "rate_limited": tg.rate_limited_count,
            "first": min((t for t, _, _ in got), default=None),
            "last": max((t for t, _, _ in got), default=None),
            "lost": sum(1 for c in expected if per_chat[c] == 0),
            "duplicates": sum(n - 1 for c, n in per_chat.items() if c in expected and n > 1),
            "unexpected": sum(n for c, n in per_chat.items() if expected and c not in expected),
            "cpu_s": _own_cpu_s() - cpu_start,
        }

    try:
        serve(
            conn, {"url": url, "inject": inject, "sends": sends, "count": count, "summary": summary}
        )
    finally:
        tg.stop()


# --- the feed server -----------------------------------------------------------------------


def feed_child(conn: Connection, paths: Sequence[str], initial: bytes) -> None:
    """Serve ``paths`` (each starting with ``initial``) with a request log; handlers below."""
    from tests.standins.feed_server import FeedServer, PathStats, Route

    class LoggingFeedServer(FeedServer):
        def __init__(self) -> None:
            super().__init__()
            #: (arrival time, path, ETag of the version served or None)
            self.log: list[tuple[float, str, str | None]] = []

        def _begin(self, path: str, headers: dict[str, str]) -> tuple[Route | None, PathStats]:
            arrived = time.time()
            route, stats = super()._begin(path, headers)
            with self._lock:
                self.log.append((arrived, path, route.etag if route else None))
            return route, stats

    server = LoggingFeedServer().start()
    #: ETag → sequence number of the newest item in that version (0: the initial body).
    versions: dict[str, int] = {}
    for path in paths:
        server.add(path, initial, etag=True, last_modified=True)
        versions[server._routes[path].etag or ""] = 0

    def urls() -> list[str]:
        return [server.url(p) for p in paths]

    def publish(body: bytes, seq: int) -> float:
        """Serve ``body`` (newest item ``seq``) on every path; returns the publish time."""
        published = time.time()
        for path in paths:
            server.set_body(path, body)
            with server._lock:
                versions[server._routes[path].etag or ""] = seq
        return published

    def request_log() -> list[tuple[float, str, int | None]]:
        """(time, path, newest item seq served) per request; seq None for an unknown path."""
        with server._lock:
            entries = list(server.log)
        return [(t, p, versions.get(e) if e else None) for t, p, e in entries]

    try:
        serve(conn, {"urls": urls, "publish": publish, "log": request_log})
    finally:
        server.stop()
