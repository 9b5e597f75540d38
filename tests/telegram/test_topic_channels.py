"""Topic channels, the way to reach more than ~100,000 readers: an operator adds the bot to a
channel as an administrator and subscribes the channel to a topic; each alert is one channel
post that every member sees. End to end against the stand-in's channels, admin rights and
membership updates."""

from __future__ import annotations

import pytest

from bot.telegram.app import TelegramBot
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import queue_nato_article, wait_until

CHANNEL = -1001500000001
pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(30)]


def publish(bot: TelegramBot, n: int) -> None:
    """A NATO article reaches the outbox for the channel, as the pipeline queues it."""
    queue_nato_article(bot, CHANNEL, f"test:channel:{n}", "DR", f"Nato øger beredskabet ({n})")
    assert bot.delivery is not None
    bot.delivery.wake()


async def subscribe_channel(tg: TelegramStandin) -> str:
    """The operator makes the bot an administrator and subscribes the channel to NATO; the
    bot's answer, as posted in the channel."""
    tg.add_bot(CHANNEL, "channel", title="NATO-overvågning", admin=True)
    tg.send_channel_post(CHANNEL, "/subscribe nato")
    (answer,) = await tg.wait_for_messages_async(1, CHANNEL)
    return answer.plain_text or ""


async def test_a_channel_subscribed_by_its_operator_gets_each_alert_as_one_post(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    store = bot.services.store
    assert await subscribe_channel(tg) == "Du følger nu: NATO."
    chat = store.get_chat(CHANNEL)
    assert chat is not None and chat.kind == "channel" and chat.active

    publish(bot, 1)
    post = (await tg.wait_for_messages_async(2, CHANNEL))[1]
    assert "Nato øger beredskabet (1)" in (post.plain_text or "")

    # Demoted: a channel takes posts from administrators only. The membership update or the
    # next alert, whichever comes first, deactivates the channel instead of retrying it
    # forever (and the update arriving second must not re-activate it).
    tg.set_bot_admin(CHANNEL, False)
    publish(bot, 2)
    await wait_until(lambda: not store.get_chat(CHANNEL).active, timeout=10)  # type: ignore[union-attr]
    assert "not enough rights" in (store.get_chat(CHANNEL).inactive_reason or "").lower()  # type: ignore[union-attr]
    assert len(tg.sent_messages(CHANNEL)) == 2

    # Added back as an administrator: active again, with its subscription.
    tg.add_bot(CHANNEL, "channel", admin=True)
    await wait_until(lambda: store.get_chat(CHANNEL).active, timeout=10)  # type: ignore[union-attr]
    assert store.subscriptions(CHANNEL) == ["NATO"]

    # Removed from the channel: the membership update stops its alerts at once.
    tg.remove_bot(CHANNEL)
    await wait_until(lambda: not store.get_chat(CHANNEL).active, timeout=10)  # type: ignore[union-attr]
    assert "bot kicked" in (store.get_chat(CHANNEL).inactive_reason or "")  # type: ignore[union-attr]


async def test_a_demotion_alone_stops_a_channels_alerts_and_a_promotion_resumes_them(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    store = bot.services.store
    await subscribe_channel(tg)

    tg.set_bot_admin(CHANNEL, False)
    await wait_until(lambda: not store.get_chat(CHANNEL).active, timeout=10)  # type: ignore[union-attr]
    assert "not enough rights" in (store.get_chat(CHANNEL).inactive_reason or "")  # type: ignore[union-attr]

    tg.set_bot_admin(CHANNEL, True)
    await wait_until(lambda: store.get_chat(CHANNEL).active, timeout=10)  # type: ignore[union-attr]
    publish(bot, 1)
    post = (await tg.wait_for_messages_async(2, CHANNEL))[1]
    assert "Nato øger beredskabet (1)" in (post.plain_text or "")
