"""A lean HTTP/1.1 client for the Bot API, plugged into PTB as its request backend.

Why own an HTTP client: CPU per sendMessage on a 2-core machine, 600 messages per variant,
median of 3 runs (`python bench/transport.py -n 600 --repeat 3 --variants
raw-httpx,raw-lean,lean-ticks,raw-aiohttp,aiohttp-ticks`, and the same with ``--unpaced``):

    client                        at 30 msg/s     unpaced
    httpx (PTB's default)           3.02 ms       2.23 ms
    aiohttp (bench/aiohttp_request)  1.55 ms       0.83 ms
    this client                     1.00 ms       0.66 ms
    aiohttp, ticks of 3             0.89 ms       0.55 ms
    this client, ticks of 3         0.56 ms       0.49 ms   (how the sender sends)

At the rate a bot sends, aiohttp costs 1.55-1.60x this client per message (0.35-0.55 ms
more, ~1-1.6 % of a core at 30/s), above the 1.3x at which a library would replace it;
httpx costs 3x (anyio, httpcore's pool, h11). Talking to the Bot API needs little: form
POSTs over a few keep-alive connections to one host, answers with a length, and asyncio's
streams do that. File uploads (multipart: the /stats chart) and anything through a proxy
keep going through PTB's `HTTPXRequest`, which handles them well.

The wire format is the one `HTTPXRequest` sends (``application/x-www-form-urlencoded``,
values JSON-encoded by PTB), so Telegram sees no difference. Errors map as PTB's own backend
maps them: a timeout is `TimedOut`, every other transport failure `NetworkError`; the
status code and body go back to PTB, which turns API errors into `RetryAfter`, `Forbidden`...
The URL (it contains the bot token) never appears in an error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import ssl
import time
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.telegram.http1 import ProtocolError, read_response

log = logging.getLogger(__name__)

#: Idle connections older than this are closed rather than reused: servers drop idle
#: keep-alive connections after a while, and a request racing that close would fail.
IDLE_SECONDS = 15.0
#: Proxy variables httpx honours; with one set, `make_request` keeps PTB's backend.
PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy")

_Key = tuple[str, str, int]


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    last_used: float = field(default_factory=time.monotonic)

    def reusable(self, now: float) -> bool:
        """Closed by the server (EOF seen), broken, or idle too long: not worth the risk.

        The EOF may be in the kernel but not yet read by the event loop (a server that
        closes right after answering, without ``Connection: close``): an idle connection
        whose socket is readable is dropped too, as httpcore does.
        """
        return (
            not self.reader.at_eof()
            and not self.writer.is_closing()
            and now - self.last_used < IDLE_SECONDS
            and not _readable(self.writer.get_extra_info("socket"))
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class _Socket(Protocol):
    def fileno(self) -> int: ...


def _readable(sock: _Socket | None) -> bool:
    """Data or EOF waiting on an idle connection (a zero-timeout poll, one syscall)."""
    if sock is None:
        return False
    try:
        fd = sock.fileno()
    except OSError:
        return False
    if fd < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])


class BotApiRequest(BaseRequest):
    """PTB request backend on asyncio streams: keep-alive pool, explicit timeouts.

    Timeouts mean what they mean for `HTTPXRequest`: `connect_timeout` for the TCP/TLS
    connection, `write_timeout` for sending the request, `read_timeout` for the whole
    answer, `pool_timeout` for waiting until one of `connection_pool_size` connections is
    free (then nothing was sent, as PTB's message says).
    """

    def __init__(
        self,
        *,
        connection_pool_size: int = 1,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._pool_size = max(1, connection_pool_size)
        self._timeouts = {
            "connect": connect_timeout,
            "read": read_timeout,
            "write": write_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._ssl = ssl_context
        self._slots = asyncio.Semaphore(self._pool_size)
        self._idle: dict[_Key, list[_Connection]] = {}
        self._uploads: HTTPXRequest | None = None
        self._shut = False

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        """Connections open on first use."""
        self._shut = False

    async def shutdown(self) -> None:
        self._shut = True  # a request still in flight closes its connection when done
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()
        if self._uploads is not None:
            await self._uploads.shutdown()
            self._uploads = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See `BaseRequest.do_request`; uploads go through PTB's `HTTPXRequest`."""
        if request_data is not None and request_data.contains_files:
            return await self._upload(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        timeouts = {
            "read": self._pick(read_timeout, "read"),
            "write": self._pick(write_timeout, "write"),
            "connect": self._pick(connect_timeout, "connect"),
            "pool": self._pick(pool_timeout, "pool"),
        }
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NetworkError(f"unsupported Bot API URL scheme {parts.scheme!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key: _Key = (parts.scheme, parts.hostname, port)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        body = b""
        if request_data is not None and request_data.parameters:
            body = request_data.url_encoded_parameters().encode()
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc.rpartition('@')[2]}\r\n"
            f"User-Agent: {self.USER_AGENT}\r\nAccept: application/json\r\n"
            "Accept-Encoding: identity\r\n"
        )
        if body or method == "POST":
            head += (
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n"
            )
        request = (head + "\r\n").encode("latin-1") + body

        await self._acquire(timeouts["pool"])
        try:
            conn = await self._connection(key, timeouts["connect"])
            keep = False
            try:
                conn.writer.write(request)
                if conn.writer.transport.get_write_buffer_size():  # the kernel took it all
                    async with asyncio.timeout(timeouts["write"]):
                        await conn.writer.drain()
                # asyncio.timeout, not wait_for: no extra task per request (CPU at 30/s).
                async with asyncio.timeout(timeouts["read"]):
                    status, payload, keep = await read_response(conn.reader, method)
            except TimeoutError:
                raise TimedOut() from None
            except (
                OSError,
                EOFError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ProtocolError,
                ValueError,
            ) as exc:
                raise NetworkError(f"{type(exc).__name__}: {exc}") from None
            finally:
                if keep and not self._shut:
                    conn.last_used = time.monotonic()
                    self._idle.setdefault(key, []).append(conn)
                else:  # errors and cancellation too: an unread answer poisons the stream
                    conn.close()
            return status, payload
        finally:
            self._slots.release()

    async def _acquire(self, timeout: float | None) -> None:
        if not self._slots.locked():
            await self._slots.acquire()  # free: returns without suspending
            return
        try:
            async with asyncio.timeout(timeout):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut(
                "Pool timeout: all connections in the connection pool are occupied. Request "
                "was *not* sent to Telegram."
            ) from None

    def _pick(self, value: object, name: str) -> float | None:
        if value is None or isinstance(value, int | float):
            return value
        return self._timeouts[name]  # one of PTB's DefaultValue markers: not set by the caller

    async def _connection(self, key: _Key, timeout: float | None) -> _Connection:
        now = time.monotonic()
        idle = self._idle.get(key, [])
        while idle:
            conn = idle.pop()  # most recently used first: least likely to be closed
            if conn.reusable(now):
                return conn
            conn.close()
        scheme, host, port = key
        context = None
        if scheme == "https":
            if self._ssl is None:  # built once: it loads the CA bundle (~16 ms, blocking)
                self._ssl = ssl.create_default_context()
            context = self._ssl
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    ssl=context,
                    server_hostname=host if context else None,
                    limit=64 * 1024,
                )
        except TimeoutError:
            raise TimedOut("connect timed out") from None
        except (OSError, ssl.SSLError) as exc:
            raise NetworkError(f"{type(exc).__name__}: {exc}") from None
        return _Connection(reader, writer)

    async def _upload(
        self,
        url: str,
        method: str,
        request_data: RequestData,
        read_timeout: object,
        write_timeout: object,
        connect_timeout: object,
        pool_timeout: object,
    ) -> tuple[int, bytes]:
        if self._uploads is None:
            self._uploads = HTTPXRequest(
                connection_pool_size=1,
                connect_timeout=self._timeouts["connect"],
                read_timeout=self._timeouts["read"],
                write_timeout=self._timeouts["write"],
                pool_timeout=self._timeouts["pool"],
                media_write_timeout=self._media_write_timeout,
            )
            await self._uploads.initialize()
        # A number or None as given; any of PTB's DefaultValue markers as DEFAULT_NONE
        # (HTTPXRequest treats them all alike: its own value, media_write_timeout for files).
        default = BaseRequest.DEFAULT_NONE
        read = (
            read_timeout
            if read_timeout is None or isinstance(read_timeout, int | float)
            else default
        )
        write = (
            write_timeout
            if write_timeout is None or isinstance(write_timeout, int | float)
            else default
        )
        connect = (
            connect_timeout
            if connect_timeout is None or isinstance(connect_timeout, int | float)
            else default
        )
        pool = (
            pool_timeout
            if pool_timeout is None or isinstance(pool_timeout, int | float)
            else default
        )
        return await self._uploads.do_request(url, method, request_data, read, write, connect, pool)


def proxy_configured() -> bool:
    return any(os.environ.get(name) for name in PROXY_ENV)


def make_request(
    backend: str,
    *,
    connection_pool_size: int,
    connect_timeout: float,
    read_timeout: float,
    write_timeout: float,
    pool_timeout: float,
) -> BaseRequest:
    """The request backend for ordinary Bot API calls (`telegram.http_client` in config).

    ``lean`` is `BotApiRequest` unless a proxy is set in the environment (httpx honours
    those, this client does not); ``httpx`` is PTB's default backend.
    """
    if backend == "lean" and proxy_configured():
        log.info("a proxy is set in the environment: Bot API requests go through httpx")
        backend = "httpx"
    cls: type[BotApiRequest] | type[HTTPXRequest] = (
        BotApiRequest if backend == "lean" else HTTPXRequest
    )
    return cls(
        connection_pool_size=connection_pool_size,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        write_timeout=write_timeout,
        pool_timeout=pool_timeout,
    )
