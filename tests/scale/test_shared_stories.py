"""Story grouping with several processes on one PostgreSQL database.

Each process keeps the window of recent articles in memory (`bot.stories.StoryIndex`); on a
shared database they take turns placing articles and each first learns what the others
placed (`Store.assign_stories`), so one story's articles join whichever process gets them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from bot.article import Article
from bot.config import parse_config
from bot.runtime import Services
from bot.store import Store
from bot.store.stories import StoryRow
from tests.configs import keyword_config
from tests.pg_race import race_past_a_held_lock


def outbox(store: Store) -> list[tuple[str, str, str]]:
    rows = store._query("SELECT article_id, kind, status FROM outbox WHERE chat_id = 7 ORDER BY id")
    return [(r[0], r[1], r[2]) for r in rows]


@pytest.mark.asyncio
@pytest.mark.timeout(60)
async def test_a_story_placed_by_one_process_is_joined_in_another(
    tmp_path: Path, postgres_url: str
) -> None:
    config = parse_config(
        keyword_config(storage={"url": postgres_url}, alerts=None), base_dir=tmp_path
    )
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
        race_past_a_held_lock(
            postgres_url,
            "SELECT 1 FROM articles WHERE id = 'urn:x' FOR UPDATE",
            lambda: first.assign_stories(0, placer("urn:x")),
            lambda: second.assign_stories(0, placer("urn:y")),
        )
        assert learned == {"urn:x": [], "urn:y": ["urn:x"]}
        rows = first._query("SELECT id, story_id, story_seq FROM articles ORDER BY story_seq")
        assert [tuple(r) for r in rows] == [("urn:x", "urn:x", 1), ("urn:y", "urn:x", 2)]
    finally:
        first.close()
        second.close()
