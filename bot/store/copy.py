"""Copying a whole installation between databases (`topicbot store copy`).

Table by table in foreign-key order, in insertion order, ids kept (a 👍 on an alert sent
before the move still finds its outbox row), into a target that must be empty. Both stores
are opened (and so migrated) by this topicbot first, so they have the same schema; a table
this module does not know is refused rather than silently left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import StoreError
from bot.store.db import Store

#: Every table, parents before children, with the order rows were written in.
TABLES: dict[str, str] = {
    "articles": "rowid",
    "article_topics": "article_id, topic",
    "source_state": "source",
    "chats": "chat_id",
    "subscriptions": "chat_id, topic",
    "watch_words": "chat_id, phrase",
    "outbox": "id",
    "feedback": "chat_id, article_id",
    "meta": "key",
}
#: Tables whose ids the target's sequence must continue after.
SERIAL_IDS = {"outbox": "id"}
BATCH = 2000


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


def _count(store: Store, table: str) -> int:
    return int(store.read(f"SELECT COUNT(*) FROM {table}")[0][0])


def copy_store(
    source: Store, target: Store, *, progress: Callable[[str, int], None] | None = None
) -> list[TableCount]:
    """Copy every row of `source` into the empty `target`; the counts of both, per table."""
    with source.backend.connection() as conn:
        tables = source.backend.tables(conn)
        unknown = sorted(set(tables) - set(TABLES))
        columns = {t: source.backend.columns(conn, t) for t in TABLES}
    if unknown:
        raise StoreError(f"store copy does not know the table(s) {', '.join(unknown)}")
    if source.schema_version != target.schema_version:
        raise StoreError(
            f"schema {source.schema_version} in {source.backend.label} but "
            f"{target.schema_version} in {target.backend.label}"
        )
    busy = [t for t in TABLES if _count(target, t)]
    if busy:
        raise StoreError(
            f"{target.backend.label} is not empty ({', '.join(busy)} have rows); "
            "copy into a new database"
        )
    for table, order in TABLES.items():
        cols = columns[table]
        select = f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}"
        insert = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        copied = 0
        offset = 0
        while rows := source.read(f"{select} LIMIT ? OFFSET ?", (BATCH, offset)):
            with target.backend.transaction() as conn:
                conn.executemany(insert, [tuple(r) for r in rows])
            copied += len(rows)
            offset += len(rows)
            if progress:
                progress(table, copied)
        if table in SERIAL_IDS:
            with target.backend.transaction() as conn:
                target.backend.follow_ids(conn, table, SERIAL_IDS[table])
    return [TableCount(t, _count(source, t), _count(target, t)) for t in TABLES]
