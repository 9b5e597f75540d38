"""Hostile feeds, end to end: each beside two healthy feeds and a text folder, one poll cycle
through the real pipeline, store and console sender.

For every case the healthy sources are recorded and alerted as usual, and the hostile feed is
either used correctly (charset repaired, ids derived, duplicates collapsed …) or fails alone
with one WARNING naming the feed and a reason an operator can act on, never a traceback.
The unit cases of parsing and fetching live in ``tests/sources``; these prove the isolation.
"""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.article import Article
from bot.pipeline import CycleReport
from bot.sources.feed import MAX_TITLE
from tests.reliability.conftest import (
    FOLDER,
    FOLDER_TEXT,
    HEALTHY,
    HEALTHY_ALERTS,
    HOSTILE,
    Harness,
    MemoryWatch,
    RawServer,
    atom,
    build_harness,
    drop,
    free_port,
    make_config,
    rss20,
    stream_without_length,
    with_healthy,
)
from tests.standins.feed_server import FeedServer

MB = 1_000_000
DANISH = "Nato-topmøde på Ærø: Øresund og Åbenrå i fokus"
COVID = "Covid-19: Smitten falder i Århus"
ITEMS: list[tuple[str | None, str | None, str]] = [
    ("urn:fj:1", "https://www.fjendtlig.dk/a/1", DANISH),
    ("urn:fj:2", "https://www.fjendtlig.dk/a/2", COVID),
]


@dataclass(frozen=True)
class Fails:
    """The feed fails alone; the WARNING names it and contains ``reason`` (a regex)."""

    reason: str
    #: Peak memory growth allowed during the cycle (bytes), for the size cases.
    max_memory: int | None = None


@dataclass(frozen=True)
class Works:
    """The feed is used; ``check`` gets its stored articles and every alert title."""

    check: Callable[[list[Article], list[str]], None]
    #: A warning the poll log line must carry ("removed 3 control character(s)" …).
    warning: str | None = None


Serve = Callable[[FeedServer, str], str]


@dataclass(frozen=True)
class Case:
    id: str
    serve: Serve
    expect: Fails | Works


# --- how each hostile feed is served ---------------------------------------------------------


def body(raw: bytes, content_type: str | None = "application/rss+xml", **kw: object) -> Serve:
    def serve(server: FeedServer, path: str) -> str:
        return server.add(path, raw, content_type=content_type, **kw)  # type: ignore[arg-type]

    return serve


def one_guid_twice(second_link: str) -> Serve:
    """Two items under guid urn:fj:1, the first at /a/1 and the second at `second_link`."""
    return body(
        rss20(
            [
                ("urn:fj:1", "https://www.fjendtlig.dk/a/1", DANISH),
                ("urn:fj:1", second_link, COVID),
            ]
        )
    )


def status(code: int, retry_after: str | None = None) -> Serve:
    return lambda server, path: server.error(path, code, retry_after=retry_after)


def redirect_loop(server: FeedServer, path: str) -> str:
    return server.redirect_loop(path, path + ".b")


def redirect_ok(server: FeedServer, path: str) -> str:
    server.add(path + ".target", rss20(ITEMS))
    return server.redirect(path, path + ".target", status=301)


def trickle(server: FeedServer, path: str) -> str:
    return server.add(path, rss20(ITEMS), trickle=1.0)


def big_declared(server: FeedServer, path: str) -> str:
    # 50 MB held by the stand-in server: allocated before the memory watch starts.
    return server.add(path, b"<rss>" + b" " * (50 * MB) + b"</rss>")


def gzip_bomb(server: FeedServer, path: str) -> str:
    return server.gzip_bomb(path, inflated_size=50 * MB)


def dropped(server: FeedServer, path: str) -> str:
    return server.add(path, rss20(ITEMS), drop=True)


def refused(server: FeedServer, path: str) -> str:
    return f"http://127.0.0.1:{free_port()}/feed.xml"


def corrupt_gzip(server: FeedServer, path: str) -> str:
    data = gzip.compress(rss20(ITEMS))
    url = server.add(path, data[:20] + b"\xff" * 40 + data[60:])
    server.update(path, pre_gzipped=True)
    return url


def brotli(server: FeedServer, path: str) -> str:
    return server.add(path, rss20(ITEMS), headers={"Content-Encoding": "br"})


# --- documents --------------------------------------------------------------------------------

RSS091 = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Gammel</title><link>https://www.fjendtlig.dk/</link>
<description>x</description><language>da</language>
<item><title>{DANISH}</title><link>https://www.fjendtlig.dk/a/1</link>
<description>Ældre format uden guid og dato.</description></item>
</channel></rss>""".encode()

RSS10 = f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://www.fjendtlig.dk/"><title>RDF</title>
<link>https://www.fjendtlig.dk/</link><description>x</description>
<items><rdf:Seq><rdf:li rdf:resource="https://www.fjendtlig.dk/a/1"/></rdf:Seq></items></channel>
<item rdf:about="https://www.fjendtlig.dk/a/1"><title>{DANISH}</title>
<link>https://www.fjendtlig.dk/a/1</link><dc:date>2026-11-27T08:00:00+01:00</dc:date>
<description>RSS 1.0 med Dublin Core-dato.</description></item>
</rdf:RDF>""".encode()

ATOM03 = f"""<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Atom 0.3</title>
<modified>2026-11-27T08:00:00Z</modified>
<entry><title>{DANISH}</title><link rel="alternate" type="text/html"
 href="https://www.fjendtlig.dk/a/1"/><id>tag:fjendtlig.dk,2026:1</id>
<issued>2026-11-27T08:00:00Z</issued><modified>2026-11-27T08:00:00Z</modified></entry>
</feed>""".encode()

HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Forside</title></head>"
    b"<body><h1>Velkommen</h1><p>Feedet er flyttet.</p></body></html>"
)

TRUNCATED = rss20(ITEMS)[:-40]  # the closing tags and part of the last item are missing

XXE = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><title>x</title>
<item><title>Nato: hemmelighed &secret;</title><guid>urn:fj:xxe</guid>
<link>https://www.fjendtlig.dk/a/xxe</link></item></channel></rss>"""

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><title>x</title><item><title>Nato &lol9;</title>'
    + b"<guid>urn:fj:lol</guid></item></channel></rss>"
)


def control_chars() -> bytes:
    title = "Nato\x00-topmøde\x07 på\x1b Ærø\u200b"
    return rss20([("urn:fj:\x01ctl", "https://www.fjendtlig.dk/a/\x02ctl", title)])


# --- checks on the stored hostile articles ---------------------------------------------------


def titles_are(*expected: str) -> Callable[[list[Article], list[str]], None]:
    def check(articles: list[Article], alerts: list[str]) -> None:
        assert sorted(a.title for a in articles) == sorted(expected)
        for title in expected:
            assert title in alerts  # every one matches a topic

    return check


def danish_ok(articles: list[Article], alerts: list[str]) -> None:
    titles_are(DANISH, COVID)(articles, alerts)
    assert all("Ã" not in a.title and "\ufffd" not in a.title for a in articles)


def one_with_id(
    prefix: str, *, undated: bool = False
) -> Callable[[list[Article], list[str]], None]:
    def check(articles: list[Article], alerts: list[str]) -> None:
        (a,) = articles
        assert a.id.startswith(prefix), a.id
        assert a.title == DANISH and DANISH in alerts
        if undated:
            assert a.published is None

    return check


def undated(articles: list[Article], alerts: list[str]) -> None:
    titles_are(DANISH, COVID)(articles, alerts)
    assert [a.published for a in articles] == [None, None]


def dated(articles: list[Article], alerts: list[str]) -> None:
    titles_are(DANISH)(articles, alerts)
    assert articles[0].published is not None


def no_ids_two_hashes(articles: list[Article], alerts: list[str]) -> None:
    titles_are(DANISH, COVID)(articles, alerts)
    assert all(a.id.startswith(f"hash:{HOSTILE}:") for a in articles)
    assert all(a.link is None for a in articles)


def collapsed(articles: list[Article], alerts: list[str]) -> None:
    (a,) = articles
    assert a.title == DANISH  # the first of the duplicates wins
    assert alerts.count(DANISH) == 1 and COVID not in alerts


def two_by_link(articles: list[Article], alerts: list[str]) -> None:
    titles_are(DANISH, COVID)(articles, alerts)  # two stories, neither lost
    assert [a.id for a in articles] == [
        "link:https://www.fjendtlig.dk/a/1",
        "link:https://www.fjendtlig.dk/a/9",
    ]


def controls_stripped(articles: list[Article], alerts: list[str]) -> None:
    (a,) = articles
    assert a.title == "Nato-topmøde på Ærø"
    assert a.id == f"guid:{HOSTILE}:urn:fj:ctl"
    assert a.link == "https://www.fjendtlig.dk/a/ctl"


def long_title(articles: list[Article], alerts: list[str]) -> None:
    (a,) = articles
    assert len(a.title) <= MAX_TITLE and a.title.endswith("…")
    assert a.title.startswith("Nato ") and a.title in alerts


def no_entity_expansion(articles: list[Article], alerts: list[str]) -> None:
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    (a,) = articles
    assert not hostname or hostname not in a.title + a.text
    assert a.title in ("Nato: hemmelighed &secret;", "Nato &lol9;")  # left unexpanded


CASES = [
    # --- refused: the feed fails alone, with a reason -----------------------------------
    Case(
        "malformed_xml",
        body(b"<rss><channel><item><title>Nato</tit</chan"),
        Fails("no entries|not a feed"),
    ),
    Case("not_xml_at_all", body(b"}{ this is ]] not <<< xml &&&"), Fails("not a feed|no entries")),
    Case(
        "html_page",
        body(HTML_PAGE, "text/html; charset=utf-8"),
        Fails("not a feed: looks like an HTML page"),
    ),
    Case("html_page_as_rss", body(HTML_PAGE), Fails("not a feed: looks like an HTML page")),
    Case("empty_body", body(b""), Fails("empty response")),
    Case("whitespace_body", body(b" \r\n\t \n"), Fails("empty response")),
    Case(
        "json_body",
        body(b'{"items": [{"title": "Nato"}]}', "application/json"),
        Fails("not a feed|no entries"),
    ),
    Case("binary_body", body(bytes(range(256)) * 8, "image/png"), Fails("not a feed|no entries")),
    Case("http_404", status(404), Fails("HTTP 404 Not Found")),
    Case("http_500", status(500), Fails("HTTP 500 Internal Server Error")),
    Case(
        "http_503_retry_after",
        status(503, "120"),
        Fails(r"HTTP 503 Service Unavailable \(retry after 2m\)"),
    ),
    Case("redirect_loop", redirect_loop, Fails("too many redirects")),
    Case("trickle_one_byte_per_second", trickle, Fails("timed out after 1.5s")),
    Case("body_50mb_declared", big_declared, Fails("body larger than 10000000 bytes", 50 * MB)),
    Case("gzip_bomb_50mb", gzip_bomb, Fails("body larger than 10000000 bytes", 50 * MB)),
    Case("corrupt_gzip", corrupt_gzip, Fails("could not decompress the body")),
    Case("unsupported_encoding", brotli, Fails("unsupported content encoding 'br'")),
    Case("connection_dropped", dropped, Fails("server broke the connection|connection reset")),
    Case("connection_refused", refused, Fails("connection refused")),
    # --- used: repaired, derived or collapsed ------------------------------------------
    Case("redirect_301_followed", redirect_ok, Works(titles_are(DANISH, COVID))),
    Case(
        "malformed_but_has_items",
        body(TRUNCATED),
        Works(titles_are(DANISH, COVID), "malformed feed, parsed anyway"),
    ),
    Case(
        "wrong_charset_latin1_served_as_utf8",
        body(rss20(ITEMS, encoding="iso-8859-1"), "application/rss+xml; charset=utf-8"),
        Works(danish_ok),
    ),
    Case(
        "wrong_charset_utf8_declared_latin1",
        body(rss20(ITEMS).replace(b'encoding="utf-8"', b'encoding="iso-8859-1"'), "text/xml"),
        Works(danish_ok),
    ),
    Case(
        "missing_charset_cp1252",
        body(rss20(ITEMS, encoding="cp1252", declare=False), "application/xml"),
        Works(danish_ok),
    ),
    Case(
        "utf16_with_bom",
        body(
            b"\xff\xfe" + rss20(ITEMS).decode().replace('"utf-8"', '"utf-16"').encode("utf-16-le"),
            "text/xml",
        ),
        Works(danish_ok),
    ),
    Case("invalid_dates", body(rss20(ITEMS, date="den 32. smarch, kl. 25")), Works(undated)),
    Case("missing_dates", body(rss20(ITEMS, date="")), Works(undated)),
    Case(
        "far_future_date",
        body(rss20(ITEMS[:1], date="Fri, 01 Jan 9999 00:00:00 GMT")),
        Works(one_with_id("guid:", undated=True)),
    ),
    Case(
        "year_zero_date",
        body(rss20(ITEMS[:1], date="0000-00-00T00:00:00Z")),
        Works(one_with_id("guid:", undated=True)),
    ),
    Case(
        "missing_guid",
        body(rss20([(None, "https://www.fjendtlig.dk/a/1", DANISH)])),
        Works(one_with_id("link:https://www.fjendtlig.dk/a/1")),
    ),
    Case(
        "missing_guid_and_link",
        body(rss20([(None, None, DANISH), (None, None, COVID)])),
        Works(no_ids_two_hashes),
    ),
    Case(
        "duplicate_guids",
        one_guid_twice("https://www.fjendtlig.dk/a/1"),
        Works(collapsed, "collapsed 1 duplicate entry"),
    ),
    Case(
        "one_guid_on_two_links",
        one_guid_twice("https://www.fjendtlig.dk/a/9"),
        Works(two_by_link, "gives one guid ('urn:fj:1') to items with different links"),
    ),
    Case(
        "control_characters", body(control_chars()), Works(controls_stripped, "control character")
    ),
    Case(
        "very_long_title",
        body(rss20([("urn:fj:long", None, "Nato " + "meget lang overskrift " * 2000)])),
        Works(long_title),
    ),
    Case("rss_0_91", body(RSS091), Works(one_with_id("link:"))),
    Case("rss_1_0_rdf", body(RSS10, "application/rdf+xml"), Works(dated)),
    Case("rss_2_0", body(rss20(ITEMS)), Works(titles_are(DANISH, COVID))),
    Case(
        "atom_1_0",
        body(
            atom([("urn:fj:1", "https://www.fjendtlig.dk/a/1", DANISH, "Resumé.")]),
            "application/atom+xml",
        ),
        Works(titles_are(DANISH)),
    ),
    Case("atom_0_3", body(ATOM03, "application/atom+xml"), Works(one_with_id("guid:"))),
    Case("xxe_external_entity", body(XXE), Works(no_entity_expansion, "malformed feed")),
    Case("billion_laughs", body(LAUGHS), Works(no_entity_expansion, "amplification")),
]


def assert_healthy(h: Harness, alerts: list[str]) -> None:
    assert HEALTHY_ALERTS <= set(alerts), sorted(HEALTHY_ALERTS - set(alerts))
    for name in (*HEALTHY, FOLDER):
        state = h.store.source_state(name)
        assert state.failures == 0 and state.last_success is not None, name
    assert {a.title for a in h.articles(HEALTHY[0])} == {
        "Nato-landene øger forsvarsbudgetterne",
        "Vejret: Sol over hele Jylland",
    }
    # Every alert queued was delivered (nothing left behind in the outbox).
    assert h.store.pending_count() == 0


def hostile_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if repr(HOSTILE) in r.getMessage()]


@pytest.mark.asyncio
@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_hostile_feed_is_isolated(
    case: Case,
    tmp_path: Path,
    healthy_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    url = case.serve(healthy_server, f"/hostile/{case.id}.xml")
    (tmp_path / FOLDER).mkdir()
    drop(tmp_path / FOLDER, "a.txt", FOLDER_TEXT)
    h = build_harness(make_config(tmp_path, with_healthy(healthy_server, url)))
    try:
        with MemoryWatch() as mem:
            report = await h.cycle()
        alerts = h.take_alerts()
        check_case(case, h, report, alerts, mem, caplog)
    finally:
        await h.aclose()


def check_case(
    case: Case,
    h: Harness,
    report: CycleReport,
    alerts: list[str],
    mem: MemoryWatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert_healthy(h, alerts)
    records = hostile_records(caplog)
    # Never a traceback for a feed's own problems, whatever it sent.
    assert not [r for r in records if r.exc_info or r.levelno >= logging.ERROR], records
    expect = case.expect
    if isinstance(expect, Fails):
        assert report.failed == [HOSTILE]
        assert report.polled == 3  # two healthy feeds and the folder
        (warning,) = [r for r in records if r.levelno == logging.WARNING]
        message = warning.getMessage()
        assert message.startswith(f"feed {HOSTILE!r} failed (attempt 1, next try in ")
        assert re.search(expect.reason, message), message
        state = h.store.source_state(HOSTILE)
        assert state.failures == 1 and re.search(expect.reason, state.last_error or "")
        assert state.next_attempt is not None  # backs off: no hammering, no crash loop
        assert h.articles(HOSTILE) == []
        if expect.max_memory is not None:
            assert mem.growth < expect.max_memory, (mem.growth, mem.maxrss_growth)
    else:
        assert report.failed == [] and report.polled == 4
        expect.check(h.articles(HOSTILE), alerts)
        if expect.warning:
            assert any(expect.warning in r.getMessage() for r in records), [
                r.getMessage() for r in records
            ]
        assert h.store.source_state(HOSTILE).failures == 0


@pytest.mark.asyncio
@pytest.mark.timeout(30)
async def test_50mb_body_streamed_without_length_is_cut_off_with_bounded_memory(
    tmp_path: Path, healthy_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """No Content-Length to refuse up front: the cap must hold while streaming."""
    caplog.set_level(logging.INFO)
    with RawServer(stream_without_length(50 * MB)) as raw:
        (tmp_path / FOLDER).mkdir()
        drop(tmp_path / FOLDER, "a.txt", FOLDER_TEXT)
        h = build_harness(make_config(tmp_path, with_healthy(healthy_server, raw.url)))
        try:
            with MemoryWatch() as mem:
                report = await h.cycle()
            alerts = h.take_alerts()
            assert_healthy(h, alerts)
        finally:
            await h.aclose()
    assert report.failed == [HOSTILE]
    (warning,) = [r for r in hostile_records(caplog) if r.levelno == logging.WARNING]
    assert "body larger than 10000000 bytes" in warning.getMessage()
    assert mem.growth < 50 * MB, (mem.growth, mem.maxrss_growth)


# --- feeds that change between polls -----------------------------------------------------------


def _feed(kind: str, keys: list[str]) -> bytes:
    """Items identified by guid, by link only, or by neither (title + date hash)."""
    date = "Fri, 27 Nov 2026 08:00:00 GMT"
    items = []
    for k in keys:
        title = f"Nato-nyhed nummer {k}"
        guid = f"urn:fj:{k}" if kind == "guid" else None
        link = f"https://www.fjendtlig.dk/r/{k}" if kind in ("guid", "link") else None
        items.append((guid, link, title))
    return rss20(items, date=date)


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["guid", "link", "hash"])
async def test_items_reordered_removed_and_readded_are_not_alerted_again(
    kind: str, tmp_path: Path, healthy_server: FeedServer
) -> None:
    path = f"/hostile/reorder-{kind}.xml"
    url = healthy_server.add(path, _feed(kind, ["1", "2", "3"]), etag=True)
    (tmp_path / FOLDER).mkdir()
    h = build_harness(make_config(tmp_path, with_healthy(healthy_server, url)))
    try:
        await h.cycle()
        first = [t for t in h.take_alerts() if t.startswith("Nato-nyhed")]
        assert sorted(first) == [f"Nato-nyhed nummer {k}" for k in "123"]
        for keys in (["3", "1", "2"], ["2"], [], ["1", "3", "2"]):  # reorder, vanish, return
            healthy_server.set_body(path, _feed(kind, keys))
            report = await h.cycle()
            assert report.failed == [] and h.take_alerts() == [], keys
        healthy_server.set_body(path, _feed(kind, ["4", "2", "1", "3"]))
        await h.cycle()
        assert h.take_alerts() == ["Nato-nyhed nummer 4"]  # only the new one
        assert len(h.articles(HOSTILE)) == 4
        assert h.store.outbox_counts() == {"sent": len(HEALTHY_ALERTS) - 1 + 4}
    finally:
        await h.aclose()


@pytest.mark.asyncio
async def test_guid_reused_for_a_new_article_counts_as_seen(
    tmp_path: Path, healthy_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Documented behaviour: the guid is the item's identity (rss2email's chain), so an outlet
    that reuses a guid for a different story has told us it is the same item. The new story is
    neither stored nor alerted (the first version stays), and nothing fails."""
    path = "/hostile/guid-reuse.xml"
    url = healthy_server.add(path, rss20([("urn:fj:7", "https://www.fjendtlig.dk/a/7", DANISH)]))
    (tmp_path / FOLDER).mkdir()
    h = build_harness(make_config(tmp_path, with_healthy(healthy_server, url)))
    try:
        await h.cycle()
        assert DANISH in h.take_alerts()
        healthy_server.set_body(
            path, rss20([("urn:fj:7", "https://www.fjendtlig.dk/a/8", COVID)]), etag=False
        )
        report = await h.cycle()
        assert report.failed == [] and report.new_articles == 0
        assert h.take_alerts() == []
        (a,) = h.articles(HOSTILE)
        assert a.id == f"guid:{HOSTILE}:urn:fj:7" and a.title == DANISH
    finally:
        await h.aclose()


@pytest.mark.asyncio
async def test_a_hostile_feed_that_recovers_is_used_again(
    tmp_path: Path, healthy_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """After failing (and backing off) the same feed serving a good document is picked up."""
    caplog.set_level(logging.INFO)
    path = "/hostile/recovers.xml"
    url = healthy_server.error(path, 500)
    (tmp_path / FOLDER).mkdir()
    drop(tmp_path / FOLDER, "a.txt", FOLDER_TEXT)
    h = build_harness(make_config(tmp_path, with_healthy(healthy_server, url)))
    try:
        assert (await h.cycle()).failed == [HOSTILE]
        assert (await h.cycle()).backing_off == [HOSTILE]  # not hammered
        healthy_server.add(path, rss20(ITEMS))
        state = h.store.source_state(HOSTILE)
        h.store.save_source_state(HOSTILE, replace(state, next_attempt=None))  # time passes
        report = await h.cycle()
        assert report.failed == [] and report.backing_off == []
        assert sorted(h.take_alerts()) == sorted([*HEALTHY_ALERTS, DANISH, COVID])
        assert any("recovered after 1 failed attempt" in r.getMessage() for r in caplog.records)
    finally:
        await h.aclose()
