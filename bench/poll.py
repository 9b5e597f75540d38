"""Polling benchmark: one full poll cycle over 100 / 1,000 / 2,000 loopback feeds.

    python bench/poll.py            # 100, 1,000 and 2,000 feeds (a few minutes)
    python bench/poll.py --quick    # 100 feeds only (< 30 s)
    python bench/poll.py --help

Three processes per feed count, so each figure belongs to one party:

* a stand-in server (`tests.standins.feed_server.FeedServer`) serving generated Danish feeds,
  RSS 2.0 like DR's and some Atom, 20-50 items each, with ETag and/or Last-Modified (so an
  unchanged feed answers 304) and gzip on a third of them;
* topicbot: `Services.build(config)` and `Pipeline.poll_all()` exactly as production runs
  them (SQLite store in a temp folder, the configured classifier, first-poll suppression).
  Cycle 1 is cold (every feed new, every item recorded and classified); between the cycles
  ~10 % of the feeds get 1-3 new items; cycle 2 is warm (the rest answer 304);
* the baseline: the same URLs fetched one after another with plain ``feedparser.parse(url)``
  (no conditional GET, no storage, no classification). For many feeds it is measured on the
  first ``--baseline-cap`` feeds and its wall and CPU time extrapolated linearly (marked "≈").

Wall time, CPU seconds (user + system, all threads) and peak RSS are taken inside the
measured process; the peak is reset before each cycle (Linux ``clear_refs``), so each row
shows that cycle's own peak (the process's peak is the highest of them and of setup).
Ratios are baseline ÷ topicbot: above 1× means topicbot is better. Logging is at WARNING
(production logs one INFO line per changed feed).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
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
    current_rss_mb,
    fmt,
    markdown_table,
    measure,
    peak_rss_mb,
    ratio,
    serve,
)
from generated_feeds import server_child  # noqa: E402  (the feeds both benchmarks serve)

add_repo_root()

GOAL_FEEDS = 2000
GOAL_WALL_S = 10.0
GOAL_RSS_MB = 250.0

# --- the measured topicbot process ---------------------------------------------------------


def bench_config_text(
    urls: list[str], names: list[str], concurrency: int | None, mode: str | None
) -> str:
    """config.yaml for the bench: the repo's topics, the loopback feeds, production defaults."""
    import yaml

    repo = yaml.safe_load((REPO_ROOT / "config.yaml").read_text(encoding="utf-8"))
    data: dict[str, Any] = {
        "topics": repo["topics"],
        "feeds": [{"name": n, "url": u} for n, u in zip(names, urls, strict=True)],
        "storage": {"path": "topicbot.sqlite3"},
    }
    if concurrency is not None:
        data["fetch"] = {"concurrency": concurrency}
    if mode is not None:
        data["classifier"] = {"mode": mode}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def poller_child(
    conn: Connection,
    urls: list[str],
    names: list[str],
    concurrency: int | None,
    mode: str | None,
    profile_dir: str | None,
) -> None:
    """topicbot's side: build Services as production does, then poll_all() on request."""
    logging.basicConfig(level=logging.WARNING)
    start = Usage.now()
    from bot.config import parse_config
    from bot.runtime import Services

    with tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
        config = parse_config(bench_config_text(urls, names, concurrency, mode), base_dir=Path(tmp))
        services = Services.build(config)
        setup = Usage.now().since(start)
        setup_peak = peak_rss_mb()
        loop = asyncio.new_event_loop()
        cycles = 0

        def setup_info() -> dict[str, Any]:
            return {
                "classifier": type(services.classifier).__name__,
                "mode": config.classifier.mode,
                "concurrency": config.fetch.concurrency,
                "setup_s": setup.wall_s,
                "rss_after_setup_mb": current_rss_mb(),
                "setup_peak_mb": setup_peak,
            }

        def cycle() -> dict[str, Any]:
            nonlocal cycles
            cycles += 1
            profiler = cProfile.Profile() if profile_dir else None
            if profiler:
                profiler.enable()
            report, usage = measure(
                lambda: loop.run_until_complete(services.pipeline.poll_all()), reset_peak=True
            )
            if profiler:
                profiler.disable()
                out = Path(profile_dir or ".") / f"poll-{len(urls)}-cycle{cycles}.prof"
                profiler.dump_stats(out)
            return {
                "polled": report.polled,
                "failed": len(report.failed),
                "failed_sample": report.failed[:3],
                "backing_off": len(report.backing_off),
                "new_articles": report.new_articles,
                "alerts_queued": report.alerts_queued,
                "usage": usage,
                "rss_now_mb": current_rss_mb(),
            }

        try:
            serve(conn, {"setup": setup_info, "cycle": cycle})
        finally:
            loop.run_until_complete(services.aclose())
            loop.close()


# --- the baseline process --------------------------------------------------------------------


def baseline_child(conn: Connection, urls: list[str]) -> None:
    """Plain ``feedparser.parse(url)``, one feed after another."""
    import feedparser

    def run() -> dict[str, Any]:
        def fetch_all() -> tuple[int, int]:
            entries = bozo = 0
            for url in urls:
                result = feedparser.parse(url)
                entries += len(result.entries)
                bozo += bool(result.get("bozo")) and not result.entries
            return entries, bozo

        (entries, failed), usage = measure(fetch_all)
        return {"entries": entries, "failed": failed, "usage": usage}

    serve(conn, {"run": run})


# --- orchestration -------------------------------------------------------------------------


@dataclass
class Row:
    feeds: int
    run: str
    responses: str
    items: int
    new: int | None
    usage: Usage
    estimated: bool = False
    failed: int = 0


def bench_n(n: int, args: argparse.Namespace) -> tuple[list[Row], str]:
    rows: list[Row] = []
    with Worker(server_child, n, args.seed, name=f"feed-server-{n}") as server:
        urls, names, total_items = server.request("info", timeout=300)
        with Worker(
            poller_child,
            urls,
            names,
            args.concurrency,
            args.classifier,
            args.profile,
            name=f"topicbot-{n}",
        ) as bot:
            setup = bot.request("setup", timeout=600)
            for label in ("cold (cycle 1)", "warm (cycle 2)"):
                if label.startswith("warm"):
                    server.request("mutate", args.changed)
                res = bot.request("cycle", timeout=1800)
                st = server.request("stats")
                rows.append(
                    Row(
                        n,
                        f"topicbot {label}",
                        f"{st['full']:,} / {st['not_modified']:,}",
                        st["items"],
                        res["new_articles"],
                        res["usage"],
                        failed=res["failed"] + res["backing_off"],
                    )
                )
                if res["failed"]:
                    print(f"  !! {res['failed']} feeds failed, e.g. {res['failed_sample']}")
        cap = min(n, args.baseline_cap)
        with Worker(baseline_child, urls[:cap], name=f"baseline-{n}") as base:
            b = base.request("run", timeout=1800)
        st = server.request("stats")
        scale = n / cap
        u: Usage = b["usage"]
        rows.append(
            Row(
                n,
                "baseline feedparser.parse(url), sequential"
                + (f" [{cap:,} feeds measured, ×{scale:g}]" if cap < n else ""),
                f"{st['full']:,} / {st['not_modified']:,}",
                round(st["items"] * scale),
                None,
                Usage(u.wall_s * scale, u.cpu_s * scale, u.peak_rss_mb),
                estimated=cap < n,
                failed=b["failed"],
            )
        )
    note = (
        f"{n:,} feeds ({total_items:,} items): classifier {setup['classifier']} "
        f"(mode {setup['mode']}), fetch.concurrency {setup['concurrency']}, setup "
        f"{setup['setup_s']:.1f} s, RSS after setup {setup['rss_after_setup_mb']:.0f} MB "
        f"(peak during setup {setup['setup_peak_mb']:.0f} MB)"
    )
    return rows, note


def table(rows: list[Row]) -> str:
    base = {r.feeds: r for r in rows if r.run.startswith("baseline")}
    out = []
    for r in rows:
        b = base[r.feeds]
        is_base = r is b
        approx = "≈" if r.estimated else ""
        items_s = r.items / r.usage.wall_s if r.usage.wall_s > 0 else None
        out.append(
            [
                fmt(r.feeds),
                r.run,
                r.responses,
                approx + fmt(r.items),
                fmt(r.new),
                approx + fmt(r.usage.wall_s),
                approx + fmt(r.usage.cpu_s),
                fmt(r.usage.peak_rss_mb, 0),
                approx + fmt(items_s, 0),
                "1×" if is_base else ratio(r.usage.wall_s, b.usage.wall_s, 1),
                "1×" if is_base else ratio(r.usage.cpu_s, b.usage.cpu_s, 1),
                fmt(r.failed),
            ]
        )
    headers = [
        "feeds",
        "run",
        "200 / 304",
        "items parsed",
        "new articles",
        "wall s",
        "CPU s",
        "peak RSS MB",
        "items/s",
        "wall: baseline ÷ run",
        "CPU: baseline ÷ run",
        "failed",
    ]
    return markdown_table(headers, out)


def verdict(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.feeds != GOAL_FEEDS or r.run.startswith("baseline"):
            continue
        ok_wall = r.usage.wall_s <= GOAL_WALL_S
        ok_rss = r.usage.peak_rss_mb <= GOAL_RSS_MB
        lines.append(
            f"goal {GOAL_FEEDS:,} feeds, {r.run}: wall {r.usage.wall_s:.1f} s "
            f"(<= {GOAL_WALL_S:g} s: {'met' if ok_wall else 'MISSED'}), peak RSS "
            f"{r.usage.peak_rss_mb:.0f} MB (<= {GOAL_RSS_MB:g} MB: "
            f"{'met' if ok_rss else 'MISSED'})"
        )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python bench/poll.py",
        description="Time one full poll cycle (cold and warm) over loopback feeds, against "
        "sequential feedparser.parse(url). Prints a Markdown table.",
    )
    p.add_argument("--quick", action="store_true", help="100 feeds only (< 30 s)")
    p.add_argument(
        "--feeds",
        default="100,1000,2000",
        help="comma-separated feed counts (default: %(default)s)",
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="fetch.concurrency for topicbot (default: the production default)",
    )
    p.add_argument(
        "--classifier",
        choices=["hybrid", "model", "keywords"],
        default=None,
        help="classifier.mode (default: the production default)",
    )
    p.add_argument(
        "--baseline-cap",
        type=int,
        default=200,
        help="measure the baseline on at most this many feeds, extrapolate the rest "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--changed",
        type=float,
        default=0.10,
        help="share of feeds with new items before cycle 2 (default: %(default)s)",
    )
    p.add_argument("--seed", type=int, default=6, help="content seed (default: %(default)s)")
    p.add_argument(
        "--profile",
        metavar="DIR",
        default=None,
        help="cProfile each topicbot cycle into DIR/poll-N-cycleK.prof and print the top",
    )
    args = p.parse_args(argv)
    args.sizes = [100] if args.quick else [int(x) for x in args.feeds.split(",") if x.strip()]
    if any(n <= 0 for n in args.sizes) or args.baseline_cap <= 0:
        p.error("feed counts and --baseline-cap must be positive")
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cmd = "python bench/poll.py" + ("" if argv is None else "") + " " + " ".join(sys.argv[1:])
    print(f"$ {cmd.strip()}", flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    for n in args.sizes:
        print(f"... {n:,} feeds", file=sys.stderr, flush=True)
        r, note = bench_n(n, args)
        rows += r
        notes.append(note)
    print()
    print(table(rows))
    print()
    for note in notes:
        print(f"- {note}")
    for line in verdict(rows):
        print(f"- {line}")
    if args.profile:
        for prof in sorted(Path(args.profile).glob("poll-*-cycle*.prof")):
            print(f"\n## {prof.name}: top 20 by own time")
            pstats.Stats(str(prof), stream=sys.stdout).sort_stats("tottime").print_stats(20)
    print(f"\n(total bench time {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
