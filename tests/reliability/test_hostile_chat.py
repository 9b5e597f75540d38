"""Hostile chat input through the real bot (`TelegramBot`, as `topicbot run` starts it) and the
Bot API stand-in: unknown commands and topics, huge and empty arguments, emoji, RTL and markup
in arguments, forged callback data, operator commands from everyone else, group commands from
non-administrators, edits, captions and stickers.

Every case gets either a clear answer (asserted word for word) or deliberate silence (proved by
a `/mysubs` sent right after: updates are handled in order, so if its answer is the next
message, nothing came before it). For every case:

- no handler failed: nothing logged at ERROR, no traceback, and no "cannot answer" warning
  (an answer Telegram refused would be silence by accident, not on purpose);
- the acting chat's settings changed only where the case says so;
- two bystander chats (a private chat and a group, both subscribed) are untouched: same
  settings, subscriptions and feedback, and not one message sent to them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import load_config
from bot.telegram.app import TelegramBot
from tests.standins.feed_server import FeedServer
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import (
    FEED_PATH,
    OPERATOR,
    TOKEN,
    queue_alert,
    rss,
    telegram_config,
    unspaced_gate,
    wait_until,
)

USER = 101
GROUP = -5001
GROUP_ADMIN, GROUP_MEMBER = 1, 3
#: Bystanders: must never be touched by what the acting chats do.
OTHER_USER = 909
OTHER_GROUP = -9090
BOT_NAME = "topicbot_test_bot"

VALID_DA = "Gyldige emner: NATO, Covid-19, Afghanistan."
UNKNOWN_COMMAND = "Den kommando kender jeg ikke. Se /help."
NOT_ADMIN = "Beklager, kun gruppens administratorer kan ændre indstillingerne her."
OPERATOR_ONLY = "Den kommando er kun for botens operatører."
TOO_MUCH = f"Det var for meget på én gang. {VALID_DA}"
BUTTON_GONE = "Den knap virker ikke længere."
TEXT_HINT = "Jeg forstår kun kommandoer. Prøv /topics eller /help."


# --- the real bot against the stand-in (fixtures kept here: tests/telegram's are not shared) --
# One bot for the whole module: every case leaves every chat's settings as they were (each
# case asserts that), so the cases cannot leak into each other, and a bot start is ~1 s.


@pytest.fixture(scope="module")
def tg() -> Iterator[TelegramStandin]:
    with TelegramStandin(TOKEN) as standin:
        yield standin


@pytest.fixture(scope="module")
def config_path(tmp_path_factory: pytest.TempPathFactory, tg: TelegramStandin) -> Path:
    tmp_path = tmp_path_factory.mktemp("hostile_chat")
    folder = tmp_path / "indbakke"
    folder.mkdir()
    with FeedServer() as feeds:  # only for its URL: nothing is published in these tests
        feeds.add(FEED_PATH, rss([]))
        feed_url = feeds.url(FEED_PATH)
    path = tmp_path / "config.yaml"
    text = telegram_config(
        feed_url, folder, tmp_path / "data" / "topicbot.sqlite3", tg.base_url, interval="1h"
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(config_path: Path, tg: TelegramStandin) -> AsyncIterator[TelegramBot]:
    async with TelegramBot(
        load_config(config_path),
        TOKEN,
        config_path=config_path,
        poll_timeout=1,
        gate=unspaced_gate(),
    ) as running:
        store = running.services.store
        store.ensure_chat(USER)
        store.subscribe(USER, ["NATO"])
        tg.set_admins(GROUP, [GROUP_ADMIN, 2])
        store.ensure_chat(GROUP, kind="group", title="Redaktionen")
        store.subscribe(GROUP, ["COVID-19"])
        store.ensure_chat(OTHER_USER, language="en")
        store.subscribe(OTHER_USER, ["NATO", "COVID-19"])
        store.ensure_chat(OTHER_GROUP, kind="group", title="Naboerne")
        store.subscribe(OTHER_GROUP, ["Afghanistan"])
        queue_alert(running, OTHER_USER)  # delivered: its feedback buttons are forgery bait
        assert running.delivery is not None
        running.delivery.wake()
        await tg.wait_for_messages_async(1, OTHER_USER, timeout=10)
        yield running


# --- helpers -----------------------------------------------------------------------------


def snapshot(bot: TelegramBot, chat_id: int) -> tuple[object, ...]:
    store = bot.services.store
    return (store.get_chat(chat_id), sorted(store.subscriptions(chat_id)))


def feedback(bot: TelegramBot) -> list[tuple[str, dict[str, bool]]]:
    return [(a, dict(labels)) for a, labels in bot.services.store.feedback_labels()]


@dataclass
class Outcome:
    """What the case produced: the acting chat and the texts it got back."""

    chat_id: int
    replies: list[str]
    callback_answers: list[str | None]


Action = Callable[[TelegramStandin, TelegramBot], Awaitable[Outcome]]


async def say(
    tg: TelegramStandin,
    chat_id: int,
    text: str | None,
    *,
    user_id: int | None = None,
    silent: bool = False,
    **kwargs: object,
) -> Outcome:
    """Post a message; collect the one answer, or prove there was none (`silent`)."""
    chat_type = "group" if chat_id < 0 else None
    before = len(tg.sent_messages(chat_id))
    tg.send_user_message(
        chat_id,
        text,
        user_id=user_id,
        chat_type=chat_type,
        **kwargs,  # type: ignore[arg-type]
    )
    if silent:
        # The probe comes from the same sender: in a group, a member may use /mysubs.
        tg.send_user_message(chat_id, "/mysubs", user_id=user_id, chat_type=chat_type)
    got = await tg.wait_for_messages_async(before + 1, chat_id, timeout=10)
    return Outcome(chat_id, [m.plain_text or "" for m in got[before:]], [])


def command(chat_id: int, text: str, *, user_id: int | None = None) -> Action:
    async def act(tg: TelegramStandin, bot: TelegramBot) -> Outcome:
        return await say(tg, chat_id, text, user_id=user_id)

    return act


def ignored(chat_id: int, text: str | None, *, user_id: int | None = None, **kw: object) -> Action:
    async def act(tg: TelegramStandin, bot: TelegramBot) -> Outcome:
        return await say(tg, chat_id, text, user_id=user_id, silent=True, **kw)

    return act


async def edited_to_stop(tg: TelegramStandin, bot: TelegramBot) -> Outcome:
    """A harmless message later edited into /stop: edits are not even fetched."""
    first = await say(tg, USER, "hej")  # the text hint
    message_id = tg.sent_messages(USER)[-1].message_id - 1  # ours precedes the hint
    tg.edit_user_message(USER, message_id, "/stop")
    probe = await say(tg, USER, None, media="sticker", silent=True)
    return Outcome(USER, first.replies + probe.replies, [])


def press(
    chat_id: int, data: str | Callable[[TelegramBot], str], *, user_id: int | None = None
) -> Action:
    """Press a button with forged callback data.

    A client may send any callback data for a message with a keyboard; the stand-in only
    lets a test press buttons that exist, so the bot is made to send a message carrying the
    forged button first (as if an altered client had produced it).
    """

    async def act(tg: TelegramStandin, bot: TelegramBot) -> Outcome:
        raw = data(bot) if callable(data) else data
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("👎", callback_data=raw)]])
        carrier = await bot.application.bot.send_message(chat_id, "x", reply_markup=markup)
        before_sent = len(tg.sent_messages(chat_id))
        before = len(tg.answered_callbacks)
        tg.press_button(chat_id, carrier.message_id, raw, user_id=user_id)
        await wait_until(lambda: len(tg.answered_callbacks) > before, timeout=10)
        probe = await say(tg, chat_id, None, user_id=user_id, media="sticker", silent=True)
        assert len(tg.sent_messages(chat_id)) == before_sent + 1  # only the probe's answer
        answers = [a["text"] for a in tg.answered_callbacks[before:]]
        return Outcome(chat_id, probe.replies, answers)

    return act


def other_chats_alert(bot: TelegramBot) -> str:
    """The 👎 data of the alert the bystander received."""
    outbox_id = next(
        i for i in range(1, 1000) if (bot.services.store.outbox_entry(i) or (0,))[0] == OTHER_USER
    )
    return f"fb:down:{outbox_id}"


@dataclass(frozen=True)
class Case:
    action: Action
    #: Expected texts in the acting chat, in order; SILENCE marks deliberate silence.
    replies: tuple[str, ...]
    #: Expected callback-query answers (button cases).
    answers: tuple[str | None, ...] = ()


def mysubs(topics: str) -> str:
    return f"Du følger: {topics}."


USER_SUBS = mysubs("NATO")
GROUP_SUBS = mysubs("Covid-19")
#: The answer to the silence probe: the next thing the chat saw.
SILENCE = USER_SUBS
GROUP_SILENCE = GROUP_SUBS

HUGE_WORDS = "/subscribe " + "nato " * 800  # 4,011 characters, just under Telegram's limit
CASES: dict[str, Case] = {
    # unknown commands
    "unknown command": Case(command(USER, "/frobnicate"), (UNKNOWN_COMMAND,)),
    "unknown command to this bot": Case(
        command(USER, f"/frobnicate@{BOT_NAME} now"), (UNKNOWN_COMMAND,)
    ),
    "command for another bot": Case(
        ignored(GROUP, "/subscribe@some_other_bot nato", user_id=GROUP_ADMIN), (GROUP_SILENCE,)
    ),
    "command in capitals": Case(command(USER, "/SUBSCRIBE NATO"), ("Du fulgte allerede: NATO.",)),
    "slash alone": Case(command(USER, "/"), (TEXT_HINT,)),
    # unknown topics
    "unknown topic": Case(command(USER, "/subscribe klima"), (f"Ukendt emne: klima. {VALID_DA}",)),
    "known and unknown topics: nothing half-done": Case(
        command(USER, "/subscribe covid-19 klima"), (f"Ukendt emne: klima. {VALID_DA}",)
    ),
    "unsubscribe unknown topic": Case(
        command(USER, "/unsubscribe vejret"), (f"Ukendt emne: vejret. {VALID_DA}",)
    ),
    # empty arguments
    "subscribe without topics": Case(
        command(USER, "/subscribe"),
        (f"Skriv hvilke emner, fx /subscribe nato. {VALID_DA}",),
    ),
    "unsubscribe without topics": Case(
        command(USER, "/unsubscribe"),
        ("Skriv hvilke emner, fx /unsubscribe nato. Du følger: NATO.",),
    ),
    "subscribe with only separators": Case(
        command(USER, "/subscribe , ;,"),
        (f"Skriv hvilke emner, fx /subscribe nato. {VALID_DA}",),
    ),
    "unsubscribe with only separators": Case(
        command(USER, "/unsubscribe ,,,"),
        ("Skriv hvilke emner, fx /unsubscribe nato. Du følger: NATO.",),
    ),
    "lang without argument": Case(command(USER, "/lang"), ("Brug /lang da eller /lang en.",)),
    "lang unknown": Case(command(USER, "/lang klingon"), ("Brug /lang da eller /lang en.",)),
    # huge arguments
    "huge argument list": Case(command(USER, HUGE_WORDS), (TOO_MUCH,)),
    "one huge word": Case(command(USER, "/subscribe " + "x" * 4000), (TOO_MUCH,)),
    "too many arguments": Case(command(USER, "/unsubscribe" + " nato" * 31), (TOO_MUCH,)),
    "huge emoji argument": Case(command(USER, "/subscribe " + "🦄" * 1500), (TOO_MUCH,)),
    # emoji, RTL, markup, invisible characters
    "emoji topic": Case(command(USER, "/subscribe 🦄🔥"), (f"Ukendt emne: 🦄🔥. {VALID_DA}",)),
    "RTL topic": Case(
        command(USER, "/subscribe مرحبا שלום"), (f"Ukendt emne: مرحبا, שלום. {VALID_DA}",)
    ),
    "RTL override around a real topic": Case(
        command(USER, "/unsubscribe \u202enato\u202c"),
        (f"Ukendt emne: \u202enato\u202c. {VALID_DA}",),
    ),
    "zero-width space inside a topic": Case(
        command(USER, "/subscribe na\u200bto"), (f"Ukendt emne: na\u200bto. {VALID_DA}",)
    ),
    "HTML in arguments is echoed, not parsed": Case(
        command(USER, "/subscribe <b>nato</b> &amp; <a href='x'>"),
        (f"Ukendt emne: <b>nato</b>, &amp, <a, href='x'>. {VALID_DA}",),  # ";" separates,
    ),
    # operator commands from others
    "status from a user": Case(command(USER, "/status"), (OPERATOR_ONLY,)),
    "reload from a user": Case(command(USER, "/reload"), (OPERATOR_ONLY,)),
    "status in a group, even from the operator's account": Case(
        command(GROUP, "/status", user_id=OPERATOR), (OPERATOR_ONLY,)
    ),
    # groups: settings are for administrators
    "group subscribe by a member": Case(
        command(GROUP, "/subscribe nato", user_id=GROUP_MEMBER), (NOT_ADMIN,)
    ),
    "group stop by a member": Case(command(GROUP, "/stop", user_id=GROUP_MEMBER), (NOT_ADMIN,)),
    "group lang by a member": Case(command(GROUP, "/lang en", user_id=GROUP_MEMBER), (NOT_ADMIN,)),
    "group pause by a member": Case(command(GROUP, "/pause", user_id=GROUP_MEMBER), (NOT_ADMIN,)),
    "group unsubscribe by a member": Case(
        command(GROUP, f"/unsubscribe@{BOT_NAME} covid-19", user_id=GROUP_MEMBER), (NOT_ADMIN,)
    ),
    "group chatter is ignored": Case(
        ignored(GROUP, "godmorgen, hvem har kaffe?", user_id=GROUP_MEMBER), (GROUP_SILENCE,)
    ),
    # edits and messages without text
    "edit into /stop": Case(edited_to_stop, (TEXT_HINT, SILENCE)),
    "sticker": Case(ignored(USER, None, media="sticker"), (SILENCE,)),
    "photo with a command caption": Case(ignored(USER, "/stop", media="photo"), (SILENCE,)),
    # forged callback data
    "feedback on another chat's alert": Case(
        press(USER, other_chats_alert), (SILENCE,), (BUTTON_GONE,)
    ),
    "feedback on an alert that does not exist": Case(
        press(USER, "fb:up:999999"), (SILENCE,), (BUTTON_GONE,)
    ),
    "feedback with a malformed id": Case(
        press(USER, "fb:down:-1 OR 1=1"), (SILENCE,), (BUTTON_GONE,)
    ),
    "toggle of a topic that does not exist": Case(
        press(USER, "tp:DROP TABLE chats"), (SILENCE,), (BUTTON_GONE,)
    ),
    "toggle of a real topic by a group member": Case(
        press(GROUP, "tp:NATO", user_id=GROUP_MEMBER), (GROUP_SILENCE,), (NOT_ADMIN,)
    ),
    "unknown button data": Case(press(USER, "zz" * 32), (SILENCE,), (None,)),
}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("name", list(CASES))
async def test_hostile_input_is_answered_or_ignored_on_purpose(
    name: str, tg: TelegramStandin, bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    case = CASES[name]
    caplog.set_level(logging.INFO)
    acting = {USER, GROUP}
    before = {chat: snapshot(bot, chat) for chat in (*acting, OTHER_USER, OTHER_GROUP)}
    sent_before = {chat: len(tg.sent_messages(chat)) for chat in (OTHER_USER, OTHER_GROUP)}
    feedback_before = feedback(bot)

    outcome = await case.action(tg, bot)

    assert outcome.replies == list(case.replies)
    assert outcome.callback_answers == list(case.answers)
    # Nobody else was touched.
    for chat in (OTHER_USER, OTHER_GROUP):
        assert snapshot(bot, chat) == before[chat], chat
        assert len(tg.sent_messages(chat)) == sent_before[chat], chat
    assert feedback(bot) == feedback_before
    # Nor the acting chats: every case is refused, ignored or a no-op.
    for chat in acting:
        assert snapshot(bot, chat) == before[chat], chat
    # No handler failed, and no answer was refused by Telegram.
    problems = [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info or "cannot answer" in r.getMessage()
    ]
    assert problems == [], [r.getMessage() for r in problems]
    assert "Traceback" not in caplog.text


def test_enough_cases() -> None:
    assert len(CASES) >= 20
