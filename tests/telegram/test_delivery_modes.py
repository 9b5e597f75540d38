"""Delivery modes through the real bot and the Telegram stand-in: /digest and /quiet in both
languages, alerts held through quiet hours and released, silent alerts, a digest grouped by
topic, and a restart in the middle of a digest period (each article exactly once).

Time is injected, not waited for: `PreferencesMixin.delivery_clock` (what the store and the
sender take as "now" for delivery decisions) is set to a fake clock years ahead, so the real
clock can never release anything early, and each test moves it across a boundary.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.article import Article
from bot.config import load_config
from bot.localtime import COPENHAGEN
from bot.store import OutboxItem
from bot.store.preferences import PreferencesMixin
from bot.telegram.app import TelegramBot
from bot.telegram.digest import format_digest
from bot.telegram.format import MAX_MESSAGE_UTF16, utf16_len, visible_len
from tests.standins.feed_server import FeedServer
from tests.standins.telegram_api import TelegramStandin
from tests.standins.telegram_state import SentMessage
from tests.telegram.conftest import FEED_PATH, TOKEN, ask, rss, unspaced_gate, wait_until

USER = 101
NATO_1 = "Nato sender flere soldater til Baltikum"
NATO_2 = "Stoltenberg: Nato skal bruge flere penge"
COVID_1 = "Coronasmitten stiger igen på plejehjemmene"
pytestmark = pytest.mark.timeout(40)


def cph(y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=COPENHAGEN)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Request before `bot`: every store (also one reopened after a restart) uses it."""
    fake = Clock(cph(2030, 4, 14, 12))
    monkeypatch.setattr(PreferencesMixin, "delivery_clock", staticmethod(fake))
    yield fake


def text_of(message: SentMessage) -> str:
    return message.plain_text or ""


async def publish(
    feeds: FeedServer,
    bot: TelegramBot,
    items: list[tuple[str, str]],
    keep: list[tuple[str, str]] | None = None,
) -> None:
    """Publish new `items` (beside `keep`, published before) after the first poll (which only
    records the backlog); wait until the pipeline has queued them."""
    store = bot.services.store
    await wait_until(lambda: store.source_state("DR Seneste").polled_before, timeout=10)
    before = sum(store.outbox_counts().values())
    feeds.set_body(
        FEED_PATH, rss([*items, *(keep or []), ("old1", "Vejret bliver gråt i weekenden")])
    )
    await wait_until(lambda: sum(store.outbox_counts().values()) >= before + len(items), 10)


async def release(bot: TelegramBot, clock: Clock, when: datetime) -> None:
    clock.now = when
    assert bot.delivery is not None
    bot.delivery.wake()


async def quiet_for(tg: TelegramStandin, bot: TelegramBot, chat_id: int) -> None:
    """Nothing sent to `chat_id` by a whole delivery pass that began after this call."""
    before = len(tg.sent_messages(chat_id))
    loop = bot.delivery
    assert loop is not None
    done = loop.passes + (2 if loop.in_pass else 1)
    loop.wake()
    await wait_until(lambda: loop.passes >= done)
    assert len(tg.sent_messages(chat_id)) == before, "sent while it should have been held"


# --- commands --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_digest_and_quiet_commands_answer_in_danish_and_english(
    clock: Clock, tg: TelegramStandin, bot: TelegramBot
) -> None:
    store = bot.services.store
    assert "/digest dagligt 08:00" in text_of(await ask(tg, USER, "/digest"))
    reply = await ask(tg, USER, "/digest daily 08:00")
    assert text_of(reply) == "Du får et samlet overblik hver dag kl. 08:00."
    assert store.delivery_prefs(USER).delivery == "daily"
    assert text_of(await ask(tg, USER, "/digest dagligt 7.30")).endswith("kl. 07:30.")
    assert "/digest" in text_of(await ask(tg, USER, "/digest weekly"))
    reply = await ask(tg, USER, "/quiet 22-07")
    assert text_of(reply) == "Stille timer 22:00–07:00: beskeder kommer uden lyd."
    reply = await ask(tg, USER, "/quiet 22-07 hold")
    assert text_of(reply) == "Stille timer 22:00–07:00: beskeder venter til kl. 07:00."
    mysubs = text_of(await ask(tg, USER, "/mysubs"))
    assert "kl. 07:30" in mysubs and "22:00–07:00" in mysubs
    assert "/quiet 22-07" in text_of(await ask(tg, USER, "/quiet 25-99"))

    await ask(tg, USER, "/lang en")
    assert text_of(await ask(tg, USER, "/digest hourly")) == "You get one digest every full hour."
    assert text_of(await ask(tg, USER, "/quiet 23:30-6 silent")) == (
        "Quiet hours 23:30–06:00: alerts arrive without sound."
    )
    assert text_of(await ask(tg, USER, "/quiet off")) == "No quiet hours."
    assert text_of(await ask(tg, USER, "/digest off")) == "You get every article at once."
    prefs = store.delivery_prefs(USER)
    assert (prefs.delivery, prefs.has_quiet) == ("instant", False)


# --- quiet hours -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_quiet_hold_keeps_alerts_until_the_morning(
    clock: Clock, tg: TelegramStandin, feeds: FeedServer, bot: TelegramBot
) -> None:
    await ask(tg, USER, "/subscribe nato")
    await ask(tg, USER, "/quiet 22-07 hold")
    clock.now = cph(2030, 4, 14, 23, 15)
    await publish(feeds, bot, [("n1", NATO_1)])
    ((row_id, hold_until),) = bot.services.store._query(
        "SELECT id, hold_until FROM outbox WHERE chat_id = ?", (USER,)
    )
    assert datetime.fromisoformat(hold_until) == cph(2030, 4, 15, 7)
    await quiet_for(tg, bot, USER)
    await release(bot, clock, cph(2030, 4, 15, 6, 59))
    await quiet_for(tg, bot, USER)
    before = len(tg.sent_messages(USER))
    await release(bot, clock, cph(2030, 4, 15, 7, 0))
    got = await tg.wait_for_messages_async(before + 1, USER, timeout=5)
    assert NATO_1 in text_of(got[-1]) and not got[-1].disable_notification
    # The stand-in has the message a moment before the bot records it as sent.
    row = bot.services.store.outbox_row
    await wait_until(lambda: row(row_id)["status"] == "sent")  # type: ignore[index]


@pytest.mark.asyncio
async def test_quiet_silent_sends_at_once_without_notification(
    clock: Clock, tg: TelegramStandin, feeds: FeedServer, bot: TelegramBot
) -> None:
    await ask(tg, USER, "/subscribe nato")
    await ask(tg, USER, "/quiet 22-07")
    clock.now = cph(2030, 4, 14, 23, 15)
    before = len(tg.sent_messages(USER))
    await publish(feeds, bot, [("n1", NATO_1)])
    got = await tg.wait_for_messages_async(before + 1, USER, timeout=5)
    assert NATO_1 in text_of(got[-1]) and got[-1].disable_notification
    # The day's alerts ring again.
    clock.now = cph(2030, 4, 15, 9)
    await publish(feeds, bot, [("n2", NATO_2)])
    got = await tg.wait_for_messages_async(before + 2, USER, timeout=5)
    assert NATO_2 in text_of(got[-1]) and not got[-1].disable_notification


# --- digests ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_daily_digest_groups_the_days_articles_by_topic_once(
    clock: Clock, tg: TelegramStandin, feeds: FeedServer, bot: TelegramBot
) -> None:
    await ask(tg, USER, "/subscribe nato covid-19")
    await ask(tg, USER, "/digest daily 08:00")
    clock.now = cph(2030, 4, 14, 12)
    await publish(feeds, bot, [("n1", NATO_1), ("c1", COVID_1), ("n2", NATO_2)])
    await quiet_for(tg, bot, USER)
    before = len(tg.sent_messages(USER))
    await release(bot, clock, cph(2030, 4, 15, 8, 0, 5))
    got = await tg.wait_for_messages_async(before + 1, USER, timeout=5)
    await quiet_for(tg, bot, USER)  # one message, nothing after it
    digest = text_of(got[-1])
    lines = digest.splitlines()
    assert lines[0] == "📰 Overblik · 3 nyheder · 15.04.2030 08:00"
    nato, covid = lines.index("NATO (2)"), lines.index("Covid-19 (1)")
    assert nato < covid
    assert [NATO_1 in x for x in lines[nato + 1 : nato + 3]] == [True, False]
    assert NATO_2 in lines[nato + 2] and COVID_1 in lines[covid + 1]
    assert digest.count(NATO_1) == 1 and got[-1].reply_markup is None
    store = bot.services.store
    assert store.outbox_counts() == {"sent": 3}
    # Leaving digest mode: what was collected so far comes as one digest, then the answer;
    # new articles come at once.
    await publish(feeds, bot, [("n3", "Nato-topmøde i Vilnius")], keep=[("n1", NATO_1)])
    await quiet_for(tg, bot, USER)
    n = len(tg.sent_messages(USER))
    tg.send_user_message(USER, "/digest off")
    got = await tg.wait_for_messages_async(n + 2, USER, timeout=5)
    assert "Nato-topmøde" in text_of(got[n]) and "Overblik · 1 nyheder" in text_of(got[n])
    assert text_of(got[n + 1]) == "Du får hver nyhed med det samme."
    assert store.outbox_counts() == {"sent": 4}
    n = len(tg.sent_messages(USER))
    await publish(feeds, bot, [("c2", "Mundbind igen i busserne")])
    got = await tg.wait_for_messages_async(n + 1, USER, timeout=5)
    assert "Mundbind" in text_of(got[-1]) and "Overblik" not in text_of(got[-1])


@pytest.mark.asyncio
async def test_restart_in_the_middle_of_a_digest_period_loses_and_doubles_nothing(
    clock: Clock, tg: TelegramStandin, feeds: FeedServer, config_path: Path
) -> None:
    config = load_config(config_path)
    clock.now = cph(2030, 4, 14, 10, 20)
    async with TelegramBot(
        config, TOKEN, config_path=config_path, poll_timeout=1, gate=unspaced_gate()
    ) as bot:
        await ask(tg, USER, "/subscribe nato")
        await ask(tg, USER, "/digest hourly")
        await publish(feeds, bot, [("n1", NATO_1)])
        await quiet_for(tg, bot, USER)
    n = len(tg.sent_messages(USER))
    async with TelegramBot(
        config, TOKEN, config_path=config_path, poll_timeout=1, gate=unspaced_gate()
    ) as bot:
        clock.now = cph(2030, 4, 14, 10, 40)
        await publish(feeds, bot, [("n2", NATO_2)], keep=[("n1", NATO_1)])
        await quiet_for(tg, bot, USER)
        await release(bot, clock, cph(2030, 4, 14, 11, 0, 1))
        got = await tg.wait_for_messages_async(n + 1, USER, timeout=5)
        await quiet_for(tg, bot, USER)
    # Restarted again after the digest: nothing is sent a second time.
    async with TelegramBot(
        config, TOKEN, config_path=config_path, poll_timeout=1, gate=unspaced_gate()
    ) as bot:
        clock.now = cph(2030, 4, 14, 12, 0, 1)
        assert bot.delivery is not None
        bot.delivery.wake()
        await quiet_for(tg, bot, USER)
        assert bot.services.store.outbox_counts() == {"sent": 2}
    assert len(tg.sent_messages(USER)) == n + 1
    digest = text_of(got[-1])
    assert digest.count(NATO_1) == 1 and digest.count(NATO_2) == 1 and "NATO (2)" in digest


# --- formatting ------------------------------------------------------------------------


def _item(k: int, topic: str, title: str) -> OutboxItem:
    article = Article(
        id=f"a{k}",
        source="DR",
        title=title,
        link=f"https://www.dr.dk/nyheder/{k}?a=1&b=<2>",
        published=cph(2030, 4, 14, 9),
    )
    return OutboxItem(k, USER, article, (topic,), (), 0, "en")


def test_long_digest_split_within_the_limit_each_article_once() -> None:
    names = {"NATO": "NATO", "COVID-19": "COVID-19"}
    items = [
        _item(k, "NATO" if k % 3 else "COVID-19", f"Overskrift {k} <b>&amp; 🎉 " + "ord " * 60)
        for k in range(1, 121)
    ]
    messages = format_digest(items, names, "en", cph(2030, 4, 15, 8))
    assert len(messages) > 1
    assert sorted(i for m in messages for i in m.ids) == list(range(1, 121))
    for n, m in enumerate(messages, 1):
        assert visible_len(m.text) <= MAX_MESSAGE_UTF16
        assert utf16_len(m.plain) <= MAX_MESSAGE_UTF16
        assert m.text.startswith("📰 <b>Digest</b> · 120 articles") and f"({n}/" in m.text
        assert "<b>&amp;" not in m.text  # feed text escaped once, tags never passed through
    assert messages[0].text.splitlines()[1] == "<b>NATO (80)</b>"


def test_digest_entry_names_the_other_outlets_of_its_story() -> None:
    names = {"NATO": "NATO"}
    merged = dataclasses.replace(_item(1, "NATO", "Topmøde i Vilnius"), also=("Berlingske",))
    # A story update lists the outlets so far, its own included: not repeated.
    update = dataclasses.replace(
        _item(2, "NATO", "Topmøde i Vilnius, nu med aftale"), also=("Berlingske", "DR")
    )
    (message,) = format_digest([merged, update], names, "en", cph(2030, 4, 15, 8))
    first, second = message.text.splitlines()[2:4]
    assert first.endswith("· Also at: Berlingske)</i>")
    assert second.endswith("· Also at: Berlingske)</i>")
    (danish,) = format_digest([merged], names, "da", cph(2030, 4, 15, 8))
    assert "Også hos: Berlingske" in danish.text and "Også hos: Berlingske" in danish.plain
