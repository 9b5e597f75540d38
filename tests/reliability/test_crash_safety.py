"""Crash safety of `topicbot run`, end to end: SIGKILL at random moments during delivery.

The Bot API stand-in and the loopback feed server live in this (the test) process, so they
survive every kill; the bot is a real ``python -m bot run`` subprocess with its own SQLite file.
Many private chats follow one topic and a feed publishes a batch of matching articles, so
delivery (paced at 1 message/s per chat and ~30/s overall, as Telegram requires) takes many
seconds. The test kills the bot with SIGKILL at random moments while it is sending, restarts
it each time, and finally counts what every chat received:

- no alert is lost: every (chat, article) pair arrives at least once;
- at most one duplicate per kill (the sender's contract: an alert is marked sent only after
  Telegram accepted it, so a kill between Telegram's answer and the mark resends it once);
- a clean stop (SIGTERM), even in the middle of delivery, and the restart after it send no
  duplicate at all, and a restart with nothing queued sends nothing.

`CrashRun` is shared with ``bench/crash_soak.py`` (more kills, more chats, more articles).
Set ``TOPICBOT_CRASH_SEED`` to replay a run's kill moments.
"""

from __future__ import annotations

import logging
import os
import random
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot import exitcodes
from bot.store import Store
from tests.configs import start_bot, topic_item, write_keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20
from tests.standins.telegram_api import TelegramStandin

log = logging.getLogger(__name__)

TOKEN = "525252:crash-safety-standin-secret"
FEED_PATH = "/dr/seneste.xml"
TOPIC = "NATO"
#: Article titles carry "<batch>-<number>" so every alert can be traced to its article.
_ARTICLE_RE = re.compile(r"Nato-nyhed (\d+-\d+):")

TOPICS = topic_item("NATO", "nato, forsvarsalliancen") + topic_item(
    "COVID-19", '"covid*", "corona*"', da="Covid-19"
)


def article_key(batch: int, number: int) -> str:
    return f"{batch}-{number:02d}"


def rss(keys: list[str]) -> bytes:
    """DR-shaped RSS 2.0, every item a NATO story published now."""
    return rss20(
        [
            (
                f"urn:dr:nato:{key}",
                f"https://www.dr.dk/nyheder/udland/nato-{key}",
                f"Nato-nyhed {key}: forsvarsalliancen samles i Bruxelles",
            )
            for key in keys
        ],
        channel="DR",
    )


@dataclass
class Tally:
    """What the chats received, as (chat, article) → number of messages."""

    counts: Counter[tuple[int, str]]

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.counts.values() if n > 1)

    def duplicates_per_chat(self) -> Counter[int]:
        per: Counter[int] = Counter()
        for (chat, _), n in self.counts.items():
            if n > 1:
                per[chat] += n - 1
        return per

    def missing(self, expected: set[tuple[int, str]]) -> set[tuple[int, str]]:
        return {pair for pair in expected if self.counts[pair] == 0}


@dataclass
class KillRecord:
    """One SIGKILL: when (seconds after this run's first send) and the state at that moment."""

    after_first_send: float
    sent_total: int
    duplicates_before_restart: int


@dataclass
class CrashRun:
    """A topicbot subprocess against an in-process stand-in, with kill/term/restart helpers."""

    tmp_path: Path
    tg: TelegramStandin
    feeds: FeedServer
    chats: list[int]
    rng: random.Random
    proc: subprocess.Popen[bytes] | None = None
    kills: list[KillRecord] = field(default_factory=list)
    term_seconds: list[float] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    runs: int = 0

    # --- setup ------------------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.tmp_path / "config.yaml"

    @property
    def db_path(self) -> Path:
        return self.tmp_path / "data" / "topicbot.sqlite3"

    def prepare(self) -> None:
        """Config file, an empty feed, and every chat subscribed in the store before start."""
        self.feeds.add(FEED_PATH, rss([]), etag=True)
        write_keyword_config(
            self.config_path,
            topics=TOPICS,
            feeds=f"  - name: DR Seneste\n    url: {self.feeds.url(FEED_PATH)}\n    interval: 1s",
            fetch={"total_timeout": "3s", "read_timeout": "2s"},
            storage={"path": self.db_path},
            classifier={"retrain_interval": 0},
            telegram={"token_env": "TOPICBOT_CRASH_TOKEN", "api_url": self.tg.base_url},
        )
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with Store.open(self.db_path) as store:
            for chat in self.chats:
                store.ensure_chat(chat)
                store.subscribe(chat, [TOPIC])

    def publish(self, batch: int, n: int) -> list[str]:
        """Add `n` new matching articles to the feed (the older ones stay in it)."""
        keys = [article_key(batch, i) for i in range(n)]
        self.published += keys
        self.feeds.set_body(FEED_PATH, rss(self.published))
        return keys

    def expected(self, keys: list[str] | None = None) -> set[tuple[int, str]]:
        return {(chat, key) for chat in self.chats for key in (keys or self.published)}

    # --- what Telegram saw --------------------------------------------------------------------

    def tally(self) -> Tally:
        counts: Counter[tuple[int, str]] = Counter()
        for message in self.tg.sent_messages():
            match = _ARTICLE_RE.search(message.plain_text or "")
            assert match is not None, f"unexpected message {message.plain_text!r}"
            counts[(message.chat_id, match[1])] += 1
        return Tally(counts)

    def sent(self) -> int:
        return len(self.tg.sent_messages())

    # --- the process --------------------------------------------------------------------------

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None
        log_file = (self.tmp_path / f"run-{self.runs:02d}.log").open("wb")
        self.runs += 1
        with log_file:
            self.proc = start_bot(
                self.config_path,
                {"TOPICBOT_CRASH_TOKEN": TOKEN},
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )

    def wait_running(self, timeout: float = 30.0) -> None:
        """Until the bot logged that it runs (its SIGTERM handler is installed by then)."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while "topicbot running with Telegram" not in self.log_text(self.runs - 1):
            if self.proc.poll() is not None:
                raise AssertionError(f"topicbot exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("topicbot did not start")
            time.sleep(0.02)

    def log_text(self, run: int) -> str:
        return (self.tmp_path / f"run-{run:02d}.log").read_text(encoding="utf-8", errors="replace")

    def wait_for_sends(self, baseline: int, timeout: float = 30.0) -> float:
        """Block until this run sent something beyond `baseline`; the moment it did."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while self.sent() <= baseline:
            if self.proc.poll() is not None:
                raise AssertionError(f"topicbot exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("topicbot did not resume delivery")
            time.sleep(0.005)
        return time.monotonic()

    def kill_during_delivery(self, max_delay: float) -> KillRecord:
        """Start the bot, wait until it sends, SIGKILL it a random moment later."""
        baseline = self.sent()
        self.start()
        first_send = self.wait_for_sends(baseline)
        delay = self.rng.uniform(0.0, max_delay)
        time.sleep(max(0.0, first_send + delay - time.monotonic()))
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        assert self.proc.returncode == -signal.SIGKILL
        record = KillRecord(delay, self.sent(), self.tally().duplicates)
        self.kills.append(record)
        return record

    def terminate(self) -> None:
        """SIGTERM and wait for a clean exit (code 0, "stopped cleanly", no traceback)."""
        assert self.proc is not None
        self.wait_running()
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.term_seconds.append(time.monotonic() - started)
        text = self.log_text(self.runs - 1)
        assert self.proc.returncode == exitcodes.OK, text[-3000:]
        assert "stopped cleanly" in text
        assert "Traceback" not in text, text[-3000:]

    def wait_delivered(self, expected: set[tuple[int, str]], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while missing := self.tally().missing(expected):
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"topicbot exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(missing)} alerts never arrived, e.g. {min(missing)}")
            time.sleep(0.1)

    def outbox_pending(self) -> int:
        with Store.open(self.db_path) as store:
            return store.pending_count()

    def stop_quietly(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def crash_run(tmp_path: Path) -> Iterator[CrashRun]:
    seed = int(os.environ.get("TOPICBOT_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    print(f"crash test seed: TOPICBOT_CRASH_SEED={seed}")
    with (
        TelegramStandin(TOKEN, rate_limit_per_s=30, private_chat_limit_per_s=1) as tg,
        FeedServer() as feeds,
    ):
        run = CrashRun(tmp_path, tg, feeds, list(range(5001, 5031)), random.Random(seed))
        run.prepare()
        try:
            yield run
        finally:
            run.stop_quietly()


KILLS = 6  # bench/crash_soak.py runs the long soak (25 kills, 1,200 alerts)
FIRST_BATCH = 10  # 30 chats × 10 articles = 300 alerts, about 10 s of paced delivery
SECOND_BATCH = 4  # 120 alerts per clean-stop round
#: The sender's requests in flight (SendGate's default): a kill can land after Telegram
#: counted all of them and before any was marked sent, so one kill may repeat up to this many
#: alerts, never two in one chat (a private chat's sends are 1 s apart). Quiet runs repeat
#: 0-1 per kill; a loaded machine, whose answers wait for the event loop, up to 5 seen.
IN_FLIGHT = 16


@pytest.mark.timeout(180)
def test_sigkill_during_delivery_loses_nothing_and_repeats_at_most_once_per_chat_per_kill(
    crash_run: CrashRun,
) -> None:
    run = crash_run
    first = run.publish(1, FIRST_BATCH)
    expected = run.expected(first)

    # The first run polls the feed, queues 300 alerts and starts sending; every run after a
    # kill resumes from the outbox. Kill each one a random moment (0-1.2 s) into its sending.
    for _ in range(KILLS):
        run.kill_during_delivery(max_delay=1.2)
        assert len(run.tally().missing(expected)) > 0, "delivery ended before all kills"

    run.start()
    # Each chat's outbox drains oldest first: a resend comes before that chat's last alert.
    run.wait_delivered(expected)
    run.terminate()
    after_kills = run.tally()
    kills = len(run.kills)
    print(
        f"after {kills} kills: duplicates {after_kills.duplicates} "
        f"{[k.duplicates_before_restart for k in run.kills]}, per chat "
        f"{dict(after_kills.duplicates_per_chat())}, sent at kills "
        f"{[k.sent_total for k in run.kills]}"
    )

    assert not after_kills.missing(expected)  # no alert lost
    assert set(after_kills.counts) == expected  # nothing sent that was not queued
    assert after_kills.duplicates <= IN_FLIGHT * kills, (after_kills.duplicates, run.kills)
    assert max(after_kills.duplicates_per_chat().values(), default=0) <= kills
    assert max(after_kills.counts.values()) <= 1 + kills
    assert run.outbox_pending() == 0

    # A clean stop: a new batch, SIGTERM a random moment into its delivery, restart, let it
    # finish, stop again; then a restart with one new article. Not one more duplicate.
    for batch in (2,):
        keys = run.publish(batch, SECOND_BATCH)
        baseline = run.sent()
        run.start()
        first_send = run.wait_for_sends(baseline)
        time.sleep(max(0.0, first_send + run.rng.uniform(0.0, 1.5) - time.monotonic()))
        run.terminate()
        run.start()
        run.wait_delivered(run.expected(keys))
        run.terminate()
    # A restart with one new article queued: each chat's outbox is drained oldest first, so
    # once the new alerts are in, anything the bot believed unsent would have been resent.
    idle = run.sent()
    run.start()
    sentinel = run.publish(3, 1)
    run.wait_delivered(run.expected(sentinel))
    run.terminate()

    final = run.tally()
    assert not final.missing(run.expected())
    assert set(final.counts) == run.expected()
    assert final.duplicates == after_kills.duplicates  # no duplicate from a clean stop
    assert run.sent() == idle + len(run.chats)  # the new alerts and nothing else
    assert run.outbox_pending() == 0
    print(
        f"{kills} kills at {[round(k.after_first_send, 2) for k in run.kills]} s into sending; "
        f"{len(run.expected())} alerts expected, {sum(final.counts.values())} sent, "
        f"{final.duplicates} duplicates, 0 lost; SIGTERM took "
        f"{[round(s, 1) for s in run.term_seconds]} s"
    )


@pytest.mark.timeout(120)
def test_sigterm_during_delivery_stops_within_docker_grace(crash_run: CrashRun) -> None:
    """`topicbot run` documents "deliveries in flight finish, everything else waits in the
    outbox"; Docker sends SIGKILL 10 s after SIGTERM, so a slow stop turns a clean stop
    into a crash (with its duplicate)."""
    run = crash_run
    keys = run.publish(1, FIRST_BATCH)
    run.start()
    run.wait_for_sends(0)
    time.sleep(1.0)
    run.terminate()
    left = len(run.tally().missing(run.expected(keys)))
    print(f"SIGTERM took {run.term_seconds[-1]:.1f} s; {left} alerts left in the outbox")
    assert run.term_seconds[-1] < 5.0
