"""Feed documents for tests and benchmarks, in the shapes Danish outlets serve.

One builder, so every test speaks the same RSS: DR's shape by default (CDATA titles, urn
guids, no description: DR's feeds carry headlines only).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Sequence


def rfc822(when: float | None = None) -> str:
    """An RSS pubDate (``Fri, 27 Nov 2026 08:00:00 GMT``); now by default."""
    return email.utils.formatdate(when if when is not None else time.time(), usegmt=True)


def rss20(
    items: Sequence[tuple[str | None, str | None, str]],
    *,
    encoding: str = "utf-8",
    declare: bool = True,
    date: str | None = None,
    description: str | None = None,
    channel: str = "Nyheder",
) -> bytes:
    """RSS 2.0; items are (guid, link, title), None leaves the element out.

    `date` ("" for none) is every item's pubDate (now by default); `description`, when given,
    is every item's description.
    """
    date = date if date is not None else rfc822()
    body = ""
    for guid, link, title in items:
        body += f"<item><title><![CDATA[{title}]]></title>"
        if link is not None:
            body += f"<link>{link}</link>"
        if guid is not None:
            body += f'<guid isPermaLink="false">{guid}</guid>'
        if date:
            body += f"<pubDate>{date}</pubDate>"
        if description is not None:
            body += f"<description>{description}</description>"
        body += "</item>"
    decl = f'<?xml version="1.0" encoding="{encoding}"?>' if declare else ""
    doc = (
        f'{decl}<rss version="2.0"><channel><title>{channel}</title>'
        f"<link>https://www.dr.dk/</link>{body}</channel></rss>"
    )
    return doc.encode(encoding)
