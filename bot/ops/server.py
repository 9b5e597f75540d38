"""The operations endpoint: `/healthz` and `/metrics` over minimal HTTP/1.1 on asyncio.

It runs inside the bot's own event loop (no thread, no extra dependency) and answers one
request per connection. Database work runs in a worker thread so a busy database cannot stall
polling or sending. Bound to loopback unless `ops.host` says otherwise: metrics and health are
for the supervisor and Prometheus, not for the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Config
from bot.errors import StoreError
from bot.ops import metrics
from bot.store import Store
from bot.store import stats as store_stats

log = logging.getLogger(__name__)

#: An alert due this long, with no successful send meanwhile, means the sender is stuck.
STUCK_AFTER = 15 * 60.0
#: Requests larger than this, or slower than REQUEST_TIMEOUT, are cut off.
MAX_REQUEST_BYTES = 8192
REQUEST_TIMEOUT = 5.0

_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class HealthChecker:
    """The three checks behind /healthz; each returns (ok, details)."""

    store: Store
    #: Sources the bot polls (None: any source in the database counts).
    sources: Sequence[str] | None
    stale_after: float
    stuck_after: float = STUCK_AFTER
    #: Chats the running sender serves (console mode: the console chat); None: all.
    sender_chats: Sequence[int] | None = None
    started: float = field(default_factory=time.time)

    def check(self, now: datetime | None = None) -> tuple[list[str], dict[str, object]]:
        """Run every check (they are independent): the failing ones' names, and the report."""
        now = now or datetime.now(UTC)
        checks: dict[str, dict[str, object]] = {}
        try:
            store_stats.ping(self.store)
            checks["database"] = {"ok": True}
        except StoreError as exc:
            checks["database"] = {"ok": False, "error": str(exc)}
        else:
            checks["polls"] = self._polls(now)
            roles = metrics.roles()
            if roles is not None and not roles.get("bot"):
                checks["sender"] = {"ok": True, "note": "another process holds the bot role"}
            else:
                checks["sender"] = self._sender(now)
        failing = [name for name, c in checks.items() if not c["ok"]]
        body: dict[str, object] = {"status": "ok" if not failing else "fail"}
        if failing:
            body["failing"] = failing
        if (roles := metrics.roles()) is not None:
            body["roles"] = sorted(r for r, held in roles.items() if held)
        body["checks"] = checks
        return failing, body

    def _uptime(self, now: datetime) -> float:
        return now.timestamp() - self.started

    def _polls(self, now: datetime) -> dict[str, object]:
        if self.sources is not None and not self.sources:
            return {"ok": True, "note": "no sources configured"}
        last = store_stats.last_poll_success(self.store, self.sources)
        age = (now - last).total_seconds() if last else None
        ok = (age is not None and age <= self.stale_after) or self._uptime(now) < self.stale_after
        out: dict[str, object] = {"ok": ok, "stale_after_s": self.stale_after}
        out["last_success_age_s"] = round(age, 1) if age is not None else None
        if not ok:
            out["error"] = (
                f"no successful poll for {round(age)} s"
                if age is not None
                else "no source has ever been polled successfully"
            )
        return out

    def _sender(self, now: datetime) -> dict[str, object]:
        oldest = store_stats.oldest_due_pending(self.store, now=now, chat_ids=self.sender_chats)
        due_for = (now - oldest).total_seconds() if oldest else 0.0
        since_send = metrics.seconds_since_last_send()
        busy = since_send is not None and since_send < self.stuck_after
        ok = due_for <= self.stuck_after or busy or self._uptime(now) < self.stuck_after
        out: dict[str, object] = {
            "ok": ok,
            "oldest_due_s": round(due_for, 1),
            "last_send_age_s": round(since_send, 1) if since_send is not None else None,
        }
        if not ok:
            out["error"] = f"an alert has been due for {round(due_for)} s and nothing was sent"
        return out


class OpsServer:
    """A running endpoint; `port` is the bound port (useful with port 0), `close()` stops it."""

    def __init__(
        self, server: asyncio.Server, health: HealthChecker, *, metrics_chats: Sequence[int] | None
    ) -> None:
        self._server = server
        self.health = health
        self._metrics_chats = metrics_chats
        sock = server.sockets[0].getsockname()
        self.host: str = sock[0]
        self.port: int = sock[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def close(self) -> None:
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), timeout=2)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                head = await asyncio.wait_for(
                    reader.readuntil(b"\r\n\r\n"), timeout=REQUEST_TIMEOUT
                )
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                await self._respond(writer, 400, b"bad request\n", "text/plain")
                return
            status, body, ctype, head_only = await self._route(head)
            await self._respond(writer, status, body, ctype, head_only=head_only)
        except Exception:
            log.exception("ops endpoint: request failed")
            with contextlib.suppress(Exception):
                await self._respond(writer, 500, b"internal error\n", "text/plain")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _route(self, head: bytes) -> tuple[int, bytes, str, bool]:
        try:
            method, target, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        except ValueError:
            return 400, b"bad request\n", "text/plain", False
        path = target.split("?", 1)[0]
        if path not in ("/healthz", "/metrics"):
            return 404, b"not found: try /healthz or /metrics\n", "text/plain", False
        if method not in ("GET", "HEAD"):
            return 405, b"method not allowed\n", "text/plain", False
        head_only = method == "HEAD"
        if path == "/metrics":
            data = await asyncio.to_thread(
                metrics.exposition, self.health.store, chat_ids=self._metrics_chats
            )
            return 200, data, "text/plain; version=0.0.4; charset=utf-8", head_only
        failing, report = await asyncio.to_thread(self.health.check)
        if failing:
            log.warning("healthz failing: %s", ", ".join(failing))
        body = json.dumps(report, ensure_ascii=False).encode() + b"\n"
        return (503 if failing else 200), body, "application/json", head_only

    @staticmethod
    async def _respond(
        writer: asyncio.StreamWriter,
        status: int,
        body: bytes,
        ctype: str,
        *,
        head_only: bool = False,
    ) -> None:
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + (b"" if head_only else body))
        await writer.drain()


async def start_ops_server(
    config: Config,
    store: Store,
    *,
    host: str | None = None,
    port: int | None = None,
    sender_chats: Sequence[int] | None = None,
) -> OpsServer:
    """Serve /healthz and /metrics on `ops.host`:`ops.port` (overridable, port 0: any free one).

    `sender_chats` limits the "sender stuck" check to the chats the running sender delivers to
    (console mode passes the console chat, so alerts left for Telegram chats do not count).
    """
    sources = [f.name for f in config.feeds if f.enabled]
    sources += [f.source_name for f in config.folders if f.enabled]
    health = HealthChecker(
        store=store,
        sources=sources,
        stale_after=config.ops.stale_after,
        sender_chats=sender_chats,
    )
    holder: list[OpsServer] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await holder[0].handle(reader, writer)

    bind_host = host if host is not None else config.ops.host
    bind_port = port if port is not None else config.ops.port
    server = await asyncio.start_server(
        handle, bind_host, bind_port, limit=MAX_REQUEST_BYTES, reuse_address=True
    )
    ops = OpsServer(server, health, metrics_chats=sender_chats)
    holder.append(ops)
    log.info("ops endpoint listening on %s (/healthz, /metrics)", ops.url)
    return ops


async def start_if_enabled(
    config: Config, store: Store, *, sender_chats: Sequence[int] | None = None
) -> OpsServer | None:
    """The one call for a run mode: start the endpoint when `ops.enabled`, else None.

    A port already in use is logged and the bot runs on without the endpoint.
    """
    if not config.ops.enabled:
        return None
    try:
        return await start_ops_server(config, store, sender_chats=sender_chats)
    except OSError as exc:
        log.error("ops endpoint: cannot listen on %s:%d: %s", config.ops.host, config.ops.port, exc)
        return None


@contextlib.asynccontextmanager
async def ops_endpoint(
    config: Config, store: Store, *, sender_chats: Sequence[int] | None = None
) -> AsyncIterator[OpsServer | None]:
    """`async with ops_endpoint(config, store):` around a run mode's main wait."""
    server = await start_if_enabled(config, store, sender_chats=sender_chats)
    try:
        yield server
    finally:
        if server is not None:
            await server.close()
