"""What every source hands the pipeline: articles plus its own updated state.

Sources never touch the database: the pipeline persists `SourceState` and the articles in one
transaction, so a crash between fetching and recording cannot lose or double anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypedDict, Unpack

from bot.article import Article
from bot.errors import SourceError


class Revalidation(TypedDict, total=False):
    """What a successful poll may change besides the counters (absent: kept as it was)."""

    etag: str | None
    last_modified: str | None
    polled_before: bool


@dataclass(frozen=True, slots=True)
class SourceState:
    """Per-source memory between polls (persisted by the store)."""

    etag: str | None = None
    last_modified: str | None = None
    #: Failures in a row; drives exponential backoff.
    failures: int = 0
    #: Do not poll before this time (backoff or a server's Retry-After).
    next_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    #: Set after the first successful poll: items seen then are recorded without alerting.
    polled_before: bool = False
    #: Items in the last successful parse.
    last_items: int = 0
    #: The feed gave one guid to different items: its items are told apart by link
    #: (`bot.identity`); remembered, because a later document may not show it.
    guids_unreliable: bool = False
    #: A permanent redirect (301/308) seen while polling the configured URL ``moved_from``:
    #: the feed is polled at ``moved_to`` until config.yaml names another URL.
    moved_from: str | None = None
    moved_to: str | None = None
    #: The URL that answered 410 Gone: not polled again until config.yaml changes the URL.
    gone_url: str | None = None
    gone_at: datetime | None = None

    def poll_url(self, configured: str) -> str:
        """Where to poll a feed configured at ``configured``: its remembered new home, if any."""
        if self.moved_to and self.moved_from == configured:
            return self.moved_to
        return configured

    def gone(self, configured: str) -> bool:
        return self.gone_url is not None and self.gone_url == self.poll_url(configured)

    def succeeded(self, now: datetime, items: int, **changes: Unpack[Revalidation]) -> SourceState:
        return replace(
            self,
            failures=0,
            next_attempt=None,
            last_success=now,
            last_items=items,
            **changes,
        )

    def failed(
        self,
        now: datetime,
        error: str,
        *,
        interval: float,
        max_backoff: float,
        retry_after: float | None = None,
    ) -> SourceState:
        failures = self.failures + 1
        delay = min(interval * (2 ** (failures - 1)), max_backoff)
        if retry_after is not None:
            delay = max(delay, min(retry_after, max_backoff))
        return replace(
            self,
            failures=failures,
            next_attempt=now + timedelta(seconds=delay),
            last_error=error,
            last_error_at=now,
        )


@dataclass(slots=True)
class PollOutcome:
    """The result of polling one source once."""

    source: str
    state: SourceState
    articles: list[Article] = field(default_factory=list)
    #: 304 Not Modified: nothing was parsed.
    not_modified: bool = False
    #: Set when the poll failed; articles is then empty.
    error: SourceError | None = None
    #: Problems that did not stop the poll (a malformed feed that still had entries).
    warnings: list[str] = field(default_factory=list)
    #: True when the poll was skipped because the source is backing off (or is gone).
    skipped: bool = False
    #: Skipped because the feed answered 410 Gone (`SourceState.gone`).
    gone: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None
