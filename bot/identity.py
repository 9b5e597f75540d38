"""Which entries of one feed document are distinct articles, and what each is known by.

Two items are the same article only when the evidence agrees. Real feeds break each single
piece of evidence:

* a guid identifies an item unless the feed gives one guid to items with different links
  (Dagbladet puts ``<guid>/a/</guid>`` on dozens of stories). Such a feed's guids are ignored
  from then on (`SourceState.guids_unreliable`): a later document holding only one ``/a/``
  item must not make it look like the last one;
* a link identifies an item unless, in the same document, items with different guids or
  titles share it (a blog linking its short posts to its own feed URL);
* a fragment (``25.html#a080631``) is part of the link where it is what tells the document's
  items apart; elsewhere the article is also known by the link without it, so the same article
  URL in two feeds is one article whatever anchor one of them adds.

Ids keep the previous release's form wherever that form was unambiguous (``guid:<source>:…``,
``link:<normalised link>``, ``hash:<source>:…``), so stores keep their ids across an upgrade.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.article import Article, article_id, content_hash, normalise_link

_SCHEME = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one entry of a feed document says about itself."""

    guid: str | None
    link: str | None
    title: str
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    id: str
    #: Normalised forms of the link the article is known by; empty when the link identifies
    #: nothing in its document.
    link_keys: tuple[str, ...]


@dataclass(slots=True)
class DocumentIdentities:
    #: One per entry, None for a repeat of an earlier entry of the document.
    identities: list[Identity | None]
    #: A guid the document gives to items with different links (None when guids agree).
    conflicting_guid: str | None = None

    @property
    def repeats(self) -> int:
        return sum(1 for i in self.identities if i is None)


def _conflicting_guid(entries: Sequence[Evidence], pages: Sequence[str | None]) -> str | None:
    """The first guid given to items on different pages. Pages compare without scheme and
    trailing slash: an item listed once as http and once as https is not a conflict, because
    the verdict is permanent for the feed. A fragment counts: posts of one page may share the
    page's guid."""
    pages_of: defaultdict[str, set[str]] = defaultdict(set)
    for entry, page in zip(entries, pages, strict=True):
        if entry.guid and page:
            pages_of[entry.guid].add(page)
    return next((guid for guid, found in pages_of.items() if len(found) > 1), None)


def identify(
    source: str, entries: Sequence[Evidence], *, trust_guids: bool = True
) -> DocumentIdentities:
    """The identity of each entry of one document of `source` (see the module docstring)."""
    full = [normalise_link(e.link, keep_fragment=True) if e.link else None for e in entries]
    bare = [normalise_link(e.link) if e.link else None for e in entries]
    pages = [_SCHEME.sub("", f).rstrip("/") if f else None for f in full]
    conflict = _conflicting_guid(entries, pages) if trust_guids else None
    use_guids = trust_guids and conflict is None

    # A link shared by items that differ in guid (or, without guids, in title) is no identity.
    claims: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    fragments: defaultdict[str, set[str]] = defaultdict(set)
    for entry, f, b in zip(entries, full, bare, strict=True):
        if f and b:
            claims[f].add(("guid", entry.guid) if entry.guid else ("title", entry.title))
            fragments[b].add(f)

    out: list[Identity | None] = []
    seen: set[str] = set()
    for entry, f, b in zip(entries, full, bare, strict=True):
        link_identifies = bool(f) and len(claims[f or ""]) == 1
        if use_guids and entry.guid:
            aid = f"guid:{source}:{entry.guid}"
        elif f and link_identifies:
            aid = f"link:{f}"
        elif f:
            stamp = entry.published.astimezone(UTC).isoformat() if entry.published else ""
            aid = f"hash:{source}:{content_hash(f, entry.guid or '', entry.title, stamp)}"
        else:
            aid = article_id(source, title=entry.title, published=entry.published)
        keys: tuple[str, ...] = ()
        if f and b and link_identifies:
            keys = (f,) if b == f or len(fragments[b]) > 1 else (f, b)
        if aid in seen:
            out.append(None)
            continue
        seen.add(aid)
        out.append(Identity(aid, keys))
    return DocumentIdentities(out, conflict)


def link_keys(article: Article) -> tuple[str, ...]:
    """The forms of the article's link it is known by in the store."""
    if article.link_keys is not None:
        return article.link_keys
    if not article.link:
        return ()
    full = normalise_link(article.link, keep_fragment=True)
    bare = normalise_link(article.link)
    return (full,) if full == bare else (full, bare)


def stored_link(article: Article) -> str | None:
    """The normalised link kept with the article (fragment and all)."""
    return normalise_link(article.link, keep_fragment=True) if article.link else None
