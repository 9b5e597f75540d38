"""`bot.runtime.PollSchedule`: a stop lets the polls in flight finish, and cuts short only
what outlives the grace, without the error and traceback APScheduler logs for a job it
cancels (the crash-safety test's flake: a poll starting just as the process stopped)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.runtime import PollSchedule


async def running(job: Callable[[asyncio.Event], Awaitable[object]], name: str) -> PollSchedule:
    """A started schedule whose one job (`job(started)`) has started."""
    started = asyncio.Event()
    schedule = PollSchedule()
    schedule.add(lambda: job(started), 3600, name)
    schedule.start()
    await asyncio.wait_for(started.wait(), 10)
    return schedule


def assert_no_error(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


@pytest.mark.asyncio
async def test_stop_lets_a_poll_in_flight_finish(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    release = asyncio.Event()
    finished: list[str] = []

    async def poll(started: asyncio.Event) -> object:
        started.set()
        await release.wait()
        finished.append("poll feed a")
        return None

    schedule = await running(poll, "poll feed a")
    stopping = asyncio.create_task(schedule.stop(grace=30))
    await asyncio.sleep(0)  # the stop has paused the scheduler and waits for the poll
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 10)
    assert finished == ["poll feed a"]
    assert not schedule.scheduler.running
    assert_no_error(caplog)


@pytest.mark.asyncio
async def test_a_poll_outliving_the_grace_is_cut_short_without_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)

    async def stuck(started: asyncio.Event) -> object:
        started.set()
        await asyncio.Event().wait()  # a feed that never answers
        return None

    schedule = await running(stuck, "poll feed stuck")
    await asyncio.wait_for(schedule.stop(grace=0.05), 10)
    assert not schedule.scheduler.running
    assert "poll feed stuck: cut short by the stop" in caplog.text
    assert_no_error(caplog)


@pytest.mark.asyncio
async def test_a_job_that_fails_on_its_own_is_still_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(started: asyncio.Event) -> object:
        started.set()
        raise RuntimeError("disk full")

    schedule = await running(broken, "poll feed broken")
    for _ in range(100):  # the executor's callback logs on the next loop turns
        if "disk full" in caplog.text:
            break
        await asyncio.sleep(0.01)
    await schedule.stop()
    assert "disk full" in caplog.text
