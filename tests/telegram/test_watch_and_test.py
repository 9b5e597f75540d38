"""/watch, /unwatch and /test through the real bot and the Bot API stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram.app import TelegramBot
from bot.watch import MAX_WORDS
from tests.standins.telegram_api import TelegramStandin
from tests.telegram.conftest import ask, drop_file, wait_until

USER = 303
OTHER = 404


def text(message: object) -> str:
    return getattr(message, "plain_text", None) or ""


@pytest.mark.asyncio
async def test_watch_word_alert_reaches_only_the_watching_chat(
    tg: TelegramStandin, bot: TelegramBot, config_path: Path
) -> None:
    reply = await ask(tg, USER, "/watch Lynetteholm")
    assert text(reply) == "Du får nu besked, når nyheder nævner »lynetteholm«."
    await ask(tg, OTHER, "/subscribe nato")  # follows a topic, not the word
    store = bot.services.store
    await wait_until(lambda: store.source_state("indbakke").polled_before, timeout=5)
    drop_file(
        config_path.parent / "indbakke",
        "lynetteholm.txt",
        "Borgerforslag om Lynetteholm når 50.000 underskrifter\n\nForslaget skal nu behandles.",
    )
    alerts = await tg.wait_for_messages_async(2, USER, timeout=10)
    alert = text(alerts[1])
    assert alert.startswith("🔔 »lynetteholm«")
    assert "Borgerforslag om Lynetteholm" in alert
    assert "Hvorfor: »lynetteholm« (dit ord)" in alert
    assert len(tg.sent_messages(OTHER)) == 1  # only the /subscribe answer


@pytest.mark.asyncio
async def test_watch_bounds_and_unwatch_answer_clearly(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    assert "Kun bogstaver" in text(await ask(tg, USER, "/watch .*"))
    assert "Kun bogstaver" in text(await ask(tg, USER, "/watch (a+)+$"))
    assert "Højst 50 tegn" in text(await ask(tg, USER, "/watch " + "a" * 51))
    assert "For kort" in text(await ask(tg, USER, "/watch x"))
    assert "/watch Lynetteholm" in text(await ask(tg, USER, "/watch"))
    store = bot.services.store
    assert store.watch_words(USER) == []
    store.ensure_chat(USER)
    for i in range(MAX_WORDS):
        store.add_watch_word(USER, f"ord{i}", limit=MAX_WORDS)
    assert f"allerede {MAX_WORDS} ord" in text(await ask(tg, USER, "/watch vindmølle*"))
    assert text(await ask(tg, USER, "/unwatch ORD3")) == "Du følger ikke længere: ord3."
    assert "Du følger ikke »nej«" in text(await ask(tg, USER, "/unwatch nej"))
    assert text(await ask(tg, USER, "/watch vindmølle*")).endswith("»vindmølle*«.")
    assert "Du følger allerede" in text(await ask(tg, USER, "/watch Vindmølle*"))
    assert text(await ask(tg, USER, "/unwatch alle")).startswith("Du følger ikke længere: ord0")
    assert store.watch_words(USER) == []


@pytest.mark.asyncio
async def test_test_command_lists_topics_scores_terms_and_watch_words(
    tg: TelegramStandin, bot: TelegramBot
) -> None:
    await ask(tg, USER, "/watch vilnius")
    reply = text(await ask(tg, USER, "/test Nato-topmøde i Vilnius"))
    lines = reply.splitlines()
    assert lines[0] == "Test (sprog: da)"
    assert lines[1] == "✅ NATO: 1.00 (nato)"
    assert "▫️ Covid-19: 0.00" in lines and "▫️ Afghanistan: 0.00" in lines
    assert "✅ »vilnius« (dit ord)" in lines
    nothing = text(await ask(tg, USER, "/test Vejret bliver gråt"))
    assert nothing.endswith("Ingen emner eller ord matcher.")
    norwegian = text(await ask(tg, USER, "/test Regjeringen vil øke avgiften på bensin"))
    assert norwegian.startswith("Test (sprog: no)")
    assert "Skriv en tekst" in text(await ask(tg, USER, "/test"))
    # Nothing was stored or queued by a dry run.
    assert bot.services.store.pending_count() == 0
