"""Chat commands through the real bot and the stand-in: answers in Danish and English,
topic names in any form, group administrators, channels, operator commands, buttons, and odd
input that must never crash a handler."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.app import TelegramBot
from bot.telegram.application import api_urls
from tests.standins.feed_server import FeedServer
from tests.standins.telegram_api import TelegramStandin
from tests.standins.telegram_state import SentMessage
from tests.telegram.conftest import (
    FEED_PATH,
    OPERATOR,
    ask,
    drop_file,
    queue_alert,
    wait_until,
)

USER = 101
GROUP = -5001
CHANNEL = -1001234567890


def text_of(message: SentMessage) -> str:
    return message.plain_text or ""


def buttons(message: SentMessage | dict[str, object]) -> list[tuple[str, str]]:
    markup = message.reply_markup if isinstance(message, SentMessage) else message["reply_markup"]
    assert isinstance(markup, dict)
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def nothing_sent_for(tg: TelegramStandin, chat_id: int) -> None:
    """Updates are handled in order: if /help is the next answer, nothing came before it."""
    before = len(tg.sent_messages(chat_id))
    tg.send_user_message(chat_id, "/help", user_id=OPERATOR if chat_id < 0 else None)
    got = await tg.wait_for_messages_async(before + 1, chat_id)
    assert len(got) == before + 1 and "/subscribe" in text_of(got[-1])


# --- private chats, both languages -------------------------------------------------------


@pytest.mark.asyncio
async def test_start_welcomes_with_topic_keyboard_in_danish_then_english(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    reply = await ask(tg, USER, "/start")
    assert text_of(reply).startswith("Hej!")
    assert buttons(reply) == [
        ("▫️ NATO", "tp:NATO"),
        ("▫️ Covid-19", "tp:COVID-19"),
        ("▫️ Afghanistan", "tp:Afghanistan"),
    ]
    assert text_of(await ask(tg, USER, "/lang en")) == "The language is now English."
    reply = await ask(tg, USER, "/start")
    assert text_of(reply).startswith("Hi!")
    assert buttons(reply)[1] == ("▫️ COVID-19", "tp:COVID-19")
    assert bot.services.store.get_chat(USER).language == "en"  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_subscribe_accepts_ids_and_names_in_any_case(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    assert text_of(await ask(tg, USER, "/subscribe nato")) == "Du følger nu: NATO."
    reply = await ask(tg, USER, "/subscribe covid-19, AFGHANISTAN NaTo")
    assert text_of(reply) == "Du følger nu: Covid-19, Afghanistan.\nDu fulgte allerede: NATO."
    assert sorted(bot.services.store.subscriptions(USER)) == ["Afghanistan", "COVID-19", "NATO"]
    assert text_of(await ask(tg, USER, "/mysubs")) == "Du følger: NATO, Covid-19, Afghanistan."
    reply = await ask(tg, USER, "/unsubscribe Covid-19 afghanistan")
    assert text_of(reply) == "Du følger ikke længere: Covid-19, Afghanistan."
    assert text_of(await ask(tg, USER, "/unsubscribe covid-19")) == "Du fulgte ikke: Covid-19."
    await ask(tg, USER, "/lang en")
    assert text_of(await ask(tg, USER, "/subscribe Covid-19")) == "You now follow: COVID-19."
    assert text_of(await ask(tg, USER, "/mysubs")) == "You follow: NATO, COVID-19."
    reply = await ask(tg, USER, "/unsubscribe nato")
    assert text_of(reply) == "You no longer follow: NATO."


@pytest.mark.asyncio
async def test_unknown_topic_lists_the_valid_ones(tg: TelegramStandin, bot: TelegramBot) -> None:
    reply = await ask(tg, USER, "/subscribe nato klima")
    assert text_of(reply) == "Ukendt emne: klima. Gyldige emner: NATO, Covid-19, Afghanistan."
    assert bot.services.store.subscriptions(USER) == []  # nothing half-done
    await ask(tg, USER, "/lang en")
    reply = await ask(tg, USER, "/unsubscribe weather")
    assert text_of(reply) == "Unknown topic: weather. Valid topics: NATO, COVID-19, Afghanistan."
    reply = await ask(tg, USER, "/subscribe")
    assert "/subscribe nato" in text_of(reply) and len(buttons(reply)) == 3


@pytest.mark.asyncio
async def test_topics_mysubs_pause_resume_help(tg: TelegramStandin, bot: TelegramBot) -> None:
    reply = await ask(tg, USER, "/topics")
    assert text_of(reply).startswith("Emner") and "Covid-19 (COVID-19)" in text_of(reply)
    assert "Du følger ingen emner endnu" in text_of(await ask(tg, USER, "/mysubs"))
    await ask(tg, USER, "/subscribe nato")
    assert text_of(await ask(tg, USER, "/pause")).startswith("Beskeder er sat på pause")
    assert bot.services.store.get_chat(USER).paused  # type: ignore[union-attr]
    assert "/resume" in text_of(await ask(tg, USER, "/mysubs"))
    assert text_of(await ask(tg, USER, "/resume")) == "Beskeder er genoptaget."
    assert not bot.services.store.get_chat(USER).paused  # type: ignore[union-attr]
    help_da = text_of(await ask(tg, USER, "/help"))
    assert "/subscribe – Følg emner" in help_da and "/status" not in help_da
    await ask(tg, USER, "/lang en")
    assert text_of(await ask(tg, USER, "/topics")).startswith("Topics")
    assert text_of(await ask(tg, USER, "/pause")).startswith("Alerts are paused")
    assert text_of(await ask(tg, USER, "/resume")) == "Alerts are resumed."
    assert "/unsubscribe – Stop following topics" in text_of(await ask(tg, USER, "/help"))
    assert "/status" in text_of(await ask(tg, OPERATOR, "/help"))


@pytest.mark.asyncio
async def test_stop_forgets_the_chat(tg: TelegramStandin, bot: TelegramBot) -> None:
    await ask(tg, USER, "/subscribe nato covid-19")
    assert text_of(await ask(tg, USER, "/stop")).startswith("Farvel!")
    assert bot.services.store.get_chat(USER) is None
    assert bot.services.store.subscriptions(USER) == []
    assert "ingen emner" in text_of(await ask(tg, USER, "/mysubs"))


@pytest.mark.asyncio
async def test_lang_usage_unknown_command_and_text_hint(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    assert "/lang da" in text_of(await ask(tg, USER, "/lang fr"))
    assert "/lang da" in text_of(await ask(tg, USER, "/lang"))
    assert text_of(await ask(tg, USER, "/frobnicate")) == "Den kommando kender jeg ikke. Se /help."
    assert "kun kommandoer" in text_of(await ask(tg, USER, "hej bot"))
    await ask(tg, USER, "/lang EN")
    assert text_of(await ask(tg, USER, "/nope")) == "I don't know that command. See /help."
    assert "only understand commands" in text_of(await ask(tg, USER, "hello"))


@pytest.mark.asyncio
async def test_edits_media_and_group_chatter_are_ignored(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    first = tg.send_user_message(USER, "hej")
    await tg.wait_for_messages_async(1, USER)
    tg.edit_user_message(USER, first["message_id"], "/stop")
    tg.send_user_message(USER, None, media="sticker")
    tg.send_user_message(USER, "billedtekst", media="photo")
    await nothing_sent_for(tg, USER)
    assert len(tg.sent_messages(USER)) == 2
    tg.set_admins(GROUP, [OPERATOR])
    tg.send_user_message(GROUP, "godmorgen alle", chat_type="group")
    tg.send_user_message(GROUP, "/frobnicate@some_other_bot", chat_type="group")
    await nothing_sent_for(tg, GROUP)
    assert len(tg.sent_messages(GROUP)) == 1


@pytest.mark.asyncio
async def test_odd_input_never_crashes(tg: TelegramStandin, bot: TelegramBot) -> None:
    huge = "/subscribe " + "nato " * 700
    assert "for meget" in text_of(await ask(tg, USER, huge))
    reply = await ask(tg, USER, "/subscribe 🦄 مرحبا <b>&lt")
    assert text_of(reply) == (
        "Ukendt emne: 🦄, مرحبا, <b>&lt. Gyldige emner: NATO, Covid-19, Afghanistan."
    )
    assert "Ukendt emne" in text_of(await ask(tg, USER, "/unsubscribe \u202enato\u202c"))
    assert "/lang da" in text_of(await ask(tg, USER, "/lang " + "x" * 900))
    assert text_of(await ask(tg, USER, "/subscribe alle")).startswith("Du følger nu: NATO")


# --- groups and channels -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_group_only_administrators_change_subscriptions(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    tg.set_admins(GROUP, [1, 2])  # 1 creator, 2 administrator
    reply = await ask(tg, GROUP, "/subscribe nato", user_id=3, chat_type="group")
    assert text_of(reply).startswith("Beklager, kun gruppens administratorer")
    assert bot.services.store.subscriptions(GROUP) == []
    reply = await ask(tg, GROUP, "/subscribe@topicbot_test_bot nato", user_id=2)
    assert text_of(reply) == "Du følger nu: NATO."
    assert text_of(await ask(tg, GROUP, "/pause", user_id=3)).startswith("Beklager")
    assert text_of(await ask(tg, GROUP, "/stop", user_id=3)).startswith("Beklager")
    assert text_of(await ask(tg, GROUP, "/mysubs", user_id=3)) == "Du følger: NATO."
    assert text_of(await ask(tg, GROUP, "/unsubscribe nato", user_id=1)).startswith("Du følger")
    chat = bot.services.store.get_chat(GROUP)
    assert chat is not None and chat.kind == "group"


@pytest.mark.asyncio
async def test_channel_posts_are_commands_from_the_channel(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    tg.add_chat(CHANNEL, "channel", title="Nyhedskanal")
    before = len(tg.sent_messages(CHANNEL))
    tg.send_channel_post(CHANNEL, "/subscribe afghanistan")
    (reply,) = (await tg.wait_for_messages_async(before + 1, CHANNEL))[before:]
    assert text_of(reply) == "Du følger nu: Afghanistan."
    chat = bot.services.store.get_chat(CHANNEL)
    assert chat is not None and chat.kind == "channel" and chat.title == "Nyhedskanal"


# --- buttons -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_inline_toggle_edits_the_keyboard(tg: TelegramStandin, bot: TelegramBot) -> None:
    reply = await ask(tg, USER, "/start")
    tg.press_button(USER, reply.message_id, "tp:COVID-19")
    await wait_until(lambda: len(tg.edits(USER)) == 1)
    assert buttons(tg.message(USER, reply.message_id))[1] == ("✅ Covid-19", "tp:COVID-19")
    assert bot.services.store.subscriptions(USER) == ["COVID-19"]
    await wait_until(lambda: len(tg.answered_callbacks) == 1)
    assert tg.answered_callbacks[0]["text"] == "Du følger nu Covid-19"
    tg.press_button(USER, reply.message_id, "tp:COVID-19")
    await wait_until(lambda: len(tg.edits(USER)) == 2)
    assert buttons(tg.message(USER, reply.message_id))[1] == ("▫️ Covid-19", "tp:COVID-19")
    assert bot.services.store.subscriptions(USER) == []
    assert len(tg.sent_messages(USER)) == 1  # edited in place, no new messages


@pytest.mark.asyncio
async def test_group_toggle_by_non_admin_is_refused(tg: TelegramStandin, bot: TelegramBot) -> None:
    tg.set_admins(GROUP, [1])
    reply = await ask(tg, GROUP, "/start", user_id=3, chat_type="group")
    tg.press_button(GROUP, reply.message_id, "tp:NATO", user_id=3)
    await wait_until(lambda: len(tg.answered_callbacks) == 1)
    assert tg.answered_callbacks[0]["text"].startswith("Beklager")
    assert bot.services.store.subscriptions(GROUP) == [] and tg.edits(GROUP) == []
    tg.press_button(GROUP, reply.message_id, "tp:NATO", user_id=1)
    await wait_until(lambda: len(tg.edits(GROUP)) == 1)
    assert bot.services.store.subscriptions(GROUP) == ["NATO"]


@pytest.mark.asyncio
async def test_forged_feedback_and_toggle_buttons_are_ignored(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    await ask(tg, USER, "/start")
    bot.services.store.ensure_chat(202)
    victim_alert = queue_alert(bot, 202)
    # A client can send any callback data for a message with a keyboard: forge one in USER's
    # chat naming chat 202's alert, plus a toggle for a topic that does not exist.
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("👎", callback_data=f"fb:down:{victim_alert}")],
            [InlineKeyboardButton("x", callback_data="tp:DROP TABLE")],
            [InlineKeyboardButton("y", callback_data="fb:down:-1")],
            [InlineKeyboardButton("z", callback_data="zz")],
        ]
    )
    forged = await bot.application.bot.send_message(USER, "forged", reply_markup=markup)
    for data in (f"fb:down:{victim_alert}", "tp:DROP TABLE", "fb:down:-1", "zz"):
        tg.press_button(USER, forged.message_id, data)
    await wait_until(lambda: len(tg.answered_callbacks) == 4)
    assert bot.services.store.feedback_labels() == []
    assert bot.services.store.subscriptions(USER) == []
    assert [a["text"] for a in tg.answered_callbacks[:3]] == ["Den knap virker ikke længere."] * 3


# --- operator commands and the command menu -----------------------------------------------


@pytest.mark.asyncio
async def test_status_only_for_operators(
    tg: TelegramStandin, feeds: FeedServer, bot: TelegramBot
) -> None:
    assert "kun for botens operatører" in text_of(await ask(tg, USER, "/status"))
    await ask(tg, USER, "/subscribe nato")
    await wait_until(lambda: bot.services.store.source_state("DR Seneste").last_success)
    status = text_of(await ask(tg, OPERATOR, "/status"))
    assert "• DR Seneste: sidst OK" in status and "(1 emner)" in status
    assert "• indbakke:" in status
    assert "Udbakke: 0 venter" in status
    assert "• NATO: 1" in status and "• Covid-19: 0" in status
    await ask(tg, OPERATOR, "/lang en")
    assert "Outbox: 0 waiting" in text_of(await ask(tg, OPERATOR, "/status"))
    feeds.error(FEED_PATH, 500)
    await wait_until(lambda: bot.services.store.source_state("DR Seneste").failures)
    status = text_of(await ask(tg, OPERATOR, "/status"))
    assert "• DR Seneste: last OK" in status and "; error " in status and "500" in status


@pytest.mark.asyncio
async def test_reload_applies_new_topics_and_keeps_running_on_errors(
    tg: TelegramStandin, bot: TelegramBot, config_path: Path
) -> None:
    assert "kun for botens operatører" in text_of(await ask(tg, USER, "/reload"))
    good = config_path.read_text(encoding="utf-8")
    config_path.write_text(good.replace("feeds:", "  - oops\nfeeds:\n  - {}"), encoding="utf-8")
    reply = text_of(await ask(tg, OPERATOR, "/reload"))
    assert reply.startswith("Konfigurationen er ugyldig") and "(line " in reply
    assert len(bot.config.topics) == 3
    new_folder = config_path.parent / "klima"
    new_folder.mkdir()
    config_path.write_text(
        good.replace(
            "feeds:",
            "  - id: Klima\n    name: {da: Klima, en: Climate}\n    keywords: [klima*]\nfeeds:",
        ).replace(
            "folders:",
            f"folders:\n  - name: klima\n    path: {new_folder}\n    interval: 1s",
        ),
        encoding="utf-8",
    )
    reply = text_of(await ask(tg, OPERATOR, "/reload"))
    assert reply.startswith("Konfigurationen er genindlæst: 4 emner, 1 feeds, 2 mapper")
    assert text_of(await ask(tg, USER, "/subscribe klima")) == "Du følger nu: Klima."
    assert [t for t, _ in buttons(await ask(tg, USER, "/topics"))][-1] == "✅ Klima"
    assert bot.topic_names["en"]["Klima"] == "Climate"
    # The new folder is polled and the new topic matched, without a restart.
    drop_file(new_folder, "klima.txt", "Klimaforandringerne rammer de danske kyster. Mere tekst.")
    alerts = await tg.wait_for_messages_async(len(tg.sent_messages(USER)) + 1, USER, timeout=10)
    assert "Klimaforandringerne rammer" in text_of(alerts[-1])


@pytest.mark.asyncio
async def test_command_menu_published_in_both_languages(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    default = tg.commands()
    da = tg.commands(language_code="da")
    en = tg.commands(language_code="en")
    assert [c["command"] for c in default] == [
        "start",
        "topics",
        "subscribe",
        "unsubscribe",
        "mysubs",
        "digest",
        "quiet",
        "watch",
        "unwatch",
        "test",
        "stats",
        "pause",
        "resume",
        "lang",
        "help",
        "stop",
    ]
    assert default == da
    assert [c["command"] for c in en] == [c["command"] for c in da]
    assert en[2]["description"].startswith("Follow topics")
    assert da[2]["description"].startswith("Følg emner")
    operator = tg.commands({"type": "chat", "chat_id": OPERATOR}, language_code="en")
    assert [c["command"] for c in operator][-2:] == ["status", "reload"]
    assert operator[-1]["description"] == "Reload the config (operator)"


# --- the bot's own membership -------------------------------------------------------------


@pytest.mark.asyncio
async def test_blocked_bot_stops_alerts_and_start_brings_them_back(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    await ask(tg, USER, "/subscribe nato")
    store = bot.services.store
    tg.remove_bot(USER)
    await wait_until(lambda: not store.get_chat(USER).active)  # type: ignore[union-attr]
    assert store.subscribers_for(["NATO"]) == {}
    tg.restore_bot(USER)
    await ask(tg, USER, "/start")
    assert store.subscribers_for(["NATO"]) == {USER: ["NATO"]}


@pytest.mark.asyncio
async def test_group_upgrade_moves_subscriptions(tg: TelegramStandin, bot: TelegramBot) -> None:
    tg.set_admins(GROUP, [1])
    await ask(tg, GROUP, "/subscribe covid-19", user_id=1, chat_type="group")
    new_id = -1009999
    tg.migrate_chat(GROUP, new_id)
    store = bot.services.store
    await wait_until(lambda: store.get_chat(new_id) is not None)
    assert store.subscriptions(new_id) == ["COVID-19"] and store.get_chat(GROUP) is None


def test_every_text_exists_in_both_languages_and_every_command_is_described() -> None:
    from bot import i18n
    from bot.telegram.handlers.registry import COMMANDS

    assert i18n.has_all_languages()
    assert all(f"cmd_{c.name}" in i18n.keys() for c in COMMANDS)
    assert i18n.t("en", "unknown_topic", unknown="<x>", valid="a & b") == (
        "Unknown topic: &lt;x&gt;. Valid topics: a &amp; b."
    )


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        (
            "https://api.telegram.org/bot",
            ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ),
        (
            "http://127.0.0.1:8081/bot/",
            ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ),
        ("http://tg.local:8081", ("http://tg.local:8081/bot", "http://tg.local:8081/file/bot")),
        ("http://h/api/bot", ("http://h/api/bot", "http://h/api/file/bot")),
    ],
)
def test_api_url_gives_base_and_file_urls(api_url: str, expected: tuple[str, str]) -> None:
    assert api_urls(api_url) == expected
