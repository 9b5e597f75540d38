"""Telegram mode: one asyncio process running the PTB Application, the polls and delivery.

- PTB's JobQueue (APScheduler underneath) runs every feed and folder poll at its interval;
- the `DeliveryLoop` drains the outbox through `TelegramSender`, woken by the pipeline the
  moment alerts are committed, so they go out within seconds;
- the Updater long-polls Telegram for chat commands and button presses.

`TelegramBot` is the one place that starts and stops all of it. `run_telegram` (the CLI) and
the tests use the same object, so the tests exercise the production wiring. We drive the
Application ourselves instead of `run_polling()` for two reasons: `run_polling` owns its
event loop (tests need to run the bot inside theirs), and it offers no way to treat a 409
Conflict from getUpdates as fatal. The lifecycle hooks are still PTB's `post_init`,
`post_stop` and `post_shutdown`, called at the points `run_polling` calls them.

Only one instance may use a token: a lock file beside the database stops a second process on
the same machine before it talks to Telegram, and a Conflict from getUpdates (an instance
elsewhere) stops this one with exit code 5 instead of both fighting over updates and sending
duplicate alerts. Telegram answers 409 to whichever long poll is older, so with two machines
usually both stop: loud, but never two bots quietly sending every alert twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from types import TracebackType

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import ContextTypes, Job

from bot import exitcodes
from bot.config import Config
from bot.delivery import DeliveryLoop
from bot.errors import ConfigError, TopicbotError
from bot.instance_lock import lock_for
from bot.logging_setup import install_log_redaction, register_secret
from bot.matcher import disable_console
from bot.ops.server import OpsServer, start_if_enabled
from bot.pipeline import Pipeline
from bot.plural import plural
from bot.runtime import Services, install_stop_signals, schedule_polls, schedule_retrain
from bot.telegram.application import build_application, names_by_language, send_gate
from bot.telegram.gate import SendGate
from bot.telegram.handlers.common import RUNTIME_KEY, PTBApplication, PTBContext
from bot.telegram.handlers.registry import publish_commands, register
from bot.telegram.reply_limiter import ReplyDropped
from bot.telegram.sender import TelegramSender
from classifiers.base import TopicClassifier

log = logging.getLogger(__name__)

#: Seconds one getUpdates long poll waits on Telegram's side.
POLL_TIMEOUT = 25
#: Update kinds we handle; edits are not even fetched (they are ignored on purpose).
ALLOWED_UPDATES = (
    Update.MESSAGE,
    Update.CHANNEL_POST,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
)


class AnotherInstance(TopicbotError):
    """Another topicbot already runs with this database (and so, this token)."""


class StoppedEarly(TopicbotError):
    """A stop signal arrived while still waiting for Telegram at start."""


# --- the running bot ------------------------------------------------------------------------


class TelegramBot:
    """Start with `async with TelegramBot(...)`; stop by setting `stop_requested` (signals do).

    Handlers reach it as `context.bot_data[RUNTIME_KEY]` (the `BotRuntime` protocol).
    """

    def __init__(
        self,
        config: Config,
        token: str,
        *,
        config_path: Path | str | None = None,
        poll_timeout: int = POLL_TIMEOUT,
        gate: SendGate | None = None,
        polls: bool = True,
        ops: bool = True,
    ) -> None:
        """`polls` / `ops` False: the bot role on a shared database (`bot.telegram.shared_run`),
        where the poller role polls and the process runs the ops endpoint itself."""
        self.token = token
        self._polls = polls
        self._ops = ops
        self.config_path = Path(config_path) if config_path else None
        self.poll_timeout = poll_timeout
        self._initial_config = config
        self.stop_requested = asyncio.Event()
        #: Set when another instance polled this token (exit code 5).
        self.conflict = False
        self.services: Services
        self.application: PTBApplication
        self.topic_names: dict[str, dict[str, str]] = names_by_language(config)
        self.delivery: DeliveryLoop | None = None
        self.sender: TelegramSender | None = None
        #: The one send budget (`send_gate(config)` unless given, e.g. by a test).
        self.gate: SendGate = gate or send_gate(config)
        self.ops: OpsServer | None = None
        self._lock = lock_for(config)
        self._locked = False
        self._services_built = False
        self._app_built = False
        self._poll_jobs: list[Job[PTBContext]] = []
        self._retired: list[Pipeline] = []
        #: Held by /reload while it reads and swaps the configuration.
        self.reload_lock = asyncio.Lock()

    @property
    def config(self) -> Config:
        return self.services.config

    async def __aenter__(self) -> TelegramBot:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- start ---------------------------------------------------------------------------

    async def start(self) -> None:
        register_secret(self.token)
        install_log_redaction()
        config = self._initial_config
        if self._lock is not None:
            if not self._lock.acquire():
                raise AnotherInstance(
                    f"another topicbot instance is running with database {config.db_path} "
                    f"(lock {self._lock.path}); stop it first"
                )
            self._locked = True
        self.services = await asyncio.to_thread(Services.build, config)
        self._services_built = True
        app = build_application(config, self.token, self.gate)
        app.post_init = self._post_init
        app.post_stop = self._post_stop
        app.post_shutdown = self._post_shutdown
        app.bot_data[RUNTIME_KEY] = self
        register(app)
        app.add_error_handler(self._on_error)
        self.application = app
        self._app_built = True
        await self._initialize(app)
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            timeout=self.poll_timeout,
            allowed_updates=list(ALLOWED_UPDATES),
            error_callback=self._on_polling_error,
        )
        log.info(
            "topicbot running with Telegram as @%s: %s, %s, %s",
            app.bot.username,
            plural(len(config.topics), "topic"),
            plural(len(self.services.pipeline.feeds), "feed"),
            plural(len(self.services.pipeline.folders), "folder"),
        )

    async def _initialize(self, app: PTBApplication) -> None:
        """`initialize` (getMe), retried while Telegram is unreachable; a bad token is fatal."""
        delay = 1.0
        while True:
            try:
                await app.initialize()
                return
            except InvalidToken:
                env = self._initial_config.telegram.token_env
                raise ConfigError(
                    [f"telegram: the bot token in ${env} was rejected by the Bot API server"]
                ) from None
            except NetworkError as exc:
                log.warning("cannot reach Telegram (%s); retrying in %.0f s", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop_requested.wait(), timeout=delay)
            if self.stop_requested.is_set():
                raise StoppedEarly("stopped before Telegram was reachable")
            delay = min(delay * 2, 60.0)

    async def _post_init(self, app: PTBApplication) -> None:
        store = self.services.store
        disable_console(store)
        await publish_commands(app, list(self.config.telegram.admins))
        self.sender = TelegramSender(app.bot, store, self.topic_names, gate=self.gate)
        self.sender.warm_start()
        self.delivery = DeliveryLoop(self.sender.drain)
        self.services.pipeline.on_alerts_queued = self.delivery.wake
        await self.services.pipeline.process_pending()  # finish what a crash left behind
        self.delivery.start()
        self._schedule(self.services.pipeline)
        if self._ops:
            self.ops = await start_if_enabled(self.config, store)

    def _schedule(self, pipeline: Pipeline) -> None:
        if not self._polls:
            return
        job_queue = self.application.job_queue
        assert job_queue is not None, "python-telegram-bot[job-queue] is required"

        def add(
            job: Callable[[], Awaitable[object]], interval: float, name: str, *, first: float = 0
        ) -> None:
            async def callback(context: ContextTypes.DEFAULT_TYPE) -> None:
                await job()

            self._poll_jobs.append(
                job_queue.run_repeating(
                    callback,
                    interval=interval,
                    first=first,
                    name=name,
                    job_kwargs={
                        "max_instances": 1,
                        "coalesce": True,
                        "misfire_grace_time": max(30, int(interval)),
                        # Explicit: from `first` alone APScheduler computes the first run when
                        # the scheduler starts, a moment after `first`, and skips a whole
                        # interval.
                        "next_run_time": dtm.datetime.now(dtm.UTC) + dtm.timedelta(seconds=first),
                    },
                )
            )

        schedule_polls(add, pipeline)
        schedule_retrain(partial(add, first=pipeline.config.classifier.retrain_interval), pipeline)

    # --- errors ----------------------------------------------------------------------------

    def _on_polling_error(self, exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            self._conflict()
        else:
            log.warning("polling Telegram failed: %s (retrying)", exc)

    def _conflict(self) -> None:
        if not self.conflict:
            log.error(
                "another instance is polling this bot token; stopping this one (exit code %d)",
                exitcodes.CONFLICT,
            )
        self.conflict = True
        self.stop_requested.set()

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(context.error, Conflict):
            self._conflict()
            return
        if isinstance(context.error, ReplyDropped):
            return  # logged where it was dropped
        log.error("error while handling an update", exc_info=context.error)

    # --- stop ------------------------------------------------------------------------------

    async def stop(self) -> None:
        """Idempotent and safe after a partial start: everything started is stopped."""
        if self._app_built:
            self._app_built = False
            self.gate.close_replies()
            app = self.application
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                if app.job_queue is not None and app.job_queue.scheduler.running:
                    # No job may start between PTB waiting for the running ones and shutting
                    # its scheduler down: APScheduler would cancel it at once and log the
                    # CancelledError as an error (bot.runtime.PollSchedule says more).
                    app.job_queue.scheduler.pause()
                await app.stop()
            await self._post_stop(app)  # what app.post_stop is set to
            with contextlib.suppress(RuntimeError):  # never initialized
                await app.shutdown()
        if self._services_built:
            self._services_built = False
            await self._post_shutdown(None)
        if self._locked and self._lock is not None:
            self._lock.release()
            self._locked = False

    async def _post_stop(self, app: PTBApplication) -> None:
        # Delivery stops here, not in post_shutdown: the send in flight needs the Bot, and
        # app.shutdown() closes its connections. What is not sent stays in the outbox.
        self._unschedule()
        if self.sender is not None:
            self.sender.stop()
        if self.delivery is not None:
            await self.delivery.stop()
            self.delivery = None

    async def _post_shutdown(self, app: PTBApplication | None) -> None:
        if self.ops is not None:
            await self.ops.close()
            self.ops = None
        for pipeline in self._retired:
            await pipeline.aclose()
        self._retired.clear()
        await self.services.aclose()
        log.info("stopped cleanly")

    # --- /reload (reading and checking the file: handlers/reload.py) ----------------------

    async def swap_config(self, config: Config, classifier: TopicClassifier) -> None:
        """Run `config` from now on (for /reload, which validated it): new topics, feeds and
        folders take effect with the next poll; polls in flight finish on the old pipeline."""
        old = self.config
        pipeline = Pipeline(config, self.services.store, classifier)
        if self.delivery is not None:
            pipeline.on_alerts_queued = self.delivery.wake
        self._unschedule()
        retired = self.services.pipeline
        self.services.config = config
        self.services.classifier = classifier
        self.services.pipeline = pipeline
        for language, table in names_by_language(config).items():  # in place: the sender holds it
            self.topic_names.setdefault(language, {}).clear()
            self.topic_names[language].update(table)
        self._schedule(pipeline)
        self._retire(retired)
        if config.telegram.admins != old.telegram.admins:
            await publish_commands(self.application, list(config.telegram.admins))

    def _unschedule(self) -> None:
        for job in self._poll_jobs:
            with contextlib.suppress(Exception):  # already gone with the job queue
                job.schedule_removal()
        self._poll_jobs.clear()

    def _retire(self, pipeline: Pipeline) -> None:
        """Close an old pipeline's HTTP client once its polls in flight can have finished."""
        self._retired.append(pipeline)
        grace = pipeline.config.fetch.total_timeout + 5

        async def close(context: ContextTypes.DEFAULT_TYPE) -> None:
            if pipeline in self._retired:
                self._retired.remove(pipeline)
                await pipeline.aclose()

        assert self.application.job_queue is not None
        self.application.job_queue.run_once(close, when=grace, name="close retired pipeline")


# --- entry points ---------------------------------------------------------------------------


async def serve(bot: TelegramBot) -> int:
    """Run until SIGINT/SIGTERM or a conflict; the exit code."""
    install_stop_signals(bot.stop_requested)
    try:
        async with bot:
            await bot.stop_requested.wait()
    except StoppedEarly:
        return exitcodes.OK
    return exitcodes.CONFLICT if bot.conflict else exitcodes.OK


def run_telegram(config: Config, token: str, *, config_path: Path | str | None = None) -> int:
    """`topicbot run` with a token: the bot until stopped; exit code 5 if another instance
    already runs with this database or polls this token."""
    register_secret(token)
    try:
        return asyncio.run(serve(TelegramBot(config, token, config_path=config_path)))
    except AnotherInstance as exc:
        log.error("%s", exc)
        return exitcodes.CONFLICT
