"""`bot.runtime.PollSchedule`: a stop lets the polls in flight finish, and cuts short only
what outlives the grace, without the error and traceback APScheduler logs for a job it
cancels (the crash-safety test's flake: a poll starting just as the process stopped)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.runtime import PollSchedule


@pytest.mark.asyncio
async def test_stop_lets_a_poll_in_flight_finish(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[str] = []

    async def poll() -> object:
        started.set()
        await release.wait()
        finished.append("poll feed a")
        return None

    schedule = PollSchedule()
    schedule.add(poll, 3600, "poll feed a")
    schedule.start()
    await asyncio.wait_for(started.wait(), 10)
    stopping = asyncio.create_task(schedule.stop(grace=30))
    await asyncio.sleep(0)  # the stop has paused the scheduler and waits for the poll
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 10)
    assert finished == ["poll feed a"]
    assert not schedule.scheduler.running
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


@pytest.mark.asyncio
async def test_a_poll_outliving_the_grace_is_cut_short_without_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    started = asyncio.Event()

    async def stuck() -> object:
        started.set()
        await asyncio.Event().wait()  # a feed that never answers
        return None

    schedule = PollSchedule()
    schedule.add(stuck, 3600, "poll feed stuck")
    schedule.start()
    await asyncio.wait_for(started.wait(), 10)
    await asyncio.wait_for(schedule.stop(grace=0.05), 10)
    assert not schedule.scheduler.running
    assert "poll feed stuck: cut short by the stop" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


@pytest.mark.asyncio
async def test_a_job_that_fails_on_its_own_is_still_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran = asyncio.Event()

    async def broken() -> object:
        ran.set()
        raise RuntimeError("disk full")

    schedule = PollSchedule()
    schedule.add(broken, 3600, "poll feed broken")
    schedule.start()
    await asyncio.wait_for(ran.wait(), 10)
    for _ in range(100):  # the executor's callback logs on the next loop turns
        if "disk full" in caplog.text:
            break
        await asyncio.sleep(0.01)
    await schedule.stop()
    assert "disk full" in caplog.text
