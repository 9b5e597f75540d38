"""PTB's request backend over aiohttp, for `bench/transport.py` (``pip install -e '.[bench]'``).

Measured against topicbot's own client (`bot/telegram/transport.py`) to settle whether a
well-kept library with a C HTTP parser could replace it; see BENCHMARKS.md ("The HTTP client").

The wire format is the one PTB's `HTTPXRequest` sends (``application/x-www-form-urlencoded``,
values JSON-encoded by PTB; multipart when a file is uploaded). Errors map as PTB's own
backend maps them: a timeout is `TimedOut`, every other transport failure `NetworkError`,
and the status code and body go back to PTB, which turns API errors into `RetryAfter`,
`Forbidden`… The URL (it contains the bot token) never appears in an error message.
"""

from __future__ import annotations

import asyncio
import functools

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

#: The largest answer read (getFile downloads are capped at 20 MB by Telegram).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_FORM = "application/x-www-form-urlencoded"


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp session, created on first use and closed on shutdown."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 1,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {
            "connect": connect_timeout,
            "read": read_timeout,
            "write": write_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT, "Accept": "application/json"},
                # Proxies from the environment, as httpx does.
                trust_env=False,
                # No cookie jar: the Bot API sets none, and the jar costs CPU per request.
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,  # the Bot API answers uncompressed JSON
                skip_auto_headers=("Accept-Encoding",),
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

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
        """See `BaseRequest.do_request`. The timeouts are PTB's ODVInput[float]: a number,
        None (no limit) or one of PTB's DefaultValue markers (this backend's own value)."""
        if self._session is None or self._session.closed:
            await self.initialize()
        assert self._session is not None
        files = request_data is not None and request_data.contains_files
        write = self._pick(write_timeout, "write")
        if files and write_timeout is BaseRequest.DEFAULT_NONE:
            write = self._media_write_timeout
        pool, connect = self._pick(pool_timeout, "pool"), self._pick(connect_timeout, "connect")
        timeout = self._timeout(pool, connect, write, self._pick(read_timeout, "read"))
        data: aiohttp.FormData | aiohttp.BytesPayload | None = None
        if files:
            assert request_data is not None
            data = aiohttp.FormData()
            for name, value in (request_data.json_parameters or {}).items():
                data.add_field(name, value)
            for name, (filename, content, mimetype) in (request_data.multipart_data or {}).items():
                data.add_field(name, content, filename=filename, content_type=mimetype)
        elif request_data is not None and request_data.parameters:
            body = request_data.url_encoded_parameters().encode()
            data = aiohttp.BytesPayload(body, content_type=_FORM)
        elif method == "POST":
            data = aiohttp.BytesPayload(b"", content_type=_FORM)
        try:
            async with self._session.request(
                method, url, data=data, timeout=timeout, allow_redirects=False
            ) as response:
                if (response.content_length or 0) > MAX_RESPONSE_BYTES:
                    raise NetworkError("answer too large")
                return response.status, await response.read()
        except TimeoutError:
            raise TimedOut() from None
        except (aiohttp.ClientError, OSError, asyncio.IncompleteReadError) as exc:
            raise NetworkError(f"{type(exc).__name__}: {_without_url(exc)}") from None

    @functools.lru_cache(maxsize=16)  # noqa: B019 (a handful of combinations, one per backend)
    def _timeout(
        self, pool: float | None, connect: float | None, write: float | None, read: float | None
    ) -> aiohttp.ClientTimeout:
        """aiohttp has no write timeout: the read timeout counts once the body is written, and
        the request as a whole gets all four."""
        limits = [t for t in (pool, connect, write, read) if t is not None]
        return aiohttp.ClientTimeout(
            total=sum(limits) if len(limits) == 4 else None,
            connect=pool + connect if pool is not None and connect is not None else None,
            sock_connect=connect,
            sock_read=read,
        )

    def _pick(self, value: object, name: str) -> float | None:
        if value is None or isinstance(value, int | float):
            return value
        return self._timeouts[name]  # one of PTB's DefaultValue markers: not set by the caller


def _without_url(exc: BaseException) -> str:
    """aiohttp's messages name the URL, and the URL contains the bot token."""
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"HTTP {exc.status}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {exc.host}:{exc.port}"
    return type(exc).__name__ if "bot" in str(exc) else str(exc)
