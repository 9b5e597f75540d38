"""Options every `topicbot` command takes, in one place for the top parser, each command and
the `feeds` actions."""

from __future__ import annotations

import argparse


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--config and --log-level, accepted before the command and after it (and after a
    `feeds` action). Every parser but the top one leaves the value unset when the option is
    not given (`suppress`), so `topicbot --config X check-config` keeps X."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--config",
        "-c",
        metavar="PATH",
        default=default,
        help="config file (default: $TOPICBOT_CONFIG or ./config.yaml)",
    )
    parser.add_argument(
        "--log-level",
        default=default,
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="log verbosity (default: INFO, or $TOPICBOT_LOG_LEVEL)",
    )
