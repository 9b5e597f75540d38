"""A throwaway PostgreSQL server for tests and benchmarks: Debian's server binaries, a fresh
cluster in a temporary folder, a free loopback port, stopped and removed at the end.

Example::

    from tests.standins.postgres import PostgresServer, find_bindir

    with PostgresServer(find_bindir()) as pg:
        url = pg.create_database("t1")          # postgresql://postgres@127.0.0.1:PORT/t1

As root the cluster belongs to the `postgres` user (PostgreSQL refuses to run as root), so the
folder is created for that user and the binaries run through ``runuser``. Durability is off
(fsync, synchronous commit): the data dies with the test anyway.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

import psycopg

__all__ = ["PostgresServer", "find_bindir"]


def find_bindir() -> Path | None:
    """PostgreSQL's server binaries (initdb, pg_ctl): not on PATH in Debian's packages."""
    candidates: list[str] = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb") or "").parent))
    for c in candidates:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = 0
        self.dir = Path()
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd="/")
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.strip() or done.stdout}")

    def start(self) -> PostgresServer:
        # TOPICBOT_PG_ROOT: where .ci/run looks for servers a killed test run left behind.
        root = os.environ.get("TOPICBOT_PG_ROOT") or None
        self.dir = Path(tempfile.mkdtemp(prefix="topicbot-pg-", dir=root))
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        data = self.dir / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-N", "-E", "UTF8")
        self.port = _free_port()
        options = (
            f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log = str(self.dir / "log")
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", log, "start", "-w")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); returns its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            extra = f" TEMPLATE {template}" if template else ""
            conn.execute(f"CREATE DATABASE {name}{extra}")  # type: ignore[arg-type]
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.port:
            self._run("pg_ctl", "-D", str(self.dir / "data"), "stop", "-m", "immediate")
            self.port = 0
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
