"""Wiring: config → store, classifier, pipeline; scheduling polls; graceful stop.

Console mode lives here (APScheduler's AsyncIOScheduler), on one SQLite file or on a shared
PostgreSQL database; Telegram mode (`bot.telegram.app`) reuses the same pieces on PTB's
JobQueue, which is APScheduler underneath.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from types import TracebackType

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Config
from bot.console import ConsoleSender
from bot.delivery import DeliveryLoop
from bot.errors import ModelError, StoreError
from bot.matcher import CONSOLE_CHAT_ID, disable_console, enable_console
from bot.ops import metrics, start_if_enabled
from bot.pipeline import Pipeline
from bot.plural import plural
from bot.roles import RoleLock, serve_role
from bot.store import Store
from classifiers.base import TopicClassifier
from classifiers.errors import ModelError as ClassifierModelError
from classifiers.factory import build_classifier
from classifiers.language import load_in_background

log = logging.getLogger(__name__)

#: Called as add(job, interval_seconds, name) by whichever scheduler runs the jobs.
AddRepeating = Callable[[Callable[[], Awaitable[object]], float, str], None]


def load_classifier(config: Config, *, progress: bool = False) -> TopicClassifier:
    try:
        return build_classifier(
            config.topic_rules(),
            mode=config.classifier.mode,
            model_path=config.model_path,
            progress=progress,
            languages=config.classifier.languages,
        )
    except ClassifierModelError as exc:
        raise ModelError(str(exc)) from exc


@dataclass
class Services:
    config: Config
    store: Store
    classifier: TopicClassifier
    pipeline: Pipeline
    #: Loads the language identifier while the process starts (`load_in_background`).
    language_loader: threading.Thread | None = None

    @classmethod
    def build(cls, config: Config, *, progress: bool = False) -> Services:
        store = Store.open(config.store_url)
        try:
            classifier = load_classifier(config, progress=progress)
        except BaseException:
            store.close()
            raise
        pipeline = Pipeline(config, store, classifier)
        return cls(config, store, classifier, pipeline, language_loader=load_in_background())

    async def aclose(self) -> None:
        await self.pipeline.aclose()
        self.store.close()


def schedule_polls(add: AddRepeating, pipeline: Pipeline) -> None:
    """One repeating job per source at its own interval, the first run right away."""
    for feed in pipeline.feeds.values():
        poll = _poller(pipeline, feed.name)
        if pipeline.store.backend.shared:  # several processes: one of them polls each feed
            poll = _claimed_poller(pipeline, feed.name, feed.interval)
        add(poll, feed.interval, f"poll feed {feed.name}")
    for folder in pipeline.folders.values():
        add(_poller(pipeline, folder.name), folder.folder.interval, f"poll {folder.name}")


def schedule_retrain(add_later: AddRepeating, pipeline: Pipeline) -> None:
    """Retrain from stored articles every `classifier.retrain_interval` (first one after one
    interval: at start the model on disk is fresh enough)."""
    interval = pipeline.config.classifier.retrain_interval
    if interval and pipeline.config.classifier.mode != "keywords":
        from bot.retrain import retrain

        async def job() -> object:
            return await retrain(pipeline)

        add_later(job, interval, "retrain classifier")


def _poller(pipeline: Pipeline, name: str) -> Callable[[], Awaitable[object]]:
    async def poll() -> object:
        return await pipeline.poll_source(name)

    return poll


def _claimed_poller(
    pipeline: Pipeline, name: str, interval: float
) -> Callable[[], Awaitable[object]]:
    """Poll only with the feed's lease (`bot.store.leases`); afterwards the feed is not due
    again until a little before this process's own next run, so every process's job may
    fire each interval and the feed is still fetched once."""
    lease = pipeline.config.storage.poll_lease
    slack = min(interval * 0.1, 5.0)  # this process's next run finds the feed due

    async def poll() -> object:
        store = pipeline.store
        try:
            if not store.claim_source(name, lease=lease):
                return None
        except StoreError as exc:
            log.error("source %r: cannot claim its poll: %s", name, exc)
            return None
        started = datetime.now(UTC)
        try:
            return await pipeline.poll_source(name)
        finally:
            try:
                store.release_source(name, started + timedelta(seconds=interval - slack))
            except StoreError as exc:  # the lease runs out on its own
                log.error("source %r: cannot release its poll lease: %s", name, exc)

    return poll


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


#: How long a stop waits for the polls in flight before cutting them short (seconds): a
#: poll of one source takes well under it unless a feed stalls, and the whole stop, the
#: deliveries in flight included, must fit in `docker stop`'s 10 s grace.
STOP_GRACE = 5.0


class PollSchedule:
    """The polls (first run right away) and the retraining on an APScheduler
    `AsyncIOScheduler`, stopped gently.

    Why not `scheduler.shutdown()` alone: APScheduler's asyncio executor cancels the jobs still
    running at shutdown and logs each one as an error with its CancelledError traceback (seen
    in the crash-safety test when a poll started just as the process stopped). `stop` pauses
    the scheduler so no job starts any more, lets the running ones finish, cuts short what is
    still running after `STOP_GRACE` (logged as such, not as an error; the source is polled
    again at the next start) and only then shuts the scheduler down."""

    def __init__(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: set[asyncio.Task[object]] = set()
        self._stopping = False

    @classmethod
    def for_pipeline(cls, pipeline: Pipeline) -> PollSchedule:
        """Every source's poll at its interval, the first run right away, and the retraining."""
        schedule = cls()
        schedule_polls(schedule.add, pipeline)
        schedule_retrain(partial(schedule.add, first=False), pipeline)
        return schedule

    def add(
        self,
        job: Callable[[], Awaitable[object]],
        interval: float,
        name: str,
        *,
        first: bool = True,
    ) -> None:
        """Run `job` every `interval` seconds, the first time right away (`first`) or after one
        interval."""
        # (APScheduler reads an explicit next_run_time=None as "added paused")
        start = {"next_run_time": datetime.now(UTC)} if first else {}
        self.scheduler.add_job(
            self._tracked(job, name),
            "interval",
            seconds=interval,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(30, int(interval)),
            **start,
        )

    def _tracked(
        self, job: Callable[[], Awaitable[object]], name: str
    ) -> Callable[[], Awaitable[object]]:
        async def run() -> object:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                return await job()
            except asyncio.CancelledError:
                if not self._stopping:
                    raise
                log.info("%s: cut short by the stop; it runs again at the next start", name)
                return None
            finally:
                if task is not None:
                    self._running.discard(task)

        return run

    def start(self) -> None:
        self.scheduler.start()

    async def stop(self, grace: float = STOP_GRACE) -> None:
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        if self._running:
            await asyncio.wait(list(self._running), timeout=grace)
        self._stopping = True
        late = list(self._running)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
        self.scheduler.shutdown(wait=False)


async def run_pollers(services: Services, stop: asyncio.Event, *, console: bool = False) -> None:
    """The poller role on a shared database: poll (claimed feeds), classify, queue alerts;
    another process (the bot role) delivers them. Telegram mode queues nothing for the
    console; in console mode (`console`) the caller has subscribed it."""
    if not console:
        disable_console(services.store)
    schedule = PollSchedule.for_pipeline(services.pipeline)
    await services.pipeline.process_pending()  # finish what a crash left behind
    schedule.start()
    log.info(
        "poller role: %d feeds, %d folders on %s",
        len(services.pipeline.feeds),
        len(services.pipeline.folders),
        services.store.backend.label,
    )
    try:
        await stop.wait()
    finally:
        await schedule.stop()


async def run_console(services: Services, *, stop: asyncio.Event | None = None) -> None:
    """`topicbot run` without a token: poll on schedule, print alerts, until a signal."""
    stop = stop or asyncio.Event()
    install_stop_signals(stop)
    enable_console(services.store, [t.id for t in services.config.topics])
    sender = ConsoleSender(services.store, services.config.topic_names("da"))
    delivery = DeliveryLoop(metrics.instrument_drain(sender.drain))
    services.pipeline.on_alerts_queued = delivery.wake
    schedule = PollSchedule.for_pipeline(services.pipeline)
    await services.pipeline.process_pending()  # finish what a crash left behind
    ops = await start_if_enabled(services.config, services.store, sender_chats=[CONSOLE_CHAT_ID])
    delivery.start()
    schedule.start()
    log.info(
        "topicbot running in console mode (no token in $%s): %s, %s",
        services.config.telegram.token_env,
        plural(len(services.pipeline.feeds), "feed"),
        plural(len(services.pipeline.folders), "folder"),
    )
    try:
        await stop.wait()
    finally:
        log.info("stopping: finishing polls and deliveries in flight")
        await schedule.stop()
        await delivery.stop()
        await sender.drain()
        if ops is not None:
            await ops.close()
        log.info("stopped cleanly")


class ConsoleDelivery:
    """Printing alerts while this process holds the bot role on a shared database (a
    `bot.roles.RoleSide`): one printer per database, so each alert is printed once."""

    def __init__(self, services: Services) -> None:
        self._pipeline = services.pipeline
        self._sender = ConsoleSender(services.store, services.config.topic_names("da"))
        self._delivery: DeliveryLoop | None = None
        #: Never set: a failed pass waits in the outbox and the loop retries it.
        self.stop_requested = asyncio.Event()

    async def __aenter__(self) -> ConsoleDelivery:
        self._delivery = DeliveryLoop(metrics.instrument_drain(self._sender.drain))
        self._pipeline.on_alerts_queued = self._delivery.wake  # this process's alerts at once
        self._delivery.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Finish the print in flight; what is left waits for the next holder."""
        self._pipeline.on_alerts_queued = None
        if self._delivery is not None:
            await self._delivery.stop()


async def serve_shared_console(config: Config, role: str) -> None:
    """`topicbot run` without a token on a shared (PostgreSQL) database, until a signal.

    Every process polls its share of the feeds (role poller, as in Telegram mode); the one
    holding the console's lock (`bot.roles`, role bot) prints the alerts, so an alert is
    printed once however many processes run, and another takes over when that one dies.
    """
    url = config.postgres_url
    assert url is not None, "a shared database is PostgreSQL"
    stop = asyncio.Event()
    install_stop_signals(stop)
    services = await asyncio.to_thread(Services.build, config, progress=True)
    pollers: asyncio.Task[None] | None = None
    ops = None
    try:
        enable_console(services.store, [t.id for t in config.topics])
        ops = await start_if_enabled(config, services.store, sender_chats=[CONSOLE_CHAT_ID])
        log.info("topicbot running in console mode (no token) on %s", services.store.backend.label)
        if role in ("all", "poller"):
            metrics.set_role("poller", True)
            pollers = asyncio.create_task(run_pollers(services, stop, console=True))
        if role in ("all", "bot"):
            metrics.set_role("bot", False)
            await serve_role(RoleLock(url, None), stop, lambda: ConsoleDelivery(services))
        else:
            await stop.wait()
    finally:
        stop.set()
        if pollers is not None:
            with contextlib.suppress(Exception):
                await pollers
        if ops is not None:
            await ops.close()
        await services.aclose()
        log.info("stopped cleanly")
