"""Full text for headline-only feeds: fetch an item's web page and extract its main text.

DR's feeds carry only a title, and a headline often does not name the topic ("Minister går
af efter kritik"), so the classifier misses items a subscriber wants. With ``full_text: true``
on a feed, the pipeline calls `fetch_full_text` for each *unseen* item; this module fetches the
page and keeps the article body, so the classifier sees what a reader would.

Design choices, and why:

* the page goes through the same bounded `fetch` as feeds (overall deadline, decoded-size cap,
  clear `FetchError` reasons): a page is as untrusted as a feed, and one slow outlet must not
  hold a poll longer than its feed would;
* only ``text/html`` / ``application/xhtml+xml`` bodies are parsed (or bodies with no
  Content-Type that plainly start as HTML): a PDF or JSON behind a link is not an article;
* the charset is chosen like a browser does (BOM, HTTP header, then ``<meta charset>``) through
  `decode_document`, because Danish outlets still serve windows-1252 declared only in a meta
  tag, and a wrong guess turns ``æøå`` into mojibake the keyword rules then cannot match;
* trafilatura (maintained, benchmarked main-text extraction) does the extraction, favouring
  precision without comments or tables: nav, cookie banners, "related articles" and footers
  name many topics and would make the classifier alert on the page furniture, not the story;
* decoding and extraction are CPU-bound (lxml on up to ``max_bytes``), so they run in a thread
  (`asyncio.to_thread`) and never block the event loop that polls feeds and sends alerts;
* every failure is logged as a warning naming the feed, the link and the reason, and the article
  is returned unchanged: a missing body costs recall, never the item itself;
* the link is written by whoever writes the feed, so the page and its redirects go through the
  outbound policy (`bot.sources.outbound`): a link to an internal address is refused (logged
  once per feed by `RefusalLog`, counted), and the item keeps its feed text;
* fetching pages is crawling: `PageManners` honours each site's robots.txt (`bot.sources.
  robots`) and asks one host for one page at a time, with ``fetch.page_pause`` between requests
  (`bot.sources.pacing`); the User-Agent names topicbot and ``fetch.contact_url``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import trafilatura
from trafilatura.settings import use_config

from bot.article import Article
from bot.config import FetchConfig
from bot.errors import FetchError
from bot.sources.encoding import charset_from_content_type, decode_document
from bot.sources.fetcher import FetchResponse, RefusedFetchError, fetch
from bot.sources.outbound import RefusalLog
from bot.sources.pacing import HostPacer
from bot.sources.robots import RobotsCache, origin_of

__all__ = [
    "HTML_CONTENT_TYPES",
    "PageManners",
    "MAX_TEXT_CHARS",
    "MIN_TEXT_CHARS",
    "decode_html",
    "meta_charset",
    "extract_main_text",
    "fetch_full_text",
]

log = logging.getLogger(__name__)

#: Longest text kept per article: enough for any news story; bounds the store and classifier.
MAX_TEXT_CHARS = 20_000
#: Shorter extractions are page furniture ("Forside" from a nav on a script-rendered page),
#: not a story: a sentence of body text is longer than this.
MIN_TEXT_CHARS = 40

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})

#: Browsers look for ``<meta charset>`` in the first 1024 bytes; CMS pages often put scripts and
#: styles first, so look a little further (still cheap, still only the head).
_META_SCAN_BYTES = 8192
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_LOOKS_LIKE_HTML = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)

#: trafilatura warns "discarding data: <url>" for pages it rejects; our own warning says the same
#: with the feed's name, so its per-page warnings are only noise (unless an operator set a level).
_trafilatura_log = logging.getLogger("trafilatura")
if _trafilatura_log.level == logging.NOTSET:
    _trafilatura_log.setLevel(logging.ERROR)

#: Trafilatura's defaults, read once (parsing its settings file per page would cost time).
_TRAFILATURA_CONFIG = use_config()


class PageManners:
    """What makes full-text fetching polite, shared by every page fetch of one client.

    robots.txt per site (cached for a day), one request at a time per site with a pause, and
    an optional bound on requests in flight overall (``slots``, taken only around a request,
    so items waiting for their site's turn do not hold other feeds' fetches).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        fetch_cfg: FetchConfig,
        *,
        slots: asyncio.Semaphore | None = None,
    ) -> None:
        self.robots = RobotsCache(client, fetch_cfg)
        self.pacer = HostPacer(fetch_cfg.page_pause)
        self.slots = slots
        self._disallowed_warned: set[str] = set()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self.slots is None:
            yield
        else:
            async with self.slots:
                yield

    def disallowed(self, source: str, origin: str, link: str, why: str) -> None:
        """Log a page robots.txt keeps us from: a warning once per site, then at debug level."""
        if origin in self._disallowed_warned:
            log.debug("%s: full text of %s not fetched: %s", source, link, why)
            return
        self._disallowed_warned.add(origin)
        log.warning(
            "%s: full text of %s not fetched: %s (further pages of %s: debug level)",
            source,
            link,
            why,
            origin,
        )


class _NotUsable(Exception):
    """The page was fetched but gives no text (not HTML, nothing extracted)."""


def meta_charset(raw: bytes) -> str | None:
    """The charset a ``<meta charset>`` or ``http-equiv`` Content-Type tag declares, or None."""
    m = _META_CHARSET.search(raw[:_META_SCAN_BYTES])
    return m.group(1).decode("ascii") if m else None


def decode_html(raw: bytes, content_type: str | None) -> str:
    """Decode a page: BOM, then the HTTP charset, then ``<meta charset>``, then sniffing.

    `decode_document` implements the BOM/HTTP/sniff chain (with windows-1252 for latin-1, and
    valid UTF-8 winning over a permissive declaration); the meta tag is offered as the
    declaration only when HTTP gives none, or when the HTTP charset does not fit the bytes.
    """
    header = charset_from_content_type(content_type)
    meta = meta_charset(raw)
    if header:
        doc = decode_document(raw, content_type=f"text/html; charset={header}")
        if doc.origin in ("http", "bom") or not meta:
            return doc.text
    if meta:
        return decode_document(raw, content_type=f"text/html; charset={meta}").text
    return decode_document(raw).text


def _is_html(content_type: str | None, raw: bytes) -> bool:
    if content_type:
        return content_type.split(";", 1)[0].strip().lower() in HTML_CONTENT_TYPES
    return bool(_LOOKS_LIKE_HTML.match(raw[:1024]))


def _cap(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - 200)
    return (cut[:space] if space > 0 else cut).rstrip()


def extract_main_text(html: str, url: str | None = None) -> str:
    """The article body of a decoded page as plain text ("" when nothing is found).

    Synchronous and CPU-bound: call it through `asyncio.to_thread` from async code.
    """
    text = trafilatura.extract(
        html,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        output_format="txt",
        config=_TRAFILATURA_CONFIG,
    )
    return (text or "").strip()


def _page_text(raw: bytes, content_type: str | None, url: str) -> str:
    """Decode and extract in one thread hop: both are CPU work on up to ``max_bytes``."""
    return _cap(extract_main_text(decode_html(raw, content_type), url))


def _page_link(article: Article) -> str | None:
    link = (article.link or "").strip()
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return link
    return None


async def _fetch_politely(
    client: httpx.AsyncClient,
    link: str,
    fetch_cfg: FetchConfig,
    source: str,
    manners: PageManners,
) -> FetchResponse | None:
    """The page, after its site's robots.txt and turn; None when robots.txt says no."""
    origin = origin_of(link)
    agent = manners.robots.agent
    async with manners.pacer.turn(origin) as turn:
        rules = manners.robots.cached(origin)
        if rules is None:
            async with turn.request(), manners.slot():
                rules = await manners.robots.load(origin, source=source)
        if not rules.allows(agent, link):
            why = "disallowed by robots.txt" if rules.parser else f"robots.txt: {rules.why}"
            manners.disallowed(source, origin, link, why)
            return None
        async with turn.request(rules.crawl_delay(agent)), manners.slot():
            return await fetch(client, link, source=source, fetch_cfg=fetch_cfg)


async def fetch_full_text(
    client: httpx.AsyncClient,
    article: Article,
    fetch_cfg: FetchConfig,
    *,
    source: str,
    refusals: RefusalLog | None = None,
    manners: PageManners | None = None,
) -> Article:
    """The article with ``text`` set to its page's main text, or unchanged on any failure.

    The extracted text replaces the feed's text only when it is longer (a feed that already
    has a lead keeps it when the page yields less). Never raises (except cancellation).
    Pass one ``manners`` for all pages of a client: without it, robots.txt is read anew.
    """
    link = _page_link(article)
    if link is None:
        log.debug("%s: no http(s) link for full text of %r", source, article.title[:80])
        return article
    manners = manners or PageManners(client, fetch_cfg)
    started = time.perf_counter()
    try:
        response = await _fetch_politely(client, link, fetch_cfg, source, manners)
        if response is None:
            return article
        if not _is_html(response.content_type, response.content):
            raise _NotUsable(f"not an HTML page ({response.content_type or 'no content type'})")
        text = await asyncio.to_thread(
            _page_text, response.content, response.content_type, response.url
        )
        if len(text) < MIN_TEXT_CHARS:
            raise _NotUsable(f"no main text found on the page ({len(text)} chars)")
    except RefusedFetchError as exc:
        (refusals or RefusalLog()).refused(source, "full text of", link, exc.reason)
        return article
    except FetchError as exc:
        log.warning("%s: full text of %s not fetched: %s", source, link, exc.reason)
        return article
    except _NotUsable as exc:
        log.warning("%s: full text of %s not used: %s", source, link, exc)
        return article
    except Exception as exc:  # an extractor bug must not lose the item
        log.warning("%s: full text of %s failed: %s: %s", source, link, type(exc).__name__, exc)
        return article
    if len(text) <= len(article.text):
        log.debug("%s: page text of %s is not longer than the feed's; kept", source, link)
        return article
    log.debug(
        "%s: full text of %s: %d chars in %.2fs",
        source,
        link,
        len(text),
        time.perf_counter() - started,
    )
    return dataclasses.replace(article, text=text)
