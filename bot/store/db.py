"""The store: opening a database by URL, the SQLite schema and the migrations.

`storage.url` names the database: ``sqlite:///path`` (or a plain path: one file, one
process) or ``postgresql://user@host:port/db`` (several processes). Every method commits
before it returns: a write that matters is durable before anyone acts on it. Migrations run
in order at open; the PostgreSQL ones are `bot.store.postgres_backend.PG_MIGRATIONS`, entry
for entry the same schema.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.errors import StoreError
from bot.store.articles import ArticleMixin
from bot.store.backend import Backend
from bot.store.base import StoreBase
from bot.store.chats import ChatMixin
from bot.store.leases import LeaseMixin
from bot.store.outbox import OutboxMixin
from bot.store.preferences import PreferencesMixin
from bot.store.sqlite_backend import SqliteBackend
from bot.store.stories import StoryMixin
from bot.store.watch import WatchMixin

log = logging.getLogger(__name__)

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        link TEXT,
        link_norm TEXT,
        published TEXT,
        fetched_at TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT '',
        -- 0 until classified and matched (a crash in between is picked up next cycle)
        processed INTEGER NOT NULL DEFAULT 0,
        -- why no alert was made: 'first_poll', 'too_old', 'identity_upgrade', or NULL
        suppressed TEXT
    );
    CREATE INDEX articles_link ON articles(link_norm);
    CREATE INDEX articles_unprocessed ON articles(processed) WHERE processed = 0;
    CREATE INDEX articles_fetched ON articles(fetched_at);
    CREATE TABLE article_topics (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        score REAL NOT NULL,
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
        chat_id INTEGER PRIMARY KEY,
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
        chat_id INTEGER NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, topic)
    );
    CREATE INDEX subscriptions_topic ON subscriptions(topic);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id),
        topics TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        message_id INTEGER,
        UNIQUE (chat_id, article_id)
    );
    CREATE INDEX outbox_due ON outbox(status, next_attempt, id);
    CREATE TABLE feedback (
        chat_id INTEGER NOT NULL,
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
        chat_id INTEGER NOT NULL REFERENCES chats(chat_id) ON DELETE CASCADE,
        phrase TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, phrase)
    );
    """,
    # 3: the sender asks for the oldest pending rows many times a second during a fan-out
    """
    CREATE INDEX outbox_pending ON outbox(id) WHERE status = 'pending';
    """,
    # 4: the language each article was identified in (ISO 639-1, '' when there is too little
    # text to tell; NULL for articles stored before or never classified)
    """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    # 5: article identity (bot.identity): feeds whose guids tell nothing apart, and the one
    # silent pass over each existing source's next document (ArticleMixin._upgrade_pass)
    """
    ALTER TABLE source_state ADD COLUMN guids_unreliable INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE source_state ADD COLUMN identity_upgrade_pending INTEGER NOT NULL DEFAULT 0;
    UPDATE source_state SET identity_upgrade_pending = 1;
    """,
    # 6: feeds that moved (301/308, polled at the new URL) or ended (410 Gone, not polled)
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
    ALTER TABLE articles ADD COLUMN story_seq INTEGER;
    CREATE INDEX articles_story_seq ON articles(story_seq);
    """,
]


#: URL schemes of PostgreSQL (libpq accepts both).
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(target: Path | str) -> bool:
    return str(target).startswith(POSTGRES_SCHEMES)


def sqlite_path(target: Path | str) -> Path | str:
    """``sqlite:///data/x.db`` → ``data/x.db`` (``sqlite:////abs/x.db`` is absolute); a plain
    path stays as it is."""
    text = str(target)
    if text.startswith("sqlite://"):
        rest = text.removeprefix("sqlite://")
        if not rest.startswith("/"):
            raise StoreError(
                f"storage url {text!r}: write sqlite:///relative/path or sqlite:////abs"
            )
        return rest[1:] or ":memory:"
    return target


class Store(
    ArticleMixin,
    ChatMixin,
    LeaseMixin,
    OutboxMixin,
    PreferencesMixin,
    StoryMixin,
    WatchMixin,
    StoreBase,
):
    """Thread-safe access to the database.

    Methods are short transactions, so calling them from the event loop is fine; worker
    threads (classification) call them too.
    """

    @classmethod
    def open(cls, target: Path | str, *, timeout: float = 10.0) -> Store:
        """Open a SQLite file (path or ``sqlite:///…``) or a PostgreSQL database (URL),
        creating and migrating its schema as needed."""
        backend: Backend
        if is_postgres(target):
            from bot.store.postgres_backend import PostgresBackend  # psycopg only when used

            backend = PostgresBackend.open(str(target), timeout=timeout)
        else:
            backend = SqliteBackend.open(sqlite_path(target), MIGRATIONS, timeout=timeout)
        store = cls(backend)
        try:
            store._migrate()
        except BaseException:
            backend.close()
            raise
        return store

    @classmethod
    def open_read_only(cls, target: Path | str, *, timeout: float = 10.0) -> Store:
        """Open an existing database for commands that only read (`stats`, `feeds list`):
        no file is created and the schema is not migrated, so an older database is left for
        the bot itself to upgrade. Writes fail (SQLite's `mode=ro`)."""
        backend: Backend
        if is_postgres(target):
            from bot.store.postgres_backend import PostgresBackend

            backend = PostgresBackend.open(str(target), timeout=timeout, max_size=2)
        else:
            backend = SqliteBackend.open_read_only(sqlite_path(target), MIGRATIONS, timeout=timeout)
        store = cls(backend)
        try:
            version = store.schema_version
        except BaseException:
            backend.close()
            raise
        latest = len(backend.migrations)
        if version != latest:
            backend.close()
            newer = "newer" if version > latest else "older"
            todo = (
                "upgrade topicbot"
                if version > latest
                else "`topicbot once` or `topicbot run` upgrades it"
            )
            raise StoreError(
                f"database {backend.label} has schema {version}, {newer} than this topicbot "
                f"({latest}); {todo} (commands that only read never change it)"
            )
        return store

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._backend.connection() as conn:
            return self._backend.schema_version(conn)

    def ping(self) -> None:
        """Raise StoreError unless the database answers (see the backends)."""
        self._backend.ping()

    def _migrate(self) -> None:
        backend = self._backend
        migrations = backend.migrations
        with backend.transaction() as conn:
            backend.lock_schema(conn)
            current = backend.schema_version(conn)
            if current > len(migrations):
                raise StoreError(
                    f"database {backend.label} has schema {current}, newer than this topicbot "
                    f"({len(migrations)}); upgrade topicbot"
                )
            for version in range(current + 1, len(migrations) + 1):
                log.info("migrating database %s to schema %d", backend.label, version)
                backend.migrate_step(conn, version, migrations[version - 1])

    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
