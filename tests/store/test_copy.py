"""`topicbot store copy`: an installation moves from SQLite to PostgreSQL whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.article import Article
from bot.cli import main
from bot.sources.base import SourceState
from bot.store import Store
from classifiers.base import TopicScore

NATO = [TopicScore("NATO", 0.9, True, ("nato",))]


def fill(store: Store) -> None:
    """A little of everything an installation holds."""
    store.record_articles(
        [Article(f"a{i}", "DR", f"Nato {i}", link=f"https://dr.dk/{i}") for i in range(5)],
        source="DR",
        state=SourceState(etag='"e1"', polled_before=True, last_items=5),
    )
    for chat in (1, 2, -100):
        store.ensure_chat(chat, kind="group" if chat < 0 else "private")
        store.subscribe(chat, ["NATO"])
    store.set_language(2, "en")
    store.set_delivery(-100, "daily", "07:30")
    store.add_watch_word(1, "lynetteholm", limit=10)
    for i in range(5):
        store.complete_article(f"a{i}", NATO, {1: ["NATO"], 2: ["NATO"], -100: ["NATO"]})
    first = store.due_alerts(limit=1)[0]
    store.mark_sent(first.id, message_id=4242)
    store.record_feedback(1, "a0", -1, ["NATO"])
    store.set_meta("model_version", "v7")


def test_copy_to_postgres_keeps_everything_and_verifies_the_counts(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lite = tmp_path / "old.sqlite3"
    with Store.open(lite) as s:
        fill(s)
    assert main(["store", "copy", "--from", f"sqlite:///{lite}", "--to", postgres_url]) == 0
    out = capsys.readouterr().out
    assert "verified:" in out and "MISMATCH" not in out
    assert [line.split() for line in out.splitlines() if line.startswith("outbox")] == [
        ["outbox", "15", "15"]
    ]
    with Store.open(lite) as old, Store.open(postgres_url) as new:
        assert new.subscriptions(2) == ["NATO"] and new.get_chat(2) == old.get_chat(2)
        assert new.delivery_prefs(-100) == old.delivery_prefs(-100)
        assert new.watch_words(1) == ["lynetteholm"]
        assert new.sent_message(1, 4242) == "a0"  # a 👍 on an old alert still lands
        assert new.source_state("DR") == old.source_state("DR")
        assert new.feedback_labels() == old.feedback_labels()
        assert new.get_meta("model_version") == "v7"
        assert [i.id for i in new.due_alerts(limit=100)] == [
            i.id for i in old.due_alerts(limit=100)
        ]
        assert [a.id for a in new.iter_articles()] == [a.id for a in old.iter_articles()]
        # New rows continue after the copied ids.
        new.record_articles([Article("b1", "DR", "Nato igen", link="https://dr.dk/b1")])
        new.complete_article("b1", NATO, {1: ["NATO"]})
        assert max(i.id for i in new.due_alerts(limit=100)) == 16

    # The target is no longer empty: a second copy is refused, nothing doubled.
    assert main(["store", "copy", "--from", str(lite), "--to", postgres_url]) == 4
    assert "is not empty" in capsys.readouterr().err


def test_a_table_the_copy_does_not_know_is_refused(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lite = tmp_path / "old.sqlite3"
    with Store.open(lite) as s:
        s._execute("CREATE TABLE added_later (x INTEGER)")
    assert main(["store", "copy", "--from", str(lite), "--to", postgres_url]) == 4
    assert "added_later" in capsys.readouterr().err
