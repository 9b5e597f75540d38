"""Write `legacy_v3.sqlite3`: a store as the release before issue 11 left it.

Run once with that release (commit b501f50), from the repository root:

    python tests/store/testdata/make_legacy_store.py

It records the feeds in `legacy/` the way that release's pipeline did (parse, then record with
the source's state), so the migration test can check that upgrading keeps every id and that the
unchanged feeds alert nothing afterwards. Kept as a script so the file can be rebuilt and
audited; the test never runs it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.sources.base import SourceState
from bot.sources.feed import parse_feed
from bot.store import Store

HERE = Path(__file__).parent
OUT = HERE / "legacy_v3.sqlite3"
FEEDS = {"Avisen": "avisen.xml", "Dagbog": "dagbog.xml", "Fod": "fod.atom", "Plain": "plain.xml"}
WHEN = datetime(2026, 1, 6, 7, 0, tzinfo=UTC)


def main() -> None:
    OUT.unlink(missing_ok=True)
    with Store.open(OUT) as store:
        for name, file in FEEDS.items():
            parsed = parse_feed(
                (HERE / "legacy" / file).read_bytes(),
                source=name,
                base_url=f"https://{name.lower()}.example/feed",
                fetched_at=WHEN,
            )
            state = SourceState().succeeded(WHEN, len(parsed.articles), polled_before=True)
            new = store.record_articles(parsed.articles, source=name, state=state)
            store.mark_processed([a.id for a in new])
            print(f"{name}: {len(parsed.articles)} parsed, {len(new)} stored")
    conn = sqlite3.connect(OUT)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 512")
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    main()
