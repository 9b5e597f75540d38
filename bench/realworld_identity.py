"""Article identity on real feeds: how many distinct items each feed has, how many are stored.

Serves every file of ``../shared/fixtures/realworld/feeds/`` on the loopback feed server, polls
it twice through `poll_feed` and records the articles in a fresh SQLite store the way the
pipeline does. Columns: items feedparser sees, distinct (guid, link) pairs among them, articles
stored by the first poll, articles added by a second poll of the unchanged feed (must be 0).
The last row is the two-snapshot Dagbladet case: the older snapshot in ``extra/`` and then the
newer file at the same URL; "new links" is how many links of the newer file were not in the
older one, "stored" how many articles the second poll added.

    python bench/realworld_identity.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import feedparser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import FeedConfig, FetchConfig  # noqa: E402
from bot.sources.feed import poll_feed  # noqa: E402
from bot.sources.fetcher import make_client  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.standins.feed_server import FeedServer  # noqa: E402

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "realworld"
CFG = FetchConfig(connect_timeout=2, read_timeout=2, total_timeout=5, max_bytes=5_000_000)


def distinct_pairs(raw: bytes) -> tuple[int, int, set[str]]:
    entries = feedparser.parse(raw).entries
    pairs = {(e.get("id"), e.get("link")) for e in entries}
    return len(entries), len(pairs), {e.get("link") for e in entries if e.get("link")}


async def poll_into(store: Store, server: FeedServer, name: str, path: str) -> int:
    feed = FeedConfig(name=name, url=server.url(path), interval=300)
    async with make_client(CFG) as client:
        outcome = await poll_feed(client, feed, CFG, store.source_state(name))
    new = store.record_articles(outcome.articles, source=name, state=outcome.state)
    return len(new)


async def main() -> None:
    if not REALWORLD.is_dir():
        sys.exit(f"{REALWORLD} is absent")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        store = Store.open(Path(tmp) / "bench.sqlite3")
        for file in sorted((REALWORLD / "feeds").iterdir()):
            raw = file.read_bytes()
            server.add(f"/{file.name}", raw)
            items, pairs, _ = distinct_pairs(raw)
            first = await poll_into(store, server, file.stem, f"/{file.name}")
            second = await poll_into(store, server, file.stem, f"/{file.name}")
            rows.append((file.name, items, pairs, first, second))
        older = (REALWORLD / "extra" / "no_dagbladet_2022-10-03.xml").read_bytes()
        newer = (REALWORLD / "feeds" / "no_dagbladet_newswars.xml").read_bytes()
        store.close()
        store = Store.open(Path(tmp) / "dagbladet.sqlite3")  # its links must not be known yet
        server.add("/dagbladet.xml", older)
        await poll_into(store, server, "Dagbladet", "/dagbladet.xml")
        server.set_body("/dagbladet.xml", newer)
        added = await poll_into(store, server, "Dagbladet", "/dagbladet.xml")
        new_links = len(distinct_pairs(newer)[2] - distinct_pairs(older)[2])
        store.close()
    print(f"| {'feed':32} | feedparser items | distinct (guid, link) | stored | 2nd poll adds |")
    print(f"|{'-' * 34}|-----------------:|----------------------:|-------:|--------------:|")
    for name, items, pairs, first, second in rows:
        print(f"| {name:32} | {items:16} | {pairs:21} | {first:6} | {second:13} |")
    print(f"\nDagbladet, extra/ then feeds/ at one URL: {new_links} new links, {added} stored")


if __name__ == "__main__":
    asyncio.run(main())
