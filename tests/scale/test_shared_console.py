"""Console mode (no token) with two `topicbot run` processes on one PostgreSQL database.

Both poll their share of the feeds; only the one holding the console's lock prints, so every
alert is printed once; when it is killed the other takes over and prints what comes next.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Store
from tests.configs import feed_items, kill_all, start_bot, wait_for, write_keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20

FEEDS = 3
HOLDER_LINE = "holds the bot role (console delivery) now"
STANDBY_LINE = "another process holds the bot role (console delivery); standing by"
_PRINTED = re.compile(r"^https://dr\.dk/n/(\w+)$", re.MULTILINE)
#: Words enough apart that no two headlines are one story (`bot.stories` would merge them).
WORDS = "ulv båd ost kirke tog sne salt hest guld fyr mose kniv lampe".split()


def feed_path(i: int) -> str:
    return f"/console/{i}.xml"


class Pair:
    """Two console processes, their stdout (alerts) and stderr (logs) in files."""

    def __init__(self, tmp_path: Path, db: str, feeds: FeedServer) -> None:
        self.tmp_path, self.db, self.feeds = tmp_path, db, feeds
        self.keys: dict[int, list[tuple[str, str]]] = {i: [] for i in range(FEEDS)}
        self.published = 0
        for i in range(FEEDS):
            feeds.add(feed_path(i), rss20([]), etag=True)
        config = write_keyword_config(
            tmp_path / "config.yaml",
            feeds=feed_items(
                [(f"Kilde {i}", feeds.url(feed_path(i))) for i in range(FEEDS)], interval="1s"
            ),
            storage={"url": db, "poll_lease": "3s"},
            classifier={"retrain_interval": 0},
            telegram={"token_env": "TOPICBOT_CONSOLE_TEST_TOKEN"},
        )
        env = {"TOPICBOT_CONSOLE_TEST_TOKEN": ""}
        self.procs: list[subprocess.Popen[bytes]] = []
        for n in range(2):
            with (
                (tmp_path / f"out-{n}.txt").open("wb") as out,
                (tmp_path / f"log-{n}.txt").open("wb") as err,
            ):
                self.procs.append(start_bot(config, env, stdout=out, stderr=err))

    def read(self, kind: str, n: int) -> str:
        return (self.tmp_path / f"{kind}-{n}.txt").read_text(encoding="utf-8", errors="replace")

    def printed(self, n: int) -> Counter[str]:
        return Counter(_PRINTED.findall(self.read("out", n)))

    def total(self) -> Counter[str]:
        return self.printed(0) + self.printed(1)

    def holder(self) -> int | None:
        """The live process that logged taking the console's role."""
        for n, proc in enumerate(self.procs):
            if proc.poll() is None and HOLDER_LINE in self.read("log", n):
                return n
        return None

    def publish(self, keys: list[str]) -> None:
        """One new article per key, spread over the feeds (which both processes poll)."""
        for key in keys:
            self.keys[self.published % FEEDS].append((key, WORDS[self.published]))
            self.published += 1
        for i, feed_keys in self.keys.items():
            items = [(f"urn:n:{k}", f"https://dr.dk/n/{k}", f"Nato {w} {k}") for k, w in feed_keys]
            self.feeds.set_body(feed_path(i), rss20(items))

    def pending(self) -> int:
        with Store.open(self.db) as store:
            return store.pending_count()

    def stop(self) -> None:
        kill_all(self.procs)


@pytest.fixture
def pair(tmp_path: Path, postgres_url: str) -> Iterator[Pair]:
    with FeedServer() as feeds:
        p = Pair(tmp_path, postgres_url, feeds)
        try:
            yield p
        finally:
            p.stop()
            for n in range(2):
                print(f"--- process {n} ---\n{p.read('log', n)[-3000:]}")


@pytest.mark.timeout(90)
def test_one_process_prints_each_alert_and_another_takes_over(pair: Pair) -> None:
    wait_for(lambda: pair.holder() is not None, 40, "nobody took the console")
    holder = pair.holder()
    assert holder is not None
    other = 1 - holder
    wait_for(lambda: STANDBY_LINE in pair.read("log", other), 40, "no standby")

    first = [f"a{n}" for n in range(6)]
    pair.publish(first)
    wait_for(lambda: set(first) <= set(pair.total()), 30, "first alerts never printed")
    wait_for(lambda: pair.pending() == 0, 10, "printed alerts not marked sent")
    assert pair.printed(holder) == Counter(first)  # each once, all by the holder
    assert not pair.printed(other)

    pair.procs[holder].send_signal(signal.SIGKILL)
    pair.procs[holder].wait(timeout=10)
    killed_at = time.monotonic()
    second = [f"b{n}" for n in range(3)]
    pair.publish(second)
    wait_for(lambda: set(second) <= set(pair.printed(other)), 30, "no take-over")
    assert time.monotonic() - killed_at < 15
    assert pair.total() == Counter(first + second)  # nothing printed twice
