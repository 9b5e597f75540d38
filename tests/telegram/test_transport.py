"""BotApiRequest (bot/telegram/transport.py) against real loopback servers, no mocks.

Three kinds of server: the Telegram stand-in behind a counting TCP relay (PTB's real `Bot`
on top, so API errors and uploads go through the real paths), a scripted raw asyncio
server per test for the HTTP/1.1 corner cases a hand-written client can get wrong, and the
same raw server over TLS with a certificate made by the openssl CLI at test time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import socket
import ssl
import subprocess
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram import http1, transport
from bot.telegram.transport import PROXY_ENV, BotApiRequest, make_request
from tests.standins.telegram_api import TelegramStandin

#: Shaped like a real token; every failure test checks it never leaks into a message.
TOKEN = "987654:AAHtransport-Secret_Token"
CHAT = 4242
OK = b'{"ok":true,"result":true}'
ME = json.dumps(
    {
        "ok": True,
        "result": {"id": 987654, "is_bot": True, "first_name": "T", "username": "t_bot"},
    }
).encode()

pytestmark = [
    pytest.mark.timeout(20),
    pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning"),
]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy in the test environment would send httpx (and make_request) elsewhere."""
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)


# --- the raw scripted server ---------------------------------------------------------------


@dataclass
class Request:
    """One request as it arrived on the wire (header names lowercased)."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int


Handler = Callable[["RawServer", asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[None]]


@dataclass
class RawServer:
    """asyncio.start_server on 127.0.0.1:0 running `handler` per connection (numbered from 0).

    Counts connections and records requests so tests can tell reuse from reconnects.
    """

    handler: Handler
    tls: ssl.SSLContext | None = None
    connections: int = 0
    requests: list[Request] = field(default_factory=list)
    client_closed: list[int] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url(self, method: str = "getMe", host: str = "127.0.0.1") -> str:
        """Shaped like PTB's: base_url + token + method, so the token is in the path."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}/bot{TOKEN}/{method}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        index = self.connections
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        try:
            await self.handler(self, reader, writer, index)
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client hung up: some tests make it do so
        except asyncio.CancelledError:
            pass  # __aexit__: ending normally, or asyncio's streams callback logs an error
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()

    async def read_request(self, reader: asyncio.StreamReader, index: int) -> Request | None:
        """The next request on this connection, or None when the client closed it."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            self.client_closed.append(index)
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        request = Request(method, target, headers, body, index)
        self.requests.append(request)
        return request

    async def wait_client_closed(self, index: int, timeout: float = 2.0) -> None:
        """The client closed connection `index` (the handler saw EOF)."""
        deadline = time.monotonic() + timeout
        while index not in self.client_closed:
            assert time.monotonic() < deadline, f"connection {index} never closed by the client"
            await asyncio.sleep(0.01)


def response(body: bytes = OK, *, status: str = "200 OK", headers: str = "") -> bytes:
    """A complete HTTP/1.1 answer with a Content-Length."""
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{headers}\r\n"
    ).encode() + body


def answering(
    *answers: bytes, then_close: bool = False, close_after: float | None = None
) -> Handler:
    """Answer each request with the next of `answers` (the last repeats).

    `then_close` drops the connection right after the answer; `close_after` drops it once
    it has been idle that long, as servers with a keep-alive timeout do.
    """

    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        while True:
            if close_after is not None:
                try:
                    async with asyncio.timeout(close_after):
                        request = await server.read_request(reader, index)
                except TimeoutError:
                    return  # idle too long: close
            else:
                request = await server.read_request(reader, index)
            if request is None:
                return
            writer.write(answers[min(len(server.requests), len(answers)) - 1])
            await writer.drain()
            if then_close:
                return

    return handle


def silent() -> Handler:
    """Read requests and never answer: a hung server."""

    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        while await server.read_request(reader, index) is not None:
            pass

    return handle


async def get(
    request: BaseRequest, url: str, data: RequestData | None = None, **timeouts: float
) -> tuple[int, bytes]:
    """One POST the way PTB's Bot issues them (do_request: raw status and body)."""
    return await request.do_request(url, "POST", data, **timeouts)  # type: ignore[arg-type]


def assert_secret_free(exc: BaseException) -> None:
    """Neither the message, the repr, the traceback nor a chained error carries the token."""
    text = "".join(traceback.format_exception(exc)) + repr(exc)
    chained: BaseException | None = exc
    while chained is not None:
        text += str(chained) + repr(chained)
        chained = chained.__cause__ or chained.__context__
    assert TOKEN not in text
    assert TOKEN.split(":")[1] not in text


# --- the stand-in behind a counting relay --------------------------------------------------


class CountingRelay:
    """A TCP relay in front of the stand-in: counts the TCP connections clients open."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.accepted = 0
        self.live = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> CountingRelay:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/bot"

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.live += 1
        task = asyncio.current_task()
        self._tasks.add(task)  # type: ignore[arg-type]
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        try:
            pumps = [
                asyncio.create_task(_pump(reader, up_writer)),
                asyncio.create_task(_pump(up_reader, writer)),
            ]
            try:
                await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            except asyncio.CancelledError:
                pass  # __aexit__: ending normally, or asyncio's streams callback logs an error
            finally:
                for pump in pumps:
                    pump.cancel()
                await asyncio.gather(*pumps, return_exceptions=True)
        finally:
            up_writer.close()
            writer.close()
            self.live -= 1
            self._tasks.discard(task)  # type: ignore[arg-type]

    async def wait_live(self, count: int, timeout: float = 3.0) -> None:
        deadline = time.monotonic() + timeout
        while self.live != count:
            assert time.monotonic() < deadline, f"{self.live} connections open, want {count}"
            await asyncio.sleep(0.01)


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy one direction until EOF or error; the relay then closes both sides."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass


@pytest.fixture
def standin() -> Iterator[TelegramStandin]:
    with TelegramStandin(TOKEN) as tg:
        yield tg


@asynccontextmanager
async def relayed_bot(
    standin: TelegramStandin, **options: float
) -> AsyncIterator[tuple[Bot, CountingRelay]]:
    """A real PTB Bot on BotApiRequest, reaching the stand-in through a counting relay."""
    async with CountingRelay(standin.port) as relay:
        request = BotApiRequest(connect_timeout=2.0, read_timeout=3.0, **options)
        bot = Bot(TOKEN, base_url=relay.base_url, request=request)
        await bot.initialize()  # get_me
        try:
            yield bot, relay
        finally:
            await bot.shutdown()


# --- 1. through the stand-in with a real Bot ----------------------------------------------


@pytest.mark.asyncio
async def test_bot_calls_work_and_share_one_keep_alive_connection(
    standin: TelegramStandin,
) -> None:
    async with relayed_bot(standin) as (bot, relay):
        me = await bot.get_me()
        assert me.username == standin.bot_user["username"]
        texts = [f"Nato øger beredskabet & mere: {i}+1=? 😀 <b>" for i in range(6)]
        for text in texts:
            message = await bot.send_message(CHAT, text)
            assert message.chat.id == CHAT
        assert [m.text for m in standin.sent_messages(CHAT)] == texts
        assert relay.accepted == 1, "sequential requests must reuse one connection"
        assert standin.method_counts()["sendMessage"] == 6


@pytest.mark.asyncio
async def test_api_errors_map_to_ptb_exceptions_and_keep_the_connection(
    standin: TelegramStandin,
) -> None:
    async with relayed_bot(standin) as (bot, relay):
        standin.fail_next(CHAT, "retry_after", seconds=3, method="sendMessage")
        with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
            await bot.send_message(CHAT, "a")
        standin.fail_next(CHAT, "blocked")
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(CHAT, "b")
        standin.fail_next(CHAT, "bad_request", description="message text is empty")
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(CHAT, "c")
        standin.fail_next(CHAT, "server_error", status=502)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(CHAT, "d")
        await bot.send_message(CHAT, "e")
        # An error answer is still a complete HTTP answer: the connection stays usable.
        assert relay.accepted == 1
        assert [m.text for m in standin.sent_messages(CHAT)] == ["e"]


@pytest.mark.asyncio
async def test_dropped_connection_is_network_error_then_a_new_connection_works(
    standin: TelegramStandin,
) -> None:
    async with relayed_bot(standin) as (bot, relay):
        standin.fail_next(CHAT, "drop")
        with pytest.raises(NetworkError) as info:
            await bot.send_message(CHAT, "lost")
        assert not isinstance(info.value, TimedOut)
        assert_secret_free(info.value)
        await bot.send_message(CHAT, "after")
        assert relay.accepted == 2
        assert [m.text for m in standin.sent_messages(CHAT)] == ["after"]


# --- 5. uploads and shutdown --------------------------------------------------------------


@pytest.mark.asyncio
async def test_photo_upload_goes_through_httpx_and_shutdown_closes_everything(
    standin: TelegramStandin,
) -> None:
    photo = bytes(range(256)) * 64  # binary, with CRLFs and NULs inside
    async with CountingRelay(standin.port) as relay:
        request = BotApiRequest(connect_timeout=2.0, read_timeout=3.0)
        bot = Bot(TOKEN, base_url=relay.base_url, request=request)
        await bot.initialize()
        try:
            message = await bot.send_photo(CHAT, photo=photo, caption="Ugens graf")
            assert message.photo and message.photo[0].file_size == len(photo)
            await bot.send_message(CHAT, "efter grafen")
            sent = standin.sent_messages(CHAT)
            assert [m.method for m in sent] == ["sendPhoto", "sendMessage"]
            assert sent[0].photo == photo and sent[0].text == "Ugens graf"
            # The multipart body went through its own (httpx) connection.
            assert relay.accepted == 2
            assert relay.live == 2
        finally:
            await bot.shutdown()
        await relay.wait_live(0)  # both the idle lean connection and httpx's are closed
        # Shut down, the backend can be used again: it reconnects (fallback included).
        await request.initialize()
        assert (await get(request, f"{relay.base_url}{TOKEN}/getMe"))[0] == 200
        await bot.send_photo(CHAT, photo=b"\x89PNG second")
        assert relay.accepted == 4
        await request.shutdown()
        await relay.wait_live(0)


# --- 2. the scripted raw server ------------------------------------------------------------


@pytest.mark.asyncio
async def test_chunked_body_with_extensions_and_trailer_then_reuse() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
        b'5;name=value\r\n{"ok"\r\n'
        b'14\r\n:true,"result":"chun\r\n'
        b'4\r\nked"\r\n'
        b"1\r\n}\r\n"
        b"0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n"
    )
    async with RawServer(answering(chunked, response(b"second"))) as server:
        request = BotApiRequest(read_timeout=2.0)
        assert await get(request, server.url()) == (200, b'{"ok":true,"result":"chunked"}')
        # The trailer was consumed to its end: the next answer on the connection parses.
        assert await get(request, server.url()) == (200, b"second")
        assert server.connections == 1
        await request.shutdown()


@pytest.mark.asyncio
async def test_connection_close_header_is_honoured() -> None:
    """The server says close but keeps the socket open: reusing it would hang or misparse."""
    async with RawServer(answering(response(headers="Connection: close\r\n"))) as server:
        request = BotApiRequest(read_timeout=1.0)
        for _ in range(3):
            assert await get(request, server.url()) == (200, OK)
        assert server.connections == 3
        await server.wait_client_closed(0)  # the client closed the one it would not reuse
        await request.shutdown()


@pytest.mark.asyncio
async def test_http10_answer_without_keep_alive_is_not_reused() -> None:
    answer = b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"
    async with RawServer(answering(answer)) as server:
        request = BotApiRequest(read_timeout=1.0)
        assert await get(request, server.url()) == (200, b"ok")
        assert await get(request, server.url()) == (200, b"ok")
        assert server.connections == 2
        await request.shutdown()


@pytest.mark.asyncio
async def test_body_without_length_ends_at_close() -> None:
    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        await server.read_request(reader, index)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"ok":')
        await writer.drain()
        await asyncio.sleep(0.02)  # the body arrives in pieces
        writer.write(b'true,"result":' + str(index).encode() + b"}")
        await writer.drain()
        # returning closes the connection: that is where the body ends

    async with RawServer(handle) as server:
        request = BotApiRequest(read_timeout=2.0)
        assert await get(request, server.url()) == (200, b'{"ok":true,"result":0}')
        assert await get(request, server.url()) == (200, b'{"ok":true,"result":1}')
        assert server.connections == 2
        await request.shutdown()


@pytest.mark.asyncio
async def test_100_continue_is_skipped() -> None:
    interim = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX-A: b\r\n\r\n"
    async with RawServer(answering(interim + response(b'{"ok":true,"result":42}'))) as server:
        request = BotApiRequest(read_timeout=1.0)
        assert await get(request, server.url()) == (200, b'{"ok":true,"result":42}')
        assert await get(request, server.url()) == (200, b'{"ok":true,"result":42}')
        assert server.connections == 1
        await request.shutdown()


@pytest.mark.asyncio
async def test_no_body_for_204() -> None:
    async with RawServer(answering(b"HTTP/1.1 204 No Content\r\n\r\n", response())) as server:
        request = BotApiRequest(read_timeout=1.0)
        assert await get(request, server.url()) == (204, b"")
        assert await get(request, server.url()) == (200, OK)
        assert server.connections == 1
        await request.shutdown()


@pytest.mark.asyncio
@pytest.mark.parametrize("idle_close", [0.0, 0.05], ids=["right-after-answer", "idle-timeout"])
async def test_server_closing_idle_connections_is_not_an_error(idle_close: float) -> None:
    """Servers drop idle keep-alive connections (without saying so): the next request must
    go out on a fresh connection, not fail on the dead one."""
    if idle_close:
        handler = answering(response(), close_after=idle_close)
    else:
        handler = answering(response(), then_close=True)
    async with RawServer(handler) as server:
        request = BotApiRequest(read_timeout=1.0)
        for _ in range(3):
            assert await get(request, server.url()) == (200, OK)
            if idle_close:
                await asyncio.sleep(idle_close + 0.1)  # the server has dropped it by now
        assert server.connections == 3
        assert len(server.requests) == 3
        await request.shutdown()


@pytest.mark.asyncio
async def test_connections_idle_longer_than_idle_seconds_are_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transport, "IDLE_SECONDS", 0.05)
    async with RawServer(answering(response())) as server:
        request = BotApiRequest(read_timeout=1.0)
        await get(request, server.url())
        await get(request, server.url())  # at once: reused
        assert server.connections == 1
        await asyncio.sleep(0.1)
        await get(request, server.url())
        assert server.connections == 2
        await server.wait_client_closed(0)  # the stale one is closed, not leaked
        await request.shutdown()


@pytest.mark.asyncio
async def test_server_that_never_answers_times_out_quickly() -> None:
    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        if index == 0:
            await silent()(server, reader, writer, index)
        else:
            await answering(response())(server, reader, writer, index)

    async with RawServer(handle) as server:
        request = BotApiRequest(read_timeout=0.2)
        started = time.monotonic()
        with pytest.raises(TimedOut) as info:
            await get(request, server.url())
        assert 0.15 < time.monotonic() - started < 1.5
        assert_secret_free(info.value)
        # The half-read connection is closed, never handed to the next request.
        await server.wait_client_closed(0)
        assert await get(request, server.url()) == (200, OK)
        assert server.connections == 2
        await request.shutdown()


@pytest.mark.asyncio
async def test_per_call_read_timeout_overrides_the_default() -> None:
    """PTB passes a read_timeout per call (getUpdates long polls): it must win."""
    async with RawServer(silent()) as server:
        request = BotApiRequest(read_timeout=10.0)
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await get(request, server.url(), read_timeout=0.1)
        assert time.monotonic() - started < 1.0
        await request.shutdown()


@pytest.mark.asyncio
async def test_write_timeout_when_the_server_does_not_read() -> None:
    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        await asyncio.sleep(10)  # accepts, never reads: the socket buffers fill up

    params = [RequestParameter.from_input("text", "a" * (16 * 1024 * 1024))]
    async with RawServer(handle) as server:
        request = BotApiRequest(write_timeout=0.2, read_timeout=5.0)
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await get(request, server.url(), RequestData(params))
        assert time.monotonic() - started < 2.0
        await request.shutdown()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "answer",
    [
        b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
        b"HTTP/1.1 abc Nope\r\n\r\n",
        b"HTTP/1.1 42\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nthis is no header\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\ntoo short",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        b"HTTP/1.1 200 OK\r\nContent-Len",
        b"",
    ],
    ids=[
        "not-http",
        "bad-status",
        "status-below-100",
        "bad-header",
        "bad-length",
        "negative-length",
        "truncated-body",
        "bad-chunk-size",
        "chunk-without-crlf",
        "truncated-chunk",
        "truncated-head",
        "closed-without-answer",
    ],
)
async def test_garbage_answers_are_network_errors(answer: bytes) -> None:
    async with RawServer(answering(answer, then_close=True)) as server:
        request = BotApiRequest(read_timeout=1.0)
        with pytest.raises(NetworkError) as info:
            await get(request, server.url())
        assert not isinstance(info.value, TimedOut)
        assert_secret_free(info.value)
        await request.shutdown()


@pytest.mark.asyncio
async def test_head_larger_than_the_stream_limit_is_network_error() -> None:
    answer = b"HTTP/1.1 200 OK\r\nX-Big: " + b"x" * 100_000 + b"\r\n\r\n"
    async with RawServer(answering(answer)) as server:
        request = BotApiRequest(read_timeout=1.0)
        with pytest.raises(NetworkError) as info:
            await get(request, server.url())
        assert not isinstance(info.value, TimedOut)
        await request.shutdown()


@pytest.mark.asyncio
@pytest.mark.parametrize("framing", ["content-length", "chunked", "until-close"])
async def test_answers_above_max_response_bytes_are_refused(
    framing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http1, "MAX_RESPONSE_BYTES", 1000)
    fits, too_big = b"x" * 1000, b"x" * 1001

    def framed(body: bytes) -> bytes:
        if framing == "content-length":
            return response(body)
        if framing == "chunked":
            chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body[:600], body[600:]))
            return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
        return b"HTTP/1.1 200 OK\r\n\r\n" + body

    until_close = framing == "until-close"
    async with RawServer(
        answering(framed(fits), framed(too_big), then_close=until_close)
    ) as server:
        request = BotApiRequest(read_timeout=1.0)
        assert await get(request, server.url()) == (200, fits)
        with pytest.raises(NetworkError, match="refused|too large") as info:
            await get(request, server.url())
        assert not isinstance(info.value, TimedOut)
        await request.shutdown()


@pytest.mark.asyncio
async def test_pool_exhaustion_times_out_without_sending() -> None:
    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        if index == 0:
            await silent()(server, reader, writer, index)  # the first request hangs
        else:
            await answering(response())(server, reader, writer, index)

    async with RawServer(handle) as server:
        request = BotApiRequest(connection_pool_size=1, read_timeout=10.0, pool_timeout=0.1)
        hanging = asyncio.create_task(get(request, server.url("sendMessage")))
        while not server.requests:
            await asyncio.sleep(0.005)
        started = time.monotonic()
        with pytest.raises(TimedOut, match=r"(?i)pool.*\*not\* sent") as info:
            await get(request, server.url("sendMessage"))
        assert time.monotonic() - started < 1.0
        assert_secret_free(info.value)
        assert len(server.requests) == 1 and server.connections == 1  # really not sent
        # Cancelling the hung request gives its slot back and closes its connection.
        hanging.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hanging
        await server.wait_client_closed(0)
        assert await get(request, server.url()) == (200, OK)
        assert server.connections == 2
        await request.shutdown()


@pytest.mark.asyncio
async def test_pool_bounds_concurrent_connections() -> None:
    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        while await server.read_request(reader, index) is not None:
            await asyncio.sleep(0.05)  # slow enough that requests overlap
            writer.write(response())
            await writer.drain()

    async with RawServer(handle) as server:
        request = BotApiRequest(connection_pool_size=3, read_timeout=2.0, pool_timeout=2.0)
        results = await asyncio.gather(*(get(request, server.url()) for _ in range(12)))
        assert results == [(200, OK)] * 12
        assert server.connections == 3
        await request.shutdown()


@pytest.mark.asyncio
async def test_connection_refused_is_network_error() -> None:
    with socket.socket() as placeholder:  # bound, not listening: connects are refused
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
        request = BotApiRequest(connect_timeout=1.0)
        with pytest.raises(NetworkError) as info:
            await get(request, f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        assert not isinstance(info.value, TimedOut)
        assert_secret_free(info.value)


@pytest.mark.asyncio
async def test_unsupported_scheme_is_network_error() -> None:
    with pytest.raises(NetworkError, match="scheme") as info:
        await get(BotApiRequest(), f"ftp://127.0.0.1/bot{TOKEN}/getMe")
    assert_secret_free(info.value)


@pytest.mark.asyncio
async def test_token_is_in_no_error_message_or_log_record(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every failure goes through PTB's own wrapper (BaseRequest.post) with DEBUG logging on;
    the token is in each URL, and must come out in no message, traceback or log line."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(http1, "MAX_RESPONSE_BYTES", 100)
    failures: list[BaseException] = []

    async def fails(request: BaseRequest, url: str) -> None:
        with pytest.raises(Exception) as info:  # noqa: B017 - any error; checked below
            await request.post(url, RequestData([RequestParameter.from_input("chat_id", 1)]))
        failures.append(info.value)

    async def script(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        """One request per connection, each answered by the next failure mode."""
        request = await server.read_request(reader, index)
        if request is None or index == 0:
            await silent()(server, reader, writer, index)  # read timeout
            return
        writer.write(
            [
                # An echo service at the API URL: the "status line" is our request line.
                f"{request.method} {request.target} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
                response(b"x" * 101),  # too large
                response(b"not json"),  # PTB: invalid JSON
                response(
                    b'{"ok":false,"error_code":401,"description":"Unauthorized"}',
                    status="401 Unauthorized",
                ),
                b"",  # closed without answering
            ][index - 1]
        )
        await writer.drain()

    async with RawServer(script) as server:
        request = BotApiRequest(connection_pool_size=1, read_timeout=0.2, pool_timeout=0.05)
        for _ in range(6):
            await fails(request, server.url("sendMessage"))
        # Pool timeout: one request holds the only slot.
        slow = BotApiRequest(connection_pool_size=1, read_timeout=5.0, pool_timeout=0.05)
        async with RawServer(silent()) as hung:
            holder = asyncio.create_task(get(slow, hung.url()))
            while not hung.requests:
                await asyncio.sleep(0.005)
            await fails(slow, hung.url("sendMessage"))
            holder.cancel()
            await asyncio.gather(holder, return_exceptions=True)
        await request.shutdown()
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
        await fails(BotApiRequest(), f"http://127.0.0.1:{port}/bot{TOKEN}/sendMessage")

    assert len(failures) == 8
    assert {type(f).__name__ for f in failures} >= {"TimedOut", "NetworkError", "InvalidToken"}
    for failure in failures:
        assert_secret_free(failure)
    assert caplog.records, "DEBUG logging was on: PTB logs its requests"
    for record in caplog.records:
        logged = record.getMessage() + (record.exc_text or "")
        if record.exc_info:
            logged += "".join(traceback.format_exception(*record.exc_info))
        assert TOKEN not in logged, record.name


# --- 3. the request on the wire ------------------------------------------------------------


async def _capture(backend: BaseRequest) -> list[Request]:
    """Drive the same Bot calls through `backend` to a recording server."""

    async def handle(
        server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int
    ) -> None:
        while (request := await server.read_request(reader, index)) is not None:
            writer.write(response(ME if request.target.endswith("/getMe") else OK))
            await writer.drain()

    async with RawServer(handle) as server:
        bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{server.port}/bot", request=backend)
        await bot.initialize()
        try:
            await bot.answer_callback_query(
                "cb-1", text="Nato & co: 1+1=2 ?x=y%20 æøå 😀\n", show_alert=True, cache_time=5
            )
            await bot.set_my_commands(
                [BotCommand("start", "Start æ"), BotCommand("topics", "Emner & mere")],
                scope=BotCommandScopeChat(-1001234567890),
                language_code="da",
            )
            await bot.delete_message(-5001, 77)
        finally:
            await bot.shutdown()
        for request in server.requests:
            request.headers["host"] = request.headers["host"].replace(str(server.port), "PORT")
        return server.requests


@pytest.mark.asyncio
async def test_request_on_the_wire_matches_httpx() -> None:
    lean = await _capture(BotApiRequest(read_timeout=2.0))
    reference = await _capture(HTTPXRequest(read_timeout=2.0))
    assert [r.target for r in lean] == [r.target for r in reference]
    assert [r.target.rsplit("/", 1)[1] for r in lean] == [
        "getMe",
        "answerCallbackQuery",
        "setMyCommands",
        "deleteMessage",
    ]
    for ours, theirs in zip(lean, reference, strict=True):
        assert ours.method == theirs.method == "POST"
        ours_form = parse_qsl(ours.body.decode(), keep_blank_values=True)
        assert ours_form == parse_qsl(theirs.body.decode(), keep_blank_values=True)
        assert ours.headers["host"] == theirs.headers["host"] == "127.0.0.1:PORT"
        assert ours.headers["user-agent"] == theirs.headers["user-agent"]
        assert ours.headers["user-agent"] == BaseRequest.USER_AGENT
        assert int(ours.headers["content-length"]) == len(ours.body)
        assert "transfer-encoding" not in ours.headers
        if theirs.body:
            assert ours.headers["content-type"] == theirs.headers["content-type"]
            assert ours.headers["content-type"] == "application/x-www-form-urlencoded"
    # The values themselves, decoded: PTB's JSON encoding survives the form encoding.
    answer = dict(parse_qsl(lean[1].body.decode()))
    assert answer["text"] == "Nato & co: 1+1=2 ?x=y%20 æøå 😀\n"
    assert answer["show_alert"] == "true" and answer["cache_time"] == "5"
    commands = dict(parse_qsl(lean[2].body.decode()))
    assert json.loads(commands["commands"])[1] == {
        "command": "topics",
        "description": "Emner & mere",
    }
    assert json.loads(commands["scope"]) == {"type": "chat", "chat_id": -1001234567890}


# --- 4. https ------------------------------------------------------------------------------


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made now (nothing checked in)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl CLI is not installed: cannot make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=topicbot-test",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
        timeout=10,
    )
    return cert, key


def _server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.asyncio
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_https_with_an_injected_ssl_context(tls_files: tuple[Path, Path], host: str) -> None:
    cert, key = tls_files
    async with RawServer(answering(response()), tls=_server_tls(cert, key)) as server:
        trusted = ssl.create_default_context(cafile=str(cert))
        request = BotApiRequest(ssl_context=trusted, read_timeout=2.0)
        for _ in range(3):
            assert await get(request, server.url(host=host)) == (200, OK)
        assert server.connections == 1  # keep-alive over TLS too
        assert len(server.requests) == 3
        await request.shutdown()
        await server.wait_client_closed(0)


@pytest.mark.asyncio
async def test_https_refuses_an_untrusted_certificate(tls_files: tuple[Path, Path]) -> None:
    cert, key = tls_files
    async with RawServer(answering(response()), tls=_server_tls(cert, key)) as server:
        request = BotApiRequest(connect_timeout=2.0)  # ssl.create_default_context(): system CAs
        with pytest.raises(NetworkError, match="CERTIFICATE_VERIFY_FAILED") as info:
            await get(request, server.url())
        assert not isinstance(info.value, TimedOut)
        assert_secret_free(info.value)
        assert server.requests == []


# --- 6. make_request ------------------------------------------------------------------------

_SETTINGS = dict(
    connection_pool_size=4,
    connect_timeout=1.5,
    read_timeout=2.5,
    write_timeout=3.5,
    pool_timeout=0.5,
)


@pytest.mark.asyncio
async def test_make_request_picks_the_backend() -> None:
    lean = make_request("lean", **_SETTINGS)
    assert type(lean) is BotApiRequest
    assert lean.read_timeout == 2.5
    httpx_request = make_request("httpx", **_SETTINGS)
    assert type(httpx_request) is HTTPXRequest
    assert httpx_request.read_timeout == 2.5
    await httpx_request.shutdown()


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["HTTPS_PROXY", "all_proxy"])
async def test_make_request_falls_back_to_httpx_behind_a_proxy(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    monkeypatch.setenv(name, "http://proxy.invalid:3128")
    caplog.set_level(logging.INFO, logger="bot.telegram.transport")
    chosen = make_request("lean", **_SETTINGS)
    assert type(chosen) is HTTPXRequest
    assert "proxy" in caplog.text
    await chosen.shutdown()
