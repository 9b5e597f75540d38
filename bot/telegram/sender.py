"""Delivery of queued alerts to Telegram: paced, ordered per chat, and loss-free.

The outbox is the only queue: an alert is marked sent only after Telegram accepted it, and
every failure is written back to its row (retry time, error, status) before anything else
happens, so a crash or an outage never loses an alert. A crash between Telegram's answer and
`mark_sent` resends that alert once on restart (at most one duplicate per crash); the same
holds for a request that timed out after Telegram had in fact delivered it, since the Bot API
offers no way to ask.

A fixed set of workers takes one chat at a time and sends that chat's alerts in order while
other chats proceed concurrently, each send booking its slot from the `Pacer` (per-chat
spacing, the global rate in ticks, flood pauses). A chat that must wait long (groups: 3 s per
message) or whose alert waits for a retry is left for the next drain rather than holding this
one up.

CPU per alert is kept low on purpose (`bench/fanout.py`): alerts go out through
`Bot.do_api_request` (no `Message` built from the answer), the text is formatted once per
fan-out, and sends are grouped in ticks of the pacer so the process wakes once per tick.

Delivery modes (`bot.delivery_modes`): alerts held for quiet hours wait in the outbox until
their `hold_until`; silent ones go out with ``disable_notification``; the alerts of hourly and
daily digest chats are never sent one by one here but by `bot.telegram.digest` at the end of
each drain, as one message per period.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBUserWarning

from bot.logging_setup import redact
from bot.ops import metrics
from bot.store import OutboxItem, Store
from bot.telegram.format import NO_PREVIEW, feedback_markup, format_alert, format_alert_plain
from bot.telegram.ratelimit import Pacer
from bot.telegram.story_edit import deliver_story_update

log = logging.getLogger(__name__)

#: BadRequest descriptions meaning the bot can no longer write to the chat at all.
_CHAT_GONE = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "have no rights to send",
    "not enough rights to send text",
    "bot is not a member",
    "user is deactivated",
)
#: BadRequest descriptions that plain text (no parse mode, shorter) can fix.
_MARKUP_PROBLEMS = ("can't parse entities", "message is too long", "text is too long")
#: `NO_PREVIEW` as the Bot API JSON of a raw send.
_NO_PREVIEW_JSON = NO_PREVIEW.to_dict()
#: Alerts are sent with `do_api_request` (PTB's documented way to call a method raw), which
#: skips building a `Message` from the answer: ~0.4 ms per alert for one `message_id`.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning)
#: Formatted alert texts kept for the next chats of the same fan-out.
_TEXT_CACHE_SIZE = 64


class _Outcome(Enum):
    SENT = "sent"
    FAILED = "failed"  # this alert is given up; the chat's next alerts may go
    STOP = "stop"  # the chat must not get more now (retry pending, gone, migrated)


@dataclass
class _ChatResult:
    sent: int = 0
    #: Leave this chat alone for the rest of the drain.
    stop: bool = False


def retry_after_seconds(exc: RetryAfter) -> float:
    """PTB 22 gives an int or a timedelta (and warns about the change); accept both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@dataclass
class _DrainState:
    """What the workers of one drain share."""

    deadline: float
    #: Fetched, not yet taken: chat → its alerts in order.
    fetched: dict[int, list[OutboxItem]] = field(default_factory=dict)
    #: Chats a worker is sending to now, and chats left alone for the rest of the drain.
    busy: set[int] = field(default_factory=set)
    skip: set[int] = field(default_factory=set)
    #: The last fetch found nothing: no worker needs to ask again.
    exhausted: bool = False
    sent: int = 0
    error: BaseException | None = None


class TelegramSender:
    """Drains the outbox to Telegram; `drain` is what `DeliveryLoop` calls.

    Tunables (defaults follow Telegram's published limits):

    - `global_rate` / `global_burst`: messages per second over all chats (~30/s), sent in
      ticks of `global_burst` (3 every 0.1 s);
    - `private_interval`: seconds between messages to one user (~1/s);
    - `group_interval`: seconds between messages to a group/channel (20/min → 3 s);
    - `max_in_flight`: concurrent requests; give the Bot a request backend whose
      `connection_pool_size` is at least this, or requests queue for a connection;
    - `max_chat_wait`: a chat whose next turn is further away is left to the next drain;
    - `max_retry_after_wait`: a 429 asking for longer is not waited out inside a drain;
    - `retry_base` / `retry_cap`: exponential backoff after network errors, per alert
      (base · 2^attempts, capped) and for all sending (consecutive failures);
    - `max_drain_seconds`: after this, no new sends start and `drain` returns;
    - `send_timeout`: read timeout of one sendMessage (None: the Bot's default);
    - `batch_size`: most outbox rows fetched per query.
    """

    def __init__(
        self,
        bot: Bot,
        store: Store,
        topic_names: Mapping[str, Mapping[str, str]],
        *,
        global_rate: float = 30.0,
        global_burst: float = 3.0,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        max_in_flight: int = 16,
        max_chat_wait: float = 1.5,
        max_retry_after_wait: float = 30.0,
        retry_base: float = 2.0,
        retry_cap: float = 300.0,
        max_drain_seconds: float = 20.0,
        send_timeout: float | None = None,
        batch_size: int = 100,
    ) -> None:
        self.bot = bot
        self.store = store
        self.topic_names = topic_names
        self.pacer = Pacer(
            global_rate=global_rate,
            global_burst=global_burst,
            private_interval=private_interval,
            group_interval=group_interval,
        )
        self.max_in_flight = max(1, max_in_flight)
        self.max_chat_wait = max_chat_wait
        self.max_retry_after_wait = max_retry_after_wait
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.max_drain_seconds = max_drain_seconds
        self.send_timeout = send_timeout
        self.batch_size = batch_size
        self._texts: dict[tuple[object, ...], str] = {}
        #: Alerts fetched per query while sending: about one second's worth.
        self._prefetch = math.ceil(global_rate) if global_rate > 0 else batch_size
        self._slots: asyncio.Semaphore | None = None
        self._lock: asyncio.Lock | None = None
        #: Circuit breaker: consecutive network failures and until when nothing is tried.
        self._net_failures = 0
        self._net_blocked_until = 0.0
        #: Set on shutdown: sends in flight finish, no new one starts.
        self.stopping = False
        # Digest chats' alerts go out as one message per period (imported here: digest.py
        # builds on this module).
        from bot.telegram.digest import DigestSender

        self.digests = DigestSender(self)

    # --- the drain loop ---------------------------------------------------------------

    def stop(self) -> None:
        """Shutdown: let the sends in flight finish and start no new one (the rest stays
        queued), so a stop takes about one request, well inside `docker stop`'s grace."""
        self.stopping = True

    def drain_lock(self) -> asyncio.Lock:
        """Held by every drain and digest flush, so only one sends at a time. Created on
        first use (with the in-flight semaphore) so both bind to the running loop."""
        if self._lock is None:
            self._lock, self._slots = asyncio.Lock(), asyncio.Semaphore(self.max_in_flight)
        return self._lock

    async def drain(self) -> int:
        """Send what is due now, oldest first; returns how many alerts Telegram accepted."""
        async with self.drain_lock():
            sent = await self._drain()
            return sent + await self.digests.drain()

    async def _drain(self) -> int:
        """Up to `max_in_flight` workers, each taking one chat at a time and sending its
        alerts in order, until nothing is left that may go now.

        Fixed workers rather than a task per chat: a 10,000-chat fan-out must not become
        10,000 tasks, and pulling the next chat costs no wake-up of a coordinating task.
        """
        loop = asyncio.get_running_loop()
        state = _DrainState(deadline=loop.time() + self.max_drain_seconds)
        if not self._refill(state, first=True):
            return 0
        workers = [
            asyncio.create_task(self._worker(state), name=f"telegram-sender-{i}")
            for i in range(min(self.max_in_flight, len(state.fetched)))
        ]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:  # only when cancelled: what is unsent stays queued
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        if state.error is not None:
            raise state.error
        return state.sent

    async def _worker(self, state: _DrainState) -> None:
        while (chat := self._next_chat(state)) is not None:
            chat_id, queue = chat
            state.busy.add(chat_id)
            try:
                result = await self._run_chat(chat_id, queue, state.deadline)
            except Exception as exc:  # a store failure: the others finish, then drain raises
                state.error = state.error or exc
                state.skip.add(chat_id)
                return
            finally:
                state.busy.discard(chat_id)
            state.sent += result.sent
            if result.stop:
                state.skip.add(chat_id)

    def _next_chat(self, state: _DrainState) -> tuple[int, list[OutboxItem]] | None:
        if (
            state.error is not None
            or self.stopping
            or self._net_blocked()
            or asyncio.get_running_loop().time() >= state.deadline
        ):
            return None
        if not state.fetched and not self._refill(state):
            return None
        chat_id = next(iter(state.fetched))
        return chat_id, state.fetched.pop(chat_id)

    def _refill(self, state: _DrainState, *, first: bool = False) -> bool:
        """Fetch about a second of sending (one query per ~30 alerts, not one per alert; a
        /pause is still seen within about a second); False when nothing may go now.

        A store failure on the `first` fetch fails the drain at once; later, it is recorded
        so the sends in flight finish (and get marked) before the drain raises it.
        """
        if state.exhausted:
            return False
        try:
            items = self.store.sendable_alerts(
                limit=min(self.batch_size, max(2 * self.max_in_flight, self._prefetch)),
                now=self.store.delivery_now(),
                exclude_chats=sorted(state.skip | state.busy),
            )
        except Exception as exc:
            if first:
                raise
            state.error = state.error or exc
            return False
        state.fetched = _by_chat(items)
        state.exhausted = not items
        return bool(items)

    def _net_blocked(self) -> bool:
        return asyncio.get_running_loop().time() < self._net_blocked_until

    async def _run_chat(
        self, chat_id: int, queue: list[OutboxItem], deadline: float
    ) -> _ChatResult:
        """One chat's alerts strictly in order; stops at the first that must wait."""
        result = _ChatResult()
        loop = asyncio.get_running_loop()
        for item in queue:
            if loop.time() >= deadline or self._net_blocked() or self.stopping:
                result.stop = True
                break
            outcome = await self._deliver(item)
            if outcome is _Outcome.SENT:
                result.sent += 1
            elif outcome is _Outcome.STOP:
                result.stop = True
                break
        return result

    async def _turn(self, chat_id: int) -> bool:
        """Wait for this chat's next slot and take it (with an in-flight slot held).

        False when the wait would exceed `max_chat_wait` (plus a 429 pause short enough to
        wait out): the chat is left for a later drain. A chat first waits out its own spacing,
        then books a global slot and sleeps once until it; a 429 pause that began meanwhile
        means booking again.
        """
        assert self._slots is not None
        while True:
            if self._net_blocked() or self.stopping:
                return False
            pause = self.pacer.paused_for
            patience = self.max_chat_wait + (pause if pause <= self.max_retry_after_wait else 0)
            if self.pacer.delay(chat_id) > patience:
                return False
            own = self.pacer.chat_delay(chat_id)
            if own > 0:
                await asyncio.sleep(own)
                continue
            wait = self.pacer.reserve(chat_id)
            if wait > 0:
                await asyncio.sleep(wait)
                if self.pacer.paused_for > 0 or self._net_blocked() or self.stopping:
                    continue
            await self._slots.acquire()
            if self.pacer.paused_for > 0:  # a pause began while we waited for a connection
                self._slots.release()
                continue
            return True

    # --- one alert ----------------------------------------------------------------------

    async def _deliver(self, item: OutboxItem) -> _Outcome:
        """Send one alert and record the outcome in the outbox."""
        if item.kind == "story_update":  # a later outlet: edit the story's alert instead
            return _Outcome(await deliver_story_update(self, item))
        names = self.names(item.language)
        try:
            text, markup = self._formatted(item, names), feedback_markup(item.id)
        except Exception as exc:  # a formatting bug must not block the queue forever
            log.exception("alert %d for chat %d cannot be formatted", item.id, item.chat_id)
            self.store.mark_failed(item.id, f"format: {exc!r}")
            metrics.record_send(False, 0.0)
            return _Outcome.FAILED
        plain = False
        floods = 0
        while True:
            if not await self._turn(item.chat_id):
                return _Outcome.STOP
            assert self._slots is not None
            started = time.perf_counter()
            try:
                message_id = await self._send(item.chat_id, text, markup, plain, item.silent)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self.pacer.pause(seconds)
                floods += 1
                log.warning(
                    "flood limit at alert %d for chat %d: all sending paused %.0f s",
                    item.id,
                    item.chat_id,
                    seconds,
                )
                if seconds > self.max_retry_after_wait or floods >= 3:
                    self.store.mark_retry(item.id, f"retry after {seconds:.0f}s", seconds)
                    metrics.record_send(False, time.perf_counter() - started, retry=True)
                    return _Outcome.STOP
                continue  # same alert again once the pause is over
            except ChatMigrated as exc:
                new_id = int(exc.new_chat_id)
                log.info("chat %d migrated to %d; alert %d follows", item.chat_id, new_id, item.id)
                self.store.migrate_chat(item.chat_id, new_id)
                self.pacer.forget(item.chat_id)
                return _Outcome.STOP  # the drain picks the moved alerts up under the new id
            except Forbidden as exc:
                self._gone(item, f"forbidden: {exc.message}")
                return _Outcome.STOP
            except BadRequest as exc:
                reason = exc.message.lower()
                if any(p in reason for p in _CHAT_GONE):
                    self._gone(item, f"bad request: {exc.message}")
                    return _Outcome.STOP
                if not plain and any(p in reason for p in _MARKUP_PROBLEMS):
                    log.warning(
                        "alert %d for chat %d rejected (%s); resending as plain text",
                        item.id,
                        item.chat_id,
                        exc.message,
                    )
                    text, plain = format_alert_plain(item, names, item.language), True
                    continue
                log.error("alert %d for chat %d failed: %s", item.id, item.chat_id, exc.message)
                self.store.mark_failed(item.id, redact(f"bad request: {exc.message}"))
                metrics.record_send(False, time.perf_counter() - started)
                return _Outcome.FAILED
            except (TelegramError, OSError) as exc:  # TimedOut, NetworkError, 5xx, ...
                self._transient(item, exc)
                metrics.record_send(False, time.perf_counter() - started, retry=True)
                return _Outcome.STOP
            finally:
                self.pacer.done(item.chat_id)
                self._slots.release()
            self.store.mark_sent(item.id, message_id)
            metrics.record_send(True, time.perf_counter() - started, queued_at=item.queued_at)
            self.network_ok()
            log.debug("alert %d sent to chat %d as message %s", item.id, item.chat_id, message_id)
            return _Outcome.SENT

    def names(self, language: str) -> Mapping[str, str]:
        """Topic display names in `language`, Danish when it has none."""
        return self.topic_names.get(language) or self.topic_names.get("da") or {}

    def _formatted(self, item: OutboxItem, names: Mapping[str, str]) -> str:
        """The alert's HTML, formatted once per fan-out: every chat of an article gets the
        same text unless its topics, watch words or story differ (the buttons always do)."""
        key = (item.article.id, item.language, item.topics, item.watch, item.also)
        text = self._texts.get(key)
        if text is None:
            if len(self._texts) >= _TEXT_CACHE_SIZE:
                self._texts.clear()
            text = self._texts[key] = format_alert(item, names, item.language)[0]
        return text

    async def _send(
        self, chat_id: int, text: str, markup: Any, plain: bool, silent: bool = False
    ) -> int | None:
        """sendMessage; returns the new message's id (None if Telegram's answer lacks it)."""
        timeouts: dict[str, float] = {}
        if self.send_timeout is not None:
            timeouts = {"read_timeout": self.send_timeout, "write_timeout": self.send_timeout}
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "reply_markup": markup,
            "link_preview_options": _NO_PREVIEW_JSON,
            "disable_notification": silent,
        }
        if not plain:
            params["parse_mode"] = ParseMode.HTML
        result = await self.bot.do_api_request(
            "sendMessage", api_kwargs=params, return_type=None, **timeouts
        )
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return message_id if isinstance(message_id, int) else None

    def _gone(self, item: OutboxItem, reason: str) -> None:
        self.chat_gone(item.chat_id, reason, f"alert {item.id}")

    def chat_gone(self, chat_id: int, reason: str, where: str) -> None:
        """The bot cannot write there any more: stop the chat, drop what it had queued."""
        reason = redact(reason)
        log.warning("chat %d deactivated at %s: %s", chat_id, where, reason)
        self.store.deactivate_chat(chat_id, reason)
        self.pacer.forget(chat_id)

    def back_off(self, attempts: int) -> tuple[float, float]:
        """Network trouble: (seconds until this send is retried, seconds all sending now
        pauses); both grow exponentially, the first with the send's attempts, the second
        with consecutive failures, until a send succeeds (`network_ok`)."""
        delay = min(self.retry_cap, self.retry_base * 2 ** max(0, attempts))
        self._net_failures += 1
        pause = min(self.retry_cap, self.retry_base * 2 ** (self._net_failures - 1))
        loop_time = asyncio.get_running_loop().time()
        self._net_blocked_until = max(self._net_blocked_until, loop_time + pause)
        return delay, pause

    def network_ok(self) -> None:
        self._net_failures = 0

    def _transient(self, item: OutboxItem, exc: BaseException) -> None:
        """Network trouble: back off this alert (keeping the chat's order) and all sending."""
        delay, pause = self.back_off(item.attempts)
        error = redact(f"{type(exc).__name__}: {exc}")
        level = logging.ERROR if isinstance(exc, InvalidToken) else logging.WARNING
        log.log(
            level,
            "alert %d for chat %d not sent (%s); retry in %.1f s, all sending paused %.1f s",
            item.id,
            item.chat_id,
            error,
            delay,
            pause,
        )
        self.store.mark_retry(item.id, error, delay)


def _by_chat(items: list[OutboxItem]) -> dict[int, list[OutboxItem]]:
    """Per-chat queues in outbox order; chats ordered by their oldest alert."""
    queues: dict[int, list[OutboxItem]] = {}
    for item in items:
        queues.setdefault(item.chat_id, []).append(item)
    return queues
