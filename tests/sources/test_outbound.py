"""The outbound policy: feed content cannot make topicbot fetch internal addresses.

Every server here is a real loopback HTTP server. Names are resolved through a resolver
injected into the policy (a table), so "intranet.test" can resolve to 10.x without touching
/etc/hosts; the check is made on the address connected to.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import generate_latest

from bot.config import FetchConfig, parse_config
from bot.errors import FetchError
from bot.ops.metrics import REGISTRY
from bot.pipeline import Pipeline
from bot.sources.fetcher import RefusedFetchError, fetch, make_client
from bot.sources.outbound import OutboundPolicy, TargetRefused, address_refusal
from bot.store import Store
from classifiers.factory import build_classifier
from tests.configs import keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20

FEED_TEXT = "Kort manchet fra feedet om Nato."
PAGE = (
    "<!DOCTYPE html><html><head><title>Intern</title></head><body><article><h1>Intern side</h1>"
    + "<p>Hemmeligheden SECRET-TOKEN-4711 står i intranettets drift og vedligehold.</p>" * 4
    + "</article></body></html>"
).encode()


def _config(url: str, allow: bool) -> str:
    return keyword_config(
        feeds=f"  - name: Udefra\n    url: {url}\n    full_text: true",
        fetch={
            "total_timeout": "2s",
            "connect_timeout": "1s",
            "read_timeout": "1s",
            "page_pause": 0,
            "allow_private_networks": allow,
        },
        storage={"path": "db.sqlite3"},
    )


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.20.30.40", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fd12:3456::1", "unique-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::ffff:127.0.0.1", "loopback (IPv4-mapped)"),
        ("::ffff:169.254.169.254", "link-local (IPv4-mapped)"),
        ("::ffff:10.0.0.1", "private (IPv4-mapped)"),
        ("8.8.8.8", None),
        ("2a00:1450:4001::1", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert address_refusal(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("host", ["localhost", "127.1", "2130706433", "0x7f000001", "0"])
@pytest.mark.asyncio
async def test_spellings_of_loopback_are_judged_by_what_they_resolve_to(host: str) -> None:
    """Shorthand, decimal and hex IPv4 (``inet_aton`` forms) go through the OS resolver, and
    the check is on its answer."""
    with pytest.raises(
        TargetRefused, match=f"^{host} resolves to (127\\.0\\.0\\.1|0\\.0\\.0\\.0|::1),"
    ):
        await OutboundPolicy().addresses(host, 80)


class TableResolver:
    """Names to address lists; a list of answers per name is handed out one per lookup."""

    def __init__(self, table: dict[str, list[list[str]]]) -> None:
        self.table = table
        self.lookups: dict[str, int] = {}

    async def __call__(self, host: str, port: int) -> list[str]:
        n = self.lookups.get(host, 0)
        self.lookups[host] = n + 1
        answers = self.table[host]
        return answers[min(n, len(answers) - 1)]


@pytest.fixture
def outlets() -> Iterator[tuple[FeedServer, FeedServer]]:
    with FeedServer() as v4, FeedServer("::1") as v6:
        yield v4, v6


def _links(v4: FeedServer, v6: FeedServer) -> dict[str, str]:
    """Item links, one per refused kind; every loopback one would serve the secret page."""
    port = v4.url("/").split(":")[2].split("/")[0]
    for path in ("/v4", "/mapped", "/named", "/rebind", "/hop-end"):
        v4.add(path, PAGE, content_type="text/html")
    v6.add("/v6", PAGE, content_type="text/html")
    v4.redirect("/hop-1", "/hop-2")
    v4.redirect("/hop-2", v4.url("/hop-end"), 301)
    return {
        "loopback": v4.url("/v4"),
        "ipv6 loopback": v6.url("/v6"),
        "ipv4-mapped": f"http://[::ffff:127.0.0.1]:{port}/mapped",
        "name to loopback": f"http://loop.test:{port}/named",
        "name to 10.x": f"http://intranet.test:{port}/named",
        "name to 192.168.x": f"http://router.test:{port}/named",
        "metadata": f"http://169.254.169.254:{port}/latest/meta-data/",
        "public then private": f"http://rebind.test:{port}/rebind",
        "public and private": f"http://mixed.test:{port}/named",
        "redirect chain": v4.url("/hop-1"),
    }


def _resolver() -> TableResolver:
    return TableResolver(
        {
            "loop.test": [["127.0.0.1"]],
            "intranet.test": [["10.20.30.40"]],
            "router.test": [["192.168.1.1"]],
            # DNS rebinding: public for the check, loopback for a second lookup.
            "rebind.test": [["8.8.8.8"], ["127.0.0.1"]],
            "mixed.test": [["8.8.8.8", "127.0.0.1"]],
        }
    )


def _refused_count(source: str) -> float:
    value = REGISTRY.get_sample_value("topicbot_outbound_refused_total", {"source": source})
    return value or 0.0


async def _poll(tmp_path: Path, feed: FeedServer, allow: bool, resolver: TableResolver) -> Store:
    config = parse_config(_config(feed.url("/feed.xml"), allow), base_dir=tmp_path)
    store = Store.open(config.db_path)
    classifier = build_classifier(config.topic_rules(), mode="keywords")
    pipeline = Pipeline(config, store, classifier, outbound=OutboundPolicy(allow, resolver))
    try:
        report = await pipeline.poll_all()
        assert (report.polled, report.failed) == (1, [])
    finally:
        await pipeline.aclose()
    return store


def _serve_feed(feed: FeedServer, links: dict[str, str]) -> None:
    items = [(f"g-{i}", link, f"Punkt {i}: {name}") for i, (name, link) in enumerate(links.items())]
    feed.add("/feed.xml", rss20(items, description=FEED_TEXT))


@pytest.mark.asyncio
async def test_item_links_to_internal_addresses_are_not_fetched(
    outlets: tuple[FeedServer, FeedServer], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    v4, v6 = outlets
    links = _links(v4, v6)
    _serve_feed(v4, links)
    resolver = _resolver()
    before = _refused_count("Udefra")
    with caplog.at_level(logging.DEBUG, logger="bot.sources.outbound"):
        store = await _poll(tmp_path, v4, False, resolver)
    with store:
        texts = {a.title.split(": ", 1)[1]: a.text for a in store.iter_articles()}
    # Nothing internal was fetched, every item is kept with its feed text (and alerted on it).
    assert texts == {name: FEED_TEXT for name in links}
    assert v4.total_requests() == 1  # the operator's feed URL only
    assert v6.total_requests() == 0
    assert resolver.lookups.get("rebind.test") == 1  # resolved once: no second answer used
    assert _refused_count("Udefra") - before == len(links) - 1  # rebind.test: public, allowed
    refusals = [r.getMessage() for r in caplog.records if "refused:" in r.getMessage()]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(refusals) == len(links) - 1
    assert [m for m in warned if "refused:" in m] == refusals[:1]  # once per feed
    assert refusals[0].startswith("Udefra: full text of ")
    reasons = caplog.text
    for expected in (
        "127.0.0.1 is a loopback address",
        "::1 is a loopback address",
        "::ffff:127.0.0.1 is a loopback (IPv4-mapped) address",
        "loop.test resolves to 127.0.0.1, a loopback address",
        "intranet.test resolves to 10.20.30.40, a private address",
        "router.test resolves to 192.168.1.1, a private address",
        "169.254.169.254 is a link-local address",
        "mixed.test resolves to 127.0.0.1, a loopback address",
    ):
        assert expected in reasons, expected
    assert "SECRET-TOKEN" not in caplog.text


@pytest.mark.asyncio
async def test_with_private_networks_allowed_they_are_fetched(
    outlets: tuple[FeedServer, FeedServer], tmp_path: Path
) -> None:
    v4, v6 = outlets
    links = _links(v4, v6)
    _serve_feed(v4, links)
    resolver = _resolver()
    store = await _poll(tmp_path, v4, True, resolver)
    with store:
        texts = {a.title.split(": ", 1)[1]: a.text for a in store.iter_articles()}
    fetched = {name for name, text in texts.items() if "SECRET-TOKEN-4711" in text}
    # Reachable on loopback: fetched. 10.x, 192.168.x and 169.254.169.254 have no server here;
    # the rebinding name connects to the public address it was checked with, never 127.0.0.1.
    # ("public and private" goes to 8.8.8.8 first: whether that connects depends on the host.)
    assert fetched - {"public and private"} == {
        "loopback",
        "ipv6 loopback",
        "ipv4-mapped",
        "name to loopback",
        "redirect chain",
    }
    assert v4.stats("/hop-end").requests == 1 and v4.stats("/rebind").requests == 0
    # The name, not the address, went to the server (Host header kept on the name).
    assert v4.stats("/named").last_headers.get("Host", "").startswith(("loop.test", "mixed.test"))


@pytest.mark.asyncio
async def test_feed_redirected_to_an_internal_feed_is_refused(tmp_path: Path) -> None:
    """The operator's URL is fetched as written; the hops it redirects to are checked."""
    with FeedServer() as outlet, FeedServer("::1") as internal:
        internal.add("/intern.xml", rss20([("i1", None, "Intern: SECRET-TOKEN-4711")]))
        outlet.redirect("/feed.xml", "/moved.xml")
        outlet.redirect("/moved.xml", internal.url("/intern.xml"))
        config = parse_config(_config(outlet.url("/feed.xml"), False), base_dir=tmp_path)
        before = _refused_count("Udefra")
        with Store.open(config.db_path) as store:
            pipeline = Pipeline(
                config, store, build_classifier(config.topic_rules(), mode="keywords")
            )
            try:
                report = await pipeline.poll_all()
            finally:
                await pipeline.aclose()
            assert report.failed == ["Udefra"]
            state = store.source_state("Udefra")
            assert state.last_error == "refused: 127.0.0.1 is a loopback address"
            assert store.article_count() == 0
        assert outlet.stats("/feed.xml").requests == 1
        assert outlet.stats("/moved.xml").requests == 0
        assert internal.total_requests() == 0
        assert _refused_count("Udefra") - before == 1
        assert b"topicbot_outbound_refused_total" in generate_latest(REGISTRY)


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for the DNS name only (no IP), made now."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl CLI is not installed: cannot make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1"]
        + ["-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"],
        check=True,
        capture_output=True,
        timeout=10,
    )
    return cert, key


@pytest.mark.asyncio
async def test_https_to_a_checked_address_keeps_the_name_for_sni_certificate_and_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connecting to the checked IP must not change what TLS and HTTP see: SNI, the
    certificate check (the certificate names only the host, not 127.0.0.1) and Host."""
    name = "nyheder.test"
    cert, key = _certificate(tmp_path, name)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # httpx trusts it (trust_env)
    seen: dict[str, str] = {}
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)

    def record_sni(_sock: ssl.SSLObject, server_name: str | None, _ctx: ssl.SSLContext) -> None:
        seen["sni"] = server_name or ""

    tls.sni_callback = record_sni  # type: ignore[assignment]

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen["request"] = (await reader.readuntil(b"\r\n\r\n")).decode().lower()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    url = f"https://{name}:{port}/side"
    resolver = TableResolver({name: [["127.0.0.1"]]})
    cfg = FetchConfig(total_timeout=2, connect_timeout=1, read_timeout=1)
    try:
        async with make_client(cfg, policy=OutboundPolicy(True, resolver)) as client:
            response = await fetch(client, url, source="T", fetch_cfg=cfg)
        assert response.content == b"ok"
        assert seen["sni"] == name
        assert f"host: {name}:{port}\r\n" in seen["request"]
        async with make_client(cfg, policy=OutboundPolicy(False, resolver)) as client:
            with pytest.raises(RefusedFetchError) as refused:
                await fetch(client, url, source="T", fetch_cfg=cfg)
        assert refused.value.reason == f"refused: {name} resolves to 127.0.0.1, a loopback address"
        # A name the certificate does not carry fails verification: the check is really made.
        resolver.table["andet.test"] = [["127.0.0.1"]]
        async with make_client(cfg, policy=OutboundPolicy(True, resolver)) as client:
            with pytest.raises(FetchError, match="TLS certificate not valid"):
                await fetch(client, f"https://andet.test:{port}/", source="T", fetch_cfg=cfg)
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.asyncio
async def test_operator_feed_url_uses_an_environment_proxy_and_feed_content_never_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The stand-in proxy answers absolute-form requests (``GET http://feeds.test/…``)."""
    for var in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    feed_url, page_url = "http://feeds.test/feed.xml", "http://intern.test/side"
    resolver = TableResolver({"intern.test": [["10.1.2.3"]]})
    cfg = FetchConfig(total_timeout=2, connect_timeout=1, read_timeout=1)
    with FeedServer() as proxy:
        proxy.add(feed_url, rss20([("p1", page_url, "Nato")]))
        proxy.add(page_url, PAGE, content_type="text/html")
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        monkeypatch.delenv("http_proxy", raising=False)
        async with make_client(cfg, policy=OutboundPolicy(False, resolver)) as client:
            response = await fetch(client, feed_url, source="T", fetch_cfg=cfg, operator_url=True)
            assert b"<rss" in response.content
            with pytest.raises(RefusedFetchError):  # checked and connected directly instead
                await fetch(client, page_url, source="T", fetch_cfg=cfg)
        assert (proxy.stats(feed_url).requests, proxy.stats(page_url).requests) == (1, 0)
        monkeypatch.setenv("NO_PROXY", "feeds.test")  # bypassed: a direct lookup, which fails
        async with make_client(cfg, policy=OutboundPolicy(False, resolver)) as client:
            with pytest.raises(FetchError, match="DNS lookup failed"):
                await fetch(client, feed_url, source="T", fetch_cfg=cfg, operator_url=True)
        assert proxy.stats(feed_url).requests == 1
