"""Scale-out benchmark: one poll cycle over N loopback feeds with 1, 2, 4 topicbot processes on
PostgreSQL, beside one process on SQLite, in one run.

    python bench/scale.py                     # 4,000 feeds; 1, 2, 4 processes (many minutes)
    python bench/scale.py --feeds 1000        # what the numbers in BENCHMARKS.md used
    python bench/scale.py --quick             # 200 feeds, 1 and 2 processes (< 1 min)

Each configuration gets a fresh database (a throwaway PostgreSQL server from Debian's binaries,
`tests/standins/postgres.py`, or a SQLite file) and k `Services.build(config)` processes (the
production wiring), which run the production poll jobs (`schedule_polls`: on PostgreSQL every
feed's job claims its lease first, `bot.store.leases`) all at once, then `process_pending`.
Cycle 1 is cold (every feed new), then ~10 % of the feeds get new items and every lease is
reset, and cycle 2 is warm (the rest answer 304). The feed server (`bench/generated_feeds.py`,
the generated Danish feeds `bench/poll.py` serves too) counts the fetches: each feed must be
fetched once per cycle however many processes run. The classifier is `keywords` by default
(the cycle measures polling and storage; `--classifier hybrid` trains a model per process
first).

Wall is the slowest process's cycle; CPU the sum over processes; peak RSS the highest single
process's peak during the cycle. Ratios: run ÷ the SQLite process (below 1× is faster).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402  (needs the path above)
    REPO_ROOT,
    Usage,
    Worker,
    add_repo_root,
    fmt,
    markdown_table,
    measure,
    ratio,
    serve,
)

add_repo_root()
from generated_feeds import server_child  # noqa: E402  (the feeds bench/poll.py serves too)


def config_text(
    urls: list[str], names: list[str], store: str, mode: str, parse_workers: int = 0
) -> str:
    import yaml

    repo = yaml.safe_load((REPO_ROOT / "config.yaml").read_text(encoding="utf-8"))
    data: dict[str, Any] = {
        "topics": repo["topics"],
        "feeds": [{"name": n, "url": u} for n, u in zip(names, urls, strict=True)],
        "storage": {"url": store},
        "classifier": {"mode": mode, "retrain_interval": 0},
        "fetch": {"parse_workers": parse_workers},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def poller_child(
    conn: Connection, urls: list[str], names: list[str], store: str, mode: str, workers: int = 0
) -> None:
    """One topicbot process: the production poll jobs, all started at once, on request."""
    logging.basicConfig(level=logging.WARNING)
    from bot.config import parse_config
    from bot.runtime import Services, schedule_polls

    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        text = config_text(urls, names, store, mode, workers)
        config = parse_config(text, base_dir=Path(tmp))
        services = Services.build(config)
        jobs: list[Any] = []
        schedule_polls(lambda job, _interval, _name: jobs.append(job), services.pipeline)
        loop = asyncio.new_event_loop()

        async def run() -> int:
            done = await asyncio.gather(*(job() for job in jobs))
            await services.pipeline.process_pending()
            return sum(outcome is not None for outcome in done)

        def cycle() -> dict[str, Any]:
            polled, usage = measure(lambda: loop.run_until_complete(run()), reset_peak=True)
            return {"polled": polled, "usage": usage}

        def reset_leases() -> None:
            services.store._execute("UPDATE source_state SET poll_lease = NULL")

        try:
            serve(conn, {"ready": lambda: True, "cycle": cycle, "reset": reset_leases})
        finally:
            loop.run_until_complete(services.aclose())
            loop.close()


@dataclass
class Row:
    run: str
    cycle: str
    fetches: str
    polled: int
    wall_s: float
    cpu_s: float
    peak_mb: float


def run_config(
    label: str,
    store: str,
    procs: int,
    urls: list[str],
    names: list[str],
    server: Worker,
    args: argparse.Namespace,
    parse_workers: int = 0,
) -> list[Row]:
    workers = [
        Worker(
            poller_child,
            urls,
            names,
            store,
            args.classifier,
            parse_workers,
            name=f"topicbot-{label}-{i}",
            daemon=not parse_workers,  # a daemonic process may not start the parse workers
        )
        for i in range(procs)
    ]
    rows = []
    try:
        for w in workers:
            w.request("ready", timeout=900)
        server.request("stats")  # zero the counts
        for cycle in ("cold", "warm"):
            if cycle == "warm":
                server.request("mutate", args.changed)
                workers[0].request("reset")
                server.request("stats")
            for w in workers:
                w.send("cycle")
            results = [w.recv(timeout=3600) for w in workers]
            st = server.request("stats")
            usages: list[Usage] = [r["usage"] for r in results]
            rows.append(
                Row(
                    label,
                    cycle,
                    f"{st['full']:,} / {st['not_modified']:,}",
                    sum(r["polled"] for r in results),
                    max(u.wall_s for u in usages),
                    sum(u.cpu_s for u in usages),
                    max(u.peak_rss_mb for u in usages),
                )
            )
            print(f"  {label} {cycle}: {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        for w in workers:
            w.close()
    return rows


def table(rows: list[Row], feeds: int) -> str:
    base = {r.cycle: r for r in rows if r.run == "SQLite, 1 process"}
    out = []
    for r in rows:
        b = base[r.cycle]
        out.append(
            [
                r.run,
                r.cycle,
                r.fetches,
                fmt(r.polled),
                fmt(r.wall_s),
                fmt(r.wall_s / feeds * 1000, 2),
                fmt(r.cpu_s),
                fmt(r.peak_mb, 0),
                ratio(b.wall_s, r.wall_s, 2) if r is not b else "1×",
                ratio(b.cpu_s, r.cpu_s, 2) if r is not b else "1×",
            ]
        )
    headers = [
        "run",
        "cycle",
        "200 / 304",
        "feeds polled",
        "wall s",
        "wall ms/feed",
        "CPU s (all procs)",
        "peak RSS MB (one proc)",
        "wall: run ÷ SQLite",
        "CPU: run ÷ SQLite",
    ]
    return markdown_table(headers, out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python bench/scale.py",
        description="One cold and one warm poll cycle with 1..k processes on PostgreSQL "
        "beside one process on SQLite. Prints a Markdown table.",
    )
    p.add_argument("--quick", action="store_true", help="200 feeds, 1 and 2 processes")
    p.add_argument("--feeds", type=int, default=4000, help="feed count (default: %(default)s)")
    p.add_argument("--procs", default="1,2,4", help="PostgreSQL process counts (%(default)s)")
    p.add_argument("--classifier", choices=["hybrid", "model", "keywords"], default="keywords")
    p.add_argument("--changed", type=float, default=0.10, help="share changed before warm")
    p.add_argument("--seed", type=int, default=6)
    p.add_argument(
        "--parse-workers",
        type=int,
        default=0,
        help="also run SQLite with fetch.parse_workers N (cold parses in N processes)",
    )
    args = p.parse_args(argv)
    if args.quick:
        args.feeds, args.procs = 200, "1,2"
    args.proc_counts = [int(x) for x in args.procs.split(",") if x.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"$ python bench/scale.py {' '.join(sys.argv[1:])}".strip(), flush=True)
    from tests.standins.postgres import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        print("no PostgreSQL server binaries (apt-get install postgresql)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    rows: list[Row] = []
    with (
        PostgresServer(bindir) as pg,
        Worker(server_child, args.feeds, args.seed, name="feed-server") as server,
        tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp,
    ):
        urls, names, _ = server.request("info", timeout=600)
        lite = f"sqlite:///{tmp}/topicbot.sqlite3"
        rows += run_config("SQLite, 1 process", lite, 1, urls, names, server, args)
        if args.parse_workers:
            label = f"SQLite, 1 process, {args.parse_workers} parse workers"
            lite2 = f"sqlite:///{tmp}/parse-workers.sqlite3"
            rows += run_config(label, lite2, 1, urls, names, server, args, args.parse_workers)
        for k in args.proc_counts:
            url = pg.create_database(f"bench{k}")
            label = f"PostgreSQL, {k} process{'es' if k > 1 else ''}"
            rows += run_config(label, url, k, urls, names, server, args)
    print()
    print(table(rows, args.feeds))
    total = time.perf_counter() - started
    print(f"\n{args.feeds:,} feeds, classifier {args.classifier}; total {total:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
