"""`topicbot store copy`: move an installation between SQLite and PostgreSQL."""

from __future__ import annotations

import argparse

from bot import exitcodes
from bot.store.backend import redact

NAME = "store"
HELP = "copy the whole database to another one (e.g. SQLite to PostgreSQL)"
DESCRIPTION = """Database maintenance.

  topicbot store copy --from sqlite:///data/topicbot.sqlite3 \\
                      --to postgresql://topicbot@db:5432/topicbot

copies everything (articles, feed state, chats, subscriptions, watch words, the outbox,
feedback) into a new, empty database, keeping ids, then counts every table on both sides
and prints the counts. Stop every topicbot using the source first. Both databases are brought
to this topicbot's schema before copying. A password in a URL is better given through
$PGPASSWORD or ~/.pgpass than on the command line.

Exit codes: 0 copied and verified, 1 the counts differ, 2 bad arguments,
4 a database cannot be opened, is not empty or cannot be written."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    copy = sub.add_parser(
        "copy",
        help="copy every table into a new, empty database and verify the counts",
        description="Copy every table into a new, empty database and verify the counts.",
    )
    copy.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="URL",
        help="sqlite:///path (or a path) or postgresql://user@host:port/db",
    )
    copy.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="URL",
        help="the new, empty database (same forms)",
    )


def run(args: argparse.Namespace) -> int:
    from bot.store import Store
    from bot.store.copy import copy_store

    if args.source == args.target:
        print("topicbot: --from and --to name the same database")
        return exitcodes.USAGE
    with Store.open(args.source) as source, Store.open(args.target) as target:
        print(f"copying {redact(source.backend.label)} -> {redact(target.backend.label)}")
        counts = copy_store(source, target)
    width = max(len(c.table) for c in counts)
    print(f"{'table':<{width}}  {'source':>9}  {'target':>9}")
    for c in counts:
        mark = "" if c.ok else "  MISMATCH"
        print(f"{c.table:<{width}}  {c.source:>9}  {c.target:>9}{mark}")
    if all(c.ok for c in counts):
        print(f"verified: {sum(c.target for c in counts)} rows in {len(counts)} tables")
        return exitcodes.OK
    print("topicbot: the counts differ; do not use the copy")
    return exitcodes.PARTIAL
