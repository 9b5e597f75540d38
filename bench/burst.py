"""Burst benchmark: N chats send /start then /subscribe within seconds (a bot shared in a big
group or a newsletter), against the Bot API stand-in at Telegram's limits, enforced strictly
(at most 30 messages in any sliding second, 1 per second per user; 429 otherwise).

    python bench/burst.py                 # 1,000 chats (about 80 s)
    python bench/burst.py --chats 200

topicbot runs as in production (`python -m bot run`, its own process); the stand-in runs in
another. Every command is injected as a user message; an answer's delay is its arrival at
the stand-in minus the moment its command was injected. Baseline: the limit itself — 2·N
answers at 30/s cannot all be out before 2·N/30 s, which bounds the p99 from below.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Worker, add_repo_root, fmt, markdown_table  # noqa: E402
from _procs import telegram_child  # noqa: E402

add_repo_root()

TOKEN = "424242:burst-bench-token"
RATE = 30.0
FIRST_CHAT = 200_000_001
CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato, forsvarsalliancen]
storage:
  path: {db}
classifier:
  mode: keywords
telegram:
  token_env: TOPICBOT_BURST_TOKEN
  api_url: {api_url}
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def run(n: int) -> dict[str, object]:
    with (
        Worker(telegram_child, TOKEN, RATE, 1.0, name="telegram-standin-burst") as tg,
        tempfile.TemporaryDirectory(prefix="bench-burst-") as tmp,
    ):
        url = tg.request("url")
        config = Path(tmp) / "config.yaml"
        config.write_text(CONFIG.format(db=Path(tmp) / "db.sqlite3", api_url=url))
        env = {**os.environ, "TOPICBOT_BURST_TOKEN": TOKEN}
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(config)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            tg.request("inject", 1, "/start")  # the bot is up once it answers
            deadline = time.monotonic() + 120
            while tg.request("count") < 1:
                if time.monotonic() > deadline or bot.poll() is not None:
                    raise RuntimeError("topicbot did not start")
                time.sleep(0.2)
            time.sleep(1.5)  # chat 1's answer leaves the sliding second
            before = tg.request("count")
            cpu0 = cpu_seconds(bot.pid)
            chats = list(range(FIRST_CHAT, FIRST_CHAT + n))
            injected: dict[tuple[int, int], float] = {}
            t0 = time.time()
            for chat in chats:
                injected[(chat, 0)] = time.time()
                tg.request("inject", chat, "/start")
                injected[(chat, 1)] = time.time()
                tg.request("inject", chat, "/subscribe nato")
            burst_s = time.time() - t0
            deadline = time.monotonic() + 2 * n / RATE * 3 + 60
            while tg.request("count") < before + 2 * n and time.monotonic() < deadline:
                time.sleep(0.5)
            cpu = cpu_seconds(bot.pid) - cpu0
            sends = tg.request("sends", before)
            summary = tg.request("summary", chats)
        finally:
            bot.terminate()
            bot.wait(timeout=30)
    per_chat: dict[int, list[tuple[float, str]]] = {}
    for arrived, chat, text in sends:
        per_chat.setdefault(chat, []).append((arrived, text))
    delays, both, subscribed = [], 0, 0
    for chat in chats:
        answers = sorted(per_chat.get(chat, []))
        both += len(answers) >= 2
        subscribed += len(answers) >= 2 and "NATO" in answers[1][1]
        for k, (arrived, _) in enumerate(answers[:2]):
            delays.append(arrived - injected[(chat, k)])
    last = max((t for t, _, _ in sends), default=t0)
    return {
        "chats": n,
        "burst_s": burst_s,
        "answers": len(sends),
        "both": both,
        "subscribed": subscribed,
        "rate_limited": summary["rate_limited"],
        "wall_s": last - t0,
        "p50": statistics.median(delays) if delays else None,
        "p99": percentile(delays, 99) if delays else None,
        "max": max(delays, default=None),
        "cpu_s": cpu,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python bench/burst.py", description=__doc__.split("\n")[0])
    p.add_argument("--chats", type=int, default=1000)
    args = p.parse_args(argv)
    print(f"$ python bench/burst.py {' '.join(sys.argv[1:])}".rstrip(), flush=True)
    r = run(args.chats)
    n = args.chats
    floor = 2 * n / RATE  # the limit's own lower bound for the last answer
    rate = 2 * n / r["wall_s"] if r["wall_s"] else None  # type: ignore[operator]
    rows = [
        [
            fmt(n),
            fmt(r["burst_s"], 1),
            f"{r['both']:,} / {n:,}",
            f"{r['subscribed']:,}",
            fmt(r["rate_limited"]),
            fmt(r["wall_s"], 1),
            f"{fmt(rate, 1)} ({(rate or 0) / RATE * 100:.0f} % of 30/s)",
            fmt(r["p50"], 1),
            f"{fmt(r['p99'], 1)} ({r['p99'] / floor:.2f}× the {floor:.0f} s floor)",  # type: ignore[operator]
            fmt(r["max"], 1),
            fmt(r["cpu_s"], 1),
            fmt(r["cpu_s"] * 1000 / max(1, r["answers"]), 2),  # type: ignore[operator]
        ]
    ]
    headers = [
        "chats",
        "burst s",
        "both answers",
        "subscribed",
        "429s",
        "wall s",
        "answers/s",
        "delay p50 s",
        "delay p99 s",
        "max s",
        "bot CPU s",
        "CPU ms/answer",
    ]
    print()
    print(markdown_table(headers, rows))
    ok = r["both"] == n and not r["rate_limited"]
    print(f"\n- every chat both answers and 0 429s: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
