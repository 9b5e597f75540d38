"""Shared helpers for the bench scripts: child processes, CPU/RSS measurement, tables.

Every benchmark measures topicbot in a process of its own, so that the figures it prints
(CPU seconds, peak RSS) are topicbot's alone and not those of the load generator or stand-in
server running beside it. `Worker` starts such a process (``spawn``: a fresh interpreter, so
its peak RSS does not include the parent's pages) and talks to it over a pipe; `serve` is the
child's side of that conversation. `Usage` reads ``getrusage`` (no psutil needed).

    def child(conn: Connection, n: int) -> None:
        state = setup(n)
        serve(conn, {"cycle": lambda: measure(lambda: run(state))})

    with Worker(child, 100) as w:
        result, usage = w.request("cycle")

Run bench scripts from the repository root (``python bench/poll.py``); `add_repo_root` puts the
root on ``sys.path`` so ``bot``, ``classifiers`` and ``tests.standins`` import on a clean checkout.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

__all__ = [
    "REPO_ROOT",
    "Usage",
    "Worker",
    "WorkerError",
    "add_repo_root",
    "current_rss_mb",
    "fmt",
    "markdown_table",
    "measure",
    "peak_rss_mb",
    "ratio",
    "reset_peak_rss",
    "serve",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def add_repo_root() -> None:
    """Make ``bot``, ``classifiers`` and ``tests.standins`` importable from a bench script."""
    root = str(REPO_ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)


# --- measurement -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Usage:
    """Resources of the calling process: wall clock, CPU (all threads) and peak RSS so far."""

    wall_s: float
    cpu_s: float
    #: Peak resident set size (MB, 10^6 bytes) since the process started or since the last
    #: `reset_peak_rss`.
    peak_rss_mb: float

    @classmethod
    def now(cls) -> Usage:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return cls(time.perf_counter(), ru.ru_utime + ru.ru_stime, peak_rss_mb())

    def since(self, start: Usage) -> Usage:
        """Wall and CPU elapsed since ``start``; peak RSS as of now (it never goes down)."""
        return Usage(self.wall_s - start.wall_s, self.cpu_s - start.cpu_s, self.peak_rss_mb)


def measure(fn: Callable[[], T], *, reset_peak: bool = False) -> tuple[T, Usage]:
    """Run ``fn`` and return its result with the wall/CPU it took and the peak RSS after it.

    ``reset_peak`` first resets the peak to the current RSS (Linux), so the peak is ``fn``'s
    own rather than the highest since the process started.
    """
    if reset_peak:
        reset_peak_rss()
    start = Usage.now()
    result = fn()
    return result, Usage.now().since(start)


def peak_rss_mb() -> float:
    """Peak RSS in MB: VmHWM from /proc (resettable), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except (OSError, ValueError, IndexError):
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss * (1 if sys.platform == "darwin" else 1024) / 1e6  # KiB on Linux


def reset_peak_rss() -> bool:
    """Reset the peak RSS to the current RSS (Linux ``clear_refs``); False where unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def current_rss_mb() -> float:
    """Resident set size right now, from /proc (0.0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


# --- child processes -------------------------------------------------------------------------


class WorkerError(RuntimeError):
    """The child raised; the message carries its traceback."""


def serve(conn: Connection, handlers: Mapping[str, Callable[..., Any]]) -> None:
    """Child side: answer ``(name, args)`` requests with ``("ok", value)`` or ``("error", tb)``.

    Stops on the request ``"stop"`` (or when the parent goes away).
    """
    while True:
        try:
            name, args = conn.recv()
        except EOFError:
            return
        if name == "stop":
            conn.send(("ok", None))
            return
        try:
            conn.send(("ok", handlers[name](*args)))
        except Exception:
            conn.send(("error", traceback.format_exc()))


def _child_main(
    target: Callable[..., None], conn: Connection, args: tuple[Any, ...]
) -> None:  # pragma: no cover - runs in the child
    try:
        target(conn, *args)
    except Exception:
        try:
            conn.send(("error", traceback.format_exc()))
        except OSError:
            pass
        raise


class Worker:
    """A ``spawn``-ed child running ``target(conn, *args)`` (usually ending in `serve`).

    ``target`` must be importable by module path (a top-level function of a bench script is,
    as long as the script guards its entry point with ``if __name__ == "__main__"``).
    """

    def __init__(
        self,
        target: Callable[..., None],
        *args: Any,
        name: str = "bench-worker",
        daemon: bool = True,
    ):
        """`daemon` False for a child that starts processes of its own (parse workers)."""
        ctx = mp.get_context("spawn")
        self._conn, child_conn = ctx.Pipe()
        self._proc = ctx.Process(
            target=_child_main, args=(target, child_conn, args), name=name, daemon=daemon
        )
        self._proc.start()
        child_conn.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid

    def recv(self, timeout: float = 600.0) -> Any:
        """The next ``("ok", value)`` from the child; raises `WorkerError` on its errors."""
        if not self._conn.poll(timeout):
            raise WorkerError(f"{self._proc.name}: no answer within {timeout:g}s")
        try:
            status, value = self._conn.recv()
        except EOFError:
            raise WorkerError(f"{self._proc.name} exited ({self._proc.exitcode})") from None
        if status != "ok":
            raise WorkerError(f"{self._proc.name} failed:\n{value}")
        return value

    def send(self, name: str, *args: Any) -> None:
        """Ask without waiting (`recv` the answer later): several workers at once."""
        self._conn.send((name, args))

    def request(self, name: str, *args: Any, timeout: float = 600.0) -> Any:
        self.send(name, *args)
        return self.recv(timeout)

    def close(self, timeout: float = 10.0) -> None:
        if self._proc.is_alive():
            try:
                self._conn.send(("stop", ()))
                self._conn.poll(timeout)
            except OSError:
                pass
            self._proc.join(timeout)
        if self._proc.is_alive():
            self._proc.terminate()  # this worker only, by its own handle
            self._proc.join(timeout)
        self._conn.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- tables ----------------------------------------------------------------------------------


def fmt(value: float | int | str | None, digits: int = 2) -> str:
    """Numbers for tables: thousands separators, ``digits`` decimals for floats, "–" for None."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def ratio(ours: float | None, baseline: float | None, digits: int = 2) -> str:
    """``baseline / ours`` as ``"12.3×"`` (how many times better ours is); "–" when unknown."""
    if ours is None or baseline is None or ours <= 0:
        return "–"
    return f"{baseline / ours:,.{digits}f}×"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table, padded so it also reads well in a terminal.

    Columns whose cells all look numeric are right-aligned.
    """
    cols = len(headers)
    widths = [len(h) for h in headers]
    for row in rows:
        if len(row) != cols:
            raise ValueError(f"row has {len(row)} cells, expected {cols}: {row!r}")
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def numeric(c: str) -> bool:
        stripped = c.rstrip("×%s").replace(",", "").replace(".", "", 1).lstrip("~≈-")
        return stripped.isdigit() or c == "–"

    right = [all(numeric(r[i]) for r in rows) and bool(rows) for i in range(cols)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if r else "-" * (w + 2)
            for w, r in zip(widths, right, strict=True)
        )
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
