"""The fetcher against a real loopback server: validators, limits, and human error reasons."""

from __future__ import annotations

import asyncio
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from bot.config import FetchConfig
from bot.errors import FetchError
from bot.sources.fetcher import (
    ACCEPT,
    HTTPStatusFetchError,
    fetch,
    format_seconds,
    make_client,
    parse_retry_after,
)
from tests.standins.feed_server import FeedServer

DATA = Path(__file__).parent / "testdata"
RSS = (DATA / "dr_indland.xml").read_bytes()
# The stand-in server is on 127.0.0.1: these tests are about limits, not the outbound policy
# (test_outbound.py), so internal addresses are allowed here.
CFG = FetchConfig(
    connect_timeout=1,
    read_timeout=1,
    total_timeout=1,
    max_bytes=100_000,
    max_redirects=3,
    allow_private_networks=True,
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(CFG) as c:
        yield c


async def _error(client: httpx.AsyncClient, url: str, cfg: FetchConfig = CFG) -> FetchError:
    with pytest.raises(FetchError) as info:
        await fetch(client, url, source="Test", fetch_cfg=cfg)
    assert info.value.source == "Test"
    return info.value


@pytest.mark.asyncio
async def test_ok_response_and_polite_headers(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.add("/dr.xml", RSS, etag=True, last_modified=True)
    resp = await fetch(client, url, source="DR", fetch_cfg=CFG)
    assert resp.status == 200 and not resp.not_modified
    assert resp.content == RSS
    assert resp.url == url
    assert resp.etag and resp.last_modified
    assert resp.content_type == "application/rss+xml; charset=utf-8"
    sent = {k.lower(): v for k, v in server.stats("/dr.xml").last_headers.items()}
    assert sent["user-agent"] == CFG.user_agent
    assert sent["accept"] == ACCEPT
    assert "if-none-match" not in sent


@pytest.mark.asyncio
async def test_conditional_get_answers_304_and_counts(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.add("/dr.xml", RSS, etag=True, last_modified=True)
    first = await fetch(client, url, source="DR", fetch_cfg=CFG)
    again = await fetch(
        client, url, source="DR", fetch_cfg=CFG, etag=first.etag, last_modified=first.last_modified
    )
    assert again.not_modified and again.status == 304 and again.content == b""
    stats = server.stats("/dr.xml")
    assert (stats.full, stats.not_modified) == (1, 1)
    server.set_body("/dr.xml", (DATA / "dr_indland_v2.xml").read_bytes())
    changed = await fetch(
        client, url, source="DR", fetch_cfg=CFG, etag=first.etag, last_modified=first.last_modified
    )
    assert not changed.not_modified and changed.etag != first.etag
    assert server.stats("/dr.xml").full == 2


@pytest.mark.asyncio
async def test_last_modified_alone_gives_304(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.add("/lm.xml", RSS, last_modified=True)
    first = await fetch(client, url, source="T", fetch_cfg=CFG)
    assert first.etag is None
    again = await fetch(client, url, source="T", fetch_cfg=CFG, last_modified=first.last_modified)
    assert again.not_modified


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "reason"),
    [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error"), (410, "HTTP 410 Gone")],
)
async def test_error_statuses(
    server: FeedServer, client: httpx.AsyncClient, status: int, reason: str
) -> None:
    err = await _error(client, server.error("/x.xml", status))
    assert isinstance(err, HTTPStatusFetchError)
    assert err.reason == reason and err.status == status and err.retry_after is None


@pytest.mark.asyncio
async def test_retry_after_seconds_and_date(server: FeedServer, client: httpx.AsyncClient) -> None:
    err = await _error(client, server.error("/busy.xml", 429, retry_after="120"))
    assert isinstance(err, HTTPStatusFetchError)
    assert err.retry_after == 120
    assert err.reason == "HTTP 429 Too Many Requests (retry after 2m)"
    when = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    err = await _error(client, server.error("/down.xml", 503, retry_after=when))
    assert isinstance(err, HTTPStatusFetchError)
    assert err.retry_after is not None and 3500 < err.retry_after <= 3600


@pytest.mark.asyncio
async def test_trickling_server_is_cut_off_at_the_total_deadline(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    # Each byte arrives well within the read timeout; only the overall deadline can stop it.
    url = server.add("/slow.xml", RSS, trickle=0.05)
    start = time.monotonic()
    err = await _error(client, url)
    assert err.reason == "timed out after 1s"
    assert time.monotonic() - start < 2.5


@pytest.mark.asyncio
async def test_server_that_never_answers_times_out(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    err = await _error(client, server.add("/hang.xml", RSS, delay=5))
    assert "timed out" in err.reason or "sent nothing" in err.reason


@pytest.mark.asyncio
async def test_size_cap_on_plain_and_gzip_bodies(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    big = b"<rss>" + b"x" * 200_000 + b"</rss>"
    err = await _error(client, server.add("/big.xml", big))
    assert err.reason == "body larger than 100000 bytes"
    # Gzip: ~1 KB on the wire, 200 KB decoded; the cap applies to the decoded size.
    err = await _error(client, server.add("/bigz.xml", big, gzip=True))
    assert err.reason == "body larger than 100000 bytes"


@pytest.mark.asyncio
async def test_gzip_body_is_decoded(server: FeedServer, client: httpx.AsyncClient) -> None:
    resp = await fetch(client, server.add("/z.xml", RSS, gzip=True), source="T", fetch_cfg=CFG)
    assert resp.content == RSS


@pytest.mark.asyncio
async def test_gzip_bomb_is_stopped_without_inflating_it(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.gzip_bomb("/bomb.xml", inflated_size=50_000_000)
    tracemalloc.start()
    try:
        start = time.monotonic()
        err = await _error(client, url)
        elapsed = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.reason == "body larger than 100000 bytes"
    assert elapsed < 1.0
    # Never more than the cap (plus buffers) in memory, although one 64 KiB network chunk of
    # this bomb inflates to ~64 MB.
    assert peak < 5_000_000, peak


@pytest.mark.asyncio
@pytest.mark.parametrize("wbits", [15, -15])
async def test_deflate_zlib_and_raw(
    server: FeedServer, client: httpx.AsyncClient, wbits: int
) -> None:
    comp = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = comp.compress(RSS) + comp.flush()
    url = server.add("/d.xml", body, headers={"Content-Encoding": "deflate"})
    resp = await fetch(client, url, source="T", fetch_cfg=CFG)
    assert resp.content == RSS


@pytest.mark.asyncio
async def test_corrupt_gzip_and_unknown_encoding(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.add("/bad.xml", b"\x1f\x8bnot really gzip", headers={"Content-Encoding": "gzip"})
    err = await _error(client, url)
    assert err.reason.startswith("could not decompress the body")
    url = server.add("/br.xml", b"????", headers={"Content-Encoding": "br"})
    err = await _error(client, url)
    assert err.reason == "unsupported content encoding 'br'"


@pytest.mark.asyncio
async def test_redirects_followed_and_loops_refused(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    target = server.add("/new.xml", RSS)
    resp = await fetch(
        client, server.redirect("/old.xml", "/new.xml", 301), source="T", fetch_cfg=CFG
    )
    assert resp.url == target and resp.content == RSS
    err = await _error(client, server.redirect_loop("/a", "/b"))
    assert err.reason == "too many redirects"


@pytest.mark.asyncio
async def test_connection_refused(client: httpx.AsyncClient) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err = await _error(client, f"http://127.0.0.1:{port}/feed.xml")
    assert err.reason == "connection refused"


@pytest.mark.asyncio
async def test_dns_failure(client: httpx.AsyncClient) -> None:
    err = await _error(client, "http://no-such-host.invalid/feed.xml")
    assert err.reason in ("DNS lookup failed", "timed out after 1s")


@pytest.mark.asyncio
async def test_dropped_connection(server: FeedServer, client: httpx.AsyncClient) -> None:
    err = await _error(client, server.add("/drop.xml", RSS, drop=True))
    assert err.reason.startswith(("server broke the connection", "connection"))


@pytest.mark.asyncio
async def test_waiting_for_a_slot_does_not_eat_the_deadline(server: FeedServer) -> None:
    cfg = CFG.model_copy(update={"concurrency": 1})
    url = server.add("/slowish.xml", RSS, delay=0.3)
    async with make_client(cfg) as c:
        start = time.monotonic()
        results = await asyncio.gather(
            *(fetch(c, url, source=f"F{i}", fetch_cfg=cfg) for i in range(5))
        )
    # Serialised: 5 x 0.3 s = 1.5 s > the 1 s deadline, yet none timed out.
    assert time.monotonic() - start >= 1.4
    assert all(r.content == RSS for r in results)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120", 120.0), (" 5 ", 5.0), ("soon", None), ("", None), (None, None), ("-3", None)],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_date_in_the_past_is_zero() -> None:
    assert parse_retry_after("Tue, 14 Apr 2020 12:00:00 GMT") == 0.0


@pytest.mark.parametrize(
    ("seconds", "text"), [(60, "60s"), (1.5, "1.5s"), (300, "5m"), (7200, "2h"), (90, "90s")]
)
def test_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


# --- the stand-in server itself ----------------------------------------------------------------


def test_stand_in_counts_and_404s(server: FeedServer) -> None:
    url = server.add("/a.xml", RSS, etag='"v1"')
    with httpx.Client() as c:
        assert c.get(server.url("/nope")).status_code == 404
        assert c.get(url).status_code == 200
        assert c.get(url, headers={"If-None-Match": 'W/"v1", "v0"'}).status_code == 304
        assert c.get(url, headers={"If-None-Match": '"v0"'}).status_code == 200
    stats = server.stats("/a.xml")
    assert (stats.requests, stats.full, stats.not_modified) == (3, 2, 1)
    assert server.stats("/nope").requests == 1
    server.reset_stats()
    assert server.stats("/a.xml").requests == 0


def test_stand_in_last_modified_moves_on_within_a_second(server: FeedServer) -> None:
    url = server.add("/lm.xml", RSS, last_modified=True)
    with httpx.Client() as c:
        first = c.get(url)
        server.set_body("/lm.xml", RSS + b"\n")
        again = c.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert again.status_code == 200 and again.content == RSS + b"\n"
    assert again.headers["last-modified"] != first.headers["last-modified"]


def test_stand_in_update_and_gzip(server: FeedServer) -> None:
    url = server.add("/u.xml", RSS)
    server.update("/u.xml", status=503, headers={"Retry-After": "7"})
    with httpx.Client() as c:
        r = c.get(url)
        assert (r.status_code, r.headers["retry-after"]) == (503, "7")
        server.update("/u.xml", status=200, gzip=True, headers={})
        r = c.get(url)
        assert r.headers["content-encoding"] == "gzip" and r.content == RSS
    with pytest.raises(AttributeError):
        server.update("/u.xml", colour="blue")
