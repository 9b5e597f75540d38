"""One alert per story (a later outlet edits it: "Også hos"), and /stats as a PNG chart, through
the real bot and the Bot API stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram.app import TelegramBot
from tests.standins.feed_server import FeedServer
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import FEED_PATH, ask, drop_file, rss, wait_until

USER = 505
STORY = "Nato sender flere soldater til Baltikum efter russiske øvelser"


@pytest.mark.asyncio
async def test_second_outlet_edits_the_alert_and_an_unrelated_story_is_new(
    tg: TelegramStandin, feeds: FeedServer, bot: TelegramBot, config_path: Path
) -> None:
    await ask(tg, USER, "/subscribe nato")
    store = bot.services.store
    await wait_until(lambda: store.source_state("DR Seneste").polled_before)
    await wait_until(lambda: store.source_state("indbakke").polled_before)
    feeds.set_body(FEED_PATH, rss([("s1", STORY), ("old1", "Vejret bliver gråt i weekenden")]))
    (_, alert) = await tg.wait_for_messages_async(2, USER, timeout=10)
    assert STORY in (alert.plain_text or "") and "Også hos" not in (alert.plain_text or "")

    # The same story from another outlet: no new message, the alert is edited.
    drop_file(
        config_path.parent / "indbakke",
        "baltikum.txt",
        "Nato sender flere soldater til Baltikum efter de russiske øvelser\n\nMere tekst.",
    )
    await wait_until(lambda: tg.edits(USER), timeout=10)
    (edit,) = tg.edits(USER)
    assert edit.method == "editMessageText" and edit.message_id == alert.message_id
    assert (edit.plain_text or "").endswith("Også hos: indbakke")
    assert STORY in (edit.plain_text or "")
    assert edit.reply_markup == alert.reply_markup  # 👍/👎 stay
    assert len(tg.sent_messages(USER)) == 2

    # An unrelated NATO story is an alert of its own.
    drop_file(
        config_path.parent / "indbakke",
        "topmoede.txt",
        "Stoltenberg åbner topmødet i Vilnius med tale om Ukraine\n\nMere tekst.",
    )
    msgs = await tg.wait_for_messages_async(3, USER, timeout=10)
    assert "Stoltenberg åbner topmødet" in (msgs[2].plain_text or "")
    assert "Også hos" not in (msgs[2].plain_text or "")
    await wait_until(lambda: store.pending_count() == 0)  # no story edit queued or unsent
    assert len(tg.edits(USER)) == 1


@pytest.mark.asyncio
async def test_stats_sends_a_png_chart(tg: TelegramStandin, bot: TelegramBot) -> None:
    tg.send_user_message(USER, "/stats")
    await wait_until(
        lambda: any(m.method == "sendPhoto" for m in tg.sent_messages(USER)), timeout=15
    )
    photo = next(m for m in tg.sent_messages(USER) if m.method == "sendPhoto")
    assert isinstance(photo.photo, bytes) and photo.photo.startswith(b"\x89PNG\r\n\x1a\n")
    assert photo.plain_text == "Artikler pr. emne pr. dag, seneste 30 dage"
