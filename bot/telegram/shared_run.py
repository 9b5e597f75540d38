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
from bot.roles import RoleLock, serve_role
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
    """The Telegram side while this process holds the token's lock (`bot.roles.serve_role`)."""

    def start() -> TelegramBot:
        return TelegramBot(config, token, config_path=config_path, polls=False, ops=need_ops)

    bot = await serve_role(RoleLock(url, token), stop, start)
    if bot is not None and bot.conflict:  # a topicbot outside this database polls the token
        return exitcodes.CONFLICT
    return exitcodes.OK
