"""The ops endpoint over real HTTP: metrics after a pipeline run, health going red and green."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from bot.article import Article
from bot.config import Config, parse_config
from bot.ops import metrics, start_ops_server
from bot.ops.server import OpsServer
from bot.runtime import Services, run_console
from bot.sources.base import SourceState
from bot.store import Store

CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato, stoltenberg]
  - id: Afghanistan
    name: {{da: Afghanistan, en: Afghanistan}}
    keywords: ["taliban*", kabul]
folders:
  - name: indbakke
    path: {folder}
    interval: 1h
storage:
  path: {db}
classifier:
  mode: keywords
alerts:
  max_age: 3650d
ops:
  enabled: true
  port: {port}
  stale_after: 10m
"""


def make_config(tmp_path: Path, port: int = 0) -> Config:
    folder = tmp_path / "indbakke"
    folder.mkdir(exist_ok=True)
    for name, text in [
        ("a.txt", "Nato-landene mødes i Bruxelles. Stoltenberg taler."),
        ("b.txt", "Taliban indtager Kabul. Vestlige lande evakuerer."),
        ("c.txt", "Vejret bliver gråt i weekenden."),
    ]:
        (folder / name).write_text(text, encoding="utf-8")
        os.utime(folder / name, (time.time() - 10, time.time() - 10))
    text = CONFIG.format(folder=folder, db=tmp_path / "t.sqlite3", port=port)
    return parse_config(text, base_dir=tmp_path)


@pytest_asyncio.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    s = Services.build(make_config(tmp_path))
    yield s
    await s.aclose()


@pytest_asyncio.fixture
async def ops(services: Services) -> AsyncIterator[OpsServer]:
    server = await start_ops_server(services.config, services.store, port=0)
    yield server
    await server.close()


async def get(server: OpsServer, path: str, method: str = "GET") -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url, timeout=5) as client:
        return await client.request(method, path)


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.asyncio
async def test_metrics_after_a_pipeline_run(services: Services, ops: OpsServer) -> None:
    assert ops.host == "127.0.0.1" and ops.port > 0
    polls_before = sample("topicbot_polls_total", source="indbakke", outcome="ok")
    nato_before = sample("topicbot_articles_matched_total", topic="NATO")
    classified_before = sample("topicbot_articles_classified_total")
    services.store.ensure_chat(42)
    services.store.subscribe(42, ["NATO", "Afghanistan"])

    report = await services.pipeline.poll_all()
    assert report.new_articles == 3
    assert services.store.pending_count() == 2

    r = await get(ops, "/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    for name in (
        "topicbot_polls_total",
        "topicbot_fetch_errors_total",
        "topicbot_poll_duration_seconds_bucket",
        "topicbot_articles_matched_total",
        "topicbot_classification_seconds_count",
        "topicbot_alerts_queued_total",
        "topicbot_alert_sends_total",
        "topicbot_send_latency_seconds_bucket",
        "topicbot_last_successful_poll_timestamp_seconds",
    ):
        assert name in text, name
    assert 'topicbot_outbox_alerts{status="pending"} 2.0' in text
    assert 'topicbot_outbox_alerts{status="sent"} 0.0' in text
    assert "topicbot_database_up 1.0" in text
    assert "topicbot_articles_stored 3.0" in text
    assert sample("topicbot_polls_total", source="indbakke", outcome="ok") == polls_before + 1
    assert sample("topicbot_articles_matched_total", topic="NATO") == nato_before + 1
    assert sample("topicbot_articles_classified_total") == classified_before + 3

    # HEAD has the headers only.
    head = await get(ops, "/metrics", "HEAD")
    assert head.status_code == 200 and head.content == b""


@pytest.mark.asyncio
async def test_healthz_green_then_red_when_polls_go_stale(
    services: Services, ops: OpsServer
) -> None:
    await services.pipeline.poll_all()
    r = await get(ops, "/healthz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "polls", "sender"}

    # The last success an hour ago, and the process no longer fresh: stale.
    old = datetime.now(UTC) - timedelta(hours=1)
    services.store.save_source_state("indbakke", SourceState(last_success=old))
    ops.health.started = time.time() - 3600
    r = await get(ops, "/healthz")
    assert r.status_code == 503
    assert r.json()["failing"] == ["polls"]
    assert "no successful poll" in r.json()["checks"]["polls"]["error"]


@pytest.mark.asyncio
async def test_healthz_fresh_process_without_polls_is_ok_until_stale_after(
    services: Services, ops: OpsServer
) -> None:
    assert (await get(ops, "/healthz")).status_code == 200
    ops.health.started = time.time() - 3600
    r = await get(ops, "/healthz")
    assert r.status_code == 503
    assert "ever been polled" in r.json()["checks"]["polls"]["error"]


@pytest.mark.asyncio
async def test_healthz_red_when_the_database_file_is_removed(
    services: Services, ops: OpsServer
) -> None:
    assert (await get(ops, "/healthz")).status_code == 200
    assert services.store.path is not None
    services.store.path.rename(services.store.path.with_suffix(".moved"))
    r = await get(ops, "/healthz")
    assert r.status_code == 503
    assert r.json()["failing"] == ["database"]
    assert "gone" in r.json()["checks"]["database"]["error"]


@pytest.mark.asyncio
async def test_healthz_red_when_the_database_is_closed(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = Store.open(config.db_path)
    server = await start_ops_server(config, store, port=0)
    try:
        store.close()
        r = await get(server, "/healthz")
        assert r.status_code == 503 and r.json()["failing"] == ["database"]
        m = await get(server, "/metrics")  # metrics still answer, saying the database is down
        assert m.status_code == 200 and "topicbot_database_up 0.0" in m.text
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_sender_stuck_on_an_old_due_alert(services: Services, ops: OpsServer) -> None:
    store = services.store
    await services.pipeline.poll_all()
    store.ensure_chat(7)
    old = datetime.now(UTC) - timedelta(hours=2)
    for i in (1, 2):
        store.record_articles(
            [Article(id=f"x:{i}", source="indbakke", title=f"Nato {i}", fetched_at=old)]
        )
        store.complete_article(f"x:{i}", [], {7: ["NATO"]})
    store._execute("UPDATE outbox SET created_at = ?", (old.isoformat(),))
    ops.health.started = time.time() - 3600
    metrics._last_send = None
    r = await get(ops, "/healthz")
    assert r.status_code == 503
    assert r.json()["failing"] == ["sender"]
    assert r.json()["checks"]["sender"]["oldest_due_s"] > 7000

    # A sender making progress through a backlog is busy, not stuck.
    metrics.record_send(True, 0.2, queued_at=old)
    assert (await get(ops, "/healthz")).status_code == 200
    # Waiting out a retry delay (Telegram down) is not stuck either, nor is the later alert
    # of that chat, held back so the chat keeps its order.
    metrics._last_send = None
    store.mark_retry(1, "timed out", 600)
    assert (await get(ops, "/healthz")).status_code == 200


@pytest.mark.asyncio
async def test_unknown_paths_methods_and_garbage(ops: OpsServer) -> None:
    assert (await get(ops, "/")).status_code == 404
    assert (await get(ops, "/healthz", "POST")).status_code == 405
    reader, writer = await asyncio.open_connection(ops.host, ops.port)
    writer.write(b"NONSENSE\r\n\r\n")
    await writer.drain()
    assert (await reader.read()).startswith(b"HTTP/1.1 400 ")
    writer.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.asyncio
async def test_run_console_serves_the_endpoint_when_enabled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    services = Services.build(make_config(tmp_path, port=port))
    stop = asyncio.Event()
    task = asyncio.create_task(run_console(services, stop=stop))
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            for _ in range(100):
                try:
                    r = await client.get(f"http://127.0.0.1:{port}/metrics")
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
                    continue
                if 'topicbot_outbox_alerts{status="sent"} 2.0' in r.text:
                    break
                await asyncio.sleep(0.05)
            assert 'topicbot_outbox_alerts{status="sent"} 2.0' in r.text
            assert (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await services.aclose()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
    assert "Taliban indtager Kabul." in capsys.readouterr().out
