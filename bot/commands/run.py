"""`topicbot run`: the long-running service."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot import exitcodes
from bot.config import Config, load_config
from bot.instance_lock import lock_for

NAME = "run"
HELP = "poll feeds and folders on schedule and deliver alerts until stopped"
DESCRIPTION = """Run the service: every feed and folder is polled at its interval, new articles
are classified, and alerts are delivered until Ctrl-C or SIGTERM (clean shutdown: deliveries in
flight finish, everything else waits in the outbox).

With the token variable named by telegram.token_env set, alerts go to Telegram subscribers and
the bot answers chat commands; without it, every alert is printed to the console.

Exit codes: 0 stopped cleanly, 3 configuration error, 4 database or model error,
5 another instance already uses this bot token or this database (console mode too),
130 interrupted."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    token = config.telegram.token()
    if token:
        from bot.telegram.app import run_telegram

        return run_telegram(config, token, config_path=args.config)
    # Console mode has no Telegram to refuse a second poller: the database lock is the guard.
    lock = lock_for(config)
    if lock is not None and not lock.acquire():
        print(
            f"topicbot run: another topicbot is already running with database {config.db_path} "
            f"(lock {lock.path}); stop it first, or give this one its own storage.path",
            file=sys.stderr,
        )
        return exitcodes.CONFLICT
    try:
        asyncio.run(_run_console(config))
    finally:
        if lock is not None:
            lock.release()
    return exitcodes.OK


async def _run_console(config: Config) -> None:
    from bot.runtime import Services, run_console

    services = Services.build(config, progress=True)
    try:
        await run_console(services)
    finally:
        await services.aclose()
