"""Personal watch words: validation, word-aware Danish matching, no regex from users, the
store's bounds and cascades, and the pipeline queueing an alert that names the word."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.article import Article, utcnow
from bot.matcher import alerts_for
from bot.store import Store
from bot.watch import MAX_CHARS, MAX_WORDS, WatchIndex, WatchWordError, chat_hits, clean_phrase
from classifiers.base import Document, TopicScore


def hits(phrase: str, text: str) -> list[str]:
    return [h.surface for h in chat_hits([clean_phrase(phrase)], Document(text))]


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("vindmølle*", "Ny vindmøllepark ved Esbjerg", ["vindmøllepark"]),
        ("vindmølle*", "Vindmøller og vindmølle-støj", ["vindmøller", "vindmølle-støj"]),
        # A plain word takes Danish endings and hyphen compounds, never a closed compound.
        # (the endings are the keyword rules' list: "minkene" is not among them)
        ("mink", "Minks og minken; mink-skandalen", ["minks", "minken", "mink"]),
        ("mink", "Tidligere minkavlere vil have erstatning", []),
        ("Lynetteholm", "Striden om LYNETTEHOLMS miljøvurdering", ["lynetteholms"]),
        ("nord stream", "Eksplosioner ved Nord Stream-ledningerne", ["nord stream"]),
        ("nato", "Senatoren talte om natoperationen", []),
    ],
)
def test_matching_is_word_aware_like_topic_keywords(
    phrase: str, text: str, expected: list[str]
) -> None:
    assert hits(phrase, text) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "watch_bad_empty"),
        ("   ", "watch_bad_empty"),
        (".*", "watch_bad_chars"),
        ("(a+)+$", "watch_bad_chars"),
        ("a|b", "watch_bad_chars"),
        ("[æøå]", "watch_bad_chars"),
        ("*mink", "watch_bad_chars"),
        ("min*k", "watch_bad_chars"),
        ("mink**", "watch_bad_chars"),
        ("x", "watch_bad_short"),
        ("ab*", "watch_bad_short"),
        ("a" * (MAX_CHARS + 1), "watch_bad_long"),
    ],
)
def test_bad_watch_words_are_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(WatchWordError) as info:
        clean_phrase(raw)
    assert info.value.reason == reason


def test_clean_phrase_normalises_case_space_and_hyphens() -> None:
    assert clean_phrase("  Nord   Stream ") == "nord stream"
    assert clean_phrase("Nato - topmøde") == "nato-topmøde"
    assert clean_phrase("Dansk Folkeparti's*") == "dansk folkeparti's*"
    assert clean_phrase("a" * MAX_CHARS) == "a" * MAX_CHARS


def test_pathological_text_stays_fast() -> None:
    """Literal terms only: a user cannot make the matcher backtrack."""
    start = time.perf_counter()
    assert hits("aaaa aaaa*", "a" * 20_000 + "!") == []
    assert time.perf_counter() - start < 1.0


def test_store_bounds_list_remove_and_cascade(store_url: str) -> None:
    store = Store.open(store_url)
    store.ensure_chat(1)
    for i in range(MAX_WORDS):
        assert store.add_watch_word(1, f"ord{i}", limit=MAX_WORDS) is True
    assert store.add_watch_word(1, "ord0", limit=MAX_WORDS) is False
    assert store.add_watch_word(1, "en for meget", limit=MAX_WORDS) is None
    assert len(store.watch_words(1)) == MAX_WORDS
    assert store.remove_watch_words(1, ["ord3", "ukendt"]) == ["ord3"]
    assert store.watchers()["ord1"] == [1]
    store.set_paused(1, True)
    assert store.watchers() == {}
    store.set_paused(1, False)
    store.forget_chat(1)  # /stop: the FK cascade takes the watch words along
    assert store.watch_words(1) == [] and store.watchers() == {}


def test_migrated_group_keeps_its_watch_words(store_url: str) -> None:
    store = Store.open(store_url)
    store.ensure_chat(-5, kind="group")
    store.add_watch_word(-5, "lynetteholm", limit=MAX_WORDS)
    store.migrate_chat(-5, -1005)
    assert store.watch_words(-1005) == ["lynetteholm"]
    assert store.watch_words(-5) == []


def test_index_maps_hits_back_to_chats_and_alerts_list_the_words(store_url: str) -> None:
    store = Store.open(store_url)
    for chat in (1, 2, 3):
        store.ensure_chat(chat)
    store.add_watch_word(1, "lynetteholm", limit=MAX_WORDS)
    store.add_watch_word(2, "lynetteholm", limit=MAX_WORDS)
    store.add_watch_word(2, "metro*", limit=MAX_WORDS)
    store.add_watch_word(3, "mink", limit=MAX_WORDS)
    store.subscribe(1, ["NATO"])
    index = WatchIndex()
    docs = [
        Document("Lynetteholm forsinker metrolinjen", ""),
        Document("Vejret bliver gråt", ""),
    ]
    found = index.match(store.watchers(), docs)
    assert found == [{1: ["lynetteholm"], 2: ["lynetteholm", "metro*"]}, {}]
    scores = [TopicScore("NATO", 0.9, True, ("nato",))]
    alerts = alerts_for(store, scores, found[0])
    assert alerts == {1: ["NATO"], 2: []}


def test_pipeline_queues_a_watch_only_alert_naming_the_word(store_url: str) -> None:
    from bot.pipeline import Pipeline
    from classifiers.keywords import KeywordClassifier

    store = Store.open(store_url)
    store.ensure_chat(9)
    store.add_watch_word(9, "lynetteholm", limit=MAX_WORDS)
    article = Article("a1", "DR", "Nyt om Lynetteholm", "", "https://dr.dk/1", utcnow())
    store.record_articles([article], source="DR", state=None)  # type: ignore[arg-type]
    classifier = KeywordClassifier([])
    pipeline = Pipeline.__new__(Pipeline)  # only the processing half is needed here
    pipeline.store, pipeline.classifier, pipeline.on_alerts_queued = store, classifier, None
    pipeline.watch, pipeline._stories = WatchIndex(), None
    pipeline._process_lock = asyncio.Lock()
    assert asyncio.run(pipeline.process_pending()) == 1
    (item,) = store.due_alerts()
    assert item.chat_id == 9 and item.topics == () and item.watch == ("lynetteholm",)
