"""Latency benchmark: a feed item appears → ``sendMessage`` arrives at the Bot API stand-in.

    python bench/latency.py              # 200 items (about 9 minutes)
    python bench/latency.py --quick      # 30 items (about 2 minutes)
    python bench/latency.py --help

Processes, so every figure belongs to one party:

* the Bot API stand-in (`tests.standins.telegram_api`, Telegram's limits: 30/s overall,
  1/s per private chat) recording when each ``sendMessage`` arrived;
* a loopback `FeedServer` with one RSS feed (DR-like, newest 20 items) and a request log
  (when each poll arrived and which version of the feed it was served);
* **topicbot**: the production app, ``python -m bot run --config …`` as a subprocess with the
  token in its environment, ``telegram.api_url`` pointing at the stand-in, the feed polled
  every ``--interval`` (2 s), ``alert_on_first_poll`` false, the production classifier
  (hybrid unless ``--classifier``); one private chat subscribes by sending ``/subscribe nato``
  through the stand-in;
* **baseline**, in the same run on the same items: a naive poller (``httpx`` GET every
  ``--interval`` s, ``feedparser``, ``"nato" in title``, ``await bot.send_message``) polling its
  own copy of the feed and sending to a second chat; no store, no classifier, no outbox.

Then ``--items`` NATO headlines are published one at a time, at random moments (gaps drawn
uniformly from ``--gap``, longer than the poll interval, so a poll never finds two new items
and the 1 s per-chat pacing never delays an alert; see BENCHMARKS.md). Per item:
``t_publish`` (set_body), ``t_fetched`` (the first poll that was served the item, from the
feed server's log) and ``t_sent`` (the stand-in received the alert):
*waiting* = t_fetched − t_publish (for the next poll), *working* = t_sent − t_fetched.
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import html
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402  (needs the path above)
    REPO_ROOT,
    Worker,
    add_repo_root,
    fmt,
    markdown_table,
    ratio,
    serve,
)
from _procs import feed_child, percentile, proc_cpu_s, telegram_child  # noqa: E402

add_repo_root()

TOKEN = "424242:latency-bench-token"
TOKEN_ENV = "TOPICBOT_BENCH_TOKEN"
TOPICBOT_CHAT = 5001
NAIVE_CHAT = 5002
TOPICBOT_PATH = "/dr/seneste.xml"
NAIVE_PATH = "/naive/seneste.xml"
FEED_ITEMS = 20
GOAL_WORKING_P99_S = 0.200

HEADLINES = [
    "Nato styrker beredskabet i Baltikum",
    "Natos generalsekretær besøger København",
    "Nato-landene enes om nye forsvarsmål",
    "Danmark sender fregat til Natos flådestyrke",
    "Nato holder stor øvelse i Nordnorge",
    "Forsvarsministeren: Nato skal købe mere ammunition",
    "Nato-topmødet ender med fælles erklæring",
    "Sverige deltager for første gang i Natos luftforsvar",
    "Nato advarer mod russisk sabotage i Østersøen",
    "Grønland får ny rolle i Natos planer for Arktis",
]
LEADS = [
    "Forsvarsalliancen vil have flere soldater på østflanken, oplyser ministeriet.",
    "Mødet handler om støtten til Ukraine og de nordiske landes bidrag.",
    "Alliancens medlemmer skal bruge mindst to procent af BNP på forsvar.",
]
OTHER = [
    "Regeringen vil skære i ældreplejen",
    "DSB varsler aflysninger over Storebælt",
    "Elpriserne stiger igen i vinter",
]


@dataclass
class Item:
    seq: int
    guid: str
    title: str
    lead: str
    published: float

    @property
    def marker(self) -> str:
        return f"(#{self.seq:03d})"


def rss(items: list[Item]) -> bytes:
    """DR-like RSS 2.0, newest first."""
    body = "".join(
        f"<item><title><![CDATA[{it.title}]]></title>"
        f"<link>https://www.dr.dk/nyheder/udland/{it.guid}</link>"
        f"<description><![CDATA[{it.lead}]]></description>"
        f'<guid isPermaLink="false">urn:dr:article:{it.guid}</guid>'
        f"<pubDate>{email.utils.formatdate(it.published, usegmt=True)}</pubDate></item>"
        for it in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>DR - Seneste nyt</title><link>https://www.dr.dk/nyheder</link>"
        f"<description>Seneste nyt fra DR</description>{body}</channel></rss>"
    ).encode()


def config_text(feed_url: str, api_url: str, interval: float, classifier: str | None) -> str:
    import yaml

    repo = yaml.safe_load((REPO_ROOT / "config.yaml").read_text(encoding="utf-8"))
    data: dict[str, Any] = {
        "topics": repo["topics"],
        "feeds": [
            {
                "name": "DR Seneste nyt",
                "url": feed_url,
                "interval": interval,
                "alert_on_first_poll": False,
            }
        ],
        "storage": {"path": "topicbot.sqlite3"},
        "telegram": {"token_env": TOKEN_ENV, "api_url": api_url},
    }
    if classifier:
        data["classifier"] = {"mode": classifier}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --- the naive baseline process -------------------------------------------------------------


def naive_child(conn: Connection, feed_url: str, api_url: str, interval: float) -> None:
    """Poll with httpx + feedparser every ``interval`` s; send NATO items with send_message."""
    import resource

    import feedparser
    import httpx
    from telegram import Bot
    from telegram.request import HTTPXRequest

    stop = threading.Event()
    cpu: dict[str, float] = {}

    def cpu_now() -> float:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return ru.ru_utime + ru.ru_stime

    async def loop() -> None:
        seen: set[str] = set()
        first = True
        bot = Bot(TOKEN, base_url=api_url, request=HTTPXRequest(connection_pool_size=8))
        async with bot, httpx.AsyncClient() as client:
            while not stop.is_set():
                started = time.monotonic()
                response = await client.get(feed_url)
                for entry in feedparser.parse(response.content).entries:
                    guid = entry.get("id") or entry.get("link", "")
                    if guid in seen:
                        continue
                    seen.add(guid)
                    title = entry.get("title", "")
                    if not first and "nato" in title.lower():
                        await bot.send_message(
                            chat_id=NAIVE_CHAT,
                            text=f"<b>{html.escape(title)}</b>\n{html.escape(entry.link)}",
                            parse_mode="HTML",
                        )
                first = False
                await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

    thread = threading.Thread(target=lambda: asyncio.run(loop()), daemon=True)

    def start() -> None:
        thread.start()

    def begin_measuring() -> None:
        cpu["start"] = cpu_now()

    def cpu_used() -> float:
        return cpu_now() - cpu.get("start", 0.0)

    try:
        serve(conn, {"start": start, "begin": begin_measuring, "cpu": cpu_used})
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


# --- orchestration --------------------------------------------------------------------------


@dataclass
class Timing:
    seq: int
    published: float
    fetched: float | None
    sent: float | None


@dataclass
class Result:
    label: str
    timings: list[Timing]
    cpu_s: float
    notes: list[str] = field(default_factory=list)

    def done(self) -> list[Timing]:
        return [t for t in self.timings if t.fetched is not None and t.sent is not None]

    def series(self, what: str) -> list[float]:
        out = []
        for t in self.done():
            assert t.fetched is not None and t.sent is not None
            out.append(
                {
                    "total": t.sent - t.published,
                    "waiting": t.fetched - t.published,
                    "working": t.sent - t.fetched,
                }[what]
            )
        return out


def timings(
    items: list[Item],
    published: dict[int, float],
    log: list[tuple[float, str, int | None]],
    path: str,
    sends: list[tuple[float, int, str]],
    chat: int,
) -> list[Timing]:
    polls = sorted((t, seq) for t, p, seq in log if p == path and seq is not None)
    chat_sends = [(t, text) for t, c, text in sends if c == chat]
    out = []
    for it in items:
        pub = published[it.seq]
        fetched = next((t for t, seq in polls if seq >= it.seq and t >= pub), None)
        sent = next((t for t, text in chat_sends if it.marker in text), None)
        out.append(Timing(it.seq, pub, fetched, sent))
    return out


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def run(args: argparse.Namespace) -> tuple[list[Result], dict[str, Any]]:
    rng = random.Random(args.seed)
    now = time.time()
    backlog = [
        Item(-i, f"old-{i}", OTHER[i % len(OTHER)] + f" ({i})", LEADS[0], now - 3600 * i)
        for i in range(1, FEED_ITEMS + 1)
    ]
    info: dict[str, Any] = {}
    with (
        Worker(telegram_child, TOKEN, 30.0, 1.0, name="telegram-standin") as tg,
        Worker(feed_child, [TOPICBOT_PATH, NAIVE_PATH], rss(backlog), name="feed-server") as fs,
        tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp,
    ):
        api_url = tg.request("url")
        feed_url, naive_url = fs.request("urls")
        cfg = Path(tmp) / "config.yaml"
        cfg.write_text(
            config_text(feed_url, api_url, args.interval, args.classifier), encoding="utf-8"
        )
        env = {**os.environ, TOKEN_ENV: TOKEN, "PYTHONPATH": str(REPO_ROOT)}
        errlog = (Path(tmp) / "topicbot.log").open("w")
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(cfg)],
            cwd=tmp,
            env=env,
            stdout=errlog,
            stderr=subprocess.STDOUT,
        )
        try:
            tg.request("inject", TOPICBOT_CHAT, "/subscribe nato")

            def subscribed() -> bool:
                if proc.poll() is not None:
                    raise RuntimeError(f"topicbot exited with {proc.returncode}")
                return any(c == TOPICBOT_CHAT for _, c, _ in tg.request("sends"))

            wait_for(subscribed, 300, "the /subscribe answer")

            def polled_twice() -> bool:
                return sum(p == TOPICBOT_PATH for _, p, _ in fs.request("log")) >= 2

            wait_for(polled_twice, 120, "topicbot's first polls")
            info["startup_s"] = time.monotonic() - started
            with Worker(naive_child, naive_url, api_url, args.interval, name="naive") as naive:
                naive.request("start")
                wait_for(
                    lambda: sum(p == NAIVE_PATH for _, p, _ in fs.request("log")) >= 2,
                    60,
                    "the baseline's first polls",
                )
                naive.request("begin")
                cpu0 = proc_cpu_s(proc.pid)
                items: list[Item] = []
                published: dict[int, float] = {}
                for seq in range(1, args.items + 1):
                    time.sleep(rng.uniform(*args.gap))
                    it = Item(
                        seq,
                        f"bench-{seq:04d}",
                        f"{rng.choice(HEADLINES)} (#{seq:03d})",
                        rng.choice(LEADS),
                        time.time(),
                    )
                    items.append(it)
                    body = rss((items[::-1] + backlog)[:FEED_ITEMS])
                    published[seq] = fs.request("publish", body, seq)
                    if seq % 25 == 0:
                        print(f"... {seq} items published", file=sys.stderr, flush=True)
                expected = {TOPICBOT_CHAT: args.items + 1, NAIVE_CHAT: args.items}

                def all_sent() -> bool:
                    sends = tg.request("sends")
                    return all(
                        sum(c == chat for _, c, _ in sends) >= n for chat, n in expected.items()
                    )

                try:
                    wait_for(all_sent, 30, "the last alerts")
                except TimeoutError as exc:
                    print(f"!! {exc}", file=sys.stderr)
                topicbot_cpu = proc_cpu_s(proc.pid) - cpu0
                naive_cpu = naive.request("cpu")
            sends = tg.request("sends")
            log = fs.request("log")
            summary = tg.request("summary")
        finally:
            proc.send_signal(signal.SIGTERM)  # our own child, by its handle
            try:
                info["exit_code"] = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                info["exit_code"] = proc.wait()
            errlog.close()
            info["log_tail"] = (Path(tmp) / "topicbot.log").read_text().splitlines()[-5:]
    info["rate_limited"] = summary["rate_limited"]
    info["classifier"] = args.classifier or "hybrid (production default)"
    results = [
        Result(
            "topicbot run (production app)",
            timings(items, published, log, TOPICBOT_PATH, sends, TOPICBOT_CHAT),
            topicbot_cpu,
        ),
        Result(
            "baseline: naive httpx + feedparser + send_message",
            timings(items, published, log, NAIVE_PATH, sends, NAIVE_CHAT),
            naive_cpu,
        ),
    ]
    return results, info


def table(results: list[Result], interval: float) -> str:
    base = results[-1]
    rows = []
    for r in results:
        is_base = r is base
        tot, wait, work = (r.series(k) for k in ("total", "waiting", "working"))
        bwork = base.series("working")
        share = sum(wait) / sum(tot) if tot and sum(tot) > 0 else None
        n = len(r.done())

        def ms(values: list[float], p: float) -> str:
            return fmt(percentile(values, p) * 1000, 0) if values else "–"

        rows.append(
            [
                r.label,
                fmt(f"{n}/{len(r.timings)}"),
                ms(tot, 50),
                ms(tot, 99),
                ms(wait, 50),
                ms(wait, 99),
                ms(work, 50),
                ms(work, 99),
                ms(work, 100),
                f"{share * 100:.0f} %" if share is not None else "–",
                "1×" if is_base else ratio(percentile(work, 50), percentile(bwork, 50)),
                "1×" if is_base else ratio(percentile(work, 99), percentile(bwork, 99)),
                fmt(r.cpu_s, 1),
                fmt(r.cpu_s * 1000 / n, 0) if n else "–",
            ]
        )
    headers = [
        "run",
        "alerted",
        "total p50 ms",
        "total p99 ms",
        "waiting p50 ms",
        "waiting p99 ms",
        "working p50 ms",
        "working p99 ms",
        "working max ms",
        "waiting share",
        "working p50: baseline ÷ run",
        "working p99: baseline ÷ run",
        "CPU s",
        "CPU ms/item",
    ]
    return markdown_table(headers, rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python bench/latency.py",
        description="Time feed item → sendMessage through the production app (topicbot run "
        "against loopback stand-ins), split into waiting for the poll and working; prints a "
        "Markdown table.",
    )
    p.add_argument("--items", type=int, default=200, help="items published (default: 200)")
    p.add_argument("--quick", action="store_true", help="30 items (about 2 minutes)")
    p.add_argument("--interval", type=float, default=2.0, help="feed poll interval, s (default: 2)")
    p.add_argument(
        "--gap",
        default=None,
        help="MIN,MAX seconds between items, drawn uniformly (default: interval+0.1 to "
        "interval+1.0)",
    )
    p.add_argument(
        "--classifier",
        choices=["hybrid", "model", "keywords"],
        default=None,
        help="classifier.mode (default: the production default)",
    )
    p.add_argument("--seed", type=int, default=6, help="random seed (default: %(default)s)")
    args = p.parse_args(argv)
    if args.quick:
        args.items = 30
    if args.gap:
        lo, hi = (float(x) for x in args.gap.split(","))
    else:
        lo, hi = args.interval + 0.1, args.interval + 1.0
    args.gap = (lo, hi)
    if args.items <= 0 or args.interval <= 0 or not 0 < lo <= hi:
        p.error("--items, --interval and --gap must be positive (MIN <= MAX)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"$ python bench/latency.py {' '.join(sys.argv[1:])}".rstrip(), flush=True)
    started = time.perf_counter()
    results, info = run(args)
    print()
    print(table(results, args.interval))
    print()
    top = results[0]
    work99 = percentile(top.series("working"), 99) if top.done() else None
    ok = work99 is not None and work99 <= GOAL_WORKING_P99_S
    print(
        f"- goal: working time p99 {fmt(work99 * 1000 if work99 else None, 0)} ms "
        f"(<= {GOAL_WORKING_P99_S * 1000:.0f} ms: {'met' if ok else 'MISSED'})"
    )
    print(
        f"- poll interval {args.interval:g} s, items every {args.gap[0]:g}-{args.gap[1]:g} s; "
        f"classifier {info['classifier']}; 429s {info['rate_limited']}; topicbot startup "
        f"(model, first polls, /subscribe) {info['startup_s']:.1f} s; exit code "
        f"{info['exit_code']}"
    )
    for r in results:
        missing = [t.seq for t in r.timings if t.sent is None or t.fetched is None]
        if missing:
            print(f"- {r.label}: no alert for items {missing[:10]}")
    if info["exit_code"] != 0:
        print("- topicbot log tail:\n  " + "\n  ".join(info["log_tail"]))
    print(f"\n(total bench time {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
