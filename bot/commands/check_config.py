"""`topicbot check-config`: validate the config and report every problem with key and line."""

from __future__ import annotations

import argparse
import os

from bot import exitcodes
from bot.config import load_config
from bot.plural import plural
from bot.store.backend import redact

NAME = "check-config"
HELP = "validate config.yaml and report every problem with its key path and line"
DESCRIPTION = """Validate the configuration file without starting anything.

Every problem is printed with its key path and YAML line, for example
  feeds[2].interval: must be a duration like 5m (line 31)
Exit codes: 0 valid, 3 invalid or unreadable."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)  # ConfigError → exit 3 with every problem listed
    token_set = config.telegram.token() is not None
    feeds = sum(f.enabled for f in config.feeds)
    print(
        f"configuration is valid: {plural(len(config.topics), 'topic')}, "
        f"{plural(feeds, 'feed')}, {plural(len(config.folders), 'folder')}"
    )
    database = redact(config.postgres_url) if config.postgres_url else config.db_path
    print(f"  database: {database}")
    print(f"  model:    {config.model_path} (mode {config.classifier.mode})")
    for folder in config.folders:
        path = config.resolve(folder.path)
        if not path.is_dir():
            print(f"  warning: folder {folder.source_name!r}: {path} does not exist (yet)")
    state = "set" if token_set else "not set: alerts go to the console"
    print(f"  telegram: ${config.telegram.token_env} {state}; API {config.telegram.api_url}")
    if os.environ.get("TOPICBOT_CONFIG") and args.config is None:
        print(f"  (read from $TOPICBOT_CONFIG={os.environ['TOPICBOT_CONFIG']})")
    return exitcodes.OK
