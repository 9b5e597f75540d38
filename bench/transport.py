"""What one alert costs on the wire, paced as Telegram paces it: why topicbot has its own client.

    python bench/transport.py              # 600 messages per variant (about 2.5 minutes)
    python bench/transport.py --quick      # 150 messages per variant
    python bench/transport.py --unpaced     # as fast as each client goes (no 30/s pacing)
    python bench/transport.py --repeat 3 --variants raw-lean,raw-aiohttp   # median of 3 runs
    python bench/transport.py --help

Each variant sends N ``sendMessage`` requests (the same formatted alert with its 👍/👎
buttons, each to another chat) to the Bot API stand-in, which runs in a process of its own
with no limit. The sender is a fresh process per variant and sends at Telegram's 30/s (one
request, then sleep until the next slot; or a tick of 3 concurrent requests every 0.1 s),
so what is measured is the CPU per message *at the rate a bot really sends*, where every
wake-up of an idle process counts; an unpaced loop hides that. Variants:

* **PTB as it comes**: ``await bot.send_message(...)`` over PTB's default `HTTPXRequest`;
  this is the baseline.
* **raw over httpx**: ``bot.do_api_request("sendMessage", ..., return_type=None)``, which
  skips building a `Message` from the answer, still over httpx.
* **raw over lean**: the same through topicbot's `BotApiRequest` (`bot/telegram/transport.py`).
* **raw over lean, ticks of 3**: as the sender sends (`bot.telegram.ratelimit.Pacer`).
* **raw over aiohttp** (and its ticks of 3): the same over `AiohttpRequest`
  (`bench/aiohttp_request.py`, needs ``pip install -e '.[bench]'``), a well-kept library
  with a C HTTP parser.
* **bare asyncio stream**: a hand-written keep-alive POST on one asyncio stream, no PTB: the
  floor of what any Python client could cost here.
* **sleep only**: the pacing loop with no request at all: the cost of waking up 30 times a
  second on this machine.

CPU is user + system seconds of the sending process (``getrusage``) ÷ messages.
``--unpaced`` drops the pacing (one request after the other, or ticks of 3 back to back):
the client's own cost without the wake-ups.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Usage, Worker, add_repo_root, fmt, markdown_table, serve  # noqa: E402
from _procs import telegram_child  # noqa: E402

add_repo_root()

TOKEN = "424242:transport-bench-token"
RATE = 30.0
FIRST_CHAT = 200_000_001
VARIANTS = {
    "ptb": "PTB as it comes: send_message over httpx",
    "raw-httpx": "raw sendMessage over httpx",
    "raw-lean": "raw sendMessage over topicbot's lean client",
    "lean-ticks": "raw over lean, ticks of 3 every 0.1 s (the sender)",
    "raw-aiohttp": "raw sendMessage over aiohttp",
    "aiohttp-ticks": "raw over aiohttp, ticks of 3 every 0.1 s",
    "stream": "bare asyncio stream, no PTB",
    "sleep": "sleep only (30 wake-ups/s, no request)",
}


def alert() -> tuple[str, dict[str, Any]]:
    """The bench's alert text (HTML) and its buttons, formatted as the sender formats them."""
    from datetime import UTC, datetime

    from bot.article import Article
    from bot.store import OutboxItem
    from bot.telegram.format import feedback_markup, format_alert
    from classifiers.base import TopicScore

    now = datetime.now(UTC)
    article = Article(
        id="urn:bench:transport-1",
        source="DR Seneste nyt",
        title="Nato sender flere fly til Østersøen efter russisk øvelse",
        text="Forsvarsalliancen øger beredskabet ved østflanken, oplyser ministeriet.",
        link="https://www.dr.dk/nyheder/udland/nato-fly-1",
        published=now,
        fetched_at=now,
    )
    item = OutboxItem(
        id=1,
        chat_id=FIRST_CHAT,
        article=article,
        topics=("NATO",),
        scores=(TopicScore("NATO", 0.9, True, ("nato",)),),
        attempts=0,
        language="da",
    )
    return format_alert(item, {"NATO": "NATO"}, "da")[0], feedback_markup(1)


def sender_child(conn: Connection, variant: str, n: int, base_url: str, paced: bool) -> None:
    def run() -> dict[str, Any]:
        return asyncio.run(_send_all(variant, n, base_url, paced))

    serve(conn, {"run": run})


async def _send_all(variant: str, n: int, base_url: str, paced: bool) -> dict[str, Any]:
    from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
    from telegram.request import BaseRequest
    from telegram.warnings import PTBUserWarning

    from bot.telegram.transport import make_request

    warnings.filterwarnings("ignore", category=PTBUserWarning)
    text, markup = alert()
    pool: dict[str, Any] = {
        "connection_pool_size": 8,
        "connect_timeout": 10.0,
        "read_timeout": 20.0,
        "write_timeout": 20.0,
        "pool_timeout": 10.0,
    }
    request: BaseRequest
    if "aiohttp" in variant:
        from aiohttp_request import AiohttpRequest  # bench/, beside this script

        request = AiohttpRequest(**pool)
    else:
        request = make_request("lean" if "lean" in variant else "httpx", **pool)
    bot = Bot(TOKEN, base_url=base_url, request=request)
    chats = range(FIRST_CHAT, FIRST_CHAT + n)
    loop = asyncio.get_running_loop()
    accepted = 0

    async def raw(chat: int) -> None:
        nonlocal accepted
        result = await bot.do_api_request(
            "sendMessage",
            api_kwargs={
                "chat_id": chat,
                "text": text,
                "parse_mode": "HTML",
                "reply_markup": markup,
                "link_preview_options": {"is_disabled": True},
            },
            return_type=None,
        )
        accepted += isinstance(result, dict) and "message_id" in result

    async with bot:
        ptb_markup = InlineKeyboardMarkup.de_json(markup, bot)
        no_preview = LinkPreviewOptions(is_disabled=True)
        stream = await _Stream.open(base_url) if variant == "stream" else None
        start = Usage.now()
        slot = loop.time()
        tick = 3 if variant.endswith("-ticks") else 1
        for first in range(0, n, tick):
            group = chats[first : first + tick]
            if variant == "ptb":
                message = await bot.send_message(
                    chat_id=group[0],
                    text=text,
                    parse_mode="HTML",
                    reply_markup=ptb_markup,
                    link_preview_options=no_preview,
                )
                accepted += message.message_id > 0
            elif variant == "stream":
                assert stream is not None
                accepted += await stream.post(group[0], text, markup)
            elif variant != "sleep":
                await asyncio.gather(*(raw(chat) for chat in group))
            slot += tick / RATE
            if paced and (wait := slot - loop.time()) > 0:
                await asyncio.sleep(wait)
        usage = Usage.now().since(start)
        if stream is not None:
            stream.close()
    return {"usage": usage, "accepted": accepted}


class _Stream:
    """One keep-alive HTTP/1.1 connection, written by hand: the floor for any client."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str):
        self.reader, self.writer, self.path = reader, writer, path

    @classmethod
    async def open(cls, base_url: str) -> _Stream:
        parts = urlsplit(f"{base_url}{TOKEN}/sendMessage")
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        return cls(reader, writer, parts.path)

    async def post(self, chat: int, text: str, markup: dict[str, Any]) -> bool:
        body = json.dumps(
            {"chat_id": chat, "text": text, "parse_mode": "HTML", "reply_markup": markup}
        ).encode()
        self.writer.write(
            f"POST {self.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        return bool(json.loads(await self.reader.readexactly(length))["ok"])

    def close(self) -> None:
        self.writer.close()


def run_variant(variant: str, n: int, paced: bool) -> dict[str, Any]:
    with Worker(telegram_child, TOKEN, None, None, name="telegram-standin") as tg:
        url = tg.request("url")
        with Worker(sender_child, variant, n, url, paced, name=f"sender-{variant}") as w:
            result: dict[str, Any] = w.request("run", timeout=n / RATE * 3 + 60)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python bench/transport.py",
        description="CPU per sendMessage at Telegram's 30/s: PTB over httpx vs topicbot's "
        "lean client vs a bare stream; prints a Markdown table.",
    )
    p.add_argument("-n", type=int, default=600, help="messages per variant (default: 600)")
    p.add_argument("--quick", action="store_true", help="150 messages per variant")
    p.add_argument("--unpaced", action="store_true", help="no 30/s pacing: back to back")
    p.add_argument(
        "--repeat", type=int, default=1, help="runs per variant, the median reported (default 1)"
    )
    p.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help="comma-separated, from " + ", ".join(VARIANTS) + " (default: all)",
    )
    args = p.parse_args(argv)
    n = 150 if args.quick else args.n
    chosen = [v.strip() for v in args.variants.split(",") if v.strip()]
    if n <= 0 or set(chosen) - set(VARIANTS):
        p.error("-n must be positive; --variants from " + ", ".join(VARIANTS))
    print(f"$ python bench/transport.py {' '.join(sys.argv[1:])}".rstrip(), flush=True)
    started = time.perf_counter()
    results = {}
    for variant in chosen:
        print(f"... {variant}", file=sys.stderr, flush=True)
        runs = [run_variant(variant, n, not args.unpaced) for _ in range(max(1, args.repeat))]
        results[variant] = sorted(runs, key=lambda r: r["usage"].cpu_s)[len(runs) // 2]
    base = results.get("ptb")
    base_ms = base["usage"].cpu_s * 1000 / n if base else None
    lean = results.get("raw-lean")
    lean_ms = lean["usage"].cpu_s * 1000 / n if lean else None
    rows = []
    for variant, res in results.items():
        usage: Usage = res["usage"]
        ms = usage.cpu_s * 1000 / n
        rows.append(
            [
                VARIANTS[variant],
                fmt(n) if variant == "sleep" else fmt(res["accepted"]),
                fmt(usage.wall_s, 1),
                fmt(usage.cpu_s, 2),
                fmt(ms, 3),
                f"{ms / base_ms:.2f}×" if base_ms else "–",
                f"{ms / lean_ms:.2f}×" if lean_ms else "–",
            ]
        )
    headers = [
        "variant (unpaced)" if args.unpaced else "variant (30 msg/s)",
        "accepted",
        "wall s",
        "CPU s",
        "CPU ms/msg",
        "vs PTB",
        "vs lean",
    ]
    print()
    print(markdown_table(headers, rows))
    print(f"\n({n} messages per variant; total bench time {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
