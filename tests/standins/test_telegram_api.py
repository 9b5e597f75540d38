"""The Telegram stand-in, exercised through real PTB so its errors map like Telegram's do."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.standins.telegram_api import RemoteStandin, TelegramStandin
from tests.standins.telegram_state import parse_html

TOKEN = "123456:TEST-TOKEN"
# PTB itself reads RetryAfter.retry_after while building the exception, which warns.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tg() -> Iterator[TelegramStandin]:
    with TelegramStandin(TOKEN) as standin:
        yield standin


def make_bot(tg: TelegramStandin, token: str = TOKEN) -> Bot:
    return Bot(token, base_url=tg.base_url, base_file_url=tg.base_file_url)


def retry_seconds(err: RetryAfter) -> float:
    """PTB 22 gives int or timedelta depending on PTB_TIMEDELTA (and warns); accept both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = err.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def build_app(tg: TelegramStandin) -> Application:  # type: ignore[type-arg]
    return (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .build()
    )


# --- plain Bot API calls ---------------------------------------------------------------


@pytest.mark.asyncio
async def test_get_me_and_send_message_recorded(tg: TelegramStandin) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Stop", callback_data="stop:1")]])
    async with make_bot(tg) as bot:
        me = await bot.get_me()
        assert (me.id, me.is_bot, me.username) == (123456, True, "topicbot_test_bot")
        first = await bot.send_message(
            42,
            "<b>Nyhed</b> &amp; mere",
            parse_mode="HTML",
            reply_markup=markup,
            disable_notification=True,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        second = await bot.send_message(42, "to")
        other = await bot.send_message(-77, "gruppe")
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.text == "Nyhed & mere" and first.entities[0].type == "bold"
    assert first.reply_markup == markup and first.chat.type == "private"
    assert other.chat.type == "group"
    sent = tg.sent_messages(42)
    assert [m.text for m in sent] == ["<b>Nyhed</b> &amp; mere", "to"]
    assert sent[0].parse_mode == "HTML" and sent[0].plain_text == "Nyhed & mere"
    assert sent[0].disable_notification and sent[0].link_preview_options == {"is_disabled": True}
    assert sent[0].reply_markup == {
        "inline_keyboard": [[{"text": "Stop", "callback_data": "stop:1"}]]
    }
    assert len(tg.sent_messages()) == 3
    assert tg.method_counts()["sendMessage"] == 3


@pytest.mark.asyncio
async def test_unknown_token_and_unknown_method(tg: TelegramStandin) -> None:
    with pytest.raises(InvalidToken):
        async with make_bot(tg, "999:WRONG"):
            pass
    async with make_bot(tg) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("fooBar")
    with pytest.raises(urllib.error.HTTPError) as raw:
        urllib.request.urlopen(f"{tg.base_url}{TOKEN}/fooBar", data=b"")
    assert json.loads(raw.value.read()) == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found",
    }


@pytest.mark.asyncio
async def test_json_body_and_commands_per_scope_and_language(tg: TelegramStandin) -> None:
    async with make_bot(tg) as bot:
        await bot.set_my_commands([("start", "Start"), ("topics", "Emner")], language_code="da")
        await bot.set_my_commands([("start", "Begin")])
        assert [c.command for c in await bot.get_my_commands(language_code="da")] == [
            "start",
            "topics",
        ]
        with pytest.raises(BadRequest):
            await bot.set_my_commands([("Bad-Name", "x")])
    assert tg.commands(language_code="da")[1] == {"command": "topics", "description": "Emner"}
    assert tg.commands() == [{"command": "start", "description": "Begin"}]
    request = urllib.request.Request(
        f"{tg.base_url}{TOKEN}/sendMessage",
        data=json.dumps({"chat_id": 9, "text": "x"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["result"]["chat"]["id"] == 9


@pytest.mark.asyncio
async def test_photo_upload_edit_delete_and_admins(tg: TelegramStandin) -> None:
    tg.add_chat(-100500, "supergroup", title="Redaktionen", admins=[7, 8])
    image = b"\x89PNG\r\n\x1a\n\r\n--not-a-boundary\x00"
    async with make_bot(tg) as bot:
        photo = await bot.send_photo(5, image, caption="<i>Graf</i>", parse_mode="HTML")
        file = await bot.get_file(photo.photo[-1].file_id)
        assert bytes(await file.download_as_bytearray()) == image
        assert photo.caption == "Graf" and tg.sent_messages(5)[0].method == "sendPhoto"
        msg = await bot.send_message(5, "før")
        edited = await bot.edit_message_text("efter", 5, msg.message_id)
        assert edited.text == "efter" and edited.edit_date is not None
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("efter", 5, msg.message_id)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="y")]])
        with_markup = await bot.edit_message_reply_markup(5, msg.message_id, reply_markup=keyboard)
        assert with_markup.reply_markup == keyboard and with_markup.text == "efter"
        await bot.delete_message(5, msg.message_id)
        with pytest.raises(BadRequest, match="not found"):
            await bot.delete_message(5, msg.message_id)
        assert (await bot.get_chat_member(-100500, 7)).status == "creator"
        assert (await bot.get_chat_member(-100500, 8)).status == "administrator"
        assert (await bot.get_chat_member(-100500, 9)).status == "member"
        admins = await bot.get_chat_administrators(-100500)
        assert [a.user.id for a in admins] == [7, 8]
        chat = await bot.get_chat(-100500)
        assert (chat.type, chat.title) == ("supergroup", "Redaktionen")
    assert [e.method for e in tg.edits(5)] == ["editMessageText", "editMessageReplyMarkup"]
    assert tg.edits(5)[0].plain_text == "efter" and tg.deleted_messages == [(5, 2)]
    assert tg.sent_messages(5)[0].photo == image


@pytest.mark.asyncio
async def test_strict_chats_and_unknown_fault_kind() -> None:
    with TelegramStandin(TOKEN, strict_chats=True) as tg:
        tg.add_chat(-300, "channel", username="nyheder")
        async with make_bot(tg) as bot:
            with pytest.raises(BadRequest, match="Chat not found"):
                await bot.send_message(31337, "x")
            message = await bot.send_message("@nyheder", "via username")
        assert message.chat.id == -300 and message.chat.type == "channel"
        with pytest.raises(ValueError):
            tg.fail_next(1, "explode")  # type: ignore[arg-type]


# --- faults --------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "kwargs", "error", "match"),
    [
        ("blocked", {}, Forbidden, "blocked by the user"),
        ("kicked", {}, Forbidden, "kicked from the group chat"),
        ("bad_request", {"description": "chat not found"}, BadRequest, "Chat not found"),
        ("server_error", {"status": 502}, NetworkError, "Bad Gateway"),
        ("server_error", {}, NetworkError, "Internal Server Error"),
        ("drop", {}, NetworkError, "disconnected"),
    ],
)
async def test_fault_maps_to_ptb_exception(
    tg: TelegramStandin, kind: str, kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    tg.fail_next(-5, kind, **kwargs)  # type: ignore[arg-type]
    async with make_bot(tg) as bot:
        with pytest.raises(error, match=match):
            await bot.send_message(-5, "x")
        await bot.send_message(-5, "x")  # count=1: the next one goes through
    assert len(tg.sent_messages(-5)) == 1


@pytest.mark.asyncio
async def test_retry_after_slow_and_method_filter(tg: TelegramStandin) -> None:
    tg.fail_next(42, "retry_after", seconds=5)
    tg.fail_next(None, "slow", seconds=0.6, method="sendMessage")
    async with make_bot(tg) as bot:
        with pytest.raises(RetryAfter) as err:
            await bot.send_message(42, "x")
        assert retry_seconds(err.value) == 5
        await bot.get_me()  # the slow fault only matches sendMessage
        with pytest.raises(TimedOut):
            await bot.send_message(42, "langsom", read_timeout=0.2)
    tg.wait_for_messages(1, 42)  # like Telegram, a timed-out request may still be delivered


@pytest.mark.asyncio
async def test_migration_is_sticky_until_new_id_used(tg: TelegramStandin) -> None:
    tg.fail_next(-5, "migrate", new_chat_id=-1001234)
    async with make_bot(tg) as bot:
        for _ in range(2):
            with pytest.raises(ChatMigrated) as err:
                await bot.send_message(-5, "x")
            assert err.value.new_chat_id == -1001234
        message = await bot.send_message(-1001234, "x")
    assert message.chat.type == "supergroup"


@pytest.mark.asyncio
async def test_remove_bot_sends_my_chat_member_and_403(tg: TelegramStandin) -> None:
    tg.remove_bot(42)
    async with make_bot(tg) as bot:
        (update,) = await bot.get_updates()
        assert update.my_chat_member.new_chat_member.status == "kicked"
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(42, "x")
        tg.restore_bot(42)
        await bot.send_message(42, "x")


def test_html_validation_like_telegram() -> None:
    assert parse_html(html.escape("a < b & c > d")) == ("a < b & c > d", [])
    assert parse_html("AT&T &nbsp;")[0] == "AT&T &nbsp;"
    text, entities = parse_html('<a href="https://dr.dk/?a=1&amp;b=2">DR</a> 😀<b>x</b>')
    assert text == "DR 😀x"
    assert entities == [
        {"type": "text_link", "url": "https://dr.dk/?a=1&b=2", "offset": 0, "length": 2},
        {"type": "bold", "offset": 5, "length": 1},  # the emoji is 2 UTF-16 units
    ]
    assert parse_html('<pre><code class="language-py">x</code></pre>')[1] == [
        {"type": "pre", "language": "py", "offset": 0, "length": 1}
    ]
    for bad in ["<b>unclosed", "a < b", "<foo>x</foo>", "<b>x</i>", "x</b>", "<span>x</span>"]:
        with pytest.raises(Exception, match="can't parse entities"):
            parse_html(bad)


@pytest.mark.asyncio
async def test_html_errors_and_length_through_ptb(tg: TelegramStandin) -> None:
    async with make_bot(tg) as bot:
        with pytest.raises(BadRequest, match="(?i)can't parse entities"):
            await bot.send_message(1, "<b>unclosed", parse_mode="HTML")
        ok = await bot.send_message(1, html.escape("<script> & co"), parse_mode="HTML")
        assert ok.text == "<script> & co"
        # 4096 characters *after* parsing is fine even though the HTML is longer
        await bot.send_message(1, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(1, "&amp;" * 4097, parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(1, "<b></b>", parse_mode="HTML")


# --- rate limits, outages, conflicts ---------------------------------------------------


@pytest.mark.asyncio
async def test_global_rate_limit_answers_429() -> None:
    with TelegramStandin(TOKEN, rate_limit_per_s=10) as tg:
        async with make_bot(tg) as bot:
            results = await asyncio.gather(
                *(bot.send_message(100 + i, "x") for i in range(25)), return_exceptions=True
            )
    limited = [r for r in results if isinstance(r, RetryAfter)]
    assert 10 <= len(results) - len(limited) <= 12
    assert len(limited) == tg.rate_limited_count
    assert all(retry_seconds(r) >= 1 for r in limited)


@pytest.mark.asyncio
async def test_per_chat_rate_limits() -> None:
    with TelegramStandin(TOKEN, private_chat_limit_per_s=1, group_limit_per_min=20) as tg:
        async with make_bot(tg) as bot:
            await bot.send_message(1, "a")
            with pytest.raises(RetryAfter):
                await bot.send_message(1, "b")
            await bot.send_message(2, "another private chat is independent")
            for _ in range(20):
                await bot.send_message(-3, "group burst")
            with pytest.raises(RetryAfter):
                await bot.send_message(-3, "21st in a minute")
    assert tg.rate_limited_count == 2


@pytest.mark.asyncio
async def test_down_refuses_connections_and_up_restores(tg: TelegramStandin) -> None:
    async with make_bot(tg) as bot:
        port = tg.port
        tg.down()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        with pytest.raises(NetworkError):
            await bot.get_me()
        tg.up()
        assert tg.port == port and (await bot.get_me()).id == 123456
        tg.down("bad_gateway")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.get_me()
        tg.up()
        await bot.send_message(1, "back")


@pytest.mark.asyncio
async def test_down_with_seconds_comes_back_by_itself(tg: TelegramStandin) -> None:
    async with make_bot(tg) as bot:
        tg.down(seconds=0.3)
        with pytest.raises(NetworkError):
            await bot.get_me()
        await asyncio.sleep(0.5)
        await bot.get_me()


@pytest.mark.asyncio
async def test_concurrent_get_updates_conflict(tg: TelegramStandin) -> None:
    async with make_bot(tg) as first, make_bot(tg) as second:
        earlier = asyncio.create_task(first.get_updates(timeout=5))
        while tg.method_counts().get("getUpdates", 0) < 1:
            await asyncio.sleep(0.01)
        later = asyncio.create_task(second.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await earlier
        assert await later == ()


# --- user activity through getUpdates and a real Application ------------------------------


@pytest.mark.asyncio
async def test_injected_updates_have_real_shapes(tg: TelegramStandin) -> None:
    tg.send_user_message(
        -100, "/subscribe@topicbot_test_bot politik", user_id=5, chat_type="supergroup"
    )
    tg.send_user_message(11, None, media="sticker")
    tg.send_user_message(11, "billede", media="photo")
    post = tg.send_channel_post(-200, "kanal")
    tg.edit_user_message(-200, post["message_id"], "rettet")
    async with make_bot(tg) as bot:
        updates = await bot.get_updates()
        command, sticker, photo, channel, edited = updates
        assert command.message.text.startswith("/subscribe@")
        assert command.message.entities[0].type == "bot_command"
        assert command.message.entities[0].length == len("/subscribe@topicbot_test_bot")
        assert command.effective_user.id == 5 and command.effective_chat.type == "supergroup"
        assert sticker.message.sticker is not None and sticker.message.text is None
        assert photo.message.photo and photo.message.caption == "billede"
        assert channel.channel_post.text == "kanal" and channel.channel_post.from_user is None
        assert edited.edited_channel_post.text == "rettet"
        assert len(tg.pending_updates()) == 5
        await bot.get_updates(offset=updates[-1].update_id + 1)
        assert tg.pending_updates() == []
        tg.send_user_message(11, "hej")
        assert await bot.get_updates(allowed_updates=["callback_query"]) == ()


@pytest.mark.asyncio
async def test_command_and_button_through_application_polling(tg: TelegramStandin) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Politik", callback_data="t:1")]])
        await update.message.reply_text(f"args={context.args}", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer(f"valgt {update.callback_query.data}")

    app = build_app(tg)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        tg.send_user_message(42, "/start hej")
        (reply,) = await tg.wait_for_messages_async(1, chat_id=42)
        assert reply.text == "args=['hej']"
        tg.press_button(42, reply.message_id, "t:1")
        with pytest.raises(ValueError):
            tg.press_button(42, reply.message_id, "not-offered")
        while not tg.answered_callbacks:
            await asyncio.sleep(0.01)
        await app.updater.stop()
        await app.stop()
    assert tg.answered_callbacks[0]["text"] == "valgt t:1"
    assert tg.pending_updates() == []  # PTB confirmed everything on shutdown


def test_sync_usage_and_standalone_process() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.standins.telegram_api", "--port", "0", "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/bot")
        remote = RemoteStandin(url)
        remote.send_user_message(chat_id=5, text="/start")

        async def echo() -> None:
            async with Bot(TOKEN, base_url=url) as bot:
                (update,) = await bot.get_updates()
                assert update.message is not None
                await bot.send_message(update.message.chat_id, "svar")

        asyncio.run(echo())
        (sent,) = remote.wait_for_messages(n=1, chat_id=5)
        assert sent["text"] == "svar" and remote.method_counts()["getUpdates"] == 1
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=5)
    assert TOKEN not in out + err and "TEST-TOKEN" not in out + err


def test_sliding_window_counts_any_second_a_bucket_refills() -> None:
    """Strict mode: 10 sends, then 0.6 s later 10 more would be 20 within a second; the
    token bucket (the old mode) had refilled 6 tokens by then and let 6 through."""
    from tests.standins.telegram_state import SlidingWindow, TokenBucket

    window, bucket = SlidingWindow(10, 1.0), TokenBucket(10, 10)
    bucket.stamp = 0.0
    for limiter in (window, bucket):
        for _ in range(10):
            assert limiter.wait_time(0.0) == 0
            limiter.take(0.0)
    assert window.wait_time(0.6) == pytest.approx(0.4)  # nothing until the first leaves
    assert bucket.wait_time(0.6) == 0  # refilled: would let a burst through
    assert window.wait_time(1.0) == 0
