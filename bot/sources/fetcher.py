"""HTTP fetching of feeds: polite, conditional, bounded in time and size.

Every way a fetch can go wrong becomes a `FetchError` whose reason an operator can act on
("HTTP 404 Not Found", "DNS lookup failed", "timed out after 60s"), never a traceback, because
one broken outlet must not stop the others and `/status` shows the reason verbatim.

Limits, and why each exists:

* an overall deadline (`asyncio.timeout`) around the whole request *including* streaming the
  body: httpx's read timeout only bounds the gap between bytes, so a server trickling one byte
  a second would otherwise hold a poll forever;
* a size cap on the *decoded* bytes, checked while streaming; gzip/deflate are inflated by
  `_Inflater` with an output bound, so a gzip bomb is cut off at ``max_bytes`` without ever
  holding more than that (httpx's decoder would inflate each 64 KiB chunk whole, ~64 MiB);
* a bound on concurrent requests per client (``FetchConfig.concurrency``); the deadline starts
  only once a slot is free, so waiting behind 2,000 other feeds never times a feed out.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import logging
import socket
import ssl
import weakref
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from bot.config import FetchConfig
from bot.errors import FetchError
from bot.sources.outbound import OPERATOR_URL, OutboundPolicy, OutboundTransport, TargetRefused
from bot.sources.relocation import permanent_target

__all__ = [
    "ACCEPT",
    "FetchResponse",
    "HTTPStatusFetchError",
    "RefusedFetchError",
    "fetch",
    "format_seconds",
    "make_client",
    "parse_retry_after",
]

log = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)

#: Per-client bound on requests in flight (see module docstring): the limit, and a semaphore
#: per event loop (a semaphore is bound to the loop it first waited in).
_limits: weakref.WeakKeyDictionary[httpx.AsyncClient, int] = weakref.WeakKeyDictionary()
_slots: weakref.WeakKeyDictionary[
    httpx.AsyncClient, tuple[asyncio.AbstractEventLoop, asyncio.Semaphore]
] = weakref.WeakKeyDictionary()


def _slot(client: httpx.AsyncClient) -> asyncio.Semaphore | None:
    limit = _limits.get(client)
    if limit is None:
        return None  # a client not made by make_client: its owner bounds concurrency
    loop = asyncio.get_running_loop()
    current = _slots.get(client)
    if current is None or current[0] is not loop:
        current = (loop, asyncio.Semaphore(limit))
        _slots[client] = current
    return current[1]


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """A completed fetch: either a body to parse or a 304 (``not_modified``, empty body)."""

    status: int
    content: bytes
    #: Case-insensitive response headers.
    headers: Mapping[str, str]
    #: URL after redirects (relative links in the feed resolve against it).
    url: str
    not_modified: bool = False
    #: Where the leading run of permanent redirects (301/308) ended, when there was one: the
    #: requested URL has moved there for good (a later 302 hop is only for now).
    moved_to: str | None = None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag") or None

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified") or None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type") or None


class HTTPStatusFetchError(FetchError):
    """The server answered with an error status; carries Retry-After so callers back off."""

    def __init__(
        self, source: str, reason: str, *, status: int, retry_after: float | None = None
    ) -> None:
        super().__init__(source, reason)
        self.status = status
        self.retry_after = retry_after


class RefusedFetchError(FetchError):
    """The outbound policy refused a target (an internal address, a scheme other than http)."""


def format_seconds(seconds: float) -> str:
    """``60`` → ``60s``, ``1.5`` → ``1.5s``, ``7200`` → ``2h``: short and human."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)}h"
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)}m"
    return f"{seconds:g}s"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, delta)


def make_client(fetch: FetchConfig, *, policy: OutboundPolicy | None = None) -> httpx.AsyncClient:
    """One shared client for all feeds (connection reuse), configured from `FetchConfig`.

    Requests go through `OutboundTransport`: only a feed URL the operator wrote (``fetch(…,
    operator_url=True)``) is fetched unchecked; pages and every redirect hop obey ``policy``
    (by default the one ``fetch.allow_private_networks`` describes).
    """
    limits = httpx.Limits(
        max_connections=fetch.concurrency, max_keepalive_connections=fetch.concurrency
    )
    policy = policy or OutboundPolicy(allow_private_networks=fetch.allow_private_networks)
    client = httpx.AsyncClient(
        transport=OutboundTransport(policy, limits=limits),
        # Only what `_Inflater` decodes: it bounds memory where httpx's decoders would not.
        headers={
            "User-Agent": fetch.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        },
        follow_redirects=True,
        max_redirects=fetch.max_redirects,
        timeout=httpx.Timeout(
            connect=fetch.connect_timeout,
            read=fetch.read_timeout,
            write=fetch.read_timeout,
            pool=fetch.total_timeout,
        ),
    )
    _limits[client] = fetch.concurrency
    return client


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def _connect_reason(exc: httpx.TransportError) -> str:
    """Turn httpx/httpcore/OS error chains into a short reason an operator understands."""
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, socket.gaierror) for e in chain) or any(
        s in text
        for s in (
            "name or service not known",
            "nodename nor servname",
            "name resolution",
            "getaddrinfo failed",
            "no address associated",
        )
    ):
        return "DNS lookup failed"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "connection refused"
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain):
        return "TLS certificate not valid"
    if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text or "tls" in text:
        return "TLS handshake failed"
    for e in chain:
        if isinstance(e, OSError) and e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
    if any(isinstance(e, ConnectionResetError) for e in chain) or "reset" in text:
        return "connection reset by server"
    detail = str(exc).strip()
    return f"connection failed ({detail})" if detail else "connection failed"


def _status_reason(response: httpx.Response, retry_after: float | None) -> str:
    phrase = response.reason_phrase or httpx.codes.get_reason_phrase(response.status_code)
    reason = f"HTTP {response.status_code}" + (f" {phrase}" if phrase else "")
    if retry_after is not None:
        reason += f" (retry after {format_seconds(round(retry_after))})"
    return reason


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    source: str,
    fetch_cfg: FetchConfig,
    etag: str | None = None,
    last_modified: str | None = None,
    operator_url: bool = False,
    max_bytes: int | None = None,
) -> FetchResponse:
    """GET a feed conditionally; raise `FetchError` with a human reason on any failure.

    A 304 answer returns ``not_modified=True`` and an empty body (nothing to parse). Error
    statuses raise `HTTPStatusFetchError`, with ``retry_after`` set from a 429/503's header.
    ``operator_url=True`` says ``url`` is written in config.yaml: its first request is not
    checked by the outbound policy (its redirects are); a refusal raises `RefusedFetchError`.
    ``max_bytes`` lowers the size cap (robots.txt needs less than a feed).
    """
    extensions = {OPERATOR_URL: url} if operator_url else {}
    if max_bytes is not None:
        fetch_cfg = fetch_cfg.model_copy(update={"max_bytes": min(max_bytes, fetch_cfg.max_bytes)})
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    slot = _slot(client)
    if slot is None:
        return await _fetch(client, url, source, fetch_cfg, headers, extensions)
    async with slot:
        return await _fetch(client, url, source, fetch_cfg, headers, extensions)


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    source: str,
    cfg: FetchConfig,
    headers: dict[str, str],
    extensions: dict[str, str],
) -> FetchResponse:
    total = cfg.total_timeout
    try:
        async with asyncio.timeout(total):
            stream = client.stream("GET", url, headers=headers, extensions=extensions)
            async with stream as response:
                final_url = str(response.url)
                moved_to = permanent_target(response)
                if response.status_code == 304:
                    log.debug("%s: 304 Not Modified from %s", source, final_url)
                    # Reading the (empty) body lets httpx keep the connection for reuse.
                    await response.aread()
                    return FetchResponse(304, b"", response.headers, final_url, True, moved_to)
                if not 200 <= response.status_code < 300:
                    if _small_body(response):
                        await response.aread()  # keep-alive for short error pages
                    retry_after = None
                    if response.status_code in (429, 503):
                        retry_after = parse_retry_after(response.headers.get("retry-after"))
                    raise HTTPStatusFetchError(
                        source,
                        _status_reason(response, retry_after),
                        status=response.status_code,
                        retry_after=retry_after,
                    )
                content = await _read_capped(response, source, cfg.max_bytes)
                return FetchResponse(
                    response.status_code, content, response.headers, final_url, moved_to=moved_to
                )
    except FetchError:
        raise
    except TargetRefused as exc:
        raise RefusedFetchError(source, f"refused: {exc.reason}") from None
    except TimeoutError:
        raise FetchError(source, f"timed out after {format_seconds(total)}") from None
    except httpx.TooManyRedirects:
        raise FetchError(source, "too many redirects") from None
    except httpx.ConnectTimeout:
        reason = f"connection timed out after {format_seconds(cfg.connect_timeout)}"
        raise FetchError(source, reason) from None
    except httpx.ReadTimeout:
        reason = f"server sent nothing for {format_seconds(cfg.read_timeout)}"
        raise FetchError(source, reason) from None
    except httpx.PoolTimeout:
        raise FetchError(source, "no free connection (too many feeds at once)") from None
    except httpx.TimeoutException:
        raise FetchError(source, "timed out") from None
    except httpx.DecodingError as exc:
        raise FetchError(source, f"could not decompress the body ({exc})") from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise FetchError(source, f"invalid URL ({exc})") from None
    except httpx.RemoteProtocolError as exc:
        detail = str(exc).strip() or "protocol error"
        raise FetchError(source, f"server broke the connection ({detail})") from None
    except httpx.TransportError as exc:
        raise FetchError(source, _connect_reason(exc)) from None
    except httpx.HTTPError as exc:  # anything else httpx may add
        raise FetchError(source, f"{type(exc).__name__}: {exc}") from None


class _Inflater:
    """Streaming gzip/deflate decoder that never produces more than asked for.

    httpx's own decoder inflates each network chunk whole: one 64 KiB chunk of a gzip bomb is
    ~64 MiB. Decoding ourselves with ``max_length`` keeps memory at ``max_bytes`` per feed.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_deflate = False
        self._d = self._new()

    def _new(self) -> zlib._Decompress:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def decompress(self, data: bytes, limit: int) -> bytes:
        """Up to ``limit + 1`` bytes: more than ``limit`` means the cap is exceeded."""
        out = b""
        while data and len(out) <= limit:
            try:
                chunk = self._d.decompress(data, limit + 1 - len(out))
            except zlib.error:
                if self.encoding == "deflate" and not self._raw_deflate and not out:
                    self._raw_deflate = True  # "deflate" servers often send raw deflate
                    self._d = self._new()
                    continue
                raise
            out += chunk
            data = self._d.unconsumed_tail
            if self._d.eof:
                # Another gzip member may follow; anything else after the end is junk, ignored.
                tail = self._d.unused_data
                if not (self.encoding != "deflate" and tail.startswith(b"\x1f\x8b")):
                    break
                data = tail
                self._d = self._new()
        return out


def _small_body(response: httpx.Response, limit: int = 65536) -> bool:
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= limit


async def _read_capped(response: httpx.Response, source: str, max_bytes: int) -> bytes:
    too_big = f"body larger than {max_bytes} bytes"
    encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
    declared = response.headers.get("content-length")
    if encoding == "identity":
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(source, too_big)
        inflater = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        inflater = _Inflater(encoding)
    else:
        raise FetchError(source, f"unsupported content encoding {encoding!r}")
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        try:
            chunk = inflater.decompress(raw, max_bytes - size) if inflater else raw
        except zlib.error as exc:
            raise FetchError(source, f"could not decompress the body ({exc})") from None
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(source, too_big)
        chunks.append(chunk)
    return b"".join(chunks)
