"""Upgrading a store written by the release before `bot.identity` is silent.

`testdata/legacy_v3.sqlite3` was written by that release (`testdata/make_legacy_store.py`) from
the feeds in `testdata/legacy/`: one guid on several stories, posts told apart by a fragment,
short posts sharing a link. The new rule stores the items that release collapsed; they were
never alerted, so storing them now must not alert either, while later news does.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.pipeline import Pipeline
from bot.store import Store
from classifiers.factory import build_classifier
from tests.configs import feed_items, keyword_config
from tests.standins.feed_server import FeedServer

DATA = Path(__file__).parent / "testdata"
FEEDS = {"Avisen": "avisen.xml", "Dagbog": "dagbog.xml", "Fod": "fod.atom", "Plain": "plain.xml"}

TOPICS = """\
  - id: LOKALT
    name: {da: Lokalt, en: Local}
    keywords: [havn*, skole*, skadestue*, færge*, budget*, cykelsti*, bibliotek*, frokost*]
"""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        for file in FEEDS.values():
            srv.add(f"/{file}", (DATA / "legacy" / file).read_bytes())
        yield srv


def _pipeline(server: FeedServer, tmp_path: Path) -> Pipeline:
    feeds = feed_items([(name, server.url("/" + file)) for name, file in FEEDS.items()])
    config = parse_config(
        keyword_config(
            topics=TOPICS,
            feeds=feeds,
            storage={"path": "db.sqlite3"},
            alerts={"max_age": "3650d"},
        ),
        base_dir=tmp_path,
    )
    shutil.copyfile(DATA / "legacy_v3.sqlite3", config.db_path)
    store = Store.open(config.db_path)
    store.ensure_chat(1)
    store.subscribe(1, ["LOKALT"])  # so an eligible article would queue an alert
    return Pipeline(config, store, build_classifier(config.topic_rules(), mode="keywords"))


def _rows(path: Path) -> dict[str, str | None]:
    # Read-only: a missing fixture must fail loudly, not be created empty.
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return dict(conn.execute("SELECT id, suppressed FROM articles").fetchall())


@pytest.mark.asyncio
async def test_upgrade_keeps_ids_and_an_unchanged_feed_alerts_nothing(
    server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = _rows(DATA / "legacy_v3.sqlite3")
    pipeline = _pipeline(server, tmp_path)
    try:
        assert pipeline.store.schema_version > 3
        caplog.set_level(logging.WARNING, logger="bot.sources.feed")
        report = await pipeline.poll_all()
        assert report.failed == []
        after = _rows(pipeline.config.db_path)
        assert before.items() <= after.items()  # every id kept, none re-suppressed
        added = {i: why for i, why in after.items() if i not in before}
        # The stories the old rule collapsed are stored now (two /a/ stories, two posts of
        # 05.html, one short post on the shared link), and none of them is alert-eligible.
        assert len(added) == 5
        assert set(added.values()) == {"identity_upgrade"}
        assert report.alerts_queued == 0

        # The pass ran once: the next new /a/ story is news.
        server.set_body(
            "/avisen.xml",
            (DATA / "legacy" / "avisen.xml")
            .read_bytes()
            .replace(
                b"<item>",
                b"<item><title>Ny havn i Esbjerg</title>"
                b"<link>https://avisen.example/nyheder/havn/1006</link><guid>/a/</guid></item>"
                b"<item>",
                1,
            ),
        )
        report = await pipeline.poll_all()
        newest = {i: why for i, why in _rows(pipeline.config.db_path).items() if i not in after}
        assert newest == {"link:https://avisen.example/nyheder/havn/1006": None}
        warned = [r for r in caplog.records if "gives one guid ('/a/')" in r.getMessage()]
        assert len(warned) == 1 and "'Avisen'" in warned[0].getMessage()
        assert pipeline.store.source_state("Avisen").guids_unreliable
    finally:
        await pipeline.aclose()
        pipeline.store.close()
