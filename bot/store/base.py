"""Shared plumbing of the store's parts: the connection, transactions, time encoding."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import StoreError


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def to_iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).isoformat() if dt else None


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StoreBase:
    """One connection and one lock.

    Methods are short transactions, so calling them from the event loop is fine; the lock lets
    worker threads (classification) share the connection.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; SQLite errors become StoreError naming the file."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path or ':memory:'}: {exc}") from exc

    def _execute(self, sql: str, params: tuple[object, ...] = ()) -> None:
        """One statement in autocommit mode: its own transaction, committed on return."""
        with self._lock:
            try:
                self._conn.execute(sql, params)
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path or ':memory:'}: {exc}") from exc

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path or ':memory:'}: {exc}") from exc
