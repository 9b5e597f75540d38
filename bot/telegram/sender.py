"""Delivery of queued alerts to Telegram: paced, ordered per chat, and loss-free.

The outbox is the only queue: an alert is marked sent only after Telegram accepted it, and
every failure is written back to its row (retry time, error, status) before anything else
happens, so a crash or an outage never loses an alert. A crash between Telegram's answer and
`mark_sent` resends that alert once on restart (at most one duplicate per crash); the same
holds for a request that timed out after Telegram had in fact delivered it, since the Bot API
offers no way to ask.

One task per chat sends that chat's alerts in order while other chats proceed concurrently,
each send waiting for its turn from the `Pacer` (per-chat spacing, global token bucket, flood
pauses). A chat that must wait long (groups: 3 s per message) or whose alert waits for a retry
is left for the next drain rather than holding this one up.

Delivery modes (`bot.delivery_modes`): alerts held for quiet hours wait in the outbox until
their `hold_until`; silent ones go out with ``disable_notification``; the alerts of hourly and
daily digest chats are never sent one by one here but by `bot.telegram.digest` at the end of
each drain, as one message per period.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from telegram import Bot, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

from bot.logging_setup import redact
from bot.ops import metrics
from bot.store import OutboxItem, Store
from bot.telegram.format import format_alert, format_alert_plain
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
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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


class TelegramSender:
    """Drains the outbox to Telegram; `drain` is what `DeliveryLoop` calls.

    Tunables (defaults follow Telegram's published limits):

    - `global_rate` / `global_burst`: messages per second over all chats (~30/s);
    - `private_interval`: seconds between messages to one user (~1/s);
    - `group_interval`: seconds between messages to a group/channel (20/min → 3 s);
    - `max_in_flight`: concurrent requests; give the Bot an HTTPXRequest whose
      `connection_pool_size` is at least this, or requests queue for a connection;
    - `max_chat_wait`: a chat whose next turn is further away is left to the next drain;
    - `max_retry_after_wait`: a 429 asking for longer is not waited out inside a drain;
    - `retry_base` / `retry_cap`: exponential backoff after network errors, per alert
      (base · 2^attempts, capped) and for all sending (consecutive failures);
    - `max_drain_seconds`: after this, no new sends start and `drain` returns;
    - `send_timeout`: read timeout of one sendMessage (None: the Bot's default);
    - `batch_size`: outbox rows fetched per query; `poll_interval`: how often a running drain
      looks for alerts of chats it is not yet serving.
    """

    def __init__(
        self,
        bot: Bot,
        store: Store,
        topic_names: Mapping[str, Mapping[str, str]],
        *,
        global_rate: float = 30.0,
        global_burst: float = 1.0,
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
        poll_interval: float = 1.0,
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
        self.poll_interval = poll_interval
        self._slots: asyncio.Semaphore | None = None
        self._token_lock: asyncio.Lock | None = None
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

    async def drain(self) -> int:
        """Send what is due now, oldest first; returns how many alerts Telegram accepted."""
        if self._lock is None:  # created here so they bind to the running loop
            self._lock, self._slots = asyncio.Lock(), asyncio.Semaphore(self.max_in_flight)
            self._token_lock = asyncio.Lock()
        async with self._lock:
            sent = await self._drain()
            return sent + await self.digests.drain()

    async def _drain(self) -> int:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_drain_seconds
        tasks: dict[int, asyncio.Task[_ChatResult]] = {}
        skip: set[int] = set()
        sent = 0
        error: BaseException | None = None
        try:
            while True:
                # At most max_in_flight chat tasks: one task per pending chat would make a
                # 10,000-chat fan-out 10,000 tasks polling the pacer (CPU, lost rate).
                room = self.max_in_flight - len(tasks)
                if (
                    error is None
                    and room > 0
                    and not self.stopping
                    and not self._net_blocked()
                    and loop.time() < deadline
                ):
                    items = self.store.sendable_alerts(
                        limit=min(self.batch_size, 2 * room),
                        now=self.store.delivery_now(),
                        exclude_chats=sorted(skip | tasks.keys()),
                    )
                    for chat_id, queue in _by_chat(items).items():
                        if len(tasks) >= self.max_in_flight:
                            break
                        tasks[chat_id] = asyncio.create_task(
                            self._run_chat(chat_id, queue, deadline),
                            name=f"telegram-send-{chat_id}",
                        )
                if not tasks:
                    return sent
                done, _ = await asyncio.wait(
                    tasks.values(), timeout=self.poll_interval, return_when=asyncio.FIRST_COMPLETED
                )
                for chat_id, task in list(tasks.items()):
                    if task not in done:
                        continue
                    del tasks[chat_id]
                    try:
                        result = task.result()
                    except Exception as exc:  # a store failure: finish the others, then raise
                        error = error or exc
                        skip.add(chat_id)
                        continue
                    sent += result.sent
                    if result.stop:
                        skip.add(chat_id)
                if error is not None and not tasks:
                    raise error
        finally:
            for task in tasks.values():  # only when cancelled: what is unsent stays queued
                task.cancel()
            if tasks:
                await asyncio.gather(*tasks.values(), return_exceptions=True)

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
        wait out): the chat is left for a later drain. Chats first wait out their own spacing
        alone; then one task at a time waits for the global token, the others park on a lock
        (so a fan-out does not wake every task at every token).
        """
        assert self._slots is not None and self._token_lock is not None
        while True:
            if self._net_blocked() or self.stopping:
                return False
            pause = self.pacer.paused_for
            patience = self.max_chat_wait + (pause if pause <= self.max_retry_after_wait else 0)
            wait = self.pacer.delay(chat_id)
            if wait > patience:
                return False
            own = self.pacer.chat_delay(chat_id)
            if own > 0:
                await asyncio.sleep(own)
                continue
            async with self._token_lock:
                wait = self.pacer.delay(chat_id)
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                await self._slots.acquire()
                if self.pacer.delay(chat_id) > 0:  # a pause began while we queued
                    self._slots.release()
                    continue
                self.pacer.take(chat_id)
                return True

    # --- one alert ----------------------------------------------------------------------

    async def _deliver(self, item: OutboxItem) -> _Outcome:
        """Send one alert and record the outcome in the outbox."""
        if item.kind == "story_update":  # a later outlet: edit the story's alert instead
            return _Outcome(await deliver_story_update(self, item))
        names = self.topic_names.get(item.language) or self.topic_names.get("da") or {}
        try:
            text, markup = format_alert(item, names, item.language)
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
                message = await self._send(item.chat_id, text, markup, plain, item.silent)
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
            self.store.mark_sent(item.id, message.message_id)
            metrics.record_send(True, time.perf_counter() - started, queued_at=item.queued_at)
            self._net_failures = 0
            log.debug(
                "alert %d sent to chat %d as message %d", item.id, item.chat_id, message.message_id
            )
            return _Outcome.SENT

    async def _send(
        self, chat_id: int, text: str, markup: Any, plain: bool, silent: bool = False
    ) -> Message:
        timeouts: dict[str, float] = {}
        if self.send_timeout is not None:
            timeouts = {"read_timeout": self.send_timeout, "write_timeout": self.send_timeout}
        return await self.bot.send_message(
            chat_id=chat_id,
            text=text,
            parse_mode=None if plain else ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=_NO_PREVIEW,
            disable_notification=silent,
            **timeouts,
        )

    def _gone(self, item: OutboxItem, reason: str) -> None:
        """The bot cannot write there any more: stop the chat, drop what it had queued."""
        reason = redact(reason)
        log.warning("chat %d deactivated at alert %d: %s", item.chat_id, item.id, reason)
        self.store.deactivate_chat(item.chat_id, reason)
        self.pacer.forget(item.chat_id)

    def _transient(self, item: OutboxItem, exc: BaseException) -> None:
        """Network trouble: back off this alert (keeping the chat's order) and all sending."""
        delay = min(self.retry_cap, self.retry_base * 2 ** max(0, item.attempts))
        self._net_failures += 1
        pause = min(self.retry_cap, self.retry_base * 2 ** (self._net_failures - 1))
        loop_time = asyncio.get_running_loop().time()
        self._net_blocked_until = max(self._net_blocked_until, loop_time + pause)
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
