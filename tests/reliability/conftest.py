"""Shared parts of the reliability tests: a config with two healthy Danish feeds and a text
folder beside whatever is under test, the real services built from it (store, keyword
classifier, pipeline, console sender), and small helpers (a raw socket server, memory watch).

Everything is real: loopback HTTP servers, a SQLite file in ``tmp_path``, the pipeline's own
httpx client. Only the console sender writes to a `StringIO` so alerts can be counted.
"""

from __future__ import annotations

import io
import os
import resource
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pytest

from bot.article import Article
from bot.config import Config, parse_config
from bot.console import ConsoleSender
from bot.matcher import enable_console
from bot.pipeline import CycleReport, Pipeline
from bot.runtime import Services, load_classifier
from bot.store import Store
from tests.configs import keyword_config, topic_item
from tests.standins import feeds
from tests.standins.feed_server import FeedServer

HOSTILE = "Fjendtlig"
HEALTHY = ("DR Indland", "TV 2 Nyheder")
FOLDER = "indbakke"

#: Titles the healthy sources must get alerted in every scenario.
HEALTHY_ALERTS = frozenset(
    {
        "Nato-landene øger forsvarsbudgetterne",
        "Taliban indtager Kabul efter lynoffensiv",
        "Coronasmitten stiger igen på plejehjemmene",
        "Stoltenberg mødes med Danmarks forsvarsminister i Aarhus.",
    }
)

TOPICS = (
    topic_item("NATO", "nato, stoltenberg, forsvarsalliancen")
    + topic_item("COVID-19", '"covid*", "corona*"', da="Covid-19")
    + topic_item("Afghanistan", '"afghanistan*", "taliban*", kabul')
)


def rss20(
    items: list[tuple[str | None, str | None, str]],
    *,
    encoding: str = "utf-8",
    declare: bool = True,
    date: str | None = None,
) -> bytes:
    """RSS 2.0 with a short description on every item (these feeds are not headline-only)."""
    return feeds.rss20(
        items, encoding=encoding, declare=declare, date=date, description="Læs mere på siden."
    )


def atom(entries: list[tuple[str, str, str, str]]) -> bytes:
    """Atom 1.0; entries are (id, link, title, summary)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    body = "".join(
        f'<entry><title>{title}</title><id>{eid}</id><link href="{link}"/>'
        f"<updated>{now}</updated><summary>{summary}</summary></entry>"
        for eid, link, title, summary in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>TV 2</title><id>urn:tv2:nyheder</id><updated>{now}</updated>{body}</feed>"
    ).encode()


DR_FEED = rss20(
    [
        (
            "urn:dr:1",
            "https://www.dr.dk/nyheder/indland/1",
            "Nato-landene øger forsvarsbudgetterne",
        ),
        ("urn:dr:2", "https://www.dr.dk/nyheder/indland/2", "Vejret: Sol over hele Jylland"),
    ]
)
TV2_FEED = atom(
    [
        (
            "urn:tv2:1",
            "https://nyheder.tv2.dk/udland/1",
            "Taliban indtager Kabul efter lynoffensiv",
            "Vestlige ambassader evakuerer personale.",
        ),
        (
            "urn:tv2:2",
            "https://nyheder.tv2.dk/samfund/2",
            "Coronasmitten stiger igen på plejehjemmene",
            "Sundhedsstyrelsen anbefaler et nyt stik.",
        ),
    ]
)
FOLDER_TEXT = (
    "Stoltenberg mødes med Danmarks forsvarsminister i Aarhus. "
    "Mødet handler om forsvarsalliancen og Østersøen."
)


def drop(folder: Path, name: str, text: str) -> None:
    """A text file written a while ago (fresh files wait in case they are still written)."""
    (folder / name).write_text(text, encoding="utf-8")
    os.utime(folder / name, (time.time() - 10, time.time() - 10))


def alert_titles(out: str) -> list[str]:
    """Titles of console alerts (the line after each topic banner)."""
    lines = out.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines) if line.startswith("━━ ")]


@pytest.fixture(scope="module")
def healthy_server() -> Iterator[FeedServer]:
    """The two healthy feeds (and room for hostile routes), shared by a module's tests."""
    with FeedServer() as s:
        s.add("/dr/indland.xml", DR_FEED, etag=True)
        s.add("/tv2/nyheder.xml", TV2_FEED, content_type="application/atom+xml")
        yield s


@dataclass
class Harness:
    """One configured topicbot (real store, pipeline and console sender) in ``tmp_path``."""

    config: Config
    services: Services
    out: io.StringIO
    sender: ConsoleSender
    reports: list[CycleReport] = field(default_factory=list)

    @property
    def store(self) -> Store:
        return self.services.store

    async def cycle(self) -> CycleReport:
        """One poll of every source, then deliver to the console (as `topicbot once`)."""
        report = await self.services.pipeline.poll_all()
        await self.sender.drain()
        self.reports.append(report)
        return report

    def take_alerts(self) -> list[str]:
        """Console alert titles printed since the last call."""
        titles = alert_titles(self.out.getvalue())
        self.out.seek(0)
        self.out.truncate()
        return titles

    def articles(self, source: str) -> list[Article]:
        return [a for a in self.store.iter_articles() if a.source == source]

    async def aclose(self) -> None:
        await self.services.aclose()


def make_config(
    tmp_path: Path,
    feeds: list[tuple[str, str]],
    *,
    total_timeout: float = 1.5,
    extra_feed_lines: dict[str, str] | None = None,
    db: Path | None = None,
) -> Config:
    folder = tmp_path / FOLDER
    folder.mkdir(exist_ok=True)
    lines = []
    for name, url in feeds:
        lines.append(f"  - name: {name}\n    url: {url}")
        if extra_feed_lines and name in extra_feed_lines:
            lines.append(extra_feed_lines[name])
    text = keyword_config(
        topics=TOPICS,
        feeds="\n".join(lines),
        folders=f"  - name: {FOLDER}\n    path: {folder}",
        fetch={
            "connect_timeout": "1s",
            # Above the trickling server's 1 s between bytes, so the whole-request deadline
            # (not a race with the read timeout) is what cuts it off.
            "read_timeout": "3s",
            "total_timeout": f"{total_timeout}s",
            "max_redirects": 5,
            # Every stand-in outlet is on 127.0.0.1; redirects between them are about feed
            # handling here (the outbound policy's cases are in tests/sources/test_outbound.py).
            "allow_private_networks": True,
        },
        storage={"path": db or tmp_path / "topicbot.sqlite3"},
    )
    return parse_config(text, base_dir=tmp_path)


def build_harness(config: Config, *, timeout: float = 10.0) -> Harness:
    """Services as `Services.build` makes them, with the store's busy ``timeout`` chosen."""
    store = Store.open(config.db_path, timeout=timeout)
    classifier = load_classifier(config)
    services = Services(config, store, classifier, Pipeline(config, store, classifier))
    enable_console(services.store, [t.id for t in config.topics])
    out = io.StringIO()
    sender = ConsoleSender(services.store, services.config.topic_names("da"), stream=out)
    return Harness(config, services, out, sender)


def with_healthy(server: FeedServer, hostile_url: str | None) -> list[tuple[str, str]]:
    feeds = [
        (HEALTHY[0], server.url("/dr/indland.xml")),
        (HEALTHY[1], server.url("/tv2/nyheder.xml")),
    ]
    if hostile_url is not None:
        feeds.insert(1, (HOSTILE, hostile_url))
    return feeds


# --- a raw HTTP server for what FeedServer cannot misbehave with ------------------------------


class RawServer:
    """Accepts connections on 127.0.0.1 and hands each socket to ``handler`` in a thread."""

    def __init__(self, handler: Callable[[socket.socket, threading.Event], None]) -> None:
        self._handler = handler
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/feed.xml"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request; its content does not matter
                self._handler(conn, self._stop)
            except OSError:
                pass  # the client hung up (size cap, deadline): expected

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(timeout=2)


def stream_without_length(total: int) -> Callable[[socket.socket, threading.Event], None]:
    """An endless-looking 200 body (no Content-Length, read until close), made on the fly."""

    def handler(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n"
        )
        conn.sendall(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>')
        chunk = b"<item><title>Nato</title></item>" * 2048  # 64 KiB
        sent = 0
        while sent < total and not stop.is_set():
            conn.sendall(chunk)
            sent += len(chunk)

    return handler


def free_port() -> int:
    """A port nothing listens on (bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- memory ---------------------------------------------------------------------------------


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the peak is all there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class MemoryWatch:
    """Peak resident memory growth over a block, sampled every few milliseconds.

    ``ru_maxrss`` alone is a process-lifetime peak (an earlier test may have set it higher),
    so the current RSS is sampled in a thread as well; both growths are reported.
    """

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.base = 0
        self.peak = 0
        self.maxrss_growth = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(self.interval)

    @property
    def growth(self) -> int:
        return max(0, self.peak - self.base)

    def __enter__(self) -> MemoryWatch:
        self._maxrss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.base = self.peak = _rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())
        self.maxrss_growth = (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - self._maxrss0
        ) * 1024
