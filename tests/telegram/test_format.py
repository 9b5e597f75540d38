"""Alert formatting: escaping, links, time zone, snippet, limits, feedback buttons.

The HTML is checked with the Telegram stand-in's parser, which follows Telegram's own, so
"Telegram accepts it and shows the title intact" is what is asserted, not a string shape.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.article import Article
from bot.store import OutboxItem
from bot.telegram.format import (
    MAX_MESSAGE_UTF16,
    feedback_markup,
    format_alert,
    format_alert_plain,
    parse_feedback_data,
    truncate,
    utf16_len,
)
from classifiers.base import TopicScore
from tests.standins.telegram_state import parse_html

NAMES = {"nato": "NATO & forsvar", "klima": "Klima"}
HOSTILE = '<b>Røde & "blå"</b> </a> &amp; 🇩🇰 👍🏽 مرحبا עברית <script>'


def item(
    *,
    title: str = "Danmark sender fly til NATO-øvelse",
    text: str = "Forsvaret deltager i en stor øvelse i Østersøen.",
    link: str | None = "https://www.dr.dk/nyheder/indland/nato?a=1&b=2",
    published: datetime | None = datetime(2026, 4, 14, 12, 48, tzinfo=UTC),
    reasons: tuple[str, ...] = ("nato", "alliancen"),
    outbox_id: int = 42,
    source: str = "DR Nyheder",
) -> OutboxItem:
    article = Article(
        id="guid:DR:1", source=source, title=title, text=text, link=link, published=published
    )
    scores = (
        TopicScore("klima", 0.1, False, ("co2",)),
        TopicScore("nato", 0.9, True, reasons),
    )
    return OutboxItem(outbox_id, 10, article, ("nato",), scores, 0, "da")


def rendered(text: str) -> tuple[str, list[dict[str, object]]]:
    plain, entities = parse_html(text)  # raises like Telegram on bad markup
    assert utf16_len(plain) <= MAX_MESSAGE_UTF16
    return plain, entities


def test_danish_alert_layout_and_link() -> None:
    text, _ = format_alert(item(), NAMES, "da")
    plain, entities = rendered(text)
    assert plain.splitlines() == [
        "🔔 NATO & forsvar",
        "Danmark sender fly til NATO-øvelse",
        "DR Nyheder · 14.04.2026 14:48",  # CEST: UTC+2
        "Forsvaret deltager i en stor øvelse i Østersøen.",
        "Hvorfor: nato, alliancen",
    ]
    links = [e for e in entities if e["type"] == "text_link"]
    assert links == [
        {
            "type": "text_link",
            "url": "https://www.dr.dk/nyheder/indland/nato?a=1&b=2",
            "offset": utf16_len(plain[: plain.index("Danmark")]),  # 🔔 counts twice
            "length": len("Danmark sender fly til NATO-øvelse"),
        }
    ]


def test_english_and_winter_time() -> None:
    when = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # CET: next day 00:30
    plain, _ = rendered(format_alert(item(published=when), NAMES, "en")[0])
    assert "05.01.2026" not in plain and "06.01.2026 00:30" in plain
    assert "Why: nato, alliancen" in plain and "Hvorfor" not in plain


def test_hostile_feed_text_arrives_intact() -> None:
    link = 'https://example.dk/a?x=1&y="2"<b>'
    hostile = item(title=HOSTILE, text=f"Tekst: {HOSTILE}", link=link, source=HOSTILE)
    plain, entities = rendered(format_alert(hostile, NAMES, "da")[0])
    assert plain.splitlines()[1] == HOSTILE
    assert plain.count(HOSTILE) == 3  # title, outlet, snippet
    assert [e["url"] for e in entities if e["type"] == "text_link"] == [link]


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "tg://resolve?domain=x", "ftp://dr.dk/x", "dr.dk/x", None]
)
def test_only_http_links_are_clickable(link: str | None) -> None:
    text, _ = format_alert(item(link=link), NAMES, "da")
    _, entities = rendered(text)
    assert not [e for e in entities if e["type"] == "text_link"]
    assert "javascript" not in text


def test_no_date_no_reasons() -> None:
    plain, _ = rendered(format_alert(item(published=None, reasons=()), NAMES, "da")[0])
    assert plain.splitlines()[2] == "DR Nyheder"
    assert "Hvorfor" not in plain


def test_snippet_is_short_and_cut_on_a_word() -> None:
    words = " ".join(f"ord{i}" for i in range(500))
    plain, _ = rendered(format_alert(item(text=words), NAMES, "da")[0])
    snippet = plain.splitlines()[3]
    assert 200 <= len(snippet) <= 300
    assert snippet.endswith("…")
    assert snippet[:-1].split(" ")[-1] in words.split(" ")  # a whole word before the "…"


def test_huge_title_and_text_fit_telegram_limit() -> None:
    title = "🇩🇰 Ære & <fri> " * 2000  # far beyond 4096, full of surrogate pairs and entities
    text_html, _ = format_alert(item(title=title, text="x " * 5000), NAMES, "da")
    plain, entities = rendered(text_html)
    assert utf16_len(plain) > 3500  # trimmed to fit, not emptied
    assert plain.splitlines()[1].endswith("…")
    assert any(e["type"] == "text_link" for e in entities)
    fallback = format_alert_plain(item(title=title), NAMES, "da")
    assert utf16_len(fallback) <= MAX_MESSAGE_UTF16
    assert fallback.endswith("https://www.dr.dk/nyheder/indland/nato?a=1&b=2")


def test_truncate_counts_utf16_and_never_splits_characters() -> None:
    assert truncate("abc", 3) == "abc"
    cut = truncate("😀" * 10, 7)
    assert cut == "😀😀😀…" and utf16_len(cut) == 7
    assert truncate("hello wonderful world", 18) == "hello wonderful…"
    assert truncate("hello wonderful world", 15) == "hello wonderfu…"  # no space late enough
    assert truncate("x", 0) == ""


def test_plain_fallback_has_no_markup() -> None:
    text = format_alert_plain(item(title=HOSTILE), NAMES, "da")
    assert HOSTILE in text  # not escaped: no parse mode
    assert "Hvorfor: nato, alliancen" in text


def test_feedback_keyboard_round_trips() -> None:
    _, markup = format_alert(item(outbox_id=987), NAMES, "da")
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert [(b.text, b.callback_data) for b in buttons] == [
        ("👍", "fb:up:987"),
        ("👎", "fb:down:987"),
    ]
    assert [parse_feedback_data(b.callback_data) for b in buttons] == [(987, 1), (987, -1)]
    # The sender's raw JSON is exactly what PTB would send for the keyboard.
    assert feedback_markup(987) == markup.to_dict()


@pytest.mark.parametrize(
    "data",
    [
        None,
        5,
        b"fb:up:1",
        "",
        "fb:up:",
        "fb:up:0",
        "fb:up:01",
        "fb:up:-1",
        "fb:up:+1",
        "fb:up:1 ",
        " fb:up:1",
        "fb:up:1\n",
        "fb:sideways:1",
        "fb:UP:1",
        "fb:up:1:2",
        "fb:up:١٢",
        "fb:up:9" * 30,
        "fb:up:99999999999999999999",
        "fb:up:9223372036854775808",
        "xx:up:1",
    ],
)
def test_parse_feedback_data_rejects_forgeries(data: object) -> None:
    assert parse_feedback_data(data) is None


def test_parse_feedback_data_accepts_ours() -> None:
    assert parse_feedback_data("fb:down:12") == (12, -1)
    assert parse_feedback_data("fb:up:" + str(2**62)) == (2**62, 1)
