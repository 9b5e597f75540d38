"""Fan-out benchmark: one article matching a topic that N private chats follow.

    python bench/fanout.py                        # 10,000 chats (about 12 minutes)
    python bench/fanout.py --chats 1000,10000     # both sizes, as in BENCHMARKS.md
    python bench/fanout.py --quick                # 1,000 chats (about 2 minutes)
    python bench/fanout.py --help

Per chat count, four runs, each topicbot process fresh, each against a fresh Bot API
stand-in (`tests.standins.telegram_api`) running in a process of its own:

1. **topicbot at Telegram's limit**: the stand-in answers 429 above 30 messages/s overall
   and 1/s per private chat, as Telegram does. topicbot runs the production path in its own
   process: `Store` (SQLite in a temp folder) with N chats subscribed to NATO, one article
   recorded, `Pipeline.process_pending()` (classifier → matcher → N alerts committed to the
   outbox), and the `DeliveryLoop` draining it through `TelegramSender` (production
   defaults: 30/s, 16 in flight) over a real `telegram.Bot` with the production connection
   pool (`HTTPXRequest(connection_pool_size=24)`). Baseline: the limit itself.
   The same run with `telegram.http_client: httpx` (PTB's default backend instead of
   topicbot's lean Bot API client, `bot/telegram/transport.py`) is the baseline for CPU.
2. **topicbot, limit raised**: the stand-in has no global limit and the sender's
   `global_rate` is 0 (unpaced), everything else as above: where topicbot itself saturates.
3. **naive baseline, limit raised**: a plain loop of ``await bot.send_message(...)`` one
   after another, no store, the same pre-formatted alert text and buttons, PTB as it comes
   (httpx backend, same pool size).

Figures: *rate* = messages accepted by the stand-in ÷ (last acceptance − the moment the
article was handed to the pipeline); *lost* = chats that got nothing, *dup* = extra
messages to a chat; *429s* as counted by the stand-in; *CPU* = user + system seconds of the
whole topicbot (or baseline) process from ``getrusage`` over the run (queueing included,
setup excluded) ÷ messages. The stand-in's own CPU is shown separately.
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
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402  (needs the path above)
    Usage,
    Worker,
    add_repo_root,
    fmt,
    markdown_table,
    peak_rss_mb,
    serve,
)
from _procs import telegram_child  # noqa: E402

add_repo_root()

TOKEN = "424242:fanout-bench-token"
TELEGRAM_RATE = 30.0
TELEGRAM_PRIVATE_RATE = 1.0
FIRST_CHAT = 100_000_001
GOAL_RATE_SHARE = 0.95
#: Paid broadcasts: the stand-in's (and Telegram's) limit for them, and the bar.
PAID_RATE = 1000.0
GOAL_PAID_SHARE = 0.90
GOAL_CPU_MS = 1.0

CONFIG = """\
topics:
  - id: NATO
    name: {da: NATO, en: NATO}
    keywords: [nato, forsvarsalliancen, stoltenberg]
  - id: COVID-19
    name: {da: Covid-19, en: COVID-19}
    keywords: ["covid*", "corona*"]
storage:
  path: topicbot.sqlite3
classifier:
  mode: keywords
"""
TITLE = "Nato sender flere fly til Østersøen efter russisk øvelse"
LEAD = (
    "Forsvarsalliancen øger beredskabet ved østflanken. Danmark bidrager med to F-35-fly, "
    "oplyser Forsvarsministeriet. Generalsekretæren kalder det et klart signal til Moskva."
)


def chat_ids(n: int) -> list[int]:
    return list(range(FIRST_CHAT, FIRST_CHAT + n))


def make_bot(base_url: str, client: str = "lean", paid: bool = False) -> Any:
    """A Bot as production builds it (`bot.telegram.application.api_request`), with topicbot's lean
    Bot API client (the default) or PTB's httpx backend."""
    from telegram import Bot

    from bot.telegram.application import api_request

    return Bot(TOKEN, base_url=base_url, request=api_request(client, paid_broadcast=paid))


def article() -> Any:
    from bot.article import Article

    now = datetime.now(UTC)
    return Article(
        id="urn:dr:article:fanout-1",
        source="DR Seneste nyt",
        title=TITLE,
        text=LEAD,
        link="https://www.dr.dk/nyheder/udland/nato-sender-flere-fly-1",
        published=now,
        fetched_at=now,
    )


# --- the measured topicbot process ---------------------------------------------------------


def topicbot_child(
    conn: Connection,
    n: int,
    base_url: str,
    profile: str | None,
    client: str = "lean",
    paid: bool = False,
    store_url: str | None = None,
    paid_tick: float | None = None,
) -> None:
    """Production path: Store + Pipeline + DeliveryLoop(TelegramSender) in this process."""
    logging.basicConfig(level=logging.WARNING)
    from bot.config import parse_config
    from bot.delivery import DeliveryLoop
    from bot.heap import freeze_after_start_up
    from bot.runtime import Services
    from bot.sources.base import SourceState
    from bot.telegram.application import PAID_BROADCAST_RATE, PAID_IN_FLIGHT, names_by_language
    from bot.telegram.gate import PAID_TICK, SendGate
    from bot.telegram.sender import TelegramSender

    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        text = CONFIG
        if store_url is not None:
            text = CONFIG.replace("  path: topicbot.sqlite3", f"  url: {store_url}")
        config = parse_config(text, base_dir=Path(tmp))
        services = Services.build(config)
        store = services.store
        setup_start = time.perf_counter()
        for chat in chat_ids(n):
            store.ensure_chat(chat, kind="private", title=f"Bruger {chat}")
            store.subscribe(chat, ["NATO"])
        # A running bot has its language identifier loaded (`Services.build` starts that at
        # start-up): the fan-out measured is not the first article after a start.
        if services.language_loader is not None:
            services.language_loader.join()
        freeze_after_start_up().join()  # as `topicbot run` does once started
        setup_s = time.perf_counter() - setup_start

        def run(global_rate: float, timeout: float) -> dict[str, Any]:
            profiler = cProfile.Profile() if profile else None

            async def go() -> dict[str, Any]:
                bot = make_bot(base_url, client, paid)
                async with bot:  # getMe, as the Application's initialize does
                    # Paid broadcasts: the production gate of `telegram.paid_broadcast: true`.
                    gate = (
                        SendGate.build(
                            paid_rate=PAID_BROADCAST_RATE,
                            max_in_flight=PAID_IN_FLIGHT,
                            paid_tick=PAID_TICK if paid_tick is None else paid_tick,
                        )
                        if paid
                        else None
                    )
                    sender = TelegramSender(
                        bot, store, names_by_language(config), global_rate=global_rate, gate=gate
                    )
                    delivery = DeliveryLoop(sender.drain)
                    services.pipeline.on_alerts_queued = delivery.wake
                    delivery.start()
                    await asyncio.sleep(0.2)  # the loop's first (empty) drain is done
                    if profiler:
                        profiler.enable()
                    start, t0 = Usage.now(), time.time()
                    store.record_articles(
                        [article()],
                        source="DR Seneste nyt",
                        state=SourceState(polled_before=True, last_success=datetime.now(UTC)),
                    )
                    queued = await services.pipeline.process_pending()
                    queue_usage = Usage.now().since(start)
                    deadline = time.monotonic() + timeout
                    while store.pending_count() and time.monotonic() < deadline:
                        await asyncio.sleep(1.0)  # the check itself is CPU in this process
                    usage = Usage.now().since(start)
                    if profiler:
                        profiler.disable()
                    await delivery.stop()
                    counts = store.outbox_counts()
                return {
                    "t0": t0,
                    "queued": queued,
                    "queue_usage": queue_usage,
                    "usage": usage,
                    "outbox": counts,
                    "peak_rss_mb": peak_rss_mb(),
                    "setup_s": setup_s,
                }

            result = asyncio.run(go())
            if profiler and profile:
                out = Path(profile) / f"fanout-{n}-rate{global_rate:g}-{client}.prof"
                profiler.dump_stats(out)
                result["profile"] = str(out)
            return result

        try:
            serve(conn, {"run": run})
        finally:
            store.close()


# --- the naive baseline process -------------------------------------------------------------


def naive_child(conn: Connection, n: int, base_url: str) -> None:
    """``for chat in chats: await bot.send_message(...)``: no store, no pacing."""
    logging.basicConfig(level=logging.WARNING)
    from bot.store import OutboxItem
    from bot.telegram.format import format_alert
    from classifiers.base import TopicScore

    def run() -> dict[str, Any]:
        async def go() -> dict[str, Any]:
            item = OutboxItem(
                id=1,
                chat_id=FIRST_CHAT,
                article=article(),
                topics=("NATO",),
                scores=(TopicScore("NATO", 0.9, True, ("nato",)),),
                attempts=0,
                language="da",
            )
            text, markup = format_alert(item, {"NATO": "NATO"}, "da")
            from telegram import LinkPreviewOptions

            no_preview = LinkPreviewOptions(is_disabled=True)
            bot = make_bot(base_url, "httpx")  # PTB as it comes
            async with bot:
                start, t0 = Usage.now(), time.time()
                for chat in chat_ids(n):
                    await bot.send_message(
                        chat_id=chat,
                        text=text,
                        parse_mode="HTML",
                        reply_markup=markup,
                        link_preview_options=no_preview,
                    )
                usage = Usage.now().since(start)
            return {"t0": t0, "queued": n, "usage": usage, "peak_rss_mb": peak_rss_mb()}

        return asyncio.run(go())

    serve(conn, {"run": run})


# --- orchestration --------------------------------------------------------------------------


@dataclass
class Row:
    chats: int
    run: str
    limit: float | None  # stand-in's global limit, None: unlimited
    queued: int
    tg: dict[str, Any]
    t0: float
    cpu_s: float
    queue_cpu_s: float | None
    peak_rss_mb: float
    outbox: dict[str, int]

    @property
    def delivered(self) -> int:
        return int(self.tg["accepted"])

    @property
    def wall_s(self) -> float:
        return float(self.tg["last"] or self.t0) - self.t0

    @property
    def rate(self) -> float | None:
        return self.delivered / self.wall_s if self.wall_s > 0 else None

    @property
    def cpu_ms(self) -> float | None:
        return self.cpu_s * 1000 / self.delivered if self.delivered else None


def one_run(
    kind: str,
    n: int,
    limit: float | None,
    args: argparse.Namespace,
    client: str = "lean",
    store_url: str | None = None,
    paid_tick: float | None = None,
) -> Row:
    with Worker(
        telegram_child, TOKEN, limit, TELEGRAM_PRIVATE_RATE, name=f"telegram-standin-{n}"
    ) as tg:
        url = tg.request("url")
        timeout = n / (limit or 200) * 3 + 120
        if kind == "naive":
            with Worker(naive_child, n, url, name=f"naive-{n}") as w:
                res = w.request("run", timeout=timeout + 60)
            outbox: dict[str, int] = {}
            label = "naive loop of send_message"
        else:
            paid = kind == "paid"
            with Worker(
                topicbot_child,
                n,
                url,
                args.profile,
                client,
                paid,
                store_url,
                paid_tick,
                name=f"topicbot-{n}",
            ) as w:
                res = w.request(
                    "run", 0.0 if limit is None else limit, timeout, timeout=timeout + 600
                )
            outbox = res["outbox"]
            label = "topicbot" if client == "lean" else f"topicbot, {client} client"
            if paid:
                label, limit = "topicbot, paid broadcast", PAID_RATE
                if paid_tick is not None:
                    label += f", ticks of {paid_tick * 1000:g} ms"
            label += ", PostgreSQL store" if store_url else ""
        summary = tg.request("summary", chat_ids(n), timeout=120)
    usage: Usage = res["usage"]
    queue_usage: Usage | None = res.get("queue_usage")
    row = Row(
        n,
        label,
        limit,
        res["queued"],
        summary,
        res["t0"],
        usage.cpu_s,
        queue_usage.cpu_s if queue_usage else None,
        res["peak_rss_mb"],
        outbox,
    )
    if res.get("profile"):
        print(f"\n## {res['profile']}: top 25 by cumulative time", flush=True)
        pstats.Stats(res["profile"], stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    return row


def table(rows: list[Row]) -> str:
    out = []
    naive = {r.chats: r for r in rows if r.run.startswith("naive")}
    httpx = {r.chats: r for r in rows if r.limit and r.run.endswith("httpx client")}
    for r in rows:
        limit = f"{r.limit:g}/s" if r.limit else "none"
        if r.limit:
            base = f"{(r.rate or 0) / r.limit * 100:.1f} % of limit"
            h = httpx.get(r.chats)
            cpu_ratio = "1× (httpx)" if h is r else "–"
            if h and h is not r and h.cpu_ms and r.cpu_ms:
                cpu_ratio = f"{r.cpu_ms / h.cpu_ms:.2f}× httpx"
        elif r.run.startswith("naive"):
            base, cpu_ratio = "1×", "1×"
        else:
            b = naive.get(r.chats)
            base = f"{(r.rate or 0) / (b.rate or 1):.2f}× naive" if b and b.rate else "–"
            cpu_ratio = f"{r.cpu_ms / b.cpu_ms:.2f}× naive" if b and b.cpu_ms and r.cpu_ms else "–"
        out.append(
            [
                fmt(r.chats),
                r.run,
                limit,
                fmt(r.queued),
                fmt(r.delivered),
                fmt(r.tg["lost"]),
                fmt(r.tg["duplicates"]),
                fmt(r.tg["rate_limited"]),
                fmt(r.wall_s, 1),
                fmt(r.rate, 1),
                base,
                fmt(r.cpu_s, 2),
                fmt(r.cpu_ms, 3),
                cpu_ratio,
                fmt(r.queue_cpu_s, 2),
                fmt(r.peak_rss_mb, 0),
                fmt(r.tg["cpu_s"], 1),
            ]
        )
    headers = [
        "chats",
        "run",
        "stand-in limit",
        "queued",
        "delivered",
        "lost",
        "dup",
        "429s",
        "wall s",
        "msg/s",
        "vs baseline",
        "CPU s",
        "CPU ms/msg",
        "CPU vs baseline",
        "of which queueing CPU s",
        "peak RSS MB",
        "stand-in CPU s",
    ]
    return markdown_table(headers, out)


def verdict(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if not r.run.startswith("topicbot"):
            continue
        cpu_ok = r.cpu_ms is not None and r.cpu_ms <= GOAL_CPU_MS
        lost = r.tg["lost"] + r.tg["duplicates"]
        if r.limit:
            share = (r.rate or 0) / r.limit
            goal = GOAL_PAID_SHARE if "paid" in r.run else GOAL_RATE_SHARE
            rate_ok = "met" if share >= goal else "MISSED"
            flood_ok = "met" if not r.tg["rate_limited"] else "MISSED"
            lines.append(
                f"{r.run}, {r.chats:,} chats at {r.limit:g}/s: "
                f"rate {share * 100:.1f} % of the limit "
                f"(>= {goal * 100:.0f} %: {rate_ok}), 429s {r.tg['rate_limited']} "
                f"({flood_ok}), lost {r.tg['lost']} + duplicates {r.tg['duplicates']} "
                f"({'met' if not lost else 'MISSED'}), CPU {fmt(r.cpu_ms, 3)} ms/msg "
                f"(<= {GOAL_CPU_MS:g} ms: {'met' if cpu_ok else 'MISSED'}), "
                f"{r.cpu_s / r.wall_s * 100 if r.wall_s else 0:.0f} % of one core"
            )
        else:
            lines.append(
                f"{r.chats:,} chats, no limit: topicbot saturates at {fmt(r.rate, 0)} msg/s, "
                f"CPU {fmt(r.cpu_ms, 3)} ms/msg (<= {GOAL_CPU_MS:g} ms: "
                f"{'met' if cpu_ok else 'MISSED'}), lost {r.tg['lost']}, dup "
                f"{r.tg['duplicates']}, outbox {r.outbox}"
            )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python bench/fanout.py",
        description="Deliver one article to N subscribed private chats through the Bot API "
        "stand-in at Telegram's 30/s and with the limit raised; prints a Markdown table.",
    )
    p.add_argument(
        "--chats",
        default="10000",
        help="comma-separated subscriber counts (default: %(default)s)",
    )
    p.add_argument("--quick", action="store_true", help="1,000 chats only (about 2 minutes)")
    p.add_argument(
        "--rate-limit",
        type=float,
        default=TELEGRAM_RATE,
        help="the stand-in's global limit per second for the limited run (default: "
        "%(default)s, Telegram's)",
    )
    p.add_argument(
        "--runs",
        default="limited,limited-httpx,raised,naive",
        help="which runs, comma-separated from limited, limited-httpx (topicbot at the limit "
        "with PTB's httpx client instead of its own), limited-pg (at the limit with the store "
        "on a throwaway PostgreSQL), raised, naive, paid (alerts as paid "
        "broadcasts, stand-in at 1,000/s for them) (default: %(default)s)",
    )
    p.add_argument(
        "--paid-ticks",
        default=None,
        metavar="SECONDS",
        help="comma-separated tick lengths for the paid runs, one run each (default: the "
        "production `bot.telegram.gate.PAID_TICK`), e.g. 0.1,0.005 to compare",
    )
    p.add_argument(
        "--profile",
        metavar="DIR",
        default=None,
        help="cProfile the topicbot runs into DIR/fanout-N-rateR.prof and print the top",
    )
    args = p.parse_args(argv)
    args.sizes = [1000] if args.quick else [int(x) for x in args.chats.split(",") if x.strip()]
    args.kinds = [k.strip() for k in args.runs.split(",") if k.strip()]
    ticks = args.paid_ticks.split(",") if args.paid_ticks else []
    args.ticks = [float(t) for t in ticks if t.strip()] or [None]
    if any(t is not None and t <= 0 for t in args.ticks):
        p.error("--paid-ticks must be positive")
    if any(n <= 0 for n in args.sizes) or args.rate_limit <= 0:
        p.error("--chats and --rate-limit must be positive")
    if set(args.kinds) - {"limited", "limited-httpx", "limited-pg", "raised", "naive", "paid"}:
        p.error("--runs takes limited, limited-httpx, limited-pg, raised, naive, paid")
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    return args


_postgres: list[Any] = []


def postgres() -> Any:
    """A throwaway PostgreSQL server for the -pg runs (`tests/standins/postgres.py`)."""
    if not _postgres:
        from tests.standins.postgres import PostgresServer, find_bindir

        bindir = find_bindir()
        if bindir is None:
            raise SystemExit(
                "limited-pg needs PostgreSQL's server binaries (apt install postgresql)"
            )
        _postgres.append(PostgresServer(bindir).start())
    return _postgres[0]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"$ python bench/fanout.py {' '.join(sys.argv[1:])}".rstrip(), flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    for n in args.sizes:
        for kind in args.kinds:
            limit = args.rate_limit if kind.startswith("limited") or kind == "paid" else None
            client = "httpx" if kind.endswith("-httpx") else "lean"
            store_url = None
            if kind.endswith("-pg"):  # the same run with the store on a fresh PostgreSQL db
                store_url = postgres().create_database(f"fanout{n}_{len(rows)}")
            run_kind = kind if kind in ("naive", "paid") else "topicbot"
            for tick in args.ticks if kind == "paid" else [None]:
                what = kind if tick is None else f"{kind}, ticks of {tick:g} s"
                print(f"... {n:,} chats: {what}", file=sys.stderr, flush=True)
                rows.append(one_run(run_kind, n, limit, args, client, store_url, tick))
    for server in _postgres:
        server.stop()
    print()
    print(table(rows))
    print()
    for line in verdict(rows):
        print(f"- {line}")
    print(f"\n(total bench time {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
