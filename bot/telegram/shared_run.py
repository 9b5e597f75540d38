"""`topicbot run` on a shared (PostgreSQL) database: the roles of `bot.roles` in one process.

Every process is started the same way. With role ``all`` (the default) it polls its share of
the feeds at once and stands by for the bot role; whichever process holds the advisory lock
runs the Telegram side (`TelegramBot` without polls of its own). When the holder dies, its
lock goes with its session and a standby starts the Telegram side within `RETRY_SECONDS`
plus its start-up. The outbox rules are unchanged: rows are committed before sending and
marked after, so a take-over resends at most the sends in flight at the kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from bot import exitcodes
from bot.config import Config
from bot.ops import metrics, start_if_enabled
from bot.ops.server import OpsServer
from bot.roles import RoleLock
from bot.runtime import Services, install_stop_signals, run_pollers
from bot.telegram.app import TelegramBot

log = logging.getLogger(__name__)


async def serve_shared(
    config: Config, token: str, role: str, *, config_path: Path | str | None = None
) -> int:
    """Run the process's roles until SIGINT/SIGTERM; the exit code."""
    url = config.postgres_url
    assert url is not None, "a shared database is PostgreSQL"
    stop = asyncio.Event()
    install_stop_signals(stop)
    tasks: list[asyncio.Task[object]] = []
    services: Services | None = None
    ops: OpsServer | None = None
    code = exitcodes.OK
    try:
        if role in ("all", "poller"):
            services = await asyncio.to_thread(Services.build, config)
            metrics.set_role("poller", True)
            tasks.append(asyncio.create_task(run_pollers(services, stop), name="pollers"))
            ops = await start_if_enabled(config, services.store)
        if role in ("all", "bot"):
            metrics.set_role("bot", False)
            code = await _bot_role(config, token, url, stop, config_path, need_ops=ops is None)
        else:
            await stop.wait()
    finally:
        stop.set()
        for task in tasks:
            with contextlib.suppress(Exception):
                await task
        if ops is not None:
            await ops.close()
        if services is not None:
            await services.aclose()
    return code


async def _bot_role(
    config: Config,
    token: str,
    url: str,
    stop: asyncio.Event,
    config_path: Path | str | None,
    *,
    need_ops: bool,
) -> int:
    """Stand by for the lock, run the Telegram side while it is held, again after a loss."""
    lock = RoleLock(url, token)
    while await lock.acquire(stop):
        metrics.set_role("bot", True)
        bot = TelegramBot(config, token, config_path=config_path, polls=False, ops=need_ops)
        try:
            async with bot:
                waits = {
                    asyncio.create_task(lock.lost()),
                    asyncio.create_task(stop.wait()),
                    asyncio.create_task(bot.stop_requested.wait()),
                }
                _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
        finally:
            metrics.set_role("bot", False)
            await lock.release()
        if bot.conflict:  # a topicbot outside this database polls the token
            stop.set()
            return exitcodes.CONFLICT
        if bot.stop_requested.is_set() and not stop.is_set():
            stop.set()  # the bot stopped itself (a fatal error): so does the process
    return exitcodes.OK
