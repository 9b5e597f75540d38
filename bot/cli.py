"""The `topicbot` command: discovers subcommands in `bot.commands` and runs one."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

import bot.commands
from bot import __version__, exitcodes
from bot.errors import ConfigError, StoreError, TopicbotError
from bot.logging_setup import setup_logging


def _command_modules() -> list[ModuleType]:
    mods = []
    for info in pkgutil.iter_modules(bot.commands.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"bot.commands.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            mods.append(mod)
    return sorted(mods, key=lambda m: m.NAME)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        "-c",
        metavar="PATH",
        help="config file (default: $TOPICBOT_CONFIG or ./config.yaml)",
    )
    common.add_argument(
        "--log-level",
        default=None,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="log verbosity (default: INFO, or $TOPICBOT_LOG_LEVEL)",
    )
    parser = argparse.ArgumentParser(
        prog="topicbot",
        description="Topic alerts for Danish news: feeds and text folders in, Telegram out.",
    )
    parser.add_argument("--version", action="version", version=f"topicbot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _command_modules():
        p = sub.add_parser(
            mod.NAME,
            help=mod.HELP,
            description=getattr(mod, "DESCRIPTION", mod.HELP),
            parents=[common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return exitcodes.USAGE
    setup_logging(args.log_level)
    log = logging.getLogger("topicbot")
    try:
        return int(args._run(args))
    except ConfigError as exc:
        where = f"{exc.path}: " if exc.path else ""
        print(f"topicbot: configuration error in {where.rstrip(': ') or 'config'}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exitcodes.CONFIG
    except StoreError as exc:
        log.error("storage error: %s", exc)
        return exitcodes.STORAGE
    except TopicbotError as exc:
        log.error("%s", exc)
        return exitcodes.PARTIAL
    except KeyboardInterrupt:
        return exitcodes.INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
