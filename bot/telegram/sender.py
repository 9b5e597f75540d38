"""Delivery of queued alerts to Telegram: paced, ordered per chat, and loss-free.

The outbox is the only queue: an alert is marked sent only after Telegram accepted it, and
every failure is written back to its row (retry time, error, status) before anything else
happens, so a crash or an outage never loses an alert. A crash between Telegram's answer and
`mark_sent` resends that alert once on restart (at most one duplicate per crash); the same
holds for a request that timed out after Telegram had in fact delivered it, since the Bot API
offers no way to ask.

A fixed set of workers takes one chat at a time and sends that chat's alerts in order while
other chats proceed concurrently, each send passing the `SendGate` (per-chat spacing, the
global rate, flood pauses, in-flight limit, circuit breaker) and meeting failures with the
one delivery policy (`bot.telegram.send_errors`, carried out by `bot.telegram.attempt`). A
chat that must wait long (groups: 3 s per message) or whose alert waits for a retry is left
for the next drain rather than holding this one up.

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
from datetime import UTC, datetime
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.warnings import PTBUserWarning

from bot.ops import metrics
from bot.store import OutboxItem, Store
from bot.telegram.attempt import Outcome, SendJob, attempt
from bot.telegram.digest import DigestSender
from bot.telegram.format import NO_PREVIEW, feedback_markup, format_alert, format_alert_plain
from bot.telegram.gate import SendGate
from bot.telegram.send_errors import Purpose
from bot.telegram.story_edit import StoryEditor

log = logging.getLogger(__name__)

#: `NO_PREVIEW` as the Bot API JSON of a raw send.
_NO_PREVIEW_JSON = NO_PREVIEW.to_dict()
#: Alerts are sent with `do_api_request` (PTB's documented way to call a method raw), which
#: skips building a `Message` from the answer: ~0.4 ms per alert for one `message_id`.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning)
#: Formatted alert texts kept for the next chats of the same fan-out.
_TEXT_CACHE_SIZE = 64


@dataclass
class _ChatResult:
    sent: int = 0
    #: Leave this chat alone for the rest of the drain.
    stop: bool = False


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
    - `max_in_flight`, `max_chat_wait`, `max_retry_after_wait`, `retry_base`, `retry_cap`:
      the `SendGate`'s (in-flight limit, patience, back-off);
    - `max_drain_seconds`: after this, no new sends start and `drain` returns;
    - `send_timeout`: read timeout of one sendMessage (None: the Bot's default);
    - `batch_size`: most outbox rows fetched per query.

    `gate` replaces all the pacing tunables with a gate shared with the command replies
    (`bot.telegram.reply_limiter`); a gate with a `paid_pacer` makes alerts and digests paid
    broadcasts (``allow_paid_broadcast``).
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
        gate: SendGate | None = None,
    ) -> None:
        self.bot = bot
        self.store = store
        self.topic_names = topic_names
        self.gate = gate or SendGate.build(
            global_rate=global_rate,
            global_burst=global_burst,
            private_interval=private_interval,
            group_interval=group_interval,
            max_in_flight=max_in_flight,
            max_chat_wait=max_chat_wait,
            max_retry_after_wait=max_retry_after_wait,
            retry_base=retry_base,
            retry_cap=retry_cap,
        )
        self.max_drain_seconds = max_drain_seconds
        self.send_timeout = send_timeout
        self.batch_size = batch_size
        self._texts: dict[tuple[object, ...], str] = {}
        #: Alerts go out as paid broadcasts (`telegram.paid_broadcast`) when the gate has
        #: a budget for them.
        self.paid = self.gate.paid
        rate = (self.gate.paid_pacer or self.gate.pacer).global_rate
        #: Alerts fetched per query while sending: about one second's worth.
        self._prefetch = math.ceil(rate) if rate > 0 else batch_size
        # Digest chats' alerts go out as one message per period; story updates are edits.
        self.digests = DigestSender(bot, store, self.gate, self.names, paid=self.paid)
        self.story_edits = StoryEditor(bot, store, self.gate, self.names)

    def warm_start(self) -> None:
        """Count the sends of the last minute before a restart, so the first second after it
        holds no more than the limit with the second before it (and a group's minute too)."""
        now_wall, now = datetime.now(UTC), time.monotonic()
        ages = [((now_wall - at).total_seconds(), chat) for at, chat in self.store.recent_sends()]
        self.gate.pacer.seed((now - age, chat) for age, chat in ages if 0 <= age < 60.0)

    # --- the drain loop ---------------------------------------------------------------

    def stop(self) -> None:
        """Shutdown: let the sends in flight finish and start no new one (the rest stays
        queued), so a stop takes about one request, well inside `docker stop`'s grace."""
        self.gate.stopping = True

    async def drain(self) -> int:
        """Send what is due now, oldest first; returns how many alerts Telegram accepted."""
        async with self.gate.drain_lock():
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
            for i in range(min(self.gate.max_in_flight, len(state.fetched)))
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
                result = await self._run_chat(queue, state.deadline)
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
            or self.gate.closed()
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
                limit=min(self.batch_size, max(2 * self.gate.max_in_flight, self._prefetch)),
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

    async def _run_chat(self, queue: list[OutboxItem], deadline: float) -> _ChatResult:
        """One chat's alerts strictly in order; stops at the first that must wait."""
        result = _ChatResult()
        loop = asyncio.get_running_loop()
        for item in queue:
            if loop.time() >= deadline or self.gate.closed():
                result.stop = True
                break
            outcome = await self._deliver(item)
            if outcome is Outcome.SENT:
                result.sent += 1
            elif outcome is Outcome.STOP:
                result.stop = True
                break
        return result

    # --- one alert ----------------------------------------------------------------------

    async def _deliver(self, item: OutboxItem) -> Outcome:
        """Send one alert and record the outcome in the outbox."""
        if item.kind == "story_update":  # a later outlet: edit the story's alert instead
            return await self.story_edits.deliver(item)
        names = self.names(item.language)
        try:
            text, markup = self._formatted(item, names), feedback_markup(item.id)
        except Exception as exc:  # a formatting bug must not block the queue forever
            log.exception("alert %d for chat %d cannot be formatted", item.id, item.chat_id)
            self.store.mark_failed(item.id, f"format: {exc!r}")
            metrics.record_send(False, 0.0)
            return Outcome.FAILED

        async def send(plain: bool) -> int | None:
            shown = format_alert_plain(item, names, item.language) if plain else text
            return await self._send(item.chat_id, shown, markup, plain, item.silent)

        job = SendJob(
            Purpose.ALERT,
            item.chat_id,
            f"alert {item.id}",
            item.attempts,
            send,
            _AlertRow(self.store, item.id),
            queued_at=item.queued_at,
            paid=self.paid,
        )
        return await attempt(self.gate, self.store, job)

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
        if self.paid:
            params["allow_paid_broadcast"] = True
        result = await self.bot.do_api_request(
            "sendMessage", api_kwargs=params, return_type=None, **timeouts
        )
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return message_id if isinstance(message_id, int) else None


@dataclass
class _AlertRow:
    """The outbox row of one alert."""

    store: Store
    outbox_id: int

    def sent(self, message_id: int | None) -> None:
        self.store.mark_sent(self.outbox_id, message_id)

    def retry(self, error: str, delay: float) -> None:
        self.store.mark_retry(self.outbox_id, error, delay)

    def failed(self, error: str) -> None:
        self.store.mark_failed(self.outbox_id, error)


def _by_chat(items: list[OutboxItem]) -> dict[int, list[OutboxItem]]:
    """Per-chat queues in outbox order; chats ordered by their oldest alert."""
    queues: dict[int, list[OutboxItem]] = {}
    for item in items:
        queues.setdefault(item.chat_id, []).append(item)
    return queues
