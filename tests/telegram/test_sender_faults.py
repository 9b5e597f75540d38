"""TelegramSender against the Telegram stand-in: one test per fault, outcome asserted.

Real pieces throughout: a SQLite Store in tmp_path filled through its public API, PTB's
real `Bot` talking HTTP to the stand-in, which answers (and fails) like Telegram does.
Pacing is shrunk by constructor arguments except in the tests about pacing.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.article import Article
from bot.delivery import DeliveryLoop
from bot.store import Store
from bot.telegram.format import utf16_len
from bot.telegram.sender import TelegramSender
from classifiers.base import TopicScore
from tests.standins.telegram_api import TelegramStandin

TOKEN = "123456:TEST-TOKEN"
NAMES = {"da": {"nato": "NATO"}, "en": {"nato": "NATO (en)"}}
FAST: dict[str, Any] = dict(
    global_rate=1000.0,
    private_interval=0.0,
    group_interval=0.0,
    retry_base=0.05,
    retry_cap=0.4,
)
_ids = itertools.count(1)
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning"),
    pytest.mark.timeout(30),
]


@pytest.fixture(autouse=True)
def _fresh_ids() -> None:
    """Article k gets outbox id k in each test's new database: titles read "Nyhed <id>"."""
    global _ids
    _ids = itertools.count(1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "topicbot.db") as s:
        yield s


@pytest.fixture
def tg() -> Iterator[TelegramStandin]:
    with TelegramStandin(TOKEN) as standin:
        yield standin


@asynccontextmanager
async def sender_for(
    tg: TelegramStandin, store: Store, base_url: str | None = None, **tunables: Any
) -> AsyncIterator[TelegramSender]:
    """A real Bot (pool big enough for concurrent sends) wrapped in the sender under test."""
    request = HTTPXRequest(connection_pool_size=32, connect_timeout=1.0)
    bot = Bot(TOKEN, base_url=base_url or tg.base_url, request=request)
    await bot.initialize()
    try:
        yield TelegramSender(bot, store, NAMES, **(FAST | tunables))
    finally:
        await bot.shutdown()


def queue(store: Store, chat_id: int, n: int = 1, **article: Any) -> list[int]:
    """Queue n alerts for chat_id the way the pipeline does; returns their outbox ids."""
    kind = "private" if chat_id > 0 else "group"
    store.ensure_chat(chat_id, kind=kind, language=article.pop("language", "da"))
    store.subscribe(chat_id, ["nato"])
    ids = []
    for _ in range(n):
        k = next(_ids)
        a = Article(
            id=f"guid:DR:{k}",
            source="DR",
            title=article.get("title", f"Nyhed {k}"),
            text=article.get("text", f"Brødtekst {k} om alliancen."),
            link=article.get("link", f"https://dr.dk/{k}"),
            published=datetime(2026, 4, 14, 12, 48, tzinfo=UTC),
        )
        store.record_articles([a])
        score = TopicScore("nato", 0.9, True, ("nato", "alliancen"))
        store.complete_article(a.id, [score], {chat_id: ["nato"]})
        ids.append(max(i.id for i in store.due_alerts(chat_ids=[chat_id], limit=10_000)))
    return ids


def titles(tg: TelegramStandin, chat_id: int) -> list[str]:
    return [(m.plain_text or "").splitlines()[1] for m in tg.sent_messages(chat_id)]


def status(store: Store, outbox_id: int) -> str:
    row = store.outbox_row(outbox_id)
    assert row is not None
    return str(row["status"])


async def drain_until(
    sender: TelegramSender, done: Callable[[], bool], timeout: float = 10.0
) -> None:
    """What DeliveryLoop does, quicker: drain again and again until `done()`."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "not delivered in time"
        await sender.drain()
        await asyncio.sleep(0.02)


class Arrivals:
    """Arrival time of each message at the stand-in, sampled every 5 ms."""

    def __init__(self, tg: TelegramStandin) -> None:
        self.tg, self.times = tg, {}  # type: ignore[var-annotated]
        self.start = time.monotonic()
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            for m in self.tg.sent_messages():
                self.times.setdefault((m.chat_id, m.message_id), time.monotonic() - self.start)
            await asyncio.sleep(0.005)

    def of(self, chat_id: int) -> list[float]:
        return sorted(t for (c, _), t in self.times.items() if c == chat_id)

    async def stop(self) -> None:
        """Once every message the stand-in holds has its arrival time."""
        while len(self.times) < len(self.tg.sent_messages()):
            await asyncio.sleep(0.005)
        self._task.cancel()


# --- the ordinary path -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_delivers_in_order_with_buttons_and_marks_sent(
    tg: TelegramStandin, store: Store
) -> None:
    ids = queue(store, 10, 3)
    queue(store, 11, 1, language="en")
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 4
        assert await sender.drain() == 0
    msgs = tg.sent_messages(10)
    assert titles(tg, 10) == [f"Nyhed {i}" for i in ids]
    assert all(m.parse_mode == "HTML" for m in msgs)
    assert all(m.link_preview_options == {"is_disabled": True} for m in msgs)
    assert msgs[0].reply_markup == {
        "inline_keyboard": [
            [
                {"text": "👍", "callback_data": f"fb:up:{ids[0]}"},
                {"text": "👎", "callback_data": f"fb:down:{ids[0]}"},
            ]
        ]
    }
    assert "Hvorfor: nato, alliancen" in msgs[0].plain_text
    assert "Why: nato, alliancen" in tg.sent_messages(11)[0].plain_text
    for outbox_id, m in zip(ids, msgs, strict=True):
        assert status(store, outbox_id) == "sent"
        assert store.outbox_row(outbox_id)["message_id"] == m.message_id  # type: ignore[index]
        assert store.sent_message(10, m.message_id) is not None
    tg.press_button(10, msgs[0].message_id, f"fb:up:{ids[0]}")  # the button exists


# --- faults --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_retry_after_pauses_all_sending_then_delivers_once(
    tg: TelegramStandin, store: Store
) -> None:
    a1, a2 = queue(store, 10, 2)
    (b1,) = queue(store, 20)
    tg.fail_next(10, "retry_after", seconds=1)
    # One send per tick, 0.33 s apart: b1 is only due after the 429 arrived.
    async with sender_for(tg, store, global_rate=3.0, global_burst=1.0) as sender:
        start = time.monotonic()
        drain = asyncio.create_task(sender.drain())
        await asyncio.sleep(0.7)
        assert tg.method_counts()["sendMessage"] == 1  # only the 429'd one: all paused
        assert await drain == 3
        assert time.monotonic() - start >= 1.0
    assert titles(tg, 10) == [f"Nyhed {a1}", f"Nyhed {a2}"]
    assert titles(tg, 20) == [f"Nyhed {b1}"]
    assert tg.method_counts()["sendMessage"] == 4
    assert {status(store, i) for i in (a1, a2, b1)} == {"sent"}


@pytest.mark.asyncio
async def test_long_retry_after_is_kept_in_the_outbox(tg: TelegramStandin, store: Store) -> None:
    (a1,) = queue(store, 10)
    tg.fail_next(10, "retry_after", seconds=5)
    async with sender_for(tg, store, max_retry_after_wait=2.0) as sender:
        assert await sender.drain() == 0  # returns instead of sleeping 5 s
        assert await sender.drain() == 0  # and sends nothing while paused
    assert tg.method_counts()["sendMessage"] == 1
    row = store.outbox_row(a1)
    assert row is not None and row["status"] == "pending" and "retry after" in row["last_error"]


@pytest.mark.asyncio
async def test_blocked_user_deactivated_others_unaffected(
    tg: TelegramStandin, store: Store
) -> None:
    blocked = queue(store, 10, 3)
    ok = queue(store, 20, 2)
    tg.remove_bot(10)  # every send to 10 now gets 403 "bot was blocked by the user"
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 2
        assert await sender.drain() == 0
    chat = store.get_chat(10)
    assert chat is not None and not chat.active and "blocked" in (chat.inactive_reason or "")
    assert [status(store, i) for i in blocked] == ["dropped"] * 3
    assert [status(store, i) for i in ok] == ["sent"] * 2
    assert tg.method_counts()["sendMessage"] == 3  # one try for chat 10, not three
    assert store.subscribers_for(["nato"]) == {20: ["nato"]}


@pytest.mark.asyncio
async def test_migrated_group_follows_to_new_id(tg: TelegramStandin, store: Store) -> None:
    old, new = -500, -100500
    ids = queue(store, old, 2)
    tg.fail_next(old, "migrate", new_chat_id=new)
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 2
        assert await sender.drain() == 0
    assert tg.sent_messages(old) == []
    assert titles(tg, new) == [f"Nyhed {i}" for i in ids]  # each once, in order
    assert [(store.outbox_row(i) or {}).get("chat_id") for i in ids] == [new, new]
    assert [status(store, i) for i in ids] == ["sent", "sent"]
    assert store.get_chat(old) is None
    assert store.subscriptions(new) == ["nato"]


@pytest.mark.asyncio
async def test_bad_request_fails_once_and_is_not_retried(tg: TelegramStandin, store: Store) -> None:
    bad, good = queue(store, 10, 2)
    tg.fail_next(10, "bad_request", description="wrong file identifier/HTTP URL specified")
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 1
        assert await sender.drain() == 0
    row = store.outbox_row(bad)
    assert row is not None and row["status"] == "failed" and row["attempts"] == 1
    assert "wrong file identifier" in row["last_error"].lower()
    assert status(store, good) == "sent"  # the chat's next alert still goes
    assert tg.method_counts()["sendMessage"] == 2


@pytest.mark.asyncio
async def test_chat_not_found_deactivates(tg: TelegramStandin, store: Store) -> None:
    ids = queue(store, 10, 2)
    tg.fail_next(10, "bad_request", description="chat not found")
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 0
    chat = store.get_chat(10)
    assert chat is not None and not chat.active
    assert [status(store, i) for i in ids] == ["dropped", "dropped"]


@pytest.mark.asyncio
async def test_parse_error_falls_back_to_plain_text_once(tg: TelegramStandin, store: Store) -> None:
    fixed, hopeless = queue(store, 10, 2, title="Ærø & <Als>")
    tg.fail_next(10, "bad_request", description="can't parse entities: Unsupported start tag")
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 2
        (msg, _) = tg.sent_messages(10)
        assert msg.parse_mode is None and msg.text == msg.plain_text
        assert msg.plain_text.splitlines()[1] == "Ærø & <Als>"
        assert "https://dr.dk/" in msg.plain_text  # the link is spelled out
        assert status(store, fixed) == "sent"
        # Both the HTML and the plain attempt rejected: failed after exactly two requests.
        (third,) = queue(store, 10, 1)
        tg.fail_next(10, "bad_request", count=2, description="message is too long")
        calls = tg.method_counts()["sendMessage"]
        assert await sender.drain() == 0
    assert tg.method_counts()["sendMessage"] == calls + 2
    assert status(store, third) == "failed"
    assert status(store, hopeless) == "sent"


@pytest.mark.asyncio
async def test_server_errors_retried_in_order_without_duplicates(
    tg: TelegramStandin, store: Store
) -> None:
    ids = queue(store, 10, 3)
    other = queue(store, 20, 2)
    tg.fail_next(10, "server_error", count=2)
    tg.fail_next(20, "drop")  # connection closed without an answer
    async with sender_for(tg, store) as sender:
        await drain_until(sender, lambda: len(tg.sent_messages()) == 5)
        await drain_until(sender, lambda: store.outbox_counts() == {"sent": 5})
        assert await sender.drain() == 0
    assert titles(tg, 10) == [f"Nyhed {i}" for i in ids]
    assert titles(tg, 20) == [f"Nyhed {i}" for i in other]
    assert len(tg.sent_messages()) == 5
    first = store.outbox_row(ids[0])
    assert first is not None and first["attempts"] == 3 and first["status"] == "sent"


@pytest.mark.asyncio
async def test_telegram_down_then_up_delivers_everything_in_order(
    tg: TelegramStandin, store: Store
) -> None:
    chats = {10: queue(store, 10, 3), -30: queue(store, -30, 3)}
    async with sender_for(tg, store) as sender:
        tg.down(seconds=2.0)  # connections refused for 2 s
        assert await sender.drain() == 0
        pending = store.outbox_counts().get("pending")
        assert pending == 6  # nothing lost, nothing failed
        start = time.monotonic()
        await drain_until(sender, lambda: len(tg.sent_messages()) == 6)
        assert time.monotonic() - start >= 1.5
        await drain_until(sender, lambda: store.outbox_counts() == {"sent": 6})
        assert await sender.drain() == 0
    for chat_id, ids in chats.items():
        assert titles(tg, chat_id) == [f"Nyhed {i}" for i in ids]
    assert store.outbox_counts() == {"sent": 6}


class Blackhole:
    """A TCP proxy to the stand-in that can swallow requests: packets lost, no answer.

    Unlike a slow answer (which Telegram would still deliver), a swallowed request never
    reaches the stand-in, so a timeout must lead to exactly one delivery after the retry.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port, self.swallow = target_port, False
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> Blackhole:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/bot"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, up: bool) -> None:
            try:
                while data := await src.read(65536):
                    if up and self.swallow:
                        continue
                    dst.write(data)
                    await dst.drain()
            except OSError:
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))


@pytest.mark.asyncio
async def test_timeouts_retried_and_delivered_once(tg: TelegramStandin, store: Store) -> None:
    ids = queue(store, 10, 2)
    async with (
        Blackhole(tg.port) as hole,
        sender_for(tg, store, base_url=hole.base_url, send_timeout=0.3) as sender,
    ):
        hole.swallow = True
        assert await sender.drain() == 0
        row = store.outbox_row(ids[0])
        assert row is not None and row["status"] == "pending"
        assert "TimedOut" in row["last_error"]
        assert tg.sent_messages() == []
        hole.swallow = False
        await drain_until(sender, lambda: len(tg.sent_messages()) == 2)
        await drain_until(sender, lambda: store.outbox_counts() == {"sent": 2})
        assert await sender.drain() == 0
    assert titles(tg, 10) == [f"Nyhed {i}" for i in ids]


# --- pacing ----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_private_chat_paced_while_other_chats_go_concurrently(store: Store) -> None:
    with TelegramStandin(TOKEN, rate_limit_per_s=30, private_chat_limit_per_s=1) as tg:
        queue(store, 10, 3)
        for chat_id in range(21, 29):
            queue(store, chat_id)
        async with sender_for(tg, store, global_rate=30.0, private_interval=1.0) as sender:
            arrivals = Arrivals(tg)
            assert await sender.drain() == 11
            await arrivals.stop()
        one_chat = arrivals.of(10)
        assert [b - a >= 0.95 for a, b in itertools.pairwise(one_chat)] == [True, True]
        others = [t for chat_id in range(21, 29) for t in arrivals.of(chat_id)]
        assert len(others) == 8 and max(others) < 0.8  # not queued behind chat 10
        assert tg.rate_limited_count == 0  # Telegram never had to say 429


@pytest.mark.asyncio
async def test_slow_chat_does_not_hold_up_the_others(tg: TelegramStandin, store: Store) -> None:
    queue(store, 30)
    for chat_id in range(31, 36):
        queue(store, chat_id)
    tg.fail_next(30, "slow", seconds=1.5)
    async with sender_for(tg, store) as sender:
        arrivals = Arrivals(tg)
        assert await sender.drain() == 6
        await arrivals.stop()
    assert max(t for c in range(31, 36) for t in arrivals.of(c)) < 0.7
    assert arrivals.of(30)[0] >= 1.4


@pytest.mark.asyncio
async def test_group_waiting_long_is_left_for_the_next_drain(
    tg: TelegramStandin, store: Store
) -> None:
    queue(store, -40, 3)
    async with sender_for(tg, store, group_interval=1.0, max_chat_wait=0.2) as sender:
        arrivals = Arrivals(tg)
        start = time.monotonic()
        assert await sender.drain() == 1  # the next group message is 1 s away: not waited for
        assert time.monotonic() - start < 0.5
        await drain_until(sender, lambda: len(tg.sent_messages(-40)) == 3)
        await arrivals.stop()
    times = arrivals.of(-40)
    assert len(times) == 3
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))


# --- content ---------------------------------------------------------------------------

HOSTILE = '<b>Røde & "blå"</b> </a> &amp; 🇩🇰 👍🏽 مرحبا עברית <i>'


@pytest.mark.asyncio
async def test_hostile_title_arrives_intact(tg: TelegramStandin, store: Store) -> None:
    link = 'https://dr.dk/a?x=1&y="2"'
    queue(store, 10, title=HOSTILE, text=f"Og så: {HOSTILE}", link=link)
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 1
    (msg,) = tg.sent_messages(10)
    assert msg.parse_mode == "HTML"  # accepted as HTML, no fallback needed
    assert msg.plain_text.splitlines()[1] == HOSTILE
    assert f"Og så: {HOSTILE}" in msg.plain_text
    assert [e["url"] for e in msg.entities if e["type"] == "text_link"] == [link]


@pytest.mark.asyncio
async def test_huge_article_sent_within_limit(tg: TelegramStandin, store: Store) -> None:
    queue(store, 10, title="Ærø 🇩🇰 & <b> " * 800, text="ord " * 2500)  # 10,000+ chars each
    async with sender_for(tg, store) as sender:
        assert await sender.drain() == 1
    (msg,) = tg.sent_messages(10)
    assert msg.parse_mode == "HTML"
    assert 3500 < utf16_len(msg.plain_text) <= 4096


# --- the store's side and the loop that drives the sender ---------------------------------


def test_sendable_alerts_hold_back_a_chat_behind_its_retry(store: Store) -> None:
    first, second = queue(store, 10, 2)
    (other,) = queue(store, 20)
    store.mark_retry(first, "NetworkError", 60)
    assert [i.id for i in store.sendable_alerts()] == [other]  # not `second` before `first`
    assert [i.id for i in store.due_alerts()] == [second, other]  # what due_alerts would give
    assert [i.id for i in store.sendable_alerts(exclude_chats=[20])] == []


@pytest.mark.asyncio
async def test_delivery_loop_drives_the_sender(tg: TelegramStandin, store: Store) -> None:
    async with sender_for(tg, store) as sender:
        loop = DeliveryLoop(sender.drain, idle_seconds=5.0)
        loop.start()
        try:
            ids = queue(store, 10, 2)
            loop.wake()  # what the pipeline does after queueing: no wait for the idle tick
            await tg.wait_for_messages_async(2, 10, timeout=2.0)
        finally:
            await loop.stop()
    assert [status(store, i) for i in ids] == ["sent", "sent"]
