"""A real HTTP feed server on 127.0.0.1 for tests and benchmarks.

Real sockets, not mocks, because the behaviour under test lives in the transport: conditional
GET, gzip decoding, redirects, a server trickling bytes, connections refused or dropped.
Each path is a `Route` (body, status, headers and misbehaviour knobs); the server counts full
responses and 304s per path so tests can prove "an unchanged feed costs no parsing".

Example::

    from tests.standins.feed_server import FeedServer

    with FeedServer() as server:
        url = server.add("/dr/indland.xml", rss_bytes, etag=True, last_modified=True)
        server.add("/broken.xml", b"", status=500)
        server.add("/slow.xml", rss_bytes, trickle=1.0)          # one byte a second
        server.gzip_bomb("/bomb.xml", inflated_size=50_000_000)
        server.redirect_loop("/a", "/b")
        ...                                                       # poll url with httpx
        server.set_body("/dr/indland.xml", newer_rss_bytes)      # new ETag automatically
        assert server.stats("/dr/indland.xml").not_modified == 1

Thread-safe: requests are served on their own threads while the test mutates routes. Built for
thousands of routes and dozens of concurrent connections (HTTP/1.1 keep-alive, deep backlog).
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import socket
import sys
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

__all__ = ["FeedServer", "PathStats", "Route", "http_date", "make_gzip_bomb"]

RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8"


def http_date(when: float | None = None) -> str:
    """An RFC 7231 date (``Tue, 14 Apr 2026 12:59:48 GMT``) for Last-Modified headers."""
    return email.utils.formatdate(when if when is not None else time.time(), usegmt=True)


def make_gzip_bomb(inflated_size: int) -> bytes:
    """Gzip of ``inflated_size`` zero bytes (~1000:1), built without holding it inflated."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = b"\0" * (1 << 20)
    parts: list[bytes] = []
    left = inflated_size
    while left > 0:
        n = min(left, len(block))
        parts.append(comp.compress(block[:n]))
        left -= n
    parts.append(comp.flush())
    return b"".join(parts)


@dataclass
class Route:
    """How one path answers. Mutate through `FeedServer` methods (they take the lock)."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = RSS_CONTENT_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    #: ETag sent and honoured (If-None-Match → 304); None for no ETag.
    etag: str | None = None
    #: Last-Modified sent and honoured (If-Modified-Since → 304); None for none.
    last_modified: str | None = None
    #: Send the body gzip-compressed (Content-Encoding: gzip).
    gzip: bool = False
    #: Body is already gzip data (a bomb): sent as-is with Content-Encoding: gzip.
    pre_gzipped: bool = False
    #: Seconds to wait before answering at all.
    delay: float = 0.0
    #: Seconds between single body bytes (a trickling server); 0 sends at once.
    trickle: float = 0.0
    #: Close the connection without any response.
    drop: bool = False


@dataclass
class PathStats:
    """What one path has served: counted per request, read with `FeedServer.stats`."""

    requests: int = 0
    #: Responses that carried the body (status < 300, not 304).
    full: int = 0
    not_modified: int = 0
    #: Request headers of the latest request (case preserved as sent).
    last_headers: dict[str, str] = field(default_factory=dict)


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in header.split(","))


def _not_modified_since(header: str, last_modified: str) -> bool:
    try:
        since = email.utils.parsedate_to_datetime(header)
        modified = email.utils.parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, IndexError):
        return False
    return modified <= since


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    #: Idle keep-alive connections close after this, so threads do not pile up.
    timeout = 15
    #: Headers and body are separate writes; with Nagle + delayed ACK each response would
    #: stall ~40 ms, which dominates benchmarks of thousands of feeds.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests assert on stats, not on access logs

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        route, stats = owner._begin(path, dict(self.headers.items()))
        if route is None:
            self._send(404, {"Content-Type": "text/plain"}, b"no such feed\n")
            return
        if route.delay and owner._stop.wait(route.delay):
            return
        if route.drop:
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if route.status == 200 and (
            (inm is not None and route.etag is not None and _etag_matches(inm, route.etag))
            or (
                inm is None
                and ims is not None
                and route.last_modified is not None
                and _not_modified_since(ims, route.last_modified)
            )
        ):
            owner._count(stats, not_modified=True)
            self._send(304, self._validators(route), b"")
            return
        headers = self._validators(route) if route.status < 300 else {}
        if route.content_type:
            headers["Content-Type"] = route.content_type
        headers.update(route.headers)
        body = route.body
        if route.gzip or route.pre_gzipped:
            body = body if route.pre_gzipped else gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.status < 300:
            owner._count(stats, not_modified=False)
        self._send(route.status, headers, body, trickle=route.trickle)

    @staticmethod
    def _validators(route: Route) -> dict[str, str]:
        out: dict[str, str] = {}
        if route.etag is not None:
            out["ETag"] = route.etag
        if route.last_modified is not None:
            out["Last-Modified"] = route.last_modified
        return out

    def _send(
        self, status: int, headers: Mapping[str, str], body: bytes, *, trickle: float = 0.0
    ) -> None:
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not trickle:
                self.wfile.write(body)
                return
            self.wfile.flush()
            stop = self.server.owner._stop
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                if stop.wait(trickle):
                    self.close_connection = True
                    return
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (deadline, size cap): fine


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    #: Benchmarks open many connections at once; the default backlog of 5 would refuse them.
    request_queue_size = 1024

    def __init__(self, owner: FeedServer, host: str) -> None:
        self.owner = owner
        if ":" in host:  # FeedServer("::1"): an IPv6 loopback outlet
            self.address_family = socket.AF_INET6
        super().__init__((host, 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up (deadlines, size caps, pooled connections closed) are expected.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FeedServer:
    """Loopback HTTP server with per-path routes; use as a context manager (or start/stop)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._host = host
        self._routes: dict[str, Route] = {}
        self._stats: dict[str, PathStats] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> FeedServer:
        self._stop.clear()
        self._server = _Server(self, self._host)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes delayed and trickling handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FeedServer is not running (use it as a context manager)")
        host, port = self._server.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # --- routes -------------------------------------------------------------------------

    def add(
        self,
        path: str,
        body: bytes = b"",
        *,
        status: int = 200,
        content_type: str | None = RSS_CONTENT_TYPE,
        headers: Mapping[str, str] | None = None,
        etag: str | bool | None = None,
        last_modified: str | bool | None = None,
        gzip: bool = False,
        delay: float = 0.0,
        trickle: float = 0.0,
        drop: bool = False,
    ) -> str:
        """Serve ``body`` at ``path``; returns the full URL (the path if not started yet).

        ``etag=True`` derives the ETag from the body (it changes with `set_body`);
        ``last_modified=True`` stamps the current time (and again on each `set_body`).
        """
        route = Route(
            body=body,
            status=status,
            content_type=content_type,
            headers=dict(headers or {}),
            gzip=gzip,
            delay=delay,
            trickle=trickle,
            drop=drop,
        )
        self._apply_validators(route, etag, last_modified)
        with self._lock:
            self._routes[path] = route
            self._stats.setdefault(path, PathStats())
        return self.url(path) if self._server is not None else path

    def set_body(
        self,
        path: str,
        body: bytes,
        *,
        etag: str | bool | None = True,
        last_modified: str | bool | None = True,
    ) -> None:
        """Change what ``path`` serves (a feed that got new items), with fresh validators.

        Validators are only (re)set where the route already had them, unless given explicitly.
        """
        with self._lock:
            route = self._routes[path]
            route.body = body
            self._apply_validators(
                route,
                etag if route.etag is not None or isinstance(etag, str) else None,
                last_modified
                if route.last_modified is not None or isinstance(last_modified, str)
                else None,
            )

    def update(self, path: str, **changes: object) -> None:
        """Change any `Route` field of an existing path (``status=500``, ``trickle=0.5`` …)."""
        with self._lock:
            route = self._routes[path]
            for key, value in changes.items():
                if not hasattr(route, key):
                    raise AttributeError(f"Route has no field {key!r}")
                setattr(route, key, value)

    def error(self, path: str, status: int = 500, *, retry_after: str | None = None) -> str:
        """A path that always fails with ``status`` (and Retry-After when given)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return self.add(path, b"error\n", status=status, content_type="text/plain", headers=headers)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.add(path, b"", status=status, content_type=None, headers={"Location": to})

    def redirect_loop(self, path_a: str, path_b: str) -> str:
        """Two paths redirecting to each other forever; returns the URL of the first."""
        self.redirect(path_b, path_a)
        return self.redirect(path_a, path_b)

    def gzip_bomb(self, path: str, inflated_size: int = 100_000_000) -> str:
        """A small gzip body that inflates to ``inflated_size`` bytes of zeros."""
        url = self.add(path, make_gzip_bomb(inflated_size))
        with self._lock:
            self._routes[path].pre_gzipped = True
        return url

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    # --- observation --------------------------------------------------------------------

    def stats(self, path: str) -> PathStats:
        """A snapshot of the counters for ``path`` (zeros for a path never requested)."""
        with self._lock:
            s = self._stats.get(path, PathStats())
            return PathStats(s.requests, s.full, s.not_modified, dict(s.last_headers))

    def total_requests(self) -> int:
        with self._lock:
            return sum(s.requests for s in self._stats.values())

    def reset_stats(self) -> None:
        with self._lock:
            self._stats = {p: PathStats() for p in self._routes}

    # --- internals (called from handler threads) ----------------------------------------

    @staticmethod
    def _apply_validators(
        route: Route, etag: str | bool | None, last_modified: str | bool | None
    ) -> None:
        if etag is True:
            route.etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
        elif etag is not False:
            route.etag = etag
        else:
            route.etag = None
        if last_modified is True:
            # Strictly later than the previous stamp: HTTP dates have 1 s resolution, and a
            # change within the same second must not answer If-Modified-Since with a 304.
            now = time.time()
            if route.last_modified is not None:
                try:
                    old = email.utils.parsedate_to_datetime(route.last_modified).timestamp()
                    now = max(now, old + 1)
                except (TypeError, ValueError, IndexError):
                    pass
            route.last_modified = http_date(now)
        elif last_modified is not False:
            route.last_modified = last_modified
        else:
            route.last_modified = None

    def _begin(self, path: str, headers: dict[str, str]) -> tuple[Route | None, PathStats]:
        with self._lock:
            stats = self._stats.setdefault(path, PathStats())
            stats.requests += 1
            stats.last_headers = headers
            route = self._routes.get(path)
            if route is None:
                return None, stats
            # A copy: the handler must not see a half-applied `set_body` from another thread.
            return Route(**{**route.__dict__, "headers": dict(route.headers)}), stats

    def _count(self, stats: PathStats, *, not_modified: bool) -> None:
        with self._lock:
            if not_modified:
                stats.not_modified += 1
            else:
                stats.full += 1
