"""PostgreSQL: a psycopg 3 connection pool, shared by any number of topicbot processes.

Timestamps stay ISO-8601 text and flags 0/1 integers, as in SQLite, so the mixins' SQL and
their comparisons mean the same on both. `articles.rowid` is a BIGSERIAL standing in for
SQLite's implicit rowid (insertion order). The schema version lives in `topicbot_schema`;
processes starting together migrate one after the other (an advisory transaction lock).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
from psycopg.rows import RowMaker

from bot.errors import StoreError
from bot.store.backend import Connection, Cursor, Row, redact

#: The PostgreSQL schema, version by version: entry N matches `bot.store.db.MIGRATIONS[N]`
#: (a new SQLite column is one line there and one line here).
PG_MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        rowid BIGSERIAL NOT NULL,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        link TEXT,
        link_norm TEXT,
        published TEXT,
        fetched_at TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT '',
        processed INTEGER NOT NULL DEFAULT 0,
        suppressed TEXT
    );
    CREATE UNIQUE INDEX articles_rowid ON articles(rowid);
    CREATE INDEX articles_link ON articles(link_norm);
    CREATE INDEX articles_unprocessed ON articles(processed) WHERE processed = 0;
    CREATE INDEX articles_fetched ON articles(fetched_at);
    CREATE TABLE article_topics (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        matched INTEGER NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_id, topic)
    );
    CREATE TABLE source_state (
        source TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_success TEXT,
        last_error TEXT,
        last_error_at TEXT,
        polled_before INTEGER NOT NULL DEFAULT 0,
        last_items INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE chats (
        chat_id BIGINT PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'private',
        title TEXT,
        language TEXT NOT NULL DEFAULT 'da',
        active INTEGER NOT NULL DEFAULT 1,
        paused INTEGER NOT NULL DEFAULT 0,
        inactive_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE subscriptions (
        chat_id BIGINT NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, topic)
    );
    CREATE INDEX subscriptions_topic ON subscriptions(topic);
    CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        chat_id BIGINT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id),
        topics TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        message_id BIGINT,
        UNIQUE (chat_id, article_id)
    );
    CREATE INDEX outbox_due ON outbox(status, next_attempt, id);
    CREATE TABLE feedback (
        chat_id BIGINT NOT NULL,
        article_id TEXT NOT NULL,
        vote INTEGER NOT NULL,
        topics TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, article_id)
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: per-chat delivery preferences, personal watch words, story grouping
    """
    ALTER TABLE chats ADD COLUMN delivery TEXT NOT NULL DEFAULT 'instant';
    ALTER TABLE chats ADD COLUMN digest_at TEXT;
    ALTER TABLE chats ADD COLUMN quiet_from TEXT;
    ALTER TABLE chats ADD COLUMN quiet_to TEXT;
    ALTER TABLE chats ADD COLUMN quiet_mode TEXT NOT NULL DEFAULT 'silent';
    ALTER TABLE outbox ADD COLUMN hold_until TEXT;
    ALTER TABLE outbox ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN watch TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE outbox ADD COLUMN story_id TEXT;
    ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'alert';
    ALTER TABLE articles ADD COLUMN story_id TEXT;
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX outbox_story ON outbox(chat_id, story_id);
    CREATE TABLE watch_words (
        chat_id BIGINT NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
        phrase TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, phrase)
    );
    """,
    # 3: the sender asks for the oldest pending rows many times a second during a fan-out
    """
    CREATE INDEX outbox_pending ON outbox(id) WHERE status = 'pending';
    """,
    # 4: the language each article was identified in
    """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    # 5: article identity (bot.identity)
    """
    ALTER TABLE source_state ADD COLUMN guids_unreliable INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE source_state ADD COLUMN identity_upgrade_pending INTEGER NOT NULL DEFAULT 0;
    UPDATE source_state SET identity_upgrade_pending = 1;
    """,
    # 6: feeds that moved (301/308) or ended (410 Gone)
    """
    ALTER TABLE source_state ADD COLUMN moved_from TEXT;
    ALTER TABLE source_state ADD COLUMN moved_to TEXT;
    ALTER TABLE source_state ADD COLUMN gone_url TEXT;
    ALTER TABLE source_state ADD COLUMN gone_at TEXT;
    """,
    # 7: processes sharing a database claim a feed's next poll by a lease (bot.store.leases)
    """
    ALTER TABLE source_state ADD COLUMN poll_lease TEXT;
    """,
    # 8: the order in which processes sharing a database placed articles in stories, so each
    # learns the others' (StoryMixin.assign_stories)
    """
    ALTER TABLE articles ADD COLUMN story_seq BIGINT;
    CREATE INDEX articles_story_seq ON articles(story_seq);
    """,
]

#: Key of the advisory lock that serialises migrations (any constant; "topicbot" in ASCII).
_SCHEMA_LOCK = 0x746F70696362
#: `lock_keys` hashes keys into this many advisory locks per topic: a transaction holds at
#: most this many (PostgreSQL's lock table has ~64 slots per connection), and two whose keys
#: share a bucket only wait for each other a moment.
KEY_BUCKETS = 1024


def _hash32(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big", signed=True)


class PgRow(tuple[Any, ...]):
    """A row by position or by column name, like sqlite3.Row (the mixins use both)."""

    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@functools.lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)  # a repeated name reads the first, as in sqlite3.Row
    return type("PgRow", (PgRow,), {"_index": index})


def _row_factory(cursor: Any) -> RowMaker[PgRow]:
    desc = cursor.description
    return _row_class(tuple(d.name for d in desc) if desc else ())


@functools.lru_cache(maxsize=1024)
def _placeholders(sql: str) -> str:
    """The mixins' ``?`` placeholders in psycopg's spelling (and a literal % escaped)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PgConnection:
    """A psycopg connection with sqlite3's `execute` / `executemany` interface."""

    def __init__(self, conn: psycopg.Connection[PgRow]) -> None:
        self.raw = conn

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Cursor:
        cur = self.raw.cursor()
        cur.execute(_placeholders(sql), tuple(parameters))
        return cur

    def executemany(self, sql: str, parameters: Any, /) -> Cursor:
        cur = self.raw.cursor()
        cur.executemany(_placeholders(sql), [tuple(p) for p in parameters])
        return cur


class PostgresBackend:
    name = "postgresql"
    greatest = "GREATEST"
    shared = True
    skip_locked = " FOR UPDATE SKIP LOCKED"
    path: Path | None = None
    migrations: Sequence[str] = PG_MIGRATIONS

    def __init__(self, pool: psycopg_pool.ConnectionPool[Any], label: str) -> None:
        self._pool = pool
        self.label = label

    @classmethod
    def open(cls, url: str, *, timeout: float = 10.0, max_size: int = 10) -> PostgresBackend:
        """Connect once directly first: a pool only says "timed out", this says why."""
        label = redact(url)
        try:
            psycopg.connect(url, connect_timeout=max(1, int(timeout))).close()
        except psycopg.Error as exc:
            raise StoreError(f"cannot open database {label}: {exc}") from exc
        pool: psycopg_pool.ConnectionPool[Any] = psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True, "row_factory": _row_factory},
            open=False,
            name="topicbot-store",
        )
        try:
            pool.open(wait=True, timeout=timeout)
        except psycopg_pool.PoolTimeout as exc:
            pool.close()
            raise StoreError(f"cannot open database {label}: {exc}") from exc
        return cls(pool, label)

    def index_hint(self, index: str) -> str:
        return ""

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise StoreError(f"database {self.label}: {exc}") from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self._errors(), self._pool.connection() as conn, conn.transaction():
            yield PgConnection(conn)

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        with self._errors(), self._pool.connection() as conn:
            yield PgConnection(conn)

    def insert_new(
        self, conn: Connection, sql: str, rows: Sequence[Sequence[Any]], key: str
    ) -> set[Any]:
        """One pipelined batch; RETURNING names the rows this transaction inserted (a row
        another process inserted first conflicts and is not returned)."""
        if not rows:
            return set()
        assert isinstance(conn, PgConnection)
        cur = conn.raw.cursor()
        cur.executemany(_placeholders(f"{sql} RETURNING {key}"), rows, returning=True)
        inserted: set[Any] = set()
        while True:
            inserted.update(r[0] for r in cur.fetchall())
            if not cur.nextset():
                return inserted

    def lock_keys(self, conn: Connection, topic: str, keys: Iterable[str]) -> None:
        """Transaction-scoped advisory locks (two-int form: `topic`, key bucket), all in one
        statement and in ascending order, so two transactions never wait for each other in a
        circle."""
        buckets = sorted({_hash32(k) % KEY_BUCKETS for k in keys})
        if buckets:
            conn.execute(
                "SELECT COUNT(pg_advisory_xact_lock(?, b))"
                " FROM (SELECT unnest(?::int[]) AS b ORDER BY b) AS ordered",
                (_hash32(topic), buckets),
            ).fetchall()

    def any_of(self, column: str, values: Sequence[Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """One array parameter: a statement with thousands of placeholders costs psycopg more
        CPU to parse than the query costs the server."""
        if values:
            yield f"{column} = ANY(?)", (list(values),)

    def insert_returning(
        self, conn: Connection, sql: str, rows: Sequence[Sequence[Any]]
    ) -> list[Row]:
        if not rows:
            return []
        assert isinstance(conn, PgConnection)
        one = "(" + ",".join("?" * len(rows[0])) + ")"
        cur = conn.raw.cursor()
        cur.executemany(_placeholders(sql.format(values=one)), rows, returning=True)
        out: list[Row] = []
        while True:
            out += cur.fetchall()
            if not cur.nextset():
                return out

    def tables(self, conn: Connection) -> list[str]:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE' AND table_name <> 'topicbot_schema'"
        ).fetchall()
        return sorted(r[0] for r in rows)

    def columns(self, conn: Connection, table: str) -> list[str]:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = ? ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        return [r[0] for r in rows if not (table == "articles" and r[0] == "rowid")]

    def follow_ids(self, conn: Connection, table: str, column: str) -> None:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), MAX({column})) FROM {table}"
            f" HAVING MAX({column}) IS NOT NULL",
            (table, column),
        )

    def schema_version(self, conn: Connection) -> int:
        if conn.execute("SELECT to_regclass('topicbot_schema')").fetchone()[0] is None:
            return 0
        row = conn.execute("SELECT MAX(version) FROM topicbot_schema").fetchone()
        return int(row[0] or 0)

    def lock_schema(self, conn: Connection) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS topicbot_schema (version INTEGER NOT NULL)")

    def migrate_step(self, conn: Connection, version: int, script: str) -> None:
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("DELETE FROM topicbot_schema")
        conn.execute("INSERT INTO topicbot_schema (version) VALUES (?)", (version,))

    def ping(self) -> None:
        with self.connection() as conn:
            conn.execute("SELECT 1").fetchall()

    def close(self) -> None:
        self._pool.close()
