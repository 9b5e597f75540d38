"""The `topicbot` command: discovers subcommands in `bot.commands` and runs one."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

import bot.commands
from bot import __version__, exitcodes
from bot.cli_options import add_global_options
from bot.errors import ConfigError, StoreError, TopicbotError
from bot.logging_setup import setup_logging

EXIT_CODES = """\
Exit codes: 0 success, 1 partial failure (e.g. every source failed), 2 usage error,
3 configuration error, 4 database or model error, 5 another instance holds the bot token or
database, 130 interrupted, 141 the output's reader went away (`| head`). Each command's
--help lists the ones it uses."""


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
    parser = argparse.ArgumentParser(
        prog="topicbot",
        description="Topic alerts for Danish news: feeds and text folders in, Telegram out.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"topicbot {__version__}")
    add_global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _command_modules():
        p = sub.add_parser(
            mod.NAME,
            help=mod.HELP,
            description=getattr(mod, "DESCRIPTION", mod.HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add_global_options(p, suppress=True)
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
        print(
            "fix the lines named above, then check with `topicbot check-config`; every setting "
            "and its default is described in bot/config.py (a topic's in bot/config_topics.py)",
            file=sys.stderr,
        )
        return exitcodes.CONFIG
    except StoreError as exc:
        log.error("storage error: %s", exc)
        return exitcodes.STORAGE
    except TopicbotError as exc:
        log.error("%s", exc)
        return exitcodes.PARTIAL
    except KeyboardInterrupt:
        return exitcodes.INTERRUPTED
    except BrokenPipeError:
        # `topicbot feeds | head`: the reader has what it wanted. No traceback; and stdout
        # points at /dev/null so the interpreter's flush at exit does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exitcodes.PIPE_CLOSED


if __name__ == "__main__":
    raise SystemExit(main())
