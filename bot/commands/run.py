"""`topicbot run`: the long-running service."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot import exitcodes
from bot.config import Config, load_config
from bot.errors import ConfigError
from bot.heap import freeze_after_start_up
from bot.instance_lock import lock_for
from bot.logging_setup import register_secret
from bot.ops import metrics
from bot.roles import ROLES

NAME = "run"
HELP = "poll feeds and folders on schedule and deliver alerts until stopped"
DESCRIPTION = """Run the service: every feed and folder is polled at its interval, new articles
are classified, and alerts are delivered until Ctrl-C or SIGTERM (clean shutdown: deliveries in
flight finish, everything else waits in the outbox).

With the token variable named by telegram.token_env set, alerts go to Telegram subscribers and
the bot answers chat commands; without it, every alert is printed to the console.

With storage.url postgresql://…, start as many processes as you like, each the same way:
they divide the feeds between them, and one of them at a time (chosen by the database) runs
the Telegram side (without a token: prints the alerts); when it dies another takes over
within seconds. --role poller / bot limits a process to one side.

Exit codes: 0 stopped cleanly, 3 configuration error, 4 database or model error,
5 another instance already uses this bot token or this database (console mode too),
130 interrupted."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--role",
        choices=ROLES,
        default="all",
        help="PostgreSQL only: poller (poll and classify), bot (the Telegram side, or the "
        "console's printing without a token: one process at a time) or all (default)",
    )


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    freeze_after_start_up()
    token = config.telegram.token()
    role: str = getattr(args, "role", "all")
    if config.postgres_url is None:
        if role != "all":
            raise ConfigError(
                [f"--role {role}: needs storage.url postgresql://… (a SQLite file has one process)"]
            )
        metrics.set_role("poller", True)
        metrics.set_role("bot", True)
    elif token:
        from bot.telegram.shared_run import serve_shared

        register_secret(token)
        return asyncio.run(serve_shared(config, token, role, config_path=args.config))
    else:
        from bot.runtime import serve_shared_console

        asyncio.run(serve_shared_console(config, role))
        return exitcodes.OK
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
