from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.article import Article
from bot.errors import StoreError
from bot.sources.base import SourceState
from bot.store import Store
from bot.store.db import MIGRATIONS
from bot.store.stats import oldest_due_pending
from classifiers.base import TopicScore


def art(i: int, *, link: str | None = None, source: str = "DR") -> Article:
    return Article(id=f"guid:{source}:{i}", source=source, title=f"Nyhed {i}", link=link)


NATO = [TopicScore("NATO", 0.9, True, ("nato",)), TopicScore("COVID-19", 0.1, False)]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as s:
        yield s


def test_schema_is_created_private_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    with Store.open(path) as s:
        assert s.schema_version == len(MIGRATIONS)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this topicbot"):
        Store.open(path)


def test_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notadb.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="notadb.sqlite3"):
        Store.open(tmp_path / "notadb.sqlite3")


def test_articles_are_seen_once_by_id_or_link(store: Store) -> None:
    first = store.record_articles([art(1, link="https://dr.dk/a?utm_source=rss")])
    assert [a.id for a in first] == ["guid:DR:1"]
    assert store.record_articles([art(1)]) == []
    # Same story in another feed of the outlet: same link, other guid.
    assert store.record_articles([art(2, link="https://DR.dk/a#top", source="DR2")]) == []
    assert store.article_count() == 1


def test_state_and_articles_commit_together_and_survive_reopen(store_url: str) -> None:
    with Store.open(store_url) as s:
        state = SourceState(etag='"v1"', polled_before=True, last_items=3)
        s.record_articles([art(1)], source="DR", state=state, suppress="first_poll")
    with Store.open(store_url) as s:
        assert s.source_state("DR") == state
        assert s.unprocessed_articles() == [(s.get_article("guid:DR:1"), "first_poll")]


def test_one_alert_per_article_per_chat(store: Store) -> None:
    store.record_articles([art(1)])
    store.ensure_chat(10)
    store.subscribe(10, ["NATO", "COVID-19"])
    assert store.subscribers_for(["NATO"]) == {10: ["NATO"]}
    assert store.complete_article("guid:DR:1", NATO, {10: ["NATO"]}) == 1
    assert store.complete_article("guid:DR:1", NATO, {10: ["NATO"]}) == 0
    assert store.unprocessed_articles() == []
    (item,) = store.due_alerts()
    assert (item.chat_id, item.topics, item.article.title) == (10, ("NATO",), "Nyhed 1")
    reasons = {s.topic: s.reasons for s in item.scores}
    assert reasons == {"NATO": ("nato",), "COVID-19": ()}
    store.mark_sent(item.id, message_id=77)
    assert store.due_alerts() == []
    assert store.sent_message(10, 77) == "guid:DR:1"


def test_retry_waits_and_failure_is_final(store: Store) -> None:
    store.record_articles([art(1), art(2)])
    store.ensure_chat(10)
    store.complete_article("guid:DR:1", NATO, {10: ["NATO"]})
    store.complete_article("guid:DR:2", NATO, {10: ["NATO"]})
    a, b = store.due_alerts()
    store.mark_retry(a.id, "timed out", delay=60)
    store.mark_failed(b.id, "Bad Request: chat not found")
    assert store.due_alerts() == []
    assert store.pending_count() == 1
    assert store.outbox_counts() == {"pending": 1, "failed": 1}


def test_paused_and_inactive_chats_get_nothing(store: Store) -> None:
    for chat in (1, 2, 3):
        store.ensure_chat(chat)
        store.subscribe(chat, ["NATO"])
    store.set_paused(2, True)
    store.deactivate_chat(3, "Forbidden: bot was blocked by the user")
    assert store.subscribers_for(["NATO"]) == {1: ["NATO"]}
    store.ensure_chat(3)  # the user came back with /start
    assert set(store.subscribers_for(["NATO"])) == {1, 3}


def test_migrated_group_keeps_subscriptions_and_pending_alerts(store: Store) -> None:
    store.record_articles([art(1)])
    store.ensure_chat(-100, kind="group")
    store.subscribe(-100, ["NATO"])
    store.complete_article("guid:DR:1", NATO, {-100: ["NATO"]})
    store.migrate_chat(-100, -1009)
    assert store.subscriptions(-1009) == ["NATO"] and store.subscriptions(-100) == []
    (item,) = store.due_alerts()
    assert item.chat_id == -1009


def test_forget_chat_removes_its_data_only(store: Store) -> None:
    store.record_articles([art(1)])
    for chat in (1, 2):
        store.ensure_chat(chat)
        store.subscribe(chat, ["NATO"])
    store.complete_article("guid:DR:1", NATO, {1: ["NATO"], 2: ["NATO"]})
    store.record_feedback(1, "guid:DR:1", -1, ["NATO"])
    store.forget_chat(1)
    assert store.get_chat(1) is None and store.subscriptions(1) == []
    assert [i.chat_id for i in store.due_alerts()] == [2]
    assert store.feedback_labels() == []


def test_feedback_majority_per_topic(store: Store) -> None:
    store.record_feedback(1, "a", -1, ["NATO"])
    store.record_feedback(2, "a", -1, ["NATO"])
    store.record_feedback(3, "a", +1, ["NATO", "COVID-19"])
    store.record_feedback(3, "a", +1, ["NATO", "COVID-19"])  # a second press replaces
    store.record_feedback(1, "b", +1, ["Afghanistan"])
    store.record_feedback(2, "b", -1, ["Afghanistan"])  # a tie says nothing
    assert store.feedback_labels() == [("a", {"NATO": False, "COVID-19": True})]


def test_migrated_group_keeps_its_delivery_preferences(store: Store) -> None:
    store.ensure_chat(-100, kind="group")
    store.set_delivery(-100, "daily", "07:30")
    store.set_quiet(-100, "22:00", "07:00", "hold")
    store.migrate_chat(-100, -1009)
    prefs = store.delivery_prefs(-1009)
    assert (prefs.delivery, prefs.digest_at) == ("daily", "07:30")
    assert (prefs.quiet_from, prefs.quiet_to, prefs.quiet_mode) == ("22:00", "07:00", "hold")


def test_alerts_held_for_a_digest_are_not_overdue(store: Store) -> None:
    store.record_articles([art(1), art(2)])
    store.ensure_chat(1)
    store.ensure_chat(2)
    store.set_delivery(1, "daily", "08:00")
    store.complete_article("guid:DR:1", NATO, {1: ["NATO"]})
    assert oldest_due_pending(store) is None  # held until the digest: not waiting
    store.complete_article("guid:DR:2", NATO, {2: ["NATO"]})
    assert oldest_due_pending(store) is not None  # an instant alert is due now


def test_iter_articles_gives_the_newest_n_oldest_first(store: Store) -> None:
    store.record_articles([art(i) for i in range(1, 6)])
    assert [a.id for a in store.iter_articles()] == [f"guid:DR:{i}" for i in range(1, 6)]
    assert [a.id for a in store.iter_articles(limit=3)] == ["guid:DR:3", "guid:DR:4", "guid:DR:5"]


def test_language_is_stored_with_the_article_and_survives_migration(tmp_path: Path) -> None:
    """An article's language is written with its scores; a database made before the
    language column existed (schema 3) gains it and keeps its articles."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:3], start=1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO articles (id, source, title, fetched_at) "
        "VALUES ('old', 'DR', 'x', '2024-01-01T00:00:00+00:00')"
    )
    conn.commit()
    conn.close()
    with Store.open(path) as s:
        assert s.get_article("old").language is None
        s.record_articles([art(1)])
        s.complete_article("guid:DR:1", NATO, {}, language="no")
        assert s.get_article("guid:DR:1").language == "no"


def test_alert_keeps_the_chats_language_apart_from_the_articles(store: Store) -> None:
    """The outbox query joins chats and articles, which both have a language column."""
    store.record_articles([art(1)])
    store.ensure_chat(1)
    store.set_language(1, "en")
    store.complete_article("guid:DR:1", NATO, {1: ["NATO"]}, language="no")
    (item,) = store.due_alerts()
    assert item.language == "en" and item.article.language == "no"
