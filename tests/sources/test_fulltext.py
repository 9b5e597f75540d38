"""Full text for headline-only feeds, on real sockets: loopback pages → fetch → extract.

The pages are written here to look like a Danish outlet's article page: navigation, a cookie
banner, "related" links and a footer that all name topics (Nato, corona, Taliban), with the
story itself in <article>. That furniture is exactly what would make the classifier alert on
the wrong items, so the tests assert the body is kept and the furniture is not.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from bot.article import Article, article_id
from bot.config import FetchConfig, parse_config
from bot.pipeline import Pipeline
from bot.sources.fetcher import make_client
from bot.sources.fulltext import (
    MAX_TEXT_CHARS,
    decode_html,
    fetch_full_text,
    meta_charset,
)
from bot.store import Store
from classifiers.factory import build_classifier
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20

HTML = "text/html; charset=utf-8"
MAX_BYTES = 200_000

NAV = """<header class="site-header"><a class="logo" href="/">Nyhederne</a>
<nav><ul><li><a href="/nyheder">Nyheder</a></li><li><a href="/nyheder/indland">Indland</a></li>
<li><a href="/nyheder/udland">Udland</a></li><li><a href="/tema/nato">Nato</a></li>
<li><a href="/tema/corona">Coronavirus</a></li><li><a href="/sporten">Sporten</a></li></ul></nav>
</header>"""

COOKIE_BANNER = """<div id="cookie-consent" class="cookie-banner" role="dialog">
<p>Vi bruger cookies til at forbedre din oplevelse, måle trafik og vise relevante annoncer.
Læs mere i vores cookiepolitik.</p><button>Accepter alle cookies</button>
<button>Kun nødvendige</button></div>"""

RELATED = """<aside class="related"><h2>Mest læste</h2><ul>
<li><a href="/1">Coronasmitten stiger igen på plejehjemmene</a></li>
<li><a href="/2">Taliban lukker skoler for piger i Kabul</a></li>
<li><a href="/3">Se billederne: Storm vælter træer i Nordjylland</a></li></ul></aside>"""

FOOTER = """<footer class="site-footer"><p>Ansvarshavende chefredaktør: Jens Jensen.
Kontakt redaktionen på nyheder@example.dk</p><p>© Nyhederne 2026. Alle rettigheder forbeholdes.</p>
</footer>"""

#: A story whose headline does not name the topic; the body does.
HEADLINE = "Minister lover flere soldater til Baltikum"
BODY = [
    "Danmark sender yderligere 800 soldater til Letland, efter at Nato har bedt "
    "medlemslandene om at styrke den fremskudte tilstedeværelse i Baltikum.",
    "Det oplyste forsvarsministeren torsdag på et pressemøde i Forsvarsministeriet, hvor han "
    "understregede, at beslutningen har bred opbakning blandt Folketingets partier.",
    "Ifølge ministeren er der tale om en langvarig forpligtelse. Soldaterne skal indgå i "
    "alliancens kampgruppe, som i forvejen tæller enheder fra Canada, Spanien og Polen.",
    "Oppositionen kalder beslutningen nødvendig, men efterlyser en plan for, hvordan "
    "forsvaret skal rekruttere nok personel, når flere udsendelser står for døren.",
]


def page(title: str, paragraphs: list[str], *, head: str = '<meta charset="utf-8">') -> str:
    """A realistic article page: furniture around an <article> with the story."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="da"><head>{head}<title>{title} | Nyhederne</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{title}">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{section: "indland"}});</script>
<style>body {{ font-family: sans-serif; }} .cookie-banner {{ position: fixed; }}</style>
</head><body>
{COOKIE_BANNER}
{NAV}
<main><article class="article">
<header><h1>{title}</h1><p class="byline">Af Mette Hansen · 27. nov. 2026 kl. 08.00</p></header>
<div class="article-body">
{body}
</div>
<div class="share"><a href="#">Del på Facebook</a> <a href="#">Del på X</a></div>
</article>
{RELATED}
</main>
{FOOTER}
</body></html>"""


BOILERPLATE = [
    "cookies",
    "Accepter alle",
    "Coronasmitten stiger",
    "Taliban lukker skoler",
    "Mest læste",
    "Alle rettigheder",
    "Ansvarshavende",
    "Del på Facebook",
    "Sporten",
]

CP1252_PARAGRAPHS = [
    "Regeringen vil bruge 2,5 mia. € på „grøn omstilling“ af landbruget – og det "
    "er mere, end Økonomiministeriet havde regnet med.",
    "Ålborg, Næstved og Søborg får hver en andel af puljen, som fordeles efter ansøgning "
    "i løbet af foråret. Kommunerne skal selv lægge 25 procent oveni.",
    "Landbrugets organisationer kalder udspillet et skridt i den rigtige retning, men "
    "savner klare svar på, hvordan pengene skal kontrolleres.",
]


def article(link: str | None, title: str = HEADLINE, text: str = "") -> Article:
    return Article(
        id=article_id("DR", link=link, title=title), source="DR", title=title, text=text, link=link
    )


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        s.add("/nyheder/indland/soldater", page(HEADLINE, BODY).encode(), content_type=HTML)
        s.add(
            "/nyheder/penge/landbrug",
            page(
                "Milliarder til landbruget", CP1252_PARAGRAPHS, head='<meta charset="windows-1252">'
            ).encode("cp1252"),
            content_type="text/html",
        )
        huge = page(HEADLINE, BODY + ["Ekstra afsnit med mere tekst. " * 40] * 400)
        assert len(huge.encode()) > MAX_BYTES
        s.add("/nyheder/huge", huge.encode(), content_type=HTML)
        s.add("/nyheder/slow", page(HEADLINE, BODY).encode(), content_type=HTML, delay=3.0)
        s.error("/nyheder/gone", 404)
        s.add(
            "/dokument.pdf",
            b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n",
            content_type="application/pdf",
        )
        s.add(
            "/api/artikel.json",
            json.dumps({"title": HEADLINE, "body": BODY}).encode(),
            content_type="application/json",
        )
        # A script-rendered page: nothing but a nav link without the JavaScript.
        s.add(
            "/nyheder/tom",
            b"<!DOCTYPE html><html><head><title>DR</title></head><body>"
            b'<nav><a href="/">Forside</a></nav><div id="app"></div>'
            b"<script>render()</script></body></html>",
            content_type=HTML,
        )
        yield s


@pytest.fixture
def cfg() -> FetchConfig:
    # The stand-in outlet is on 127.0.0.1, which the outbound policy refuses by default
    # (tests/sources/test_outbound.py); these tests are about extraction and limits.
    return FetchConfig(
        total_timeout=1.0,
        read_timeout=1.0,
        connect_timeout=1.0,
        max_bytes=MAX_BYTES,
        allow_private_networks=True,
        page_pause=0,
    )


@pytest_asyncio.fixture
async def client(cfg: FetchConfig) -> AsyncIterator[httpx.AsyncClient]:
    c = make_client(cfg)
    try:
        yield c
    finally:
        await c.aclose()


@pytest.mark.asyncio
async def test_extracts_the_story_and_not_the_furniture(
    server: FeedServer, client: httpx.AsyncClient, cfg: FetchConfig
) -> None:
    a = article(server.url("/nyheder/indland/soldater"))
    out = await fetch_full_text(client, a, cfg, source="DR")
    for paragraph in BODY:
        assert paragraph in out.text
    for junk in BOILERPLATE:
        assert junk not in out.text, junk
    assert (out.id, out.title, out.link, out.version) == (a.id, a.title, a.link, a.version)
    assert server.stats("/nyheder/indland/soldater").full == 1


@pytest.mark.asyncio
async def test_windows_1252_page_declared_by_meta_only(
    server: FeedServer, client: httpx.AsyncClient, cfg: FetchConfig
) -> None:
    out = await fetch_full_text(
        client, article(server.url("/nyheder/penge/landbrug")), cfg, source="DR"
    )
    for paragraph in CP1252_PARAGRAPHS:
        assert paragraph in out.text
    assert "Ã" not in out.text and "\ufffd" not in out.text


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/nyheder/huge", f"body larger than {MAX_BYTES} bytes"),
        ("/nyheder/slow", "timed out after 1s"),
        ("/nyheder/gone", "HTTP 404 Not Found"),
        ("/dokument.pdf", "not an HTML page (application/pdf)"),
        ("/api/artikel.json", "not an HTML page (application/json)"),
        ("/nyheder/tom", "no main text found"),
    ],
)
@pytest.mark.asyncio
async def test_failures_keep_the_headline_and_say_why(
    server: FeedServer,
    client: httpx.AsyncClient,
    cfg: FetchConfig,
    caplog: pytest.LogCaptureFixture,
    path: str,
    reason: str,
) -> None:
    a = article(server.url(path), text="Kort manchet fra feedet.")
    with caplog.at_level(logging.WARNING, logger="bot.sources.fulltext"):
        out = await fetch_full_text(client, a, cfg, source="DR Seneste nyt")
    assert out == a
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "DR Seneste nyt" in warnings[0]
    assert server.url(path) in warnings[0]
    assert reason in warnings[0]


@pytest.mark.asyncio
async def test_unreachable_host_and_missing_link_keep_the_article(
    client: httpx.AsyncClient, cfg: FetchConfig, caplog: pytest.LogCaptureFixture
) -> None:
    with FeedServer() as gone:
        url = gone.url("/nyheder/1")  # the port is closed once the server stops
    with caplog.at_level(logging.WARNING, logger="bot.sources.fulltext"):
        a = article(url)
        assert await fetch_full_text(client, a, cfg, source="DR") == a
        for link in (None, "urn:dr:umbraco:article:1", "ftp://example.dk/a"):
            b = article(link)
            assert await fetch_full_text(client, b, cfg, source="DR") == b
    assert "connection refused" in caplog.text


@pytest.mark.asyncio
async def test_longer_feed_text_is_kept_and_page_text_is_capped(
    server: FeedServer, client: httpx.AsyncClient, cfg: FetchConfig
) -> None:
    longer = " ".join(BODY) * 3
    a = article(server.url("/nyheder/indland/soldater"), text=longer)
    assert await fetch_full_text(client, a, cfg, source="DR") == a

    paragraphs = [
        f"Afsnit {i}: " + "Forsvarsministeren uddyber planerne for Nato. " * 20 for i in range(60)
    ]
    server.add("/nyheder/lang", page(HEADLINE, paragraphs).encode(), content_type=HTML)
    out = await fetch_full_text(client, article(server.url("/nyheder/lang")), cfg, source="DR")
    assert MAX_TEXT_CHARS - 200 <= len(out.text) <= MAX_TEXT_CHARS
    assert out.text.startswith(HEADLINE) or out.text.startswith("Afsnit 0")


def test_charset_choice() -> None:
    assert (
        meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
        == "ISO-8859-1"
    )
    assert meta_charset(b"<html><body>ingen</body></html>") is None
    latin = '<meta charset="iso-8859-1"><p>Søren „citat“</p>'.encode("cp1252")
    assert "Søren „citat“" in decode_html(latin, "text/html")
    # The HTTP header wins over the meta tag when it fits the bytes …
    utf8 = '<meta charset="windows-1252"><p>Søren</p>'.encode()
    assert "Søren" in decode_html(utf8, "text/html; charset=utf-8")
    # … and the meta tag is used when the header's charset does not fit.
    assert "Søren „citat“" in decode_html(latin, "text/html; charset=utf-8")


# --- end to end: feed → page → classifier → store -----------------------------------------

NOW = "Fri, 27 Nov 2026 08:00:00 GMT"


def dr_rss(items: list[tuple[str, str, str]]) -> bytes:
    """DR's format: CDATA titles, urn guids, links, no description (headlines only)."""
    return rss20(
        [(f"urn:dr:umbraco:article:{g}", link, title) for g, title, link in items],
        date=NOW,
        channel="Seneste nyt",
    )


CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato, stoltenberg]
  - id: COVID-19
    name: {{da: Covid-19, en: COVID-19}}
    keywords: ["covid*", "corona*"]
feeds:
  - name: DR Seneste nyt
    url: {url}
    full_text: true
fetch:
  total_timeout: 1s
  read_timeout: 1s
  max_bytes: {max_bytes}
  allow_private_networks: true  # the stand-in outlet's pages are on 127.0.0.1
  page_pause: 0
storage:
  path: {db}
classifier:
  mode: keywords
alerts:
  max_age: 3650d
  alert_on_first_poll: {first}
"""


@pytest.mark.asyncio
async def test_pipeline_tags_headline_by_page_body_and_fetches_each_page_once(
    server: FeedServer, tmp_path: Path
) -> None:
    pages = {"a1": "/nyheder/indland/soldater", "a2": "/nyheder/gone", "a3": "/nyheder/ny"}
    server.add(
        "/dr.xml",
        dr_rss(
            [
                ("a1", HEADLINE, server.url(pages["a1"])),
                ("a2", "Vejret: Sne på vej til hele landet", server.url(pages["a2"])),
            ]
        ),
    )
    config = parse_config(
        CONFIG.format(
            url=server.url("/dr.xml"), max_bytes=MAX_BYTES, db="db.sqlite3", first="true"
        ),
        base_dir=tmp_path,
    )
    store = Store.open(config.db_path)
    classifier = build_classifier(config.topic_rules(), mode="keywords")
    pipeline = Pipeline(config, store, classifier)
    try:
        assert "nato" not in HEADLINE.lower()
        report = await pipeline.poll_all()
        assert (report.polled, report.new_articles, report.failed) == (1, 2, [])
        a1 = store.get_article("guid:DR Seneste nyt:urn:dr:umbraco:article:a1")
        a2 = store.get_article("guid:DR Seneste nyt:urn:dr:umbraco:article:a2")
        assert a1 is not None and a2 is not None
        assert BODY[0] in a1.text
        assert [s.topic for s in store.article_topics(a1.id) if s.matched] == ["NATO"]
        assert (a2.title, a2.text) == ("Vejret: Sne på vej til hele landet", "")

        # Second poll: the same two items plus a new one; only the new page is fetched.
        server.add(
            pages["a3"],
            page(
                "Nyt fra Christiansborg", ["Coronapasset vender tilbage til efteråret. " * 8]
            ).encode(),
            content_type=HTML,
        )
        server.set_body(
            "/dr.xml",
            dr_rss(
                [
                    ("a3", "Nyt fra Christiansborg", server.url(pages["a3"])),
                    ("a1", HEADLINE, server.url(pages["a1"])),
                    ("a2", "Vejret: Sne på vej til hele landet", server.url(pages["a2"])),
                ]
            ),
        )
        report = await pipeline.poll_all()
        assert report.new_articles == 1
        assert {name: server.stats(p).requests for name, p in pages.items()} == {
            "a1": 1,
            "a2": 1,
            "a3": 1,
        }
        a3 = store.get_article("guid:DR Seneste nyt:urn:dr:umbraco:article:a3")
        assert a3 is not None
        assert [s.topic for s in store.article_topics(a3.id) if s.matched] == ["COVID-19"]
    finally:
        await pipeline.aclose()
        store.close()


@pytest.mark.asyncio
async def test_a_new_feeds_backlog_fetches_no_pages(server: FeedServer, tmp_path: Path) -> None:
    """First poll with the default suppression: items are recorded, their pages not fetched
    (nobody is alerted about them); the next new item's page is."""
    server.add("/first.xml", dr_rss([("b1", HEADLINE, server.url("/nyheder/b1"))]))
    server.add("/nyheder/b1", page(HEADLINE, BODY).encode(), content_type=HTML)
    server.add("/nyheder/b2", page("Nyt", BODY).encode(), content_type=HTML)
    config = parse_config(
        CONFIG.format(
            url=server.url("/first.xml"), max_bytes=MAX_BYTES, db="db.sqlite3", first="false"
        ),
        base_dir=tmp_path,
    )
    store = Store.open(config.db_path)
    pipeline = Pipeline(config, store, build_classifier(config.topic_rules(), mode="keywords"))
    try:
        assert (await pipeline.poll_all()).new_articles == 1
        assert server.stats("/nyheder/b1").requests == 0
        server.set_body(
            "/first.xml",
            dr_rss(
                [
                    ("b2", "Nyt", server.url("/nyheder/b2")),
                    ("b1", HEADLINE, server.url("/nyheder/b1")),
                ]
            ),
        )
        assert (await pipeline.poll_all()).new_articles == 1
        assert server.stats("/nyheder/b2").requests == 1
        assert server.stats("/nyheder/b1").requests == 0
    finally:
        await pipeline.aclose()
        store.close()
