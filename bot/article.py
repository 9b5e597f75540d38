"""The normalised article every source yields, and its stable identity.

Identity follows rss2email's chain: feed guid, else the normalised link, else a hash of
title + date. It must not change between polls of the same item, or subscribers would be
alerted twice. Which of these evidences a feed document's items can be told apart by is
decided in `bot.identity`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from classifiers.base import Document, published_day

_TRACKING_PREFIXES = ("utm_",)
_TRACKING_KEYS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref_src", "xtor"})


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Article:
    """One news item, whatever its source."""

    id: str
    source: str
    title: str
    text: str = ""
    link: str | None = None
    published: datetime | None = None
    fetched_at: datetime = field(default_factory=utcnow)
    #: Hash of the content; a folder file edited in place gets a new version.
    version: str = ""
    #: ISO 639-1 code identified at classification (`classifiers.language`); None before.
    language: str | None = None
    #: The feed's guid for the item, whether or not it identifies the item.
    guid: str | None = None
    #: Normalised forms of `link` under which the article is known (`bot.identity`); empty
    #: when its link tells nothing apart, None to derive them from `link`.
    link_keys: tuple[str, ...] | None = None

    def document(self, language: str | None = None) -> Document:
        """What the classifier sees of this article, dated by the day it was published or,
        undated, fetched: keywords valid only until or from a day (`topics[].until`,
        `since`) must be judged alike when it is alerted on and when it is retrained on."""
        day = published_day(self.published or self.fetched_at)
        return Document(self.title, self.text, language, day)


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:32]


def _is_tracking(key: str) -> bool:
    return key.lower().startswith(_TRACKING_PREFIXES) or key.lower() in _TRACKING_KEYS


def normalise_link(url: str, *, keep_fragment: bool = False) -> str:
    """Make equal links compare equal: case of scheme/host, tracking parameters, fragments.

    With `keep_fragment` the fragment stays unless it is tracking (``#xtor=RSS-3``): it may be
    what tells one post of a page from the next (``25.html#a080631``).
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.hostname or ""
    if parts.port and not (
        (parts.scheme.lower() == "http" and parts.port == 80)
        or (parts.scheme.lower() == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    path = parts.path or "/"
    fragment = parts.fragment if keep_fragment else ""
    if fragment and "=" in fragment:
        pairs = parse_qsl(fragment, keep_blank_values=True)
        if pairs and all(_is_tracking(k) for k, _ in pairs):
            fragment = ""
    return urlunsplit((parts.scheme.lower(), host.lower(), path, urlencode(query), fragment))


def article_id(
    source: str,
    *,
    guid: str | None = None,
    link: str | None = None,
    title: str = "",
    published: datetime | None = None,
) -> str:
    """Stable id: guid, else normalised link, else hash of title + date.

    Guids are only unique within a feed, so they are namespaced by the source; links are global
    (the same URL in two feeds is one article).
    """
    if guid and guid.strip():
        return f"guid:{source}:{guid.strip()}"
    if link and link.strip():
        return f"link:{normalise_link(link)}"
    stamp = published.astimezone(UTC).isoformat() if published else ""
    return f"hash:{source}:{content_hash(title.strip(), stamp)}"
