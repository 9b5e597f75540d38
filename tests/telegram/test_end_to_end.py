"""The issue's scenario on real parts, and the guarantees around the running process.

A user subscribes in Telegram (the stand-in), a loopback feed publishes a Danish article, and
the alert arrives in that chat within seconds, only there; a 👎 on it is stored. Around it:
one instance per token (lock file, 409 Conflict), a clean stop on SIGTERM, and a token that
never reaches the logs.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bot import exitcodes
from bot.cli import main
from bot.config import load_config
from bot.errors import ConfigError
from bot.instance_lock import InstanceLock
from bot.store import Store
from bot.telegram.app import TelegramBot, run_telegram
from tests.standins.feed_server import FeedServer
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import FEED_PATH, OPERATOR, TOKEN, ask, drop_file, rss, wait_until

ROOT = Path(__file__).resolve().parents[2]
NATO_TITLE = "Nato sender flere soldater til Baltikum"
COVID_TITLE = "Coronasmitten stiger igen på plejehjemmene"


@pytest.mark.asyncio
async def test_subscriber_gets_the_alert_within_seconds_and_feedback_is_stored(
    tg: TelegramStandin, feeds: FeedServer, bot: TelegramBot
) -> None:
    nato_fan, covid_fan = 101, 202
    assert (await ask(tg, nato_fan, "/subscribe nato")).plain_text == "Du følger nu: NATO."
    await ask(tg, covid_fan, "/subscribe covid-19")
    store = bot.services.store
    await wait_until(lambda: store.source_state("DR Seneste").polled_before)  # old items seen

    published = time.monotonic()
    feeds.set_body(
        FEED_PATH,
        rss([("n1", NATO_TITLE), ("c1", COVID_TITLE), ("old1", "Vejret bliver gråt")]),
    )
    alerts = await tg.wait_for_messages_async(2, nato_fan, timeout=10)
    assert time.monotonic() - published < 5
    alert = alerts[1]
    assert NATO_TITLE in (alert.plain_text or "") and alert.parse_mode == "HTML"
    covid_alerts = await tg.wait_for_messages_async(2, covid_fan, timeout=10)
    assert COVID_TITLE in (covid_alerts[1].plain_text or "")
    await wait_until(lambda: store.pending_count() == 0)  # the poll queued nothing else
    assert [COVID_TITLE in (m.plain_text or "") for m in tg.sent_messages(nato_fan)] == [
        False,
        False,
    ]
    assert len(tg.sent_messages(nato_fan)) == 2

    down = next(
        b["callback_data"]
        for row in alert.reply_markup["inline_keyboard"]  # type: ignore[index]
        for b in row
        if b["callback_data"].startswith("fb:down:")
    )
    tg.press_button(nato_fan, alert.message_id, down)
    await wait_until(lambda: tg.answered_callbacks)
    assert tg.answered_callbacks[-1]["text"] == "Tak for din feedback"
    ((article_id, labels),) = store.feedback_labels()
    assert labels == {"NATO": False}
    article = store.get_article(article_id)
    assert article is not None and article.title == NATO_TITLE


@pytest.mark.asyncio
async def test_text_folder_article_reaches_a_group(
    tg: TelegramStandin, bot: TelegramBot, tmp_path: Path
) -> None:
    group = -7001
    tg.set_admins(group, [1])
    await ask(tg, group, "/subscribe afghanistan", user_id=1, chat_type="group")
    drop_file(tmp_path / "indbakke", "kabul.txt", "Taliban rykker ind i Kabul. Flere flygter.")
    alerts = await tg.wait_for_messages_async(2, group, timeout=10)
    assert "Taliban rykker ind i Kabul." in (alerts[1].plain_text or "")


def test_once_delivers_to_telegram(
    tg: TelegramStandin, config_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`topicbot once` with the token set: poll once, send through the same sender, exit."""
    with Store.open(load_config(config_path).db_path) as store:
        store.ensure_chat(303)
        store.subscribe(303, ["Afghanistan"])
    drop_file(tmp_path / "indbakke", "kabul.txt", "Taliban rykker ind i Kabul. Flere flygter.")
    monkeypatch.setenv("TOPICBOT_TEST_TOKEN", TOKEN)
    assert main(["once", "--config", str(config_path)]) == exitcodes.OK
    (alert,) = tg.sent_messages(303)
    assert "Taliban rykker ind i Kabul." in (alert.plain_text or "")
    assert main(["once", "--config", str(config_path)]) == exitcodes.OK
    assert len(tg.sent_messages(303)) == 1  # sent once, marked sent


# --- one instance per token ---------------------------------------------------------------


def _topicbot(config: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TOPICBOT_TEST_TOKEN": TOKEN, "TOPICBOT_LOG_LEVEL": "INFO"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_second_run_exits_with_conflict_and_first_stops_cleanly(
    tg: TelegramStandin, config_path: Path
) -> None:
    first = _topicbot(config_path)
    try:
        tg.wait_for(lambda: tg.method_counts().get("getUpdates", 0) >= 1, timeout=30)
        tg.send_user_message(OPERATOR, "/subscribe nato")
        tg.wait_for_messages(1, OPERATOR, timeout=10)
        get_me = tg.method_counts()["getMe"]

        second = _topicbot(config_path)
        _, err = second.communicate(timeout=30)
        assert second.returncode == exitcodes.CONFLICT
        assert "another topicbot instance is running" in err
        assert tg.method_counts()["getMe"] == get_me  # it never talked to Telegram
        assert first.poll() is None

        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=30)
        assert first.returncode == exitcodes.OK, err
        assert "stopped cleanly" in err
        assert TOKEN not in err
    finally:
        for proc in (first,):
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    with Store.open(load_config(config_path).db_path) as store:
        assert store.subscriptions(OPERATOR) == ["NATO"]


def test_conflict_from_telegram_stops_with_exit_code_5(
    tg: TelegramStandin, config_path: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An instance on another machine (its own database) polls the same token."""
    other = load_config(config_path)
    stop = threading.Event()

    def competitor() -> None:
        url = f"{tg.base_url}{TOKEN}/getUpdates?timeout=1"
        while not stop.is_set():
            try:
                urllib.request.urlopen(url, timeout=5).read()
            except OSError:
                time.sleep(0.05)  # 409s from our bot's polls; keep competing

    thread = threading.Thread(target=competitor, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.ERROR):
            started = time.monotonic()
            code = run_telegram(other, TOKEN, config_path=config_path)
        assert code == exitcodes.CONFLICT
        assert time.monotonic() - started < 20
        assert "another instance is polling this bot token" in caplog.text
    finally:
        stop.set()
        thread.join(timeout=10)


def test_rejected_token_is_a_configuration_error(tg: TelegramStandin, config_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"TOPICBOT_TEST_TOKEN was rejected"):
        run_telegram(load_config(config_path), "999:not-the-token", config_path=config_path)
    # Everything was released: the next start with the right token takes the lock.
    with Store.open(load_config(config_path).db_path):
        pass
    assert InstanceLock(load_config(config_path).db_path).acquire()


@pytest.mark.asyncio
async def test_start_waits_for_an_unreachable_telegram(
    tg: TelegramStandin, config_path: Path
) -> None:
    tg.down("bad_gateway", seconds=1.5)
    started = time.monotonic()
    async with TelegramBot(
        load_config(config_path), TOKEN, config_path=config_path, poll_timeout=1
    ):
        assert time.monotonic() - started >= 1.0
        assert (await ask(tg, 101, "/mysubs")).plain_text is not None


# --- the token never reaches the logs -----------------------------------------------------


@pytest.mark.asyncio
async def test_token_never_appears_in_logs(
    tg: TelegramStandin, feeds: FeedServer, config_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "apscheduler", "bot"):
        caplog.set_level(logging.DEBUG, logger=name)
    tg.fail_next(None, "server_error", 1, method="getUpdates")  # an error path too
    async with TelegramBot(
        load_config(config_path), TOKEN, config_path=config_path, poll_timeout=1
    ) as bot:
        await ask(tg, 101, "/subscribe nato")
        await wait_until(lambda: bot.services.store.source_state("DR Seneste").polled_before)
        feeds.set_body(FEED_PATH, rss([("n2", NATO_TITLE)]))
        await tg.wait_for_messages_async(2, 101, timeout=10)
        await ask(tg, OPERATOR, "/status")
    records = caplog.records
    assert len(records) > 50
    for record in records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in (record.exc_text or "")
    assert TOKEN not in caplog.text
    assert any("<token>" in r.getMessage() for r in records)  # URLs were logged, redacted
