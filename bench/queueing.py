"""Queueing one article's alerts for N subscribed chats: the outbox write before a fan-out.

    python bench/queueing.py                            # 1,000 and 10,000 chats, both backends
    python bench/queueing.py --chats 1000 --backends sqlite --repeat 3
    python bench/queueing.py --help

Per backend and chat count, one process of its own (`Worker`) with the production `Services`
(SQLite in a temp folder, or a throwaway PostgreSQL from `tests.standins.postgres`) and N
chats subscribed to NATO. Each repeat times, interleaved, for a new article each:

* **per chat** (baseline): the store write as it was before commit 90b146e:
  in one transaction, per chat a story-placement query, an ``INSERT … RETURNING id`` and a
  preferences query (`per_chat_complete` below, the same statements the old
  `complete_article` ran);
* **batched**: `Store.complete_article` (a few statements per article, none per chat);
* **pipeline**: `Pipeline.process_pending()` for a recorded article: language, classifier,
  matcher, stories and the batched store write (what `bench/fanout.py` counts as queueing).

CPU = user + system seconds of the process (all threads); medians over `--repeat`. The
language identifier's load (~1 CPU s, once per process) is shown on its own: `Services.build`
starts it at start-up, so no fan-out pays it (before, the first article after a start did).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, replace
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
    ratio,
    serve,
)
from fanout import CONFIG, article, chat_ids  # noqa: E402

add_repo_root()


def per_chat_complete(store: Any, article_id: str, alerts: dict[int, list[str]]) -> int:
    """The baseline: the statements the per-chat `complete_article` ran for a new story (a
    placement query, the insert, a preferences query per chat), in one transaction."""
    queued = 0
    with store.backend.transaction() as conn:
        created = datetime.now(UTC).isoformat()
        for chat_id in sorted(alerts):
            conn.execute(
                """SELECT o.status FROM outbox o
                   WHERE o.chat_id = ? AND o.story_id = ? AND o.kind = 'alert'
                     AND o.status IN ('pending', 'sent') AND o.created_at >= ?
                   ORDER BY o.id DESC LIMIT 1""",
                (chat_id, article_id, created),
            ).fetchall()
            row = conn.execute(
                """INSERT INTO outbox (chat_id, article_id, topics, created_at,
                       watch, story_id, kind, status)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id""",
                (chat_id, article_id, json.dumps(alerts[chat_id]), created, "[]", article_id)
                + ("alert", "pending"),
            ).fetchone()
            conn.execute(
                "SELECT delivery, digest_at, quiet_from, quiet_to, quiet_mode FROM chats"
                " WHERE chat_id = ?",
                (chat_id,),
            ).fetchone()
            queued += row is not None
        conn.execute("UPDATE articles SET processed = 1 WHERE id = ?", (article_id,))
    return queued


def queue_child(conn: Connection, n: int, store_url: str | None) -> None:
    from bot.config import parse_config
    from bot.runtime import Services
    from bot.sources.base import SourceState
    from classifiers.base import TopicScore

    with tempfile.TemporaryDirectory(prefix="bench-queueing-") as tmp:
        text = CONFIG
        if store_url is not None:
            text = CONFIG.replace("  path: topicbot.sqlite3", f"  url: {store_url}")
        start = Usage.now()
        services = Services.build(parse_config(text, base_dir=Path(tmp)))
        if services.language_loader is not None:
            services.language_loader.join()  # measured below, in a process of its own
        store = services.store
        for chat in chat_ids(n):
            store.ensure_chat(chat, kind="private", title=f"Bruger {chat}")
            store.subscribe(chat, ["NATO"])
        setup_s = Usage.now().since(start).wall_s
        scores = [TopicScore("NATO", 0.9, True, ("nato",))]
        counter = iter(range(1_000_000))

        def new_article() -> str:
            i = next(counter)
            a = article()
            a = replace(a, id=f"{a.id}-{i}", link=f"{a.link}-{i}", title=f"{a.title} ({i})")
            store.record_articles(
                [a],
                source=a.source,
                state=SourceState(polled_before=True, last_success=datetime.now(UTC)),
            )
            return a.id

        def timed(fn: Any) -> tuple[int, float, float]:
            before = Usage.now()
            queued = fn()
            used = Usage.now().since(before)
            return int(queued), used.cpu_s, used.wall_s

        def per_chat() -> tuple[int, float, float]:
            aid = new_article()
            alerts = store.subscribers_for(["NATO"])
            return timed(lambda: per_chat_complete(store, aid, alerts))

        def batched() -> tuple[int, float, float]:
            aid = new_article()
            alerts = store.subscribers_for(["NATO"])
            return timed(lambda: store.complete_article(aid, scores, alerts, {}, aid, "da"))

        def pipeline() -> tuple[int, float, float]:
            new_article()
            return timed(lambda: asyncio.run(services.pipeline.process_pending()))

        try:
            serve(
                conn,
                {
                    "setup_s": lambda: setup_s,
                    "per_chat": per_chat,
                    "batched": batched,
                    "pipeline": pipeline,
                },
            )
        finally:
            store.close()


def language_child(conn: Connection) -> None:
    """The identifier's load in a fresh process (what a start-up now pays once)."""

    def load() -> float:
        from classifiers.language import LanguageIdentifier

        before = Usage.now()
        LanguageIdentifier()
        return Usage.now().since(before).cpu_s

    serve(conn, {"load": load})


@dataclass
class Row:
    backend: str
    chats: int
    per_chat: tuple[float, float]
    batched: tuple[float, float]
    pipeline: tuple[float, float]
    queued: int


def run_one(backend: str, n: int, url: str | None, repeat: int) -> Row:
    with Worker(queue_child, n, url, name=f"queueing-{backend}-{n}") as w:
        w.request("setup_s", timeout=1200)
        got: dict[str, list[tuple[int, float, float]]] = {"per_chat": [], "batched": []}
        got["pipeline"] = []
        for _ in range(repeat):
            for name in ("per_chat", "batched", "pipeline"):
                got[name].append(w.request(name, timeout=600))
    queued = {q for name in got for q, _, _ in got[name]}
    if queued != {n}:
        raise SystemExit(f"{backend} {n}: queued {sorted(queued)}, expected {n} every time")

    def med(name: str) -> tuple[float, float]:
        return (
            statistics.median(c for _, c, _ in got[name]),
            statistics.median(w for _, _, w in got[name]),
        )

    return Row(backend, n, med("per_chat"), med("batched"), med("pipeline"), n)


def table(rows: list[Row]) -> str:
    headers = [
        "backend",
        "chats",
        "per chat CPU s",
        "batched CPU s",
        "CPU ratio",
        "per chat wall s",
        "batched wall s",
        "wall ratio",
        "pipeline CPU s",
        "pipeline wall s",
    ]
    body = [
        [
            r.backend,
            fmt(r.chats),
            fmt(r.per_chat[0], 3),
            fmt(r.batched[0], 3),
            ratio(r.batched[0], r.per_chat[0], 1),
            fmt(r.per_chat[1], 3),
            fmt(r.batched[1], 3),
            ratio(r.batched[1], r.per_chat[1], 1),
            fmt(r.pipeline[0], 3),
            fmt(r.pipeline[1], 3),
        ]
        for r in rows
    ]
    return markdown_table(headers, body)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--chats", default="1000,10000", help="comma-separated chat counts")
    p.add_argument("--backends", default="sqlite,postgresql", help="sqlite, postgresql")
    p.add_argument("--repeat", type=int, default=3, help="interleaved runs per figure")
    args = p.parse_args(argv)
    print(f"$ python bench/queueing.py {' '.join(sys.argv[1:])}".strip(), flush=True)
    counts = [int(x) for x in args.chats.split(",") if x.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    started = time.perf_counter()
    rows: list[Row] = []
    pg: Any = None
    if "postgresql" in backends:
        from tests.standins.postgres import PostgresServer, find_bindir

        bindir = find_bindir()
        if bindir is None:
            print("no PostgreSQL server binaries (apt-get install postgresql)", file=sys.stderr)
            return 2
        pg = PostgresServer(bindir).start()
    try:
        for backend in backends:
            for n in counts:
                url = pg.create_database(f"queueing{n}") if backend == "postgresql" else None
                rows.append(run_one(backend, n, url, args.repeat))
                print(f"  {backend} {n:,} chats done", flush=True)
    finally:
        if pg is not None:
            pg.stop()
    with Worker(language_child, name="language-load") as w:
        load_s = w.request("load", timeout=300)
    print()
    print(table(rows))
    print(f"\nlanguage identifier load (once per process, at start-up): {load_s:.2f} CPU s")
    print(f"medians of {args.repeat} interleaved runs; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
