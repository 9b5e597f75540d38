"""sources → articles → classifier → matcher → outbox.

Each step commits before the next acts: new articles are recorded (with the source's state)
unprocessed, then classified, then their alerts are queued and the article marked processed in
one transaction. A crash anywhere is resumed by `process_pending` on the next cycle.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from bot.article import Article
from bot.config import Config, FeedConfig
from bot.errors import StoreError
from bot.matcher import alerts_for
from bot.ops import metrics
from bot.plural import plural
from bot.sources.base import PollOutcome
from bot.sources.feed import poll_feed
from bot.sources.fetcher import RefusedFetchError, make_client
from bot.sources.folder import FolderSource
from bot.sources.outbound import OutboundPolicy, RefusalLog
from bot.sources.parse_pool import ParsePool
from bot.store import Store
from bot.store.stories import StoryRow
from bot.stories import StoryIndex
from bot.watch import WatchIndex
from classifiers.base import Document, TopicClassifier, TopicScore
from classifiers.language import identify

if TYPE_CHECKING:  # imported when first used: trafilatura is slow to import
    from bot.sources.fulltext import PageManners

log = logging.getLogger(__name__)

#: Articles classified per batch (one thread hop, one vectorised call).
BATCH = 256


@dataclass
class CycleReport:
    """What one poll of everything did."""

    polled: int = 0
    failed: list[str] = field(default_factory=list)
    #: Not polled: still backing off after earlier failures.
    backing_off: list[str] = field(default_factory=list)
    #: Not polled: the feed answered 410 Gone (until config.yaml gives it another URL).
    gone: list[str] = field(default_factory=list)
    new_articles: int = 0
    alerts_queued: int = 0


class Pipeline:
    """Owns the sources of one config and moves their articles to the outbox."""

    def __init__(
        self,
        config: Config,
        store: Store,
        classifier: TopicClassifier,
        *,
        outbound: OutboundPolicy | None = None,
    ) -> None:
        self.config = config
        #: None: the policy `config.fetch` describes (tests inject one with their own resolver).
        self.outbound = outbound
        self.store = store
        self.classifier = classifier
        self._client: httpx.AsyncClient | None = None
        #: Called after alerts were committed to the outbox (the delivery loop's wake-up).
        self.on_alerts_queued: Callable[[], None] | None = None
        self.folders = {
            f.source_name: FolderSource(
                folder=f, path=config.resolve(f.path), max_bytes=config.fetch.max_bytes
            )
            for f in config.folders
            if f.enabled
        }
        self.feeds = {f.name: f for f in config.feeds if f.enabled}
        self._process_lock = asyncio.Lock()
        self._fetch_slots = asyncio.Semaphore(config.fetch.concurrency)
        workers = config.fetch.parse_workers
        self._parse_pool = ParsePool(workers) if workers else None
        #: Full-text fetches the outbound policy refused: warned once per feed, counted.
        self.refusals = RefusalLog(on_refused=metrics.record_outbound_refused)
        #: robots.txt cache and per-host pacing of full-text fetches (made with the client).
        self._manners: PageManners | None = None
        self.watch = WatchIndex()
        self._stories: StoryIndex | None = None
        #: How far this process has learned the stories others placed (`assign_stories`).
        self._story_seq = 0

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = make_client(self.config.fetch, policy=self.outbound)
        return self._client

    async def aclose(self) -> None:
        if self._parse_pool is not None:
            self._parse_pool.close()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
            self._manners = None

    # --- polling --------------------------------------------------------------------------

    async def poll_feed(self, feed: FeedConfig) -> PollOutcome:
        state = self.store.source_state(feed.name)
        async with self._fetch_slots:
            outcome = await poll_feed(
                self.client,
                feed,
                self.config.fetch,
                state,
                cold_parser=self._parse_pool.parse if self._parse_pool else None,
            )
        first_alerts = feed.alert_on_first_poll
        if first_alerts is None:
            first_alerts = self.config.alerts.alert_on_first_poll
        first_poll = not state.polled_before and not first_alerts
        # A new feed's backlog alerts nobody: its pages are not worth fetching.
        if feed.full_text and outcome.articles and not outcome.skipped and not first_poll:
            outcome.articles = await self._with_full_text(feed, outcome.articles)
        max_age = timedelta(seconds=self.config.alerts.max_age)
        now = datetime.now(UTC)

        def suppress(a: Article) -> str | None:
            if first_poll:
                return "first_poll"
            if a.published and now - a.published > max_age:
                return "too_old"
            return None

        await self._record(outcome, suppress)
        return outcome

    async def _with_full_text(self, feed: FeedConfig, articles: list[Article]) -> list[Article]:
        """Only unseen articles cost a page fetch; a failed fetch keeps the headline."""
        from bot.sources.fulltext import PageManners, fetch_full_text

        new = {a.id for a in self.store.unseen(articles)}

        if self._manners is None:
            self._manners = PageManners(self.client, self.config.fetch, slots=self._fetch_slots)
        manners = self._manners

        async def one(a: Article) -> Article:
            if a.id not in new:
                return a
            return await fetch_full_text(
                self.client,
                a,
                self.config.fetch,
                source=feed.name,
                refusals=self.refusals,
                manners=manners,
            )

        return list(await asyncio.gather(*(one(a) for a in articles)))

    async def poll_folder(self, source: FolderSource) -> PollOutcome:
        outcome = await source.poll(self.store.source_state(source.name))
        try:
            await self._record(outcome, None)
        except StoreError:
            source.reset()  # re-read the files once the store works again
            raise
        return outcome

    async def _record(
        self, outcome: PollOutcome, suppress: Callable[[Article], str | None] | None
    ) -> None:
        if outcome.skipped:
            return
        new = self.store.record_articles(
            outcome.articles, source=outcome.source, state=outcome.state, suppress=suppress
        )
        outcome.articles = new
        if new:
            log.info("source %r: %s", outcome.source, plural(len(new), "new article"))
            await self.process_pending()

    async def poll_source(self, name: str) -> PollOutcome | None:
        """Poll one source by name (a scheduler job); failures are logged, never raised."""
        start = time.perf_counter()
        outcome: PollOutcome | None = None
        try:
            if name in self.feeds:
                outcome = await self.poll_feed(self.feeds[name])
            elif name in self.folders:
                outcome = await self.poll_folder(self.folders[name])
            else:
                return None
        except StoreError as exc:
            log.error("source %r: cannot record articles: %s", name, exc)
        except Exception:
            log.exception("source %r: unexpected error while polling", name)
        ok = outcome is not None and outcome.ok
        skipped = outcome is not None and outcome.skipped
        new = len(outcome.articles) if ok and outcome else 0
        took = time.perf_counter() - start
        metrics.record_poll(name, ok, took, skipped=skipped, new_articles=new)
        if outcome is not None and isinstance(outcome.error, RefusedFetchError):
            metrics.record_outbound_refused(name)  # a redirect hop of the feed itself
        return outcome

    @property
    def source_names(self) -> list[str]:
        return [*self.feeds, *self.folders]

    async def poll_all(self) -> CycleReport:
        """Poll every enabled source concurrently; a broken one never stops the others.

        Only counts are kept per source: holding every outcome until the slowest feed answers
        would keep a whole cold cycle's articles (tens of thousands) in memory at once.
        """
        report = CycleReport()

        async def poll(name: str) -> None:
            outcome = await self.poll_source(name)
            if outcome is None or outcome.error is not None:
                report.failed.append(name)
            elif outcome.gone:
                report.gone.append(name)
            elif outcome.skipped:
                report.backing_off.append(name)
            else:
                report.polled += 1
                report.new_articles += len(outcome.articles)

        await asyncio.gather(*(poll(n) for n in self.source_names))
        report.alerts_queued = await self.process_pending()
        return report

    # --- classification and matching ------------------------------------------------------

    async def process_pending(self) -> int:
        """Classify unprocessed articles and queue their alerts; returns alerts queued."""
        queued = 0
        async with self._process_lock:
            while batch := self.store.unprocessed_articles(limit=BATCH):
                queued += await self._process(batch)
                if len(batch) < BATCH:
                    break
        if queued and self.on_alerts_queued:
            self.on_alerts_queued()
        return queued

    def _story_ids(self, articles: Sequence[Article]) -> list[str]:
        """Each article's story (`bot.stories`); the window is refilled after a restart. On a
        shared database the processes take turns and each first learns what the others
        placed since its last turn, so one story's articles join wherever they arrive."""
        if self._stories is None:
            self._stories = StoryIndex()
            self._story_seq = self.store.story_seq() if self.store.backend.shared else 0
            since = datetime.now(UTC) - self._stories.window
            self._stories.load(_story_rows(self.store.story_candidates(since)))
        index = self._stories

        placed: dict[str, str] = {}

        def assign(learned: Sequence[StoryRow]) -> dict[str, str]:
            index.load(_story_rows(learned))
            for a in articles:
                when = a.published or a.fetched_at
                placed[a.id] = index.assign(a.id, a.source, a.title, a.text, when)
            return placed

        if self.store.backend.shared:
            self._story_seq = self.store.assign_stories(self._story_seq, assign)
        else:
            assign(())
        return [placed[a.id] for a in articles]

    def _classify(
        self, articles: Sequence[Article]
    ) -> tuple[list[Document], list[list[TopicScore]]]:
        """Identify each article's language once (stored with it, and the classifier's
        model only judges the languages it was trained for), then classify."""
        docs = [a.document(identify(a.title, a.text)) for a in articles]
        return docs, self.classifier.classify_many(docs)

    async def _process(self, batch: Sequence[tuple[Article, str | None]]) -> int:
        # A new feed's backlog is recorded, not news: it is not classified, matched to
        # watch words or grouped into stories (a later outlet's article then alerts as new).
        backlog = [a.id for a, why in batch if why == "first_poll"]
        if backlog:
            self.store.mark_processed(backlog)
        batch = [(a, why) for a, why in batch if why != "first_poll"]
        if not batch:
            return 0
        start = time.perf_counter()
        docs, results = await asyncio.to_thread(self._classify, [a for a, _ in batch])
        metrics.record_classification(time.perf_counter() - start, len(docs))
        metrics.record_articles(Counter(s.topic for r in results for s in r if s.matched))
        watched = await asyncio.to_thread(self.watch.match, self.store.watchers(), docs)
        stories = await asyncio.to_thread(self._story_ids, [a for a, _ in batch])
        queued = 0
        for (article, suppressed), doc, scores, watch, story_id in zip(
            batch, docs, results, watched, stories, strict=True
        ):
            watch = {} if suppressed else watch
            alerts = {} if suppressed else alerts_for(self.store, scores, watch)
            queued += self.store.complete_article(
                article.id, scores, alerts, watch, story_id, doc.language
            )
            hits = [s.topic for s in scores if s.matched]
            if hits:
                log.info(
                    "article %r from %r: topics %s, %s%s",
                    article.title[:80],
                    article.source,
                    ", ".join(hits),
                    plural(len(alerts), "alert"),
                    f" (suppressed: {suppressed})" if suppressed else "",
                )
        metrics.record_alerts_queued(queued)
        return queued


def _story_rows(rows: Iterable[StoryRow]) -> Iterator[tuple[str, str, str, str, datetime, str]]:
    """Stored rows as `StoryIndex.load` takes them (the time parsed)."""
    for article_id, source, title, text, when, story in rows:
        yield article_id, source, title, text, datetime.fromisoformat(when), story
