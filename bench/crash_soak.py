"""Crash soak: the crash-safety test's scenario with more kills, chats and articles.

`topicbot run` as a subprocess against the in-process Bot API stand-in (Telegram's limits on)
and a loopback feed; SIGKILL at random moments during delivery, restart after each, then a
clean stop. Prints what the chats received: lost alerts (must be 0) and duplicates (must be
at most one per kill). When a batch is delivered before all kills are done, a new batch of
articles is published so every kill lands during delivery.

    python bench/crash_soak.py --quick            # 3 kills, 10 chats, about 30 s
    python bench/crash_soak.py                    # 50 kills, 60 chats, several minutes
    python bench/crash_soak.py --seed 123         # replay the kill moments
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.test_crash_safety import (  # noqa: E402
    TOKEN,
    CrashRun,
)
from tests.standins.feed_server import FeedServer  # noqa: E402
from tests.standins.telegram_api import TelegramStandin  # noqa: E402


def soak(kills: int, chats: int, articles: int, max_delay: float, seed: int) -> int:
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="topicbot-crash-") as tmp,
        TelegramStandin(TOKEN, rate_limit_per_s=30, private_chat_limit_per_s=1) as tg,
        FeedServer() as feeds,
    ):
        run = CrashRun(Path(tmp), tg, feeds, list(range(5001, 5001 + chats)), random.Random(seed))
        run.prepare()
        batch = 1
        run.publish(batch, articles)
        try:
            while len(run.kills) < kills:
                if not run.tally().missing(run.expected()):
                    batch += 1
                    run.publish(batch, articles)
                run.kill_during_delivery(max_delay)
            run.start()
            run.wait_delivered(run.expected(), timeout=600)
            time.sleep(1.5)
            run.terminate()
        finally:
            run.stop_quietly()
        tally = run.tally()
        lost = len(tally.missing(run.expected()))
        per_chat = max(tally.duplicates_per_chat().values(), default=0)
        rows = [
            ("seed", seed),
            ("kills (SIGKILL during delivery)", len(run.kills)),
            ("chats", chats),
            ("articles", len(run.published)),
            ("alerts expected", len(run.expected())),
            ("messages sent", sum(tally.counts.values())),
            ("lost", lost),
            ("duplicates", tally.duplicates),
            ("most duplicates in one chat", per_chat),
            ("clean stop (SIGTERM) took, s", f"{run.term_seconds[-1]:.1f}"),
            ("wall time, s", f"{time.monotonic() - started:.0f}"),
        ]
    print("| measure | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    ok = lost == 0 and tally.duplicates <= len(run.kills)
    print("OK: nothing lost, duplicates <= kills" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--chats", type=int, default=60)
    parser.add_argument("--articles", type=int, default=20, help="articles per batch")
    parser.add_argument("--max-delay", type=float, default=1.5, help="kill within s of sending")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="3 kills, 10 chats, 8 articles")
    args = parser.parse_args()
    if args.quick:
        args.kills, args.chats, args.articles = 3, 10, 8
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    return soak(args.kills, args.chats, args.articles, args.max_delay, seed)


if __name__ == "__main__":
    raise SystemExit(main())
