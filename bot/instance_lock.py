"""One process per database: a second `topicbot run` fails fast instead of sending twice."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from bot.config import Config


class InstanceLock:
    """An exclusive `flock` on a file beside the database, held while the bot runs.

    The kernel drops it when the process dies, so a crash never leaves a stale lock.
    """

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def lock_for(config: Config) -> InstanceLock | None:
    """The lock file beside a SQLite database; None for ":memory:" and for PostgreSQL, where
    several processes share the database and divide the work among themselves."""
    if config.postgres_url is not None or str(config.storage.path) == ":memory:":
        return None
    return InstanceLock(config.db_path)
