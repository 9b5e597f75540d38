from __future__ import annotations

from datetime import UTC, datetime

from bot.article import article_id, normalise_link


def test_id_chain_prefers_guid_then_link_then_hash() -> None:
    assert article_id("DR", guid="urn:dr:1", link="https://dr.dk/a") == "guid:DR:urn:dr:1"
    assert article_id("DR", guid="  ", link="https://DR.dk/a#top") == "link:https://dr.dk/a"
    h1 = article_id("DR", title="Nato mødes", published=datetime(2026, 1, 1, tzinfo=UTC))
    h2 = article_id("DR", title="Nato mødes", published=datetime(2026, 1, 2, tzinfo=UTC))
    assert h1.startswith("hash:DR:") and h1 != h2
    assert h1 == article_id("DR", title=" Nato mødes ", published=datetime(2026, 1, 1, tzinfo=UTC))


def test_link_normalisation() -> None:
    assert (
        normalise_link("HTTPS://Www.DR.dk:443/nyheder/a?utm_source=x&id=3&fbclid=y#kommentarer")
        == "https://www.dr.dk/nyheder/a?id=3"
    )
    assert normalise_link("http://politiken.dk:8080/x") == "http://politiken.dk:8080/x"
    assert normalise_link("not a url") == "not a url"
