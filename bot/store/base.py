"""Shared plumbing of the store's parts: the backend, transactions, time encoding."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from bot.store.backend import Backend, Connection, Row


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def to_iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).isoformat() if dt else None


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StoreBase:
    """One backend (SQLite or PostgreSQL) and one lock for the store's in-memory state.

    Methods are short transactions, so calling them from the event loop is fine; worker
    threads (classification) call them too.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._lock = threading.RLock()
        self.path = backend.path

    @property
    def backend(self) -> Backend:
        return self._backend

    def _tx(self) -> AbstractContextManager[Connection]:
        """One committed transaction; database errors become StoreError naming the database."""
        return self._backend.transaction()

    def _execute(self, sql: str, params: tuple[object, ...] = ()) -> None:
        """One statement in autocommit mode: its own transaction, committed on return."""
        with self._backend.connection() as conn:
            conn.execute(sql, params)

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[Row]:
        with self._backend.connection() as conn:
            return conn.execute(sql, params).fetchall()

    def read(self, sql: str, params: tuple[object, ...] = ()) -> list[Row]:
        """Rows of one read-only query, for the store package's modules that read across
        tables without being a mixin (`bot.store.stats`, `bot.store.copy`)."""
        return self._query(sql, params)
