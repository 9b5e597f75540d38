"""Story grouping: the similarity index, and the outbox turning a later outlet into an edit of
the story's alert (sent) or a merge into it (still pending), never a second alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.article import Article
from bot.store import Store
from bot.stories import THRESHOLD, StoryIndex
from classifiers.base import TopicScore

NOW = datetime(2023, 3, 1, 12, tzinfo=UTC)
A = "Hollywood-forfattere starter strejke efter sammenbrud i forhandlinger"
B = "Hollywood-forfattere indleder strejke efter sammenbrud"
OTHER = "Vejret bliver gråt i weekenden med regn i hele landet"


def test_same_story_from_another_outlet_joins_it() -> None:
    index = StoryIndex()
    index.assign("o", "TV2", OTHER, "", NOW)
    assert index.assign("a", "DR", A, "", NOW) == "a"
    assert index.assign("b", "Berlingske", B, "", NOW + timedelta(hours=2)) == "a"
    assert index.assign("c", "Politiken", "Ny regering på plads", "", NOW) == "c"
    assert index.assign("b", "Berlingske", B, "", NOW) == "a"  # known: same answer


def test_same_outlet_and_older_than_a_day_never_join() -> None:
    index = StoryIndex()
    index.assign("a", "DR", A, "", NOW)
    assert index.assign("a2", "DR", A + " (opdateret)", "", NOW) == "a2"
    assert index.assign("b", "Berlingske", A, "", NOW + timedelta(hours=25)) == "b"
    assert len(index) == 1  # the day-old articles left the window


def test_threshold_is_the_measured_one() -> None:
    assert THRESHOLD == 0.5  # BENCHMARKS.md "Story grouping"


def _store(url: str) -> Store:
    store = Store.open(url)
    store.ensure_chat(1)
    store.ensure_chat(2)
    return store


def _article(store: Store, article_id: str, source: str, title: str) -> None:
    store.record_articles(
        [Article(article_id, source, title, "", None, NOW)],
        source=source,
        state=None,  # type: ignore[arg-type]
    )


SCORES = [TopicScore("T", 1.0, True, ("t",))]


def test_sent_alert_gets_an_update_pending_alert_a_merge_same_outlet_nothing(
    store_url: str,
) -> None:
    store = _store(store_url)
    for aid, src in (("a", "DR"), ("b", "Berlingske"), ("c", "Politiken"), ("d", "DR")):
        _article(store, aid, src, A)
    assert store.complete_article("a", SCORES, {1: ["T"], 2: ["T"]}, story_id="a") == 2
    first = {i.chat_id: i for i in store.due_alerts()}
    store.mark_sent(first[1].id, message_id=77)  # chat 1 saw it; chat 2's is still queued
    assert store.complete_article("b", SCORES, {1: ["T"], 2: ["T"]}, story_id="a") == 1
    (update,) = [i for i in store.due_alerts() if i.chat_id == 1]
    assert update.kind == "story_update" and update.also == ("Berlingske",)
    assert store.story_original(1, "a") == (first[1].id, 77)
    (pending,) = [i for i in store.due_alerts() if i.chat_id == 2]
    assert pending.kind == "alert" and pending.also == ("Berlingske",)  # merged into it
    store.complete_article("c", SCORES, {1: ["T"], 2: ["T"]}, story_id="a")
    store.complete_article("d", SCORES, {1: ["T"], 2: ["T"]}, story_id="a")  # DR again
    updates = [i for i in store.due_alerts() if i.chat_id == 1]
    assert [u.also for u in updates] == [("Berlingske",), ("Berlingske", "Politiken")]
    (pending,) = [i for i in store.due_alerts() if i.chat_id == 2]
    assert pending.also == ("Berlingske", "Politiken")
    assert store.outbox_counts() == {"pending": 3, "sent": 1, "merged": 2}


def test_forget_chat_drops_its_queued_story_rows(store_url: str) -> None:
    store = _store(store_url)
    _article(store, "a", "DR", A)
    store.complete_article("a", SCORES, {1: ["T"]}, story_id="a")
    store.forget_chat(1)
    assert store.due_alerts() == []


def test_a_migrated_group_keeps_the_outlets_merged_into_its_pending_alert(store_url: str) -> None:
    store = _store(store_url)
    store.ensure_chat(-100, kind="group")
    _article(store, "a", "DR", A)
    _article(store, "b", "Berlingske", B)
    store.complete_article("a", SCORES, {-100: ["T"]}, story_id="a")
    store.complete_article("b", SCORES, {-100: ["T"]}, story_id="a")  # merged: still pending
    store.migrate_chat(-100, -1009)
    (pending,) = store.due_alerts()
    assert pending.chat_id == -1009 and pending.also == ("Berlingske",)
    assert store.outbox_counts() == {"pending": 1, "merged": 1}
