"""Feeds that move (301/308: remembered) or end (410: no longer polled), through the pipeline,
a SQLite store and `topicbot feeds list`, against a loopback outlet."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import parse_config
from bot.pipeline import CycleReport, Pipeline
from bot.store import Store
from classifiers.factory import build_classifier
from tests.configs import keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        s.add("/new.xml", rss20([("n1", None, "Nato holder topmøde i København")]))
        yield s


async def _poll(tmp_path: Path, url: str) -> CycleReport:
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        keyword_config(
            feeds=f"  - name: Flytter\n    url: {url}",
            # The outlet's new home is on 127.0.0.1 too (hops are checked by the outbound policy).
            fetch={"total_timeout": "2s", "allow_private_networks": True},
            storage={"path": "db.sqlite3"},
            alerts=None,
        ),
        encoding="utf-8",
    )
    config = parse_config(config_file.read_text(), base_dir=tmp_path)
    with Store.open(config.db_path) as store:
        pipeline = Pipeline(config, store, build_classifier(config.topic_rules(), mode="keywords"))
        try:
            return await pipeline.poll_all()
        finally:
            await pipeline.aclose()


def _feeds_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["feeds", "list", "--config", str(tmp_path / "config.yaml")]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("status", [301, 308])
@pytest.mark.asyncio
async def test_permanent_redirect_is_remembered_until_config_changes(
    server: FeedServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    status: int,
) -> None:
    old = server.redirect("/old.xml", "/new.xml", status)
    new = server.url("/new.xml")
    with caplog.at_level(logging.WARNING):
        assert (await _poll(tmp_path, old)).polled == 1
        assert (await _poll(tmp_path, old)).polled == 1
    # Asked at the old URL once; from then on at the new one.
    assert (server.stats("/old.xml").requests, server.stats("/new.xml").requests) == (1, 2)
    moves = [r.getMessage() for r in caplog.records if "moved permanently" in r.getMessage()]
    assert moves == [
        f"feed 'Flytter' moved permanently: {old} -> {new}; polling the new URL from now on "
        "(update its url in config.yaml)"
    ]
    listed = _feeds_list(tmp_path, capsys)
    assert f"Flytter: moved permanently to {new}: polled there; update url in config.yaml" in listed

    # The operator updates config.yaml: the memory is dropped, nothing left to hint.
    await _poll(tmp_path, new)
    assert server.stats("/new.xml").requests == 3
    assert "moved permanently" not in _feeds_list(tmp_path, capsys)


@pytest.mark.asyncio
async def test_temporary_redirect_is_followed_each_time(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.redirect("/tmp.xml", "/new.xml", 302)
    await _poll(tmp_path, url)
    await _poll(tmp_path, url)
    assert (server.stats("/tmp.xml").requests, server.stats("/new.xml").requests) == (2, 2)
    assert "moved" not in _feeds_list(tmp_path, capsys)


@pytest.mark.asyncio
async def test_gone_feed_is_not_polled_again(
    server: FeedServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = server.error("/ended.xml", 410)
    with caplog.at_level(logging.WARNING):
        assert (await _poll(tmp_path, url)).failed == ["Flytter"]
    assert f"feed 'Flytter': {url} answered 410 Gone; it is not polled any more" in caplog.text
    with Store.open(tmp_path / "db.sqlite3") as store:  # time passes: no backoff left
        store.save_source_state(
            "Flytter", replace(store.source_state("Flytter"), next_attempt=None)
        )
    report = await _poll(tmp_path, url)
    assert (report.gone, report.failed, report.backing_off) == (["Flytter"], [], [])
    assert server.stats("/ended.xml").requests == 1
    assert f"Flytter: 410 Gone at {url} since " in _feeds_list(tmp_path, capsys)

    # A new URL in config.yaml brings it back.
    assert (await _poll(tmp_path, server.url("/new.xml"))).polled == 1
    assert "410 Gone" not in _feeds_list(tmp_path, capsys)


@pytest.mark.asyncio
async def test_only_the_permanent_part_of_a_chain_is_remembered(
    server: FeedServer, tmp_path: Path
) -> None:
    """301 to /b, which 302s onward: /b is the new home; where /b points today is not."""
    url = server.redirect("/a.xml", "/b.xml", 301)
    server.redirect("/b.xml", "/new.xml", 302)
    await _poll(tmp_path, url)
    await _poll(tmp_path, url)
    assert [server.stats(p).requests for p in ("/a.xml", "/b.xml", "/new.xml")] == [1, 2, 2]
