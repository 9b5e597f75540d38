"""What the store's parts need from a database: the protocols both backends implement.

The mixins write one SQL text for both databases (``?`` placeholders, ``ON CONFLICT``,
ISO-8601 text timestamps, 0/1 integers for flags). What cannot be written once lives in the
backend (`bot.store.sqlite_backend`, `bot.store.postgres_backend`): connecting, transactions,
the schema and its version, index hints, the few functions that are spelled differently,
and how a statement covers many values (`any_of`, `insert_returning`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")


#: Values per ``IN (...)`` list and rows per multi-row ``VALUES`` on SQLite: 5,000 bound
#: parameters at ten columns a row, far below its limit of 32,766.
CHUNK = 500


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`values` in slices of at most `size` (one statement each)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


class Row(Protocol):
    """A result row, by column name or position (sqlite3.Row and the PostgreSQL row alike)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The part of a DB-API connection the store uses (sqlite3.Connection has it as is)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...
    def executemany(self, sql: str, parameters: Any, /) -> Cursor: ...


class Backend(Protocol):
    #: "sqlite" or "postgresql".
    name: str
    #: What error messages call the database: the file, or the URL without its password.
    label: str
    #: The SQLite file (None for PostgreSQL and for ":memory:").
    path: Path | None
    #: The schema, one entry per version (statements separated by ";").
    migrations: Sequence[str]
    #: SQL spelling of the two-argument maximum (SQLite's scalar MAX, PostgreSQL's GREATEST).
    greatest: str
    #: Several processes may use the database at once (PostgreSQL), so they divide the polls.
    shared: bool
    #: Row locking for a claim, appended to a SELECT: " FOR UPDATE SKIP LOCKED", or "" where
    #: a write transaction already excludes every other writer (SQLite).
    skip_locked: str

    def index_hint(self, index: str) -> str:
        """``INDEXED BY index`` where the planner needs telling (SQLite), else ""."""
        ...

    def transaction(self) -> AbstractContextManager[Connection]:
        """One committed transaction holding the write lock it needs; errors → StoreError."""
        ...

    def connection(self) -> AbstractContextManager[Connection]:
        """A connection in autocommit mode (each statement its own transaction)."""
        ...

    def insert_new(
        self, conn: Connection, sql: str, rows: Sequence[Sequence[Any]], key: str
    ) -> set[Any]:
        """Run an ``INSERT … ON CONFLICT DO NOTHING`` per row; the first values of the rows
        actually inserted (another process may have inserted the same key meanwhile); `key` is
        the first column."""
        ...

    def lock_keys(self, conn: Connection, topic: str, keys: Iterable[str]) -> None:
        """Until `conn`'s transaction ends, another process's transaction that locks one of
        `keys` under the same `topic` waits: for a rule that no unique index can state (one
        article per link, except where `bot.identity` says the link is no identity). Locks
        taken, the caller reads again what it decides on; the other's commit is visible then."""
        ...

    def any_of(self, column: str, values: Sequence[Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """`column` is one of `values`, as (condition, parameters) for one statement each:
        ``column IN (?, …)`` per `CHUNK` values (SQLite), or one ``column = ANY(?)`` with an
        array (PostgreSQL). Nothing for no values (no row matches)."""
        ...

    def insert_returning(
        self, conn: Connection, sql: str, rows: Sequence[Sequence[Any]]
    ) -> list[Row]:
        """Insert many rows with `sql`, whose ``{values}`` stands for the rows' VALUES, and
        return the RETURNING rows of those inserted: multi-row VALUES per `CHUNK` rows
        (SQLite), or one pipelined batch of the one-row statement (PostgreSQL)."""
        ...

    def tables(self, conn: Connection) -> list[str]:
        """The database's tables (without the backend's own bookkeeping)."""
        ...

    def columns(self, conn: Connection, table: str) -> list[str]:
        """A table's columns in schema order (without PostgreSQL's stand-in `rowid`)."""
        ...

    def follow_ids(self, conn: Connection, table: str, column: str) -> None:
        """After rows were inserted with explicit ids: new rows get ids above them."""
        ...

    def schema_version(self, conn: Connection) -> int: ...
    def migrate_step(self, conn: Connection, version: int, script: str) -> None:
        """Run one migration's statements and record `version`, in `conn`'s transaction."""
        ...

    def lock_schema(self, conn: Connection) -> None:
        """Serialise migrations of processes starting together (inside the transaction)."""
        ...

    def ping(self) -> None:
        """Raise StoreError unless the database answers (and, for a file, still exists)."""
        ...

    def close(self) -> None: ...


def redact(url: str) -> str:
    """The URL without its password (for logs and error messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
