"""Cold polls parse in worker processes (`fetch.parse_workers`)."""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.errors import ParseError
from bot.runtime import Services
from tests.configs import feed_items, keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20


def test_a_parse_error_survives_the_trip_from_a_worker() -> None:
    err = pickle.loads(pickle.dumps(ParseError("DR", "not a feed: looks like an HTML page")))
    assert (err.source, err.reason) == ("DR", "not a feed: looks like an HTML page")


@pytest.mark.asyncio
@pytest.mark.timeout(120)
async def test_new_feeds_parse_in_worker_processes_with_the_same_result(tmp_path: Path) -> None:
    with FeedServer() as server:
        paths = [f"/f{i}.xml" for i in range(4)]
        for i, path in enumerate(paths):
            server.add(
                path,
                rss20(
                    [(f"urn:{i}:{k}", f"https://dr.dk/{i}/{k}", f"Nato {i}-{k}") for k in range(3)]
                ),
                etag=True,
            )
        server.add("/page.xml", b"<html><body>Forside</body></html>", content_type="text/html")
        feeds = feed_items([(f"F{i}", server.url(p)) for i, p in enumerate([*paths, "/page.xml"])])
        config = parse_config(
            keyword_config(
                feeds=feeds, fetch={"parse_workers": 2}, storage={"path": tmp_path / "t.sqlite3"}
            ),
            base_dir=tmp_path,
        )
        services = Services.build(config)
        before = set(multiprocessing.active_children())
        try:
            report = await services.pipeline.poll_all()
            workers = set(multiprocessing.active_children()) - before
            assert len(workers) == 2  # the pool's processes did the parsing
            assert report.new_articles == 12 and report.failed == ["F4"]
            # The worker's ParseError arrived whole (both arguments pickled).
            assert services.store.source_state("F4").last_error == (
                "not a feed: looks like an HTML page"
            )
            server.set_body(paths[0], rss20([("urn:0:new", "https://dr.dk/0/new", "Nato ny")]))
            report = await services.pipeline.poll_all()  # warm: a thread, as before
            assert report.new_articles == 1
        finally:
            await services.aclose()


def _parse_in_a_daemon(queue: multiprocessing.Queue[object]) -> None:
    from bot.sources.parse_pool import ParsePool

    pool = ParsePool(2)
    doc = rss20([("urn:x:1", "https://dr.dk/x/1", "Nato i en dæmon")])
    parsed = asyncio.run(pool.parse(doc, source="DR"))
    queue.put(([a.title for a in parsed.articles], pool.unavailable))


def test_where_no_worker_can_start_parsing_falls_back_to_a_thread() -> None:
    """A daemonic process (a benchmark worker, a supervisor's child) may have no children."""
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[object] = ctx.Queue()
    proc = ctx.Process(target=_parse_in_a_daemon, args=(queue,), daemon=True)
    proc.start()
    titles, why = queue.get(timeout=60)  # type: ignore[misc]
    proc.join(10)
    assert titles == ["Nato i en dæmon"]
    assert "daemonic processes are not allowed to have children" in why
