"""The bot role's advisory lock: one holder per token, a standby takes over when it goes."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.ops import metrics
from bot.ops.server import HealthChecker
from bot.roles import RoleLock, lock_key
from bot.store import Store


@pytest.mark.asyncio
@pytest.mark.timeout(30)
async def test_one_holder_per_token_and_a_standby_takes_over(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.roles")
    stop = asyncio.Event()
    first = RoleLock(postgres_url, "1:token", retry=0.1)
    standby = RoleLock(postgres_url, "1:token", retry=0.1)
    other_bot = RoleLock(postgres_url, "2:token", retry=0.1)
    assert await first.acquire(stop)
    assert await other_bot.acquire(stop)  # another token is another role
    waiting = asyncio.create_task(standby.acquire(stop))
    # The standby has asked and been refused (it says so once), not merely not started yet.
    while "standing by" not in caplog.text:
        assert not waiting.done(), "the standby took a role that is held"
        await asyncio.sleep(0.01)
    assert not waiting.done()
    await first.release()  # as a killed process's session ends
    assert await asyncio.wait_for(waiting, 5)
    assert standby.held and not first.held
    stop.set()
    for lock in (standby, other_bot):
        await lock.release()
    assert lock_key("1:token") != lock_key("2:token")


@pytest.mark.asyncio
@pytest.mark.timeout(30)
async def test_a_holder_whose_session_ends_gives_the_role_up(postgres_url: str) -> None:
    lock = RoleLock(postgres_url, "1:token", retry=0.1)
    assert await lock.acquire(asyncio.Event())
    with Store.open(postgres_url) as store:  # the server ends the holder's session
        store._query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'topicbot bot role'"
        )
    await asyncio.wait_for(lock.lost(), 5)
    assert not lock.held


def test_healthz_names_the_roles_and_a_standby_is_not_a_stuck_sender(tmp_path: object) -> None:
    with Store.open(":memory:") as store:
        health = HealthChecker(store, sources=None, stale_after=60)
        try:
            metrics.set_role("poller", True)
            metrics.set_role("bot", False)
            ok, body = health.check()
            assert body["roles"] == ["poller"]
            assert body["checks"]["sender"]["note"] == "another process holds the bot role"  # type: ignore[index]
            metrics.set_role("bot", True)
            _, body = health.check()
            assert body["roles"] == ["bot", "poller"]
            assert b'topicbot_role{role="bot"} 1.0' in metrics.exposition()
        finally:
            metrics._roles.clear()
