"""RSS/Atom feeds: fetch, decode, parse with feedparser, and normalise entries to `Article`s.

Why the care:

* feedparser gets BYTES wrapped in a stream, never a str or URL: given bytes it first tries them
  as a *file name*, and given a URL it would do its own unbounded HTTP. The charset is decided by
  `bot.sources.encoding` (feedparser's RFC 3023 rules trust lying servers), so feedparser
  decodes exactly once, as UTF-8.
* Feeds are messy: a malformed feed that still yields entries is used (with a warning), one that
  yields nothing is a `ParseError` with a reason an operator can act on ("not a feed: looks like
  an HTML page"), because `/status` shows it verbatim.
* Titles and text reach the classifier and Telegram, so they are plain text
  (`bot.sources.plaintext`).
* `poll_feed` never raises for a feed's problems: one bad outlet must not stop the others.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from bot.article import Article, content_hash, utcnow
from bot.config import FeedConfig, FetchConfig
from bot.errors import ParseError, SourceError
from bot.identity import Evidence, identify
from bot.sources.base import PollOutcome, SourceState
from bot.sources.encoding import UTF8_XML_CONTENT_TYPE, decode_document
from bot.sources.fetcher import HTTPStatusFetchError, fetch
from bot.sources.plaintext import clean_text, plain_text, shorten, without_control
from bot.sources.relocation import forget_if_reconfigured, mark_gone, remember_move

__all__ = ["ParsedFeed", "parse_feed", "poll_feed"]

log = logging.getLogger(__name__)

MAX_TITLE = 500
#: The classifier reads the lead; a feed embedding whole articles must not bloat the store.
MAX_TEXT = 20_000
#: Title made from the text when an entry has none.
DERIVED_TITLE = 120

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HTML_START = re.compile(
    # The root element, not the doctype: feeds with a copied XHTML doctype exist.
    r"^(?:\s|<\?xml[^>]*>|<!--.*?-->|<!doctype[^>]*>)*<(?:html|head|body)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(slots=True)
class ParsedFeed:
    """Articles of one document, plus problems that did not stop the parse."""

    articles: list[Article]
    warnings: list[str] = field(default_factory=list)
    #: feedparser's format name (``rss20``, ``atom10``, ``rss10`` …), "" when unknown.
    format: str = ""
    title: str = ""
    #: A guid this document gives to items with different links: the feed's guids are no
    #: identity (`bot.identity`). None when they agree or were not trusted anyway.
    conflicting_guid: str | None = None


def _published(entry: Mapping[str, Any], fetched_at: datetime) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get would map a missing updated_parsed to published_parsed
        # (with a DeprecationWarning).
        st = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if not isinstance(st, time.struct_time | tuple) or len(st) < 6:
            continue
        try:
            year, month, day, hour, minute, second = st[:6]
            when = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except (TypeError, ValueError, OverflowError):
            continue
        # Year 0/1900 placeholders and far-future typos are not dates worth filtering on.
        if when.year < 1970 or when > fetched_at + timedelta(days=366):
            continue
        return when
    return None


def _link(entry: Mapping[str, Any], base_url: str) -> str | None:
    link = entry.get("link")
    if not isinstance(link, str) or not link.strip():
        return None
    if link == entry.get("id") and not re.match(r"^\s*https?://", link, re.IGNORECASE):
        return None  # feedparser copied a non-URL guid ("abc-1") into the link
    link = without_control(link).strip()
    try:
        resolved = urljoin(base_url, link) if base_url else link
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return resolved


def _entry_text(entry: Mapping[str, Any]) -> str:
    summary_detail = entry.get("summary_detail") or {}
    summary = plain_text(entry.get("summary"), summary_detail.get("type"))
    content = ""
    for part in entry.get("content") or ():
        candidate = plain_text(part.get("value"), part.get("type"))
        if len(candidate) > len(content):
            content = candidate
    return content if len(content) > len(summary) else summary


def _bozo_message(exc: object) -> str:
    text = str(exc).strip() or type(exc).__name__
    m = re.match(r"^<unknown>:(\d+):(\d+):\s*(.*)$", text)
    if m:
        return f"{m.group(3)} (line {m.group(1)}, column {m.group(2)})"
    return text


def parse_feed(
    raw: bytes,
    *,
    source: str,
    headers: Mapping[str, str] | None = None,
    charset_override: str | None = None,
    base_url: str = "",
    fetched_at: datetime | None = None,
    trust_guids: bool = True,
) -> ParsedFeed:
    """Turn a fetched document into articles; raise `ParseError` when it is not a usable feed.

    `trust_guids` is False for a feed known to give one guid to different items: its items
    are then told apart by link. CPU-bound (feedparser is pure Python): call it via
    `asyncio.to_thread` from async code.
    """
    fetched_at = fetched_at or utcnow()
    if not raw.strip():
        raise ParseError(source, "empty response")
    content_type = None
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            content_type = value
    decoded = decode_document(raw, content_type=content_type, override=charset_override)
    warnings = list(decoded.warnings)
    text = decoded.text
    if not text.strip("\ufeff \t\r\n"):
        raise ParseError(source, "empty response")
    if _HTML_START.match(text[:4096].lstrip("\ufeff")):
        raise ParseError(source, "not a feed: looks like an HTML page")
    illegal = len(_XML_ILLEGAL.findall(text))
    if illegal:
        # One stray control character would make the strict XML parser give up on the document.
        warnings.append(f"removed {illegal} control character(s) not allowed in XML")
        text = _XML_ILLEGAL.sub("", text)
    data = replace(decoded, text=text).utf8_xml()
    # No Content-Location: feedparser would resolve non-URL guids ("abc-1") against it, and
    # ids would then change whenever the feed's URL does. Links are resolved in `_link`.
    result = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": UTF8_XML_CONTENT_TYPE},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    entries = result.get("entries") or []
    bozo = result.get("bozo_exception") if result.get("bozo") else None
    fmt = result.get("version") or ""
    if not entries:
        if not fmt and re.search(r"<(?:html|body)[\s>]|<!doctype\s+html", text[:4096], re.I):
            raise ParseError(source, "not a feed: looks like an HTML page")
        if bozo is not None:
            raise ParseError(source, f"no entries: {_bozo_message(bozo)}")
        if not fmt:
            raise ParseError(source, "not a feed: no RSS, Atom or RDF document found")
    elif bozo is not None:
        warnings.append(f"malformed feed, parsed anyway: {_bozo_message(bozo)}")

    kept: list[tuple[str, str, str | None, datetime | None, str | None]] = []
    empty = 0
    for entry in entries:
        title_detail = entry.get("title_detail") or {}
        title = plain_text(entry.get("title"), title_detail.get("type"))
        body = shorten(_entry_text(entry), MAX_TEXT)
        if not title and not body:
            empty += 1
            continue
        title = shorten(title or body, DERIVED_TITLE if not title else MAX_TITLE)
        guid = entry.get("id") if isinstance(entry.get("id"), str) else None
        guid = clean_text(guid) if guid else None
        kept.append((title, body, _link(entry, base_url), _published(entry, fetched_at), guid))
    ids = identify(
        source,
        [Evidence(guid or None, link, title, when) for title, _, link, when, guid in kept],
        trust_guids=trust_guids,
    )
    articles = [
        Article(
            id=identity.id,
            source=source,
            title=title,
            text=body,
            link=link,
            published=published,
            fetched_at=fetched_at,
            version=content_hash(title, body),
            guid=guid or None,
            link_keys=identity.link_keys,
        )
        for (title, body, link, published, guid), identity in zip(kept, ids.identities, strict=True)
        if identity is not None
    ]
    duplicates = ids.repeats
    if not articles and bozo is not None:
        # Broken XML whose only "entries" are fragments: nothing usable, so a failure.
        raise ParseError(source, f"no entries: {_bozo_message(bozo)}")
    if empty:
        warnings.append(f"skipped {empty} entr{'y' if empty == 1 else 'ies'} without title or text")
    if duplicates:
        warnings.append(f"collapsed {duplicates} duplicate entr{'y' if duplicates == 1 else 'ies'}")
    feed_title = plain_text(result.get("feed", {}).get("title"), None)
    return ParsedFeed(articles, warnings, fmt, feed_title, ids.conflicting_guid)


def human_duration(seconds: float) -> str:
    """``1200`` → ``20m``, ``3900`` → ``1h5m``, ``45`` → ``45s``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m{secs}s" if secs else f"{minutes}m"
    return f"{secs}s"


async def poll_feed(
    client: httpx.AsyncClient,
    feed: FeedConfig,
    fetch_cfg: FetchConfig,
    state: SourceState,
    *,
    now: datetime | None = None,
    cold_parser: Callable[..., Awaitable[ParsedFeed]] | None = None,
) -> PollOutcome:
    """Poll one feed once and return its articles and new state; never raises for the feed.

    `cold_parser` parses the document of a feed never polled before (a worker process:
    `bot.sources.parse_pool`); other documents parse in a thread.

    Skips while backing off (``state.next_attempt`` in the future). Sends the stored
    validators, so an unchanged feed costs a 304 and no parsing.
    """
    now = now or utcnow()
    name = feed.name
    state = forget_if_reconfigured(name, feed.url, state)
    if state.gone(feed.url):
        return PollOutcome(source=name, state=state, skipped=True, gone=True)
    if state.next_attempt is not None and state.next_attempt > now:
        return PollOutcome(source=name, state=state, skipped=True)
    retry_after: float | None = None
    url = state.poll_url(feed.url)
    try:
        response = await fetch(
            client,
            url,
            source=name,
            fetch_cfg=fetch_cfg,
            etag=state.etag,
            last_modified=state.last_modified,
            # Only the URL written in config.yaml is the operator's choice.
            operator_url=url == feed.url,
        )
        if response.moved_to:
            state = remember_move(name, feed.url, state, response.moved_to)
        if response.not_modified:
            log.debug("feed %r: not modified", name)
            new_state = state.succeeded(
                now,
                state.last_items,
                etag=response.etag or state.etag,
                last_modified=response.last_modified or state.last_modified,
            )
            return PollOutcome(source=name, state=new_state, not_modified=True)
        parse_args: dict[str, Any] = {
            "source": name,
            "headers": dict(response.headers),
            "charset_override": feed.charset,
            "base_url": response.url,
            "fetched_at": now,
            "trust_guids": not state.guids_unreliable,
        }
        if cold_parser is not None and not state.polled_before:
            parsed = await cold_parser(response.content, **parse_args)
        else:
            parsed = await asyncio.to_thread(parse_feed, response.content, **parse_args)
    except SourceError as exc:
        error: SourceError = exc
        retry_after = getattr(exc, "retry_after", None)
    except Exception as exc:  # a feedparser or decoder bug must not take the poller down
        log.exception("feed %r: unexpected error", name)
        error = ParseError(name, f"unexpected {type(exc).__name__}: {exc}")
    else:
        new_state = state.succeeded(
            now,
            len(parsed.articles),
            etag=response.etag,
            last_modified=response.last_modified,
            polled_before=True,
        )
        if parsed.conflicting_guid is not None:
            log.warning(
                "feed %r gives one guid (%r) to items with different links; its items are "
                "told apart by their links from now on",
                name,
                parsed.conflicting_guid,
            )
            new_state = replace(new_state, guids_unreliable=True)
        if state.failures:
            log.info("feed %r recovered after %d failed attempt(s)", name, state.failures)
        log.info(
            "feed %r: %d item(s)%s",
            name,
            len(parsed.articles),
            f"; {'; '.join(parsed.warnings)}" if parsed.warnings else "",
        )
        return PollOutcome(
            source=name, state=new_state, articles=parsed.articles, warnings=parsed.warnings
        )

    if isinstance(error, HTTPStatusFetchError) and error.status == 410:
        state = mark_gone(name, url, state, now)
    new_state = state.failed(
        now,
        error.reason,
        interval=feed.interval,
        max_backoff=fetch_cfg.max_backoff,
        retry_after=retry_after,
    )
    wait = (new_state.next_attempt - now).total_seconds() if new_state.next_attempt else 0.0
    log.warning(
        "feed %r failed (attempt %d, next try in %s): %s",
        name,
        new_state.failures,
        human_duration(wait),
        error.reason,
    )
    return PollOutcome(source=name, state=new_state, error=error)
