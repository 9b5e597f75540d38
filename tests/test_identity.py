"""The identity rule (`bot.identity`) and how the store applies it across polls and feeds."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.article import Article, normalise_link
from bot.identity import Evidence, identify
from bot.store import Store

WHEN = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _ids(source: str, entries: list[Evidence], **kw: bool) -> list[str | None]:
    return [i.id if i else None for i in identify(source, entries, **kw).identities]


def _articles(source: str, entries: list[Evidence], **kw: bool) -> list[Article]:
    ids = identify(source, entries, **kw).identities
    return [
        Article(i.id, source, e.title, link=e.link, guid=e.guid, link_keys=i.link_keys)
        for e, i in zip(entries, ids, strict=True)
        if i
    ]


def test_a_guid_given_to_different_links_is_no_identity() -> None:
    entries = [
        Evidence("/a/", "https://x.example/1", "Et"),
        Evidence("/a/", "https://x.example/2", "To"),
        Evidence("/a/", "https://x.example/2", "To, ny rubrik"),  # same guid, same link: one
        Evidence("urn:3", "https://x.example/3", "Tre"),
    ]
    doc = identify("X", entries)
    assert doc.conflicting_guid == "/a/"
    assert _ids("X", entries) == [
        "link:https://x.example/1",
        "link:https://x.example/2",
        None,
        "link:https://x.example/3",  # the whole feed falls back to links
    ]
    # Remembered per feed: a later document showing no conflict is still read by link.
    later = identify("X", entries[:1], trust_guids=False)
    assert later.conflicting_guid is None
    assert [i.id for i in later.identities if i] == ["link:https://x.example/1"]
    assert _ids("X", entries[:1]) == ["guid:X:/a/"]
    # One item listed twice, once as http and once as https: no conflict, a verdict that
    # changes the feed's identities for good needs different pages.
    twice = [
        Evidence("urn:5", "http://x.example/5", "Fem"),
        Evidence("urn:5", "https://x.example/5/", "Fem"),
    ]
    assert identify("X", twice).conflicting_guid is None
    assert _ids("X", twice) == ["guid:X:urn:5", None]
    # Posts of one page told apart by their anchor, all with the page as guid: a conflict.
    page = "https://log.example/2026/01/05.html"
    posts = [Evidence(page, f"{page}#a1", "Morgen"), Evidence(page, f"{page}#a2", "Aften")]
    assert identify("L", posts).conflicting_guid == page
    assert _ids("L", posts) == [f"link:{page}#a1", f"link:{page}#a2"]


def test_a_link_shared_by_different_items_is_no_identity() -> None:
    own = "https://blog.example/feed.atom"
    with_guids = [Evidence("p=1", own, "Kort nyt"), Evidence("p=2", own, "Andet kort nyt")]
    doc = identify("B", with_guids)
    assert [i.id for i in doc.identities if i] == ["guid:B:p=1", "guid:B:p=2"]
    assert all(i.link_keys == () for i in doc.identities if i)
    without = [Evidence(None, own, "Kort nyt"), Evidence(None, own, "Andet kort nyt")]
    ids = _ids("B", without)
    assert None not in ids and len(set(ids)) == 2 and all(str(i).startswith("hash:B:") for i in ids)
    # The same item twice (no guid, same link, same title) is one.
    assert _ids("B", [without[0], without[0]])[1] is None


def test_a_fragment_counts_where_it_tells_items_apart() -> None:
    page = "https://log.example/2026/01/05.html"
    posts = [Evidence(None, f"{page}#a1", "Morgen"), Evidence(None, f"{page}#a2", "Aften")]
    doc = identify("L", posts)
    assert [i.id for i in doc.identities if i] == [f"link:{page}#a1", f"link:{page}#a2"]
    assert [i.link_keys for i in doc.identities if i] == [(f"{page}#a1",), (f"{page}#a2",)]
    alone = identify("L", posts[:1]).identities[0]
    assert alone is not None and alone.link_keys == (f"{page}#a1", page)
    assert normalise_link(f"{page}#xtor=RSS-3", keep_fragment=True) == page


def test_store_applies_the_rule_across_polls_and_feeds(tmp_path: object) -> None:
    store = Store.open(":memory:")
    page = "https://log.example/2026/01/05.html"
    # Posts told apart by their fragment; later documents hold one post of the page at a time.
    first = _articles("L", [Evidence(None, f"{page}#a1", "Et"), Evidence(None, f"{page}#a2", "To")])
    assert len(store.record_articles(first)) == 2
    assert store.record_articles(_articles("L", [Evidence(None, f"{page}#a2", "To")])) == []
    third = store.record_articles(_articles("L", [Evidence(None, f"{page}#a3", "Tre")]))
    assert [a.title for a in third] == ["Tre"]

    # A feed's short posts link to its own URL: a new guid there is a new item, not a repeat.
    own = "https://blog.example/feed.atom"
    assert len(store.record_articles(_articles("B", [Evidence("p=1", own, "Kort nyt")]))) == 1
    assert len(store.record_articles(_articles("B", [Evidence("p=2", own, "Mere nyt")]))) == 1
    assert store.record_articles(_articles("B", [Evidence("p=2", own, "Mere nyt")])) == []

    # The same article URL in another feed is the same article, with or without an anchor.
    story = "https://avis.example/nyheder/1"
    assert len(store.record_articles(_articles("A", [Evidence("urn:1", story, "Nyhed")]))) == 1
    other = _articles("C", [Evidence("c-77", f"{story}#kommentarer", "Nyhed")])
    assert store.record_articles(other) == []
