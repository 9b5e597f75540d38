"""Feeds end to end: fixtures → parse_feed → Article, and poll_feed against a loopback server."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import time
import unicodedata
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from bot.article import article_id
from bot.config import FeedConfig, FetchConfig
from bot.errors import FetchError, ParseError
from bot.sources import feed as feed_module
from bot.sources.base import SourceState
from bot.sources.feed import MAX_TITLE, parse_feed, poll_feed
from bot.sources.fetcher import make_client
from bot.sources.plaintext import html_to_text
from tests.standins.feed_server import FeedServer

DATA = Path(__file__).parent / "testdata"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
# The stand-in outlets live on 127.0.0.1: their redirects may stay there (the outbound policy
# has its own tests in test_outbound.py).
CFG = FetchConfig(
    connect_timeout=1,
    read_timeout=1,
    total_timeout=1,
    max_bytes=1_000_000,
    allow_private_networks=True,
)
NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)


def _parse(name: str, **kw: object) -> feed_module.ParsedFeed:
    args: dict[str, object] = {"source": "Test", "base_url": "https://www.example.dk/feed.xml"}
    args.update(kw)
    return parse_feed((DATA / name).read_bytes(), **args)  # type: ignore[arg-type]


def _feed(name: str, url: str, **kw: object) -> FeedConfig:
    return FeedConfig(name=name, url=url, interval=300, **kw)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(CFG) as c:
        yield c


# --- parse_feed: formats ----------------------------------------------------------------------


def test_dr_format() -> None:
    parsed = _parse("dr_indland.xml", source="DR Indland", fetched_at=NOW)
    assert parsed.warnings == [] and parsed.format == "rss20" and parsed.title == "Indland | DR"
    a, b, c = parsed.articles
    assert a.id == "guid:DR Indland:urn:dr:umbraco:article:0a1b2c3d-0000-4000-8000-000000000001"
    assert a.title == "Færgen til Ærø aflyser afgange på grund af storm"
    assert b.title == "Økonomer: Boligpriserne i Århus stiger fortsat"
    assert all(x.text == "" for x in (a, b, c))  # DR feeds carry headlines only
    assert a.link == "https://www.dr.dk/nyheder/indland/faergen-til-aeroe-aflyser-afgange"
    assert a.published == datetime(2026, 4, 15, 9, 5, tzinfo=UTC)
    assert b.published == datetime(2026, 4, 15, 8, 47, tzinfo=UTC)  # +0200 converted
    assert b.published is not None and b.published.utcoffset() == timedelta(0)
    assert a.fetched_at == NOW and a.source == "DR Indland" and a.version


def test_atom_html_content_and_relative_links() -> None:
    parsed = _parse("atom_tv2.xml", base_url="https://nyheder.tv2.dk/rss/udland.atom")
    a, b = parsed.articles
    assert parsed.format == "atom10"
    assert a.id == "guid:Test:tag:nyheder.tv2.dk,2026:udland-1001"
    assert a.title == "Danske soldater vender hjem fra Afghanistan"
    # Content (longer) wins over the summary; tags, script and entities are gone.
    assert a.text == (
        "De sidste danske soldater er landet i Karup. Forsvarsministeren tog imod dem & "
        'takkede for indsatsen – "en historisk dag".'
    )
    assert a.link == "https://nyheder.tv2.dk/udland/2026-04-15-danske-soldater-vender-hjem"
    assert a.published == datetime(2026, 4, 15, 7, 30, tzinfo=UTC)
    assert b.text == "Sundhedsmyndighederne i Stockholm følger udviklingen tæt."
    assert b.published == datetime(2026, 4, 15, 7, 15, tzinfo=UTC)  # from <updated>


def test_rss10_and_rss091() -> None:
    rdf = _parse("rss10_rdf.xml")
    assert rdf.format == "rss10"
    a, b = rdf.articles
    assert a.title == "Kommuner mangler pædagoger til vuggestuer"
    assert a.text == "Flere kommuner på Sjælland må lukke stuer."
    assert a.published == datetime(2026, 4, 14, 14, 20, tzinfo=UTC)
    assert b.published is None
    old = _parse("rss091.xml")
    assert old.format.startswith("rss091")
    first, second = old.articles
    assert first.id == "link:https://www.lokalavisen-fyn.dk/nyt/odense-aa-oversvoemmer-stier"
    assert second.id == "link:https://www.lokalavisen-fyn.dk/nyt/svendborg-faar-ny-faergeterminal"


# --- parse_feed: charsets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("latin1_decl.xml", "application/rss+xml", "Høj vandstand i Ribe: Beboere på Sønderside"),
        ("cp1252_wrong_decl.xml", "text/xml", "Borgmester: „Vi skal spare 5 mio. €“ – budgettet"),
        ("cp1252_no_decl.xml", "application/xml", "Rønne Havn: „Færgen er forsinket“ – passagerer"),
        ("cp1252_no_decl.xml", "text/xml", "Rønne Havn: „Færgen er forsinket“"),
        (
            "latin1_header_conflict.xml",
            "application/rss+xml; charset=utf-8",
            "Ålborg Zoo får to nye isbjørne fra Grønland",
        ),
        (
            "utf8_decl_says_latin1.xml",
            "text/xml",
            "Esbjerg: Havvindmøller giver 400 nye job på Fanø",
        ),
    ],
)
def test_danish_letters_survive_mislabelled_charsets(
    name: str, content_type: str, expected: str
) -> None:
    parsed = _parse(name, headers={"Content-Type": content_type})
    assert parsed.articles[0].title.startswith(expected)
    assert "Ã" not in parsed.articles[0].title


def test_charset_override_wins() -> None:
    raw = (DATA / "latin9_declared_cp1252.xml").read_bytes()
    headers = {"content-type": "text/xml; charset=windows-1252"}
    assert "50 ¤" in parse_feed(raw, source="T", headers=headers).articles[0].title
    fixed = parse_feed(raw, source="T", headers=headers, charset_override="iso8859_15")
    assert fixed.articles[0].title == "Ølpriserne stiger: 50 € for en kasse på færgen"


# --- parse_feed: broken documents ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty response"),
        (b"  \r\n\t", "empty response"),
        (b"\xef\xbb\xbf\n", "empty response"),
        ((DATA / "html_page.html").read_bytes(), "not a feed: looks like an HTML page"),
        (b"<html><body><p>Forside</p></body></html>", "not a feed: looks like an HTML page"),
        (b'<?xml version="1.0"?>\n<!-- x --><HTML><body>Hej</body></HTML>', "not a feed: looks"),
        (b"<!DOCTYPE html><title>Hej</title><p>Ingen feed her", "not a feed: looks like an HTML"),
    ],
)
def test_not_a_feed(raw: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_feed(raw, source="Avisen")
    assert info.value.source == "Avisen"
    assert info.value.reason.startswith(reason)


@pytest.mark.parametrize(
    "raw",
    [
        (DATA / "broken_no_entries.xml").read_bytes(),
        b"Hej verden",
        b'{"items": []}',
        b'<rss version="2.0"><channel><item><title>Afbrudt',  # truncated mid-entry
        b"<div><p>Et fragment</p></div>",
    ],
)
def test_garbage_without_entries_is_a_parse_error(raw: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_feed(raw, source="T")
    assert info.value.reason.startswith(("no entries: ", "not a feed: "))
    assert "line" in info.value.reason or "not a feed" in info.value.reason


def test_bytes_are_never_taken_for_a_file_name(tmp_path: Path) -> None:
    # feedparser.parse(bytes) would open() them as a path; parse_feed must not.
    secret = tmp_path / "secret.xml"
    secret.write_bytes((DATA / "dr_indland.xml").read_bytes())
    with pytest.raises(ParseError):
        parse_feed(str(secret).encode(), source="T")


def test_broken_xml_with_entries_is_used_with_a_warning() -> None:
    parsed = _parse("broken_with_entries.xml")
    assert [a.id for a in parsed.articles] == ["guid:Test:ff-1", "guid:Test:ff-2"]
    assert parsed.articles[0].text == "Valgstederne lukkede kl. 20 & optællingen gik hurtigt."
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("malformed feed, parsed anyway: not well-formed")


def test_feed_with_a_copied_html_doctype_is_still_a_feed() -> None:
    raw = (
        b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x">'
        b"<rss><channel><title>K</title><item><title>Stadig et feed</title></item></channel></rss>"
    )
    assert [a.title for a in parse_feed(raw, source="T").articles] == ["Stadig et feed"]


def test_valid_feed_without_items_is_not_an_error() -> None:
    parsed = _parse("empty_channel.xml")
    assert parsed.articles == [] and parsed.warnings == []


# --- parse_feed: entry normalisation ---------------------------------------------------------


def test_control_characters_removed() -> None:
    parsed = _parse("control_chars.xml")
    (a,) = parsed.articles
    assert not re.search(r"[\x00-\x1f\x7f]", a.title + a.text)
    assert a.title.startswith("Strejke på Københavns") and a.title.endswith("Lufthavn fortsætter")
    assert a.text == "Piloterne kræver højere løn."
    assert any("control character" in w for w in parsed.warnings)


def test_missing_guid_link_and_dates() -> None:
    parsed = _parse("missing_guid_link.xml", base_url="https://www.ufuld.dk/rss/alt.xml")
    by_title = {a.title[:20]: a for a in parsed.articles}
    only_link = by_title["Kun et link, ingen g"]
    # The fragment stays in the id (it may be what tells two posts apart); the store still
    # knows the article by the link without it (`bot.identity`).
    assert only_link.id == "link:https://www.ufuld.dk/nyt/kun-link?id=7#top"
    assert only_link.link_keys == (
        "https://www.ufuld.dk/nyt/kun-link?id=7#top",
        "https://www.ufuld.dk/nyt/kun-link?id=7",
    )
    assert by_title["Relativt link til lo"].link == "https://www.ufuld.dk/nyt/relativt-link"
    hashed = by_title["Hverken guid eller l"]
    assert hashed.link is None
    assert hashed.id == article_id(
        "Test", title=hashed.title, published=datetime(2026, 4, 14, 13, tzinfo=UTC)
    )
    derived = by_title["Kun tekst uden overs"]
    assert derived.id == "guid:Test:uf-tekst-uden-titel"
    assert derived.link is None  # a non-URL guid is not a link
    assert derived.text.startswith("Kun tekst uden overskrift: Borgerne i Tønder")
    assert len(derived.title) <= 120
    assert by_title["Ugyldig dato"].published is None
    assert len(parsed.articles) == 5  # the entry with neither title nor text is dropped
    assert "skipped 1 entry without title or text" in parsed.warnings


def test_duplicate_guids_collapse_to_the_first() -> None:
    parsed = _parse("duplicate_guids.xml")
    assert [a.id for a in parsed.articles] == ["guid:Test:dob-1", "guid:Test:dob-2"]
    assert parsed.articles[0].title == "Regeringen præsenterer finanslov"
    assert "collapsed 1 duplicate entry" in parsed.warnings


def test_ids_are_stable_and_independent_of_the_feed_url() -> None:
    one = _parse("broken_with_entries.xml", base_url="https://a.example/feed")
    two = _parse("broken_with_entries.xml", base_url="https://b.example/other/feed")
    assert [a.id for a in one.articles] == [a.id for a in two.articles]


def _rss(title: str, description: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><guid>g1</guid>"
        f"<description>{description}</description></item></channel></rss>"
    ).encode()


def test_long_titles_are_cut_with_an_ellipsis() -> None:
    (a,) = parse_feed(_rss("Langt ord " * 200), source="T").articles
    assert len(a.title) <= MAX_TITLE and a.title.endswith("…")
    assert a.title.startswith("Langt ord Langt ord")


def test_entities_whitespace_and_unicode_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Århus")
    raw = _rss(
        f"  {decomposed}:\n\t&amp;quot;Storm&amp;quot;  &amp;amp; regn ",
        "&lt;p&gt;Første&amp;nbsp;afsnit&lt;/p&gt;&lt;p&gt;Andet&lt;br/&gt;afsnit&lt;/p&gt;",
    )
    (a,) = parse_feed(raw, source="T").articles
    assert a.title == 'Århus: "Storm" & regn'
    assert a.title == unicodedata.normalize("NFC", a.title)
    assert a.text == "Første\xa0afsnit Andet afsnit".replace("\xa0", " ")


def test_html_to_text() -> None:
    assert html_to_text("<p>A&amp;B</p><style>p{}</style><div>C</div>") == "A&B C"
    assert html_to_text("Pris &lt; 5 kr.") == "Pris < 5 kr."


# --- poll_feed -------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_poll_then_304_then_changed(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.add(
        "/indland", (DATA / "dr_indland.xml").read_bytes(), etag=True, last_modified=True
    )
    feed = _feed("DR Indland", url)
    first = await poll_feed(client, feed, CFG, SourceState(), now=NOW)
    assert first.ok and not first.not_modified and len(first.articles) == 3
    assert first.state.etag and first.state.last_modified
    assert first.state.polled_before and first.state.last_items == 3
    assert first.state.last_success == NOW

    second = await poll_feed(client, feed, CFG, first.state, now=NOW + timedelta(minutes=5))
    assert second.ok and second.not_modified and second.articles == []
    assert (second.state.etag, second.state.last_modified) == (
        first.state.etag,
        first.state.last_modified,
    )
    assert second.state.last_items == 3
    stats = server.stats("/indland")
    assert (stats.full, stats.not_modified) == (1, 1)
    sent = {k.lower(): v for k, v in stats.last_headers.items()}
    assert sent["if-none-match"] == first.state.etag

    server.set_body("/indland", (DATA / "dr_indland_v2.xml").read_bytes())
    third = await poll_feed(client, feed, CFG, second.state, now=NOW + timedelta(minutes=10))
    new_ids = {a.id for a in third.articles} - {a.id for a in first.articles}
    assert new_ids == {
        "guid:DR Indland:urn:dr:umbraco:article:0a1b2c3d-0000-4000-8000-000000000004"
    }
    assert third.state.etag != first.state.etag


@pytest.mark.asyncio
async def test_skipped_while_backing_off(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.add("/x", (DATA / "dr_indland.xml").read_bytes())
    state = SourceState(failures=2, next_attempt=NOW + timedelta(minutes=1))
    outcome = await poll_feed(client, _feed("X", url), CFG, state, now=NOW)
    assert outcome.skipped and outcome.state is state and outcome.articles == []
    assert server.stats("/x").requests == 0


@pytest.mark.asyncio
async def test_failure_backs_off_and_logs(
    server: FeedServer, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    feed = _feed("DR Indland", server.error("/fail", 500))
    state = SourceState(etag='"old"', failures=2)
    with caplog.at_level(logging.WARNING, logger="bot.sources.feed"):
        outcome = await poll_feed(client, feed, CFG, state, now=NOW)
    assert isinstance(outcome.error, FetchError) and not outcome.ok
    assert outcome.state.failures == 3 and outcome.state.etag == '"old"'
    assert outcome.state.next_attempt == NOW + timedelta(minutes=20)
    assert outcome.state.last_error == "HTTP 500 Internal Server Error"
    assert (
        "feed 'DR Indland' failed (attempt 3, next try in 20m): HTTP 500 Internal Server Error"
        in caplog.messages
    )


@pytest.mark.asyncio
async def test_retry_after_is_honoured(server: FeedServer, client: httpx.AsyncClient) -> None:
    feed = _feed("Busy", server.error("/busy", 503, retry_after="3600"))
    outcome = await poll_feed(client, feed, CFG, SourceState(), now=NOW)
    assert outcome.state.next_attempt == NOW + timedelta(hours=1)


@pytest.mark.asyncio
async def test_parse_error_keeps_old_validators(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.add("/html", (DATA / "html_page.html").read_bytes(), etag=True)
    state = SourceState(etag='"before"', polled_before=True)
    outcome = await poll_feed(client, _feed("Avisen", url), CFG, state, now=NOW)
    assert isinstance(outcome.error, ParseError)
    assert outcome.error.reason == "not a feed: looks like an HTML page"
    assert outcome.state.etag == '"before"' and outcome.state.failures == 1


@pytest.mark.asyncio
async def test_charset_override_from_config(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.add(
        "/l9", (DATA / "latin9_declared_cp1252.xml").read_bytes(), content_type="text/xml"
    )
    outcome = await poll_feed(client, _feed("F", url, charset="iso-8859-15"), CFG, SourceState())
    assert outcome.articles[0].title == "Ølpriserne stiger: 50 € for en kasse på færgen"


@pytest.mark.asyncio
async def test_unexpected_parser_crash_is_contained(
    server: FeedServer, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("feedparser bug")

    monkeypatch.setattr(feed_module, "parse_feed", boom)
    url = server.add("/ok", (DATA / "dr_indland.xml").read_bytes())
    outcome = await poll_feed(client, _feed("F", url), CFG, SourceState(), now=NOW)
    assert isinstance(outcome.error, ParseError)
    assert outcome.error.reason == "unexpected RuntimeError: feedparser bug"


@pytest.mark.asyncio
async def test_one_bad_feed_never_stops_the_others(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    good = (DATA / "dr_indland.xml").read_bytes()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    feeds = [
        _feed("Good 1", server.add("/good1", good)),
        _feed("Broken", server.error("/500", 500)),
        _feed("Slow", server.add("/slow", good, trickle=0.05)),
        _feed("Good 2", server.add("/good2", (DATA / "atom_tv2.xml").read_bytes(), gzip=True)),
        _feed("HTML", server.add("/html", (DATA / "html_page.html").read_bytes())),
        _feed("Garbage", server.add("/garbage", (DATA / "broken_no_entries.xml").read_bytes())),
        _feed("Loop", server.redirect_loop("/a", "/b")),
        _feed("Dead", f"http://127.0.0.1:{dead_port}/feed"),
    ]
    start = time.monotonic()
    outcomes = await asyncio.gather(*(poll_feed(client, f, CFG, SourceState()) for f in feeds))
    assert time.monotonic() - start < 3
    by_name = {o.source: o for o in outcomes}
    assert len(by_name["Good 1"].articles) == 3 and by_name["Good 1"].ok
    assert len(by_name["Good 2"].articles) == 2 and by_name["Good 2"].ok
    reasons = {name: o.error.reason for name, o in by_name.items() if o.error is not None}
    assert reasons == {
        "Broken": "HTTP 500 Internal Server Error",
        "Slow": "timed out after 1s",
        "HTML": "not a feed: looks like an HTML page",
        "Garbage": reasons["Garbage"],
        "Loop": "too many redirects",
        "Dead": "connection refused",
    }
    assert reasons["Garbage"].startswith("no entries: ")
    assert all(o.state.failures == 1 for o in outcomes if o.error)


# --- ../shared fixtures ----------------------------------------------------------------------


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared holds test fixtures; CI has it)")
    return path


@pytest.mark.shared
@pytest.mark.asyncio
async def test_dr_senestenyt_served_over_http(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    raw = _shared("fixtures", "dr_senestenyt.xml").read_bytes()
    url = server.add("/nyheder/service/feeds/senestenyt", raw, etag=True)
    outcome = await poll_feed(client, _feed("DR Seneste", url), CFG, SourceState())
    assert outcome.ok and outcome.warnings == []
    assert len(outcome.articles) == 2
    for a in outcome.articles:
        assert a.id.startswith("guid:DR Seneste:urn:dr:umbraco:article:")
        assert a.text == ""
        assert a.published is not None and a.published.tzinfo is not None
        assert a.published.utcoffset() == timedelta(0)
        assert a.link and a.link.startswith("https://www.dr.dk/")
    assert all(re.search("[æøåÆØÅ]", a.title) for a in outcome.articles)


_HEADER = re.compile(rb"^Header:\s*([A-Za-z-]+):[ \t]*(.*?)\s*$", re.MULTILINE)


@pytest.mark.shared
@pytest.mark.asyncio
async def test_feedparser_suite_never_crashes(server: FeedServer) -> None:
    root = _shared("fixtures", "feedparser-tests", "tests")
    files = sorted(root.rglob("*.xml"))
    feeds = []
    for i, path in enumerate(files):
        raw = path.read_bytes()
        headers = {k.decode(): v.decode("latin-1") for k, v in _HEADER.findall(raw[:2048])}
        content_type = headers.pop("Content-type", headers.pop("Content-Type", None))
        headers.pop("Content-Location", None)  # would redirect nowhere useful
        url = server.add(f"/fp/{i}", raw, content_type=content_type, headers=headers)
        feeds.append(_feed(path.relative_to(root).as_posix(), url))
    cfg = CFG.model_copy(update={"total_timeout": 10})
    async with make_client(cfg) as c:
        outcomes = await asyncio.gather(*(poll_feed(c, f, cfg, SourceState()) for f in feeds))
    with_articles = [o for o in outcomes if o.articles]
    errors = {o.source: o.error for o in outcomes if o.error is not None}
    assert all(isinstance(e, ParseError) for e in errors.values()), errors
    assert all(not e.reason.startswith("unexpected") for e in errors.values()), errors
    assert len(with_articles) > 50
    assert len(errors) < len(files) // 10, errors
