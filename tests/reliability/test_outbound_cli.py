"""The outbound checks as an operator sees them: `topicbot once` in a subprocess.

A feed whose item points at an internal page, a feed that redirects to an internal feed, and a
site whose robots.txt forbids its article pages, all on loopback stand-ins.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot import exitcodes
from bot.store import Store
from tests.configs import run_bot, write_keyword_config
from tests.standins.feed_server import FeedServer
from tests.standins.feeds import rss20

SECRET = "SECRET-TOKEN-4711"
PAGE = (
    "<!DOCTYPE html><html><body><article><h1>Intern</h1>"
    + f"<p>Hemmeligheden {SECRET} står her, i intranettets driftsvejledning.</p>" * 4
    + "</article></body></html>"
).encode()


def _once(tmp_path: Path, name: str, feeds: str, allow: bool) -> subprocess.CompletedProcess[str]:
    config = write_keyword_config(
        tmp_path / f"{name}.yaml",
        feeds=feeds,
        fetch={
            "total_timeout": "2s",
            "read_timeout": "1s",
            "connect_timeout": "1s",
            "page_pause": 0,
            "allow_private_networks": allow,
        },
        storage={"path": f"{name}.sqlite3"},
    )
    return run_bot("once", "--config", str(config))


def test_internal_page_internal_redirect_and_robots_through_topicbot_once(tmp_path: Path) -> None:
    with FeedServer() as outlet:
        outlet.add("/page.html", PAGE, content_type="text/html")
        outlet.add(
            "/feed.xml",
            rss20(
                [("u1", outlet.url("/page.html"), "Nato samles i Vilnius")],
                description="Nato-landene mødes; kort manchet fra feedet.",
            ),
        )
        outlet.add("/intern.xml", rss20([("i1", None, f"Nato intern: {SECRET}")]))
        outlet.redirect("/moved.xml", "/intern.xml")
        run = _once(
            tmp_path,
            "policy",
            f"  - name: Udefra\n    url: {outlet.url('/feed.xml')}\n    full_text: true\n"
            f"  - name: Omdirigeret\n    url: {outlet.url('/moved.xml')}\n",
            allow=False,
        )
        assert run.returncode == exitcodes.OK, run.stderr
        assert outlet.stats("/page.html").requests == 0
        assert outlet.stats("/intern.xml").requests == 0
        assert SECRET not in run.stdout + run.stderr
        assert "Nato samles i Vilnius" in run.stdout  # alerted on its feed text
        with Store.open(tmp_path / "policy.sqlite3") as store:
            (article,) = store.iter_articles()
        assert article.text == "Nato-landene mødes; kort manchet fra feedet."
        assert "Udefra: full text of " + outlet.url("/page.html") in run.stderr
        assert "feed 'Omdirigeret' failed" in run.stderr
        assert run.stderr.count("refused: 127.0.0.1 is a loopback address") == 2

    # A site on loopback (so reachable only with the address check lifted) whose robots.txt
    # forbids its article pages: robots.txt is read once, no page is fetched.
    with FeedServer() as site:
        site.add("/robots.txt", b"User-agent: *\nDisallow: /nyheder/\n", content_type="text/plain")
        links = [site.url(f"/nyheder/{i}") for i in (1, 2)]
        for link in links:
            site.add(link.removeprefix(site.base_url), PAGE, content_type="text/html")
        site.add(
            "/feed.xml",
            rss20(
                [(f"r{i}", link, f"Nato nyhed {i}") for i, link in enumerate(links)],
                description="Nato-manchet fra feedet.",
            ),
        )
        run = _once(
            tmp_path,
            "robots",
            f"  - name: Robotter\n    url: {site.url('/feed.xml')}\n    full_text: true\n",
            allow=True,
        )
        assert run.returncode == exitcodes.OK, run.stderr
        assert site.stats("/robots.txt").requests == 1
        assert [site.stats(f"/nyheder/{i}").requests for i in (1, 2)] == [0, 0]
        assert "disallowed by robots.txt" in run.stderr
        assert "Nato nyhed 0" in run.stdout and "Nato nyhed 1" in run.stdout
        assert SECRET not in run.stdout
