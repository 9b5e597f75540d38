"""Feeds that move or end, handled as feed readers do.

* ``301``/``308`` (permanent) while polling: the new URL is remembered in the feed's state and
  polled from then on; logged once, and ``topicbot feeds list`` shows it with a hint to update
  config.yaml. A temporary redirect (302/307) is followed each time and not remembered.
* ``410 Gone``: the feed is not polled again (a warning says so, ``feeds list`` too).

Both are remembered *for the URL written in config.yaml*: when the operator changes that URL,
the memory no longer applies and is dropped, so editing the file is always the way out.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

import httpx

from bot.sources.base import SourceState

__all__ = ["forget_if_reconfigured", "mark_gone", "permanent_target", "remember_move"]

log = logging.getLogger(__name__)


def permanent_target(response: httpx.Response) -> str | None:
    """Where the leading run of 301/308 hops of ``response`` ended (None: no such hop).

    ``301 → 302 → page``: the URL after the 301 is the feed's new home; the 302 is for now.
    """
    hops = [*response.history, response]
    moved_to = None
    for hop, following in zip(hops, hops[1:], strict=False):
        if hop.status_code not in (301, 308):
            break
        moved_to = str(following.url)
    return moved_to


def forget_if_reconfigured(name: str, configured: str, state: SourceState) -> SourceState:
    """Drop a move or a 410 that belongs to a URL config.yaml no longer names."""
    if state.moved_from is not None and state.moved_from != configured:
        log.info("feed %r: url in config.yaml is now %s; earlier move forgotten", name, configured)
        state = replace(state, moved_from=None, moved_to=None)
    if state.gone_url is not None and state.gone_url != state.poll_url(configured):
        state = replace(state, gone_url=None, gone_at=None)
    return state


def remember_move(name: str, configured: str, state: SourceState, moved_to: str) -> SourceState:
    """Poll ``moved_to`` from now on (logged once: the next poll asks there directly)."""
    if moved_to in (state.moved_to, configured):
        return state
    log.warning(
        "feed %r moved permanently: %s -> %s; polling the new URL from now on "
        "(update its url in config.yaml)",
        name,
        state.poll_url(configured),
        moved_to,
    )
    return replace(state, moved_from=configured, moved_to=moved_to)


def mark_gone(name: str, url: str, state: SourceState, now: datetime) -> SourceState:
    log.warning(
        "feed %r: %s answered 410 Gone; it is not polled any more "
        "(remove it from config.yaml, or give it a new url)",
        name,
        url,
    )
    return replace(state, gone_url=url, gone_at=now)
