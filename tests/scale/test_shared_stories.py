"""Story grouping with several processes on one PostgreSQL database.

Each process keeps the window of recent articles in memory (`bot.stories.StoryIndex`); on a
shared database they take turns placing articles and each first learns what the others
placed (`Store.assign_stories`), so one story's articles join whichever process gets them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import psycopg
import pytest

from bot.article import Article
from bot.config import parse_config
from bot.runtime import Services
from bot.store import Store
from bot.store.stories import StoryRow

CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato]
storage:
  url: {db}
classifier:
  mode: keywords
"""


def outbox(store: Store) -> list[tuple[str, str, str]]:
    rows = store._query("SELECT article_id, kind, status FROM outbox WHERE chat_id = 7 ORDER BY id")
    return [(r[0], r[1], r[2]) for r in rows]


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_a_story_placed_by_one_process_is_joined_in_another(
    tmp_path: Path, postgres_url: str
) -> None:
    config = parse_config(CONFIG.format(db=postgres_url), base_dir=tmp_path)
    one, two = Services.build(config), Services.build(config)
    try:
        one.store.ensure_chat(7)
        one.store.subscribe(7, ["NATO"])
        # The second process has its window in memory before the story begins.
        two.store.record_articles([Article("urn:z", "Gamma", "Vejret bliver koldt i weekenden")])
        await two.pipeline.process_pending()

        one.store.record_articles([Article("urn:x", "Alpha", "Nato holder topmøde i Vilnius")])
        assert await one.pipeline.process_pending() == 1
        two.store.record_articles([Article("urn:y", "Beta", "Nato-topmøde i Vilnius: Ukraine")])
        assert await two.pipeline.process_pending() == 0  # joins the first one's alert

        assert outbox(one.store) == [
            ("urn:x", "alert", "pending"),
            ("urn:y", "story_update", "merged"),
        ]
    finally:
        for s in (one, two):
            await s.aclose()


def _lock_waits(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return int(row[0]) if row else 0


def _until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_two_processes_placing_at_once_take_turns(postgres_url: str) -> None:
    """The first process's placement is held before its commit (a third session locks the
    row it stores the story in); the second must wait for it and then learn it, not start
    the story again beside it."""
    first, second = Store.open(postgres_url), Store.open(postgres_url)
    first.record_articles([Article("urn:x", "Alpha", "x"), Article("urn:y", "Beta", "y")])
    learned: dict[str, list[str]] = {}

    def placer(article_id: str) -> Callable[[Sequence[StoryRow]], Mapping[str, str]]:
        def assign(rows: Sequence[StoryRow]) -> Mapping[str, str]:
            learned[article_id] = [r[0] for r in rows]
            return {article_id: rows[-1][5] if rows else article_id}  # join the last story

        return assign

    try:
        with psycopg.connect(postgres_url) as gate:  # a transaction, open until rollback
            gate.execute("SELECT 1 FROM articles WHERE id = 'urn:x' FOR UPDATE")
            one = threading.Thread(target=first.assign_stories, args=(0, placer("urn:x")))
            one.start()
            _until(lambda: _lock_waits(postgres_url) == 1, "the first never reached the gate")
            two = threading.Thread(target=second.assign_stories, args=(0, placer("urn:y")))
            two.start()
            _until(
                lambda: not two.is_alive() or _lock_waits(postgres_url) == 2,
                "the second neither finished nor waited",
            )
            gate.rollback()
        one.join(10)
        two.join(10)
        assert learned == {"urn:x": [], "urn:y": ["urn:x"]}
        rows = first._query("SELECT id, story_id, story_seq FROM articles ORDER BY story_seq")
        assert [tuple(r) for r in rows] == [("urn:x", "urn:x", 1), ("urn:y", "urn:x", 2)]
    finally:
        first.close()
        second.close()
