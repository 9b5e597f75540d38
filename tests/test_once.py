"""The whole path on real parts: loopback feeds and a text folder → SQLite → console alerts."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import Store
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20


def rss(items: list[tuple[str, str, str]], encoding: str = "utf-8") -> bytes:
    """RSS 2.0 in DR's format: CDATA titles, urn guids, no description."""
    assert all(date == NOW for _, _, date in items)
    return rss20(
        [(f"urn:dr:umbraco:article:{g}", f"https://www.dr.dk/nyheder/{g}", t) for g, t, _ in items],
        encoding=encoding,
        date=NOW,
        channel="Seneste nyt",
    )


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>TV 2</title><id>urn:tv2</id>
<updated>2026-11-27T08:00:00Z</updated>
<entry><title>Smitten med covid-19 stiger igen på plejehjemmene</title>
<id>urn:tv2:1</id><link href="https://nyheder.tv2.dk/1"/><updated>2026-11-27T08:00:00Z</updated>
<summary>Sundhedsstyrelsen anbefaler et nyt vaccinestik til de ældste.</summary></entry>
</feed>""".encode()

NOW = "Fri, 27 Nov 2026 08:00:00 GMT"

CONFIG = """\
topics:
  - id: NATO
    name: {{da: NATO, en: NATO}}
    keywords: [nato, stoltenberg]
  - id: COVID-19
    name: {{da: Covid-19, en: COVID-19}}
    keywords: ["covid*", "corona*"]
    exclude: [corona-øl]
  - id: Afghanistan
    name: {{da: Afghanistan, en: Afghanistan}}
    keywords: ["afghanistan*", "taliban*", kabul]
feeds:
{feeds}
folders:
  - name: indbakke
    path: {folder}
fetch:
  total_timeout: 2s
  read_timeout: 1s
storage:
  {storage}
classifier:
  mode: keywords
alerts:
  alert_on_first_poll: {first}
  max_age: 3650d
"""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        s.add(
            "/dr.xml",
            rss([("a1", "Nato-landene øger forsvarsbudgetterne", NOW), ("a2", "Vejret", NOW)]),
            etag=True,
        )
        s.add("/tv2.xml", ATOM, content_type="application/atom+xml", last_modified=True)
        s.add(
            "/latin1.xml",
            rss([("l1", "Taliban indtager Kabul: æøå ÆØÅ", NOW)], encoding="iso-8859-1"),
            content_type="application/rss+xml",
        )
        s.error("/broken500.xml", 500)
        s.add("/html.xml", b"<html><body><h1>Forside</h1></body></html>", content_type="text/html")
        # A byte every 0.25 s: always within the 1 s read timeout, so the 2 s total deadline
        # is what stops it (a byte a second raced the read timeout on a loaded machine).
        s.add("/slow.xml", rss([("s1", "Nato langsom", NOW)]), trickle=0.25)
        yield s


def drop(folder: Path, name: str, text: str) -> None:
    """A file dropped a while ago (fresh files wait a second in case they are still written)."""
    (folder / name).write_text(text, encoding="utf-8")
    os.utime(folder / name, (time.time() - 10, time.time() - 10))


def write_config(
    tmp_path: Path, server: FeedServer, *, first: bool, store_url: str | None = None
) -> Path:
    """`store_url`: a PostgreSQL database instead of the SQLite file in `tmp_path`."""
    feeds = "\n".join(
        f"  - name: {name}\n    url: {server.url(path)}"
        for name, path in [
            ("DR", "/dr.xml"),
            ("TV 2", "/tv2.xml"),
            ("Latin", "/latin1.xml"),
            ("Broken", "/broken500.xml"),
            ("Html", "/html.xml"),
            ("Slow", "/slow.xml"),
        ]
    )
    folder = tmp_path / "indbakke"
    folder.mkdir(exist_ok=True)
    path = tmp_path / "config.yaml"
    path.write_text(
        CONFIG.format(
            feeds=feeds,
            folder=folder,
            storage=f"url: {store_url}" if store_url else f"path: {tmp_path / 't.sqlite3'}",
            first=str(first),
        )
    )
    return path


def alerts(out: str) -> list[str]:
    """Titles of the console alerts (the line after each topic banner)."""
    lines = out.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines) if line.startswith("━━ ")]


def test_once_twice_alerts_each_article_once(
    tmp_path: Path,
    store_url: str,
    server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = store_url if store_url.startswith("postgresql://") else None
    config = write_config(tmp_path, server, first=True, store_url=url)
    drop(
        tmp_path / "indbakke", "a.txt", " date 2021-08 Taliban rykker ind i Kabul. Vestlige lande."
    )
    assert main(["once", "--config", str(config)]) == 0
    got = alerts(capsys.readouterr().out)
    assert sorted(got) == sorted(
        [
            "Nato-landene øger forsvarsbudgetterne",
            "Smitten med covid-19 stiger igen på plejehjemmene",
            "Taliban indtager Kabul: æøå ÆØÅ",
            "Taliban rykker ind i Kabul.",
        ]
    )
    # Each bad feed failed alone, named, with its reason.
    log = caplog.text
    assert "'Broken' failed" in log and "HTTP 500" in log
    assert "'Html' failed" in log and "HTML" in log
    assert "'Slow' failed" in log and "timed out" in log

    # Restart: the same inputs send nothing, and unchanged feeds cost no parsing.
    assert main(["once", "--config", str(config)]) == 0
    assert alerts(capsys.readouterr().out) == []
    assert server.stats("/dr.xml").not_modified == 1
    assert server.stats("/tv2.xml").not_modified == 1

    # A new item is alerted, alone.
    server.set_body(
        "/dr.xml",
        rss([("a3", "Stoltenberg: Alliancen står sammen", NOW), ("a1", "Nato-landene øger", NOW)]),
    )
    assert main(["once", "--config", str(config), "--strict"]) == 1  # bad feeds → strict fails
    assert alerts(capsys.readouterr().out) == ["Stoltenberg: Alliancen står sammen"]


def test_first_poll_of_a_feed_is_recorded_without_alerts(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server, first=False)
    assert main(["once", "--config", str(config)]) == 0
    assert alerts(capsys.readouterr().out) == []
    with Store.open(tmp_path / "t.sqlite3") as store:  # the backlog is recorded, not classified
        backlog = list(store.iter_articles())
        assert backlog and store.unprocessed_articles() == []
        assert all(store.article_topics(a.id) == [] for a in backlog)
    server.set_body("/dr.xml", rss([("a9", "Nato holder topmøde i Vilnius", NOW)]))
    assert main(["once", "--config", str(config)]) == 0
    assert alerts(capsys.readouterr().out) == ["Nato holder topmøde i Vilnius"]


def test_seed_document_becomes_one_article_with_three_topics(
    tmp_path: Path, server: FeedServer, seed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server, first=False)
    drop(tmp_path / "indbakke", seed_file.name, seed_file.read_text(encoding="utf-8"))
    assert main(["once", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "━━ NATO · Covid-19 · Afghanistan ━━" in out
    with Store.open(tmp_path / "t.sqlite3") as store:
        (article,) = [a for a in store.iter_articles() if a.source == "indbakke"]
        assert article.published is not None and article.published.strftime("%Y-%m") == "2020-04"
        matched = {s.topic for s in store.article_topics(article.id) if s.matched}
        assert matched == {"NATO", "COVID-19", "Afghanistan"}


def test_articles_are_dated_for_keywords_valid_until_a_day(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pipeline hands the classifier each article's day: a name that was a keyword in
    2023 is none in 2025 (`topics[].until`)."""
    config = write_config(tmp_path, server, first=False)
    config.write_text(
        config.read_text().replace(
            "keywords: [nato, stoltenberg]",
            "keywords: [nato, stoltenberg]\n    until: {stoltenberg: 2024-09-30}",
        )
    )
    folder = tmp_path / "indbakke"
    drop(folder, "a.txt", " date 2023-06 Stoltenberg holder tale i Vilnius om Ukraine.")
    drop(folder, "b.txt", " date 2025-10 Stoltenberg fremlægger Norges budget i Stortinget.")
    assert main(["once", "--config", str(config)]) == 0
    titles = alerts(capsys.readouterr().out)
    assert any("Vilnius" in t for t in titles)
    assert not any("budget" in t for t in titles)
