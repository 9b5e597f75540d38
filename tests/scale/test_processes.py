"""Three `topicbot run` processes on one PostgreSQL database, end to end.

The feed server, the Bot API stand-in and the database live outside the processes, so they
survive every kill. All three processes are started the same way (role ``all``); the test
finds the one holding the bot role from its log. Scaled for the suite (30 feeds, 40 chats,
2 s interval); the issue's size runs with ``TOPICBOT_SCALE_FEEDS=300 TOPICBOT_SCALE_CHATS=200
TOPICBOT_SCALE_INTERVAL=5 pytest tests/scale/test_processes.py`` (about 95 s on 2 cores).

- every feed is fetched about once per interval, not once per process (the server counts);
- every alert reaches every chat exactly once while all run;
- SIGKILL of the bot-role process during a fan-out: another takes over within 15 s, nothing
  is lost, and only sends in flight at the kill may arrive twice;
- SIGKILL of another process (a poller): every feed is still fetched within one lease.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.store import Store
from tests.configs import feed_items, kill_all, start_bot, wait_for, write_keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20
from tests.standins.telegram_api import TelegramStandin

TOKEN = "626262:scale-standin-secret"
FEEDS = int(os.environ.get("TOPICBOT_SCALE_FEEDS", "30"))
#: Feeds that publish matching articles, the rest other news; one outlet, so its articles are
#: never grouped into one story (`bot.stories`: another outlet's would edit the first alert).
NEWS_FEEDS = 1
CHATS = list(range(7001, 7001 + int(os.environ.get("TOPICBOT_SCALE_CHATS", "40"))))
INTERVAL = float(os.environ.get("TOPICBOT_SCALE_INTERVAL", "2"))
LEASE = 2 * INTERVAL
#: Seconds one fan-out of three alerts to every chat takes at Telegram's 30/s, plus slack.
FAN_OUT = 3 * len(CHATS) / 30 + 36
#: Sends the sender may have in flight when it is killed (its concurrency).
IN_FLIGHT = 16
_KEY = re.compile(r"Nato-nyhed (\S+):")


def feed_path(i: int) -> str:
    return f"/feed/{i:03d}.xml"


def body(i: int, keys: list[str]) -> bytes:
    items = [(f"urn:{i}:other", f"https://dr.dk/{i}/vejr", f"Vejret i by {i}")]
    items += [
        (f"urn:nato:{k}", f"https://dr.dk/nato/{k}", f"Nato-nyhed {k}: topmøde") for k in keys
    ]
    return rss20(items, channel=f"Feed {i}")


@dataclass
class Cluster:
    tmp_path: Path
    db: str
    tg: TelegramStandin
    feeds: FeedServer
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    published: dict[int, list[str]] = field(default_factory=dict)

    def prepare(self) -> None:
        for i in range(FEEDS):
            self.feeds.add(feed_path(i), body(i, []), etag=True)
        write_keyword_config(
            self.tmp_path / "config.yaml",
            feeds=feed_items(
                [(f"Feed {i}", self.feeds.url(feed_path(i))) for i in range(FEEDS)],
                interval=f"{INTERVAL:g}s",
            ),
            fetch={"total_timeout": "3s"},
            storage={"url": self.db, "poll_lease": f"{int(LEASE)}s"},
            classifier={"retrain_interval": 0},
            telegram={"token_env": "TOPICBOT_SCALE_TOKEN", "api_url": self.tg.base_url},
        )
        with Store.open(self.db) as store:
            for chat in CHATS:
                store.ensure_chat(chat)
                store.subscribe(chat, ["NATO"])

    def start(self, n: int) -> None:
        env = {"TOPICBOT_SCALE_TOKEN": TOKEN}
        for _ in range(n):
            log = (self.tmp_path / f"proc-{len(self.procs)}.log").open("wb")
            with log:
                self.procs.append(
                    start_bot(
                        self.tmp_path / "config.yaml", env, stdout=subprocess.DEVNULL, stderr=log
                    )
                )

    def log(self, i: int) -> str:
        return (self.tmp_path / f"proc-{i}.log").read_text(encoding="utf-8", errors="replace")

    def bot_role_holder(self) -> int | None:
        """The live process whose last role line says it holds the bot role."""
        for i, proc in enumerate(self.procs):
            if proc.poll() is None and "topicbot running with Telegram" in self.log(i):
                return i
        return None

    def publish(self, keys: list[str]) -> None:
        """Spread `keys` over the news feeds (each keeps what it published before)."""
        for n, key in enumerate(keys):
            self.published.setdefault(n % NEWS_FEEDS, []).append(key)
        for i, feed_keys in self.published.items():
            self.feeds.set_body(feed_path(i), body(i, feed_keys))

    def tally(self) -> Counter[tuple[int, str]]:
        counts: Counter[tuple[int, str]] = Counter()
        for message in self.tg.sent_messages():
            match = _KEY.search(message.plain_text or "")
            assert match is not None, message.plain_text
            counts[(message.chat_id, match[1])] += 1
        return counts

    def hits(self) -> list[int]:
        return [self.feeds.stats(feed_path(i)).requests for i in range(FEEDS)]

    def stop_all(self) -> None:
        kill_all(self.procs)


def expected(keys: list[str]) -> set[tuple[int, str]]:
    return {(chat, key) for chat in CHATS for key in keys}


@pytest.fixture
def cluster(tmp_path: Path, postgres_url: str) -> Iterator[Cluster]:
    with (
        TelegramStandin(TOKEN, rate_limit_per_s=30, private_chat_limit_per_s=1) as tg,
        FeedServer() as feeds,
    ):
        c = Cluster(tmp_path, postgres_url, tg, feeds)
        c.prepare()
        try:
            yield c
        finally:
            c.stop_all()
            for i in range(len(c.procs)):
                print(f"--- process {i} ---\n{c.log(i)[-3000:]}")


@pytest.mark.timeout(90 + 3 * FAN_OUT)
def test_three_processes_share_polls_and_survive_kills(cluster: Cluster) -> None:
    cluster.start(3)
    wait_for(lambda: cluster.bot_role_holder() is not None, 40, "nobody took the bot role")
    wait_for(lambda: min(cluster.hits()) >= 1, 20 + 2 * INTERVAL, "not every feed was polled")

    # Every feed about once per interval, not once per process.
    before, t0 = cluster.hits(), time.monotonic()
    time.sleep(4 * INTERVAL)
    polls = [b - a for a, b in zip(before, cluster.hits(), strict=True)]
    per_interval = (time.monotonic() - t0) / INTERVAL
    assert max(polls) <= per_interval + 1.5, (polls, per_interval)
    assert sum(polls) >= FEEDS * (per_interval - 1.5), (polls, per_interval)

    # A fan-out while all three run: every alert exactly once.
    first = [f"a{n}" for n in range(3)]
    cluster.publish(first)
    wait_for(lambda: expected(first) <= set(cluster.tally()), FAN_OUT, "first alerts never arrived")
    assert max(cluster.tally().values()) == 1

    # SIGKILL the bot-role holder during a fan-out: another takes over, nothing lost.
    holder = cluster.bot_role_holder()
    assert holder is not None
    second = [f"b{n}" for n in range(3)]
    sent_before = len(cluster.tg.sent_messages())
    cluster.publish(second)
    wait_for(lambda: len(cluster.tg.sent_messages()) > sent_before + 5, 30, "no fan-out")
    cluster.procs[holder].send_signal(signal.SIGKILL)
    cluster.procs[holder].wait(timeout=10)
    killed_at, sent_at_kill = time.monotonic(), len(cluster.tg.sent_messages())
    resumed = wait_for(
        lambda: len(cluster.tg.sent_messages()) > sent_at_kill + IN_FLIGHT, 30, "no take-over"
    )
    assert resumed - killed_at < 15, resumed - killed_at
    wait_for(lambda: expected(first + second) <= set(cluster.tally()), FAN_OUT + 15, "alerts lost")
    duplicates = sum(n - 1 for n in cluster.tally().values())
    assert duplicates <= IN_FLIGHT, duplicates

    # SIGKILL a poller: every feed is fetched again within one lease (plus an interval).
    poller = next(
        i
        for i, p in enumerate(cluster.procs)
        if p.poll() is None and i != cluster.bot_role_holder()
    )
    cluster.procs[poller].send_signal(signal.SIGKILL)
    cluster.procs[poller].wait(timeout=10)
    after_kill = cluster.hits()
    wait_for(
        lambda: all(b > a for a, b in zip(after_kill, cluster.hits(), strict=True)),
        LEASE + 2 * INTERVAL + 2,
        "a dead poller's feeds were not taken over within one lease",
    )
