"""SQLite: one file in WAL mode (the sender reads the outbox while a poll writes), one
connection shared by the event loop and worker threads under one lock. The schema version is
``PRAGMA user_version``; the migrations are `bot.store.db.MIGRATIONS`."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from bot.errors import StoreError
from bot.store.backend import Connection, Row, chunks


class SqliteBackend:
    name = "sqlite"
    greatest = "MAX"
    shared = False
    skip_locked = ""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, migrations: Sequence[str]):
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.label = str(path or ":memory:")
        self.migrations = migrations

    @classmethod
    def open(
        cls, path: Path | str, migrations: Sequence[str], *, timeout: float = 10.0
    ) -> SqliteBackend:
        """Open (creating as needed); the file is readable by its owner only."""
        p = Path(path)
        memory = str(path) == ":memory:"
        try:
            if not memory:
                p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                if not p.exists():
                    fd = os.open(p, os.O_CREAT | os.O_WRONLY, 0o600)
                    os.close(fd)
            conn = sqlite3.connect(
                str(p) if not memory else ":memory:",
                timeout=timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if not memory:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            return cls(conn, None if memory else p, migrations)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {p}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot create database {p}: {exc.strerror or exc}") from exc

    @classmethod
    def open_read_only(
        cls, path: Path | str, migrations: Sequence[str], *, timeout: float = 10.0
    ) -> SqliteBackend:
        """An existing file, read-only (``mode=ro``): nothing created, nothing written."""
        p = Path(path)
        if not p.is_file():
            raise StoreError(f"no database at {p} yet (run `topicbot once` first)")
        try:
            conn = sqlite3.connect(
                f"{p.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA user_version").fetchone()  # a file that is no database fails
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {p}: {exc}") from exc
        return cls(conn, p, migrations)

    def trace(self, callback: Callable[[str], object] | None) -> None:
        """Call `callback` with every SQL statement the connection runs (None: stop). For
        counting statements: a fan-out must cost none per chat (tests/store)."""
        with self._lock:
            self._conn.set_trace_callback(callback)

    def index_hint(self, index: str) -> str:
        return f"INDEXED BY {index}"

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"database {self.label}: {exc}") from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """BEGIN IMMEDIATE: the write lock from the start, so two writers never deadlock."""
        with self._lock, self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield cast(Connection, self._conn)
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        with self._lock, self._errors():
            yield cast(Connection, self._conn)

    def insert_new(
        self, conn: Connection, sql: str, rows: Sequence[Sequence[Any]], key: str
    ) -> set[Any]:
        """All of them: callers check for conflicts in the same write-locked transaction, and
        no other process writes this file."""
        conn.executemany(sql, rows)
        return {r[0] for r in rows}

    def lock_keys(self, conn: Connection, topic: str, keys: Iterable[str]) -> None:
        """BEGIN IMMEDIATE already excludes every other writer."""

    def any_of(self, column: str, values: Sequence[Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        for chunk in chunks(values):
            yield f"{column} IN ({','.join('?' * len(chunk))})", tuple(chunk)

    def insert_returning(
        self, conn: Connection, sql: str, rows: Sequence[Sequence[Any]]
    ) -> list[Row]:
        """One statement per `CHUNK` rows (executemany cannot return rows)."""
        out: list[Row] = []
        for chunk in chunks(rows):
            one = "(" + ",".join("?" * len(chunk[0])) + ")"
            values = [value for row in chunk for value in row]
            out += conn.execute(sql.format(values=",".join([one] * len(chunk))), values).fetchall()
        return out

    def tables(self, conn: Connection) -> list[str]:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        return sorted(r[0] for r in rows)

    def columns(self, conn: Connection, table: str) -> list[str]:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})").fetchall()]

    def follow_ids(self, conn: Connection, table: str, column: str) -> None:
        """AUTOINCREMENT keeps its counter above explicit ids by itself."""

    def schema_version(self, conn: Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def lock_schema(self, conn: Connection) -> None:
        """BEGIN IMMEDIATE already holds the file's write lock."""

    def migrate_step(self, conn: Connection, version: int, script: str) -> None:
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")

    def ping(self) -> None:
        """An open connection keeps answering from its cache after the file is deleted, so the
        file's presence is checked too: a deleted database would silently lose every write."""
        with self.connection() as conn:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
        if self.path is not None and not self.path.exists():
            raise StoreError(f"database {self.path}: the file is gone")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
