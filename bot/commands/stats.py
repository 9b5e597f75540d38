"""`topicbot stats`: articles per topic per day, as a table or a PNG chart."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import exitcodes
from bot.config import load_config

NAME = "stats"
HELP = "show matched articles per topic per day (table, or a PNG chart with --plot)"
DESCRIPTION = """Count the articles matched per topic per day (Copenhagen days, by publication
time when known) from the database, and print a table of the last 7 days with the total over
--days days. With --plot FILE.png the same counts are drawn as a chart; it is the chart
/stats sends in chat. Nothing else is written: the database is opened read-only.

Exit codes: 0 done, 1 the chart could not be drawn or written, 2 bad arguments,
3 configuration error, 4 no database yet or it cannot be read."""


def _days(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not 1 <= n <= 366:
        raise argparse.ArgumentTypeError("must be between 1 and 366")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--days", type=_days, default=30, metavar="N", help="days to count (default: 30)"
    )
    parser.add_argument("--plot", type=Path, metavar="FILE.png", help="also draw a PNG chart")


def run(args: argparse.Namespace) -> int:
    from bot.stats import PlotUnavailable, format_table, render_chart, topic_counts_per_day
    from bot.store import Store

    config = load_config(args.config)
    if not config.database_exists():
        print(
            f"topicbot: no database at {config.db_path} yet (run `topicbot once` first)",
            file=sys.stderr,
        )
        return exitcodes.STORAGE
    names = config.topic_names("en")  # operator output is English
    with Store.open_read_only(config.store_url) as store:
        counts = topic_counts_per_day(store, days=args.days, topics=list(names))
    print(format_table(counts, names), end="")
    if args.plot is not None:
        try:
            png = render_chart(
                counts,
                names,
                f"Articles per topic per day, last {args.days} days",
                language="en",
            )
        except PlotUnavailable as exc:
            print(f"topicbot: {exc}", file=sys.stderr)
            return exitcodes.PARTIAL
        try:
            args.plot.write_bytes(png)
        except OSError as exc:
            print(f"topicbot: cannot write {args.plot}: {exc.strerror or exc}", file=sys.stderr)
            return exitcodes.PARTIAL
        print(f"chart written to {args.plot} ({len(png)} bytes)")
    return exitcodes.OK
