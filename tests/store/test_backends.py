"""What differs between the backends: same schema, URLs, and PostgreSQL's several writers."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest

from bot.article import Article
from bot.errors import StoreError
from bot.sources.base import SourceState
from bot.store import Store
from bot.store.backend import redact
from bot.store.db import MIGRATIONS, sqlite_path
from bot.store.postgres_backend import PG_MIGRATIONS
from classifiers.base import TopicScore
from tests.pg_race import race_past_a_held_lock

NATO = [TopicScore("NATO", 0.9, True)]


def _columns(store: Store) -> dict[str, set[str]]:
    """table → column names, read from the database itself."""
    if store.backend.name == "sqlite":
        tables = [r[0] for r in store._query("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: {r["name"] for r in store._query(f"PRAGMA table_info({t})")}
            for t in tables
            if not t.startswith("sqlite_")
        }
    rows = store._query(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name <> 'topicbot_schema'"
    )
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    out["articles"].discard("rowid")  # SQLite's is implicit
    return out


def test_both_backends_have_the_same_schema(tmp_path: Path, postgres_url: str) -> None:
    assert len(PG_MIGRATIONS) == len(MIGRATIONS), (
        "a migration in bot/store/db.py needs its PostgreSQL twin in "
        "bot/store/postgres_backend.py (PG_MIGRATIONS)"
    )
    with Store.open(tmp_path / "s.sqlite3") as lite, Store.open(postgres_url) as pg:
        assert lite.schema_version == pg.schema_version == len(MIGRATIONS)
        assert _columns(lite) == _columns(pg)


def test_a_newer_postgres_schema_is_refused(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE topicbot_schema SET version = version + 1")
    with pytest.raises(StoreError, match="newer than this topicbot"):
        Store.open(postgres_url)


def test_unreachable_postgres_is_a_clear_error_without_the_password(
    postgres_server: object,
) -> None:
    url = "postgresql://bot:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(StoreError, match=r"cannot open database postgresql://bot:\*\*\*@") as e:
        Store.open(url, timeout=2)
    assert "s3cret" not in str(e.value)
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"


def test_sqlite_urls_name_files() -> None:
    assert sqlite_path("sqlite:///data/x.db") == "data/x.db"
    assert sqlite_path("sqlite:////var/lib/x.db") == "/var/lib/x.db"
    assert sqlite_path(Path("plain.db")) == Path("plain.db")
    with pytest.raises(StoreError, match="sqlite:///"):
        sqlite_path("sqlite://x.db")


def test_two_processes_recording_one_article_record_and_alert_it_once(postgres_url: str) -> None:
    """Two stores (two pools, as two processes have) record the same articles at the same
    moment: each article is new to exactly one of them, and queued for a chat once."""
    stores = [Store.open(postgres_url), Store.open(postgres_url)]
    stores[0].ensure_chat(7)
    batch = [Article(f"a{i}", "DR", f"Nyhed {i}", link=f"https://dr.dk/{i}") for i in range(50)]
    barrier = threading.Barrier(2)
    new: list[list[str]] = [[], []]
    queued = [0, 0]

    def poll(i: int) -> None:
        barrier.wait()
        new[i] = [a.id for a in stores[i].record_articles(batch)]
        barrier.wait()
        for article_id in [a.id for a in batch]:  # both classify everything they saw
            queued[i] += stores[i].complete_article(article_id, NATO, {7: ["NATO"]})

    threads = [threading.Thread(target=poll, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert sorted(new[0] + new[1]) == sorted(a.id for a in batch)
        assert set(new[0]).isdisjoint(new[1])
        assert stores[0].article_count() == 50
        assert queued[0] + queued[1] == 50
        assert stores[1].pending_count() == 50
    finally:
        for s in stores:
            s.close()


def test_two_processes_recording_one_link_under_two_ids_record_one_article(
    postgres_url: str,
) -> None:
    """The same article URL in two feeds (two ids: each feed's guid) recorded by two processes
    at once is one article (`bot.identity`). The interleaving is forced: a third session holds
    the row the first process's transaction updates last, so that transaction has inserted its
    article, not committed it, when the second process reads."""
    first, second = Store.open(postgres_url), Store.open(postgres_url)
    first.save_source_state("Alpha", SourceState())
    link = "https://dr.dk/nyheder/nato-topmoede"
    alpha = Article("guid:Alpha:1", "Alpha", "Nato holder topmøde", link=link, guid="1")
    beta = Article("guid:Beta:9", "Beta", "Topmøde i Nato", link=link + "?utm_source=rss", guid="9")
    new: dict[str, list[Article]] = {}

    def record(store: Store, article: Article) -> None:
        new[article.source] = store.record_articles(
            [article], source=article.source, state=SourceState(polled_before=True)
        )

    try:
        race_past_a_held_lock(
            postgres_url,
            "SELECT 1 FROM source_state WHERE source = 'Alpha' FOR UPDATE",
            lambda: record(first, alpha),
            lambda: record(second, beta),
        )
        assert [a.id for a in new["Alpha"] + new["Beta"]] == ["guid:Alpha:1"]
        assert first.article_count() == 1
    finally:
        first.close()
        second.close()


def test_two_processes_completing_one_story_at_once_queue_one_alert_per_chat(
    postgres_url: str,
) -> None:
    """Two outlets' articles of one story, completed by two processes at once: the chat gets
    one alert, the later outlet joins it (`bot.store.stories`). Forced interleaving: a third
    session holds an uncommitted outbox row for the first article, so the first process has
    placed its alert, not committed it, when the second places its article."""
    first, second = Store.open(postgres_url), Store.open(postgres_url)
    first.ensure_chat(7)
    alpha = Article("guid:Alpha:1", "Alpha", "Nato holder topmøde i Vilnius")
    beta = Article("guid:Beta:9", "Beta", "Topmøde: Nato samles i Vilnius")
    first.record_articles([alpha, beta])
    queued: dict[str, int] = {}

    def complete(store: Store, article: Article) -> None:
        queued[article.id] = store.complete_article(
            article.id, NATO, {7: ["NATO"]}, story_id=alpha.id
        )

    try:
        race_past_a_held_lock(
            postgres_url,
            "INSERT INTO outbox (chat_id, article_id, topics, created_at)"
            " VALUES (7, %s, '[]', '2026-01-01T00:00:00+00:00')",
            lambda: complete(first, alpha),
            lambda: complete(second, beta),
            params=(alpha.id,),
        )
        rows = first._query("SELECT article_id, kind, status FROM outbox ORDER BY id")
        assert [tuple(r) for r in rows] == [
            (alpha.id, "alert", "pending"),
            (beta.id, "story_update", "merged"),
        ]
        assert queued == {alpha.id: 1, beta.id: 0}
    finally:
        first.close()
        second.close()
