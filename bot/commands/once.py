"""`topicbot once`: poll every source once, deliver what matched, exit."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot import exitcodes
from bot.config import Config, load_config
from bot.plural import plural

NAME = "once"
HELP = "poll every feed and folder once, deliver the alerts, and exit"
DESCRIPTION = """Poll every enabled feed and folder once, classify new articles, deliver the
alerts (to Telegram when the token variable is set, else to the console) and exit.

Exit codes: 0 done (some sources may have failed; they are logged), 1 every source failed
(or any, with --strict), 3 configuration error, 4 database or model error."""

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="exit 1 if any source failed to poll")


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    return asyncio.run(_once(config, strict=args.strict))


async def _once(config: Config, *, strict: bool) -> int:
    # Imported here so that `topicbot --help` does not load scikit-learn.
    from bot.console import ConsoleSender
    from bot.matcher import enable_console
    from bot.runtime import Services

    services = Services.build(config, progress=True)
    try:
        token = config.telegram.token()
        if token:
            from bot.telegram.once import deliver_once

            await_send = deliver_once(services, token)
        else:
            enable_console(services.store, [t.id for t in config.topics])
            await_send = ConsoleSender(services.store, services.config.topic_names("da")).drain()
        await services.pipeline.process_pending()
        report = await services.pipeline.poll_all()
        sent = await await_send
        log.info(
            "once: %s polled, %d failed, %d backing off, %s, %s sent",
            plural(report.polled, "source"),
            len(report.failed),
            len(report.backing_off),
            plural(report.new_articles, "new article"),
            plural(sent, "alert"),
        )
        if report.failed:
            log.warning("sources that failed: %s", ", ".join(report.failed))
        if report.backing_off:
            log.warning("sources backing off after failures: %s", ", ".join(report.backing_off))
        if report.gone:
            log.warning("feeds not polled, 410 Gone: %s", ", ".join(report.gone))
        failing = len(report.failed) + len(report.backing_off)
        total = len(services.pipeline.source_names)
        if failing and (strict or failing == total):
            return exitcodes.PARTIAL
        return exitcodes.OK
    finally:
        await services.aclose()
