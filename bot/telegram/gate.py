"""The gate every message the bot sends passes: one budget (pacing), in-flight limit,
circuit breaker, and the lock that keeps one drain (or digest flush) sending at a time.

One object, shared by alerts, digests, story edits and — through `ReplyLimiter`, PTB's rate
limiter hook — every command reply and callback answer that sends or edits a message, so a
429 met by one of them holds back all of them, and no two of them count the limits
separately. Replies go first: while one waits for its turn, alerts book no new slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from bot.telegram.ratelimit import Pacer

#: Paid broadcasts leave in ticks this long (10 sends per 10 ms at 1,000/s). A tick's sends
#: reach the API together and queue behind one another there and in this process, and the
#: sliding window counts each send from its answer, so every millisecond of that queue is
#: budget lost. On the stand-in (3 runs each, one invocation of `python bench/fanout.py
#: --chats 10000 --runs paid,paid,paid --paid-ticks 0.1,0.01,0.005`): ticks of 0.1 s (100
#: sends at once) 86-92 % of 1,000/s, answers ~30-44 ms late; 10 ms 92-95 %, ~7-14 ms,
#: 6 % more CPU per message; 5 ms no faster, 14 % more CPU (more wake-ups).
PAID_TICK = 0.01

#: Set while a task holds a turn from `turn`: its Bot API call is already counted (PTB's
#: rate limiter hook sees that call too and must not count it twice).
_HOLDS_TURN: ContextVar[bool] = ContextVar("holds_send_turn", default=False)


@dataclass
class _ReplyWaiter:
    chat_id: int
    #: Resolved True when the reply may go, False when it is dropped (shutdown).
    turn: asyncio.Future[bool]


class SendGate:
    """Asked before each send (`turn`), told after it (`release`).

    - `max_in_flight`: concurrent requests; give the Bot a request backend whose
      `connection_pool_size` is at least this, or requests queue for a connection;
    - `max_chat_wait`: a chat whose next turn is further away is left to the next drain;
    - `max_retry_after_wait`: a 429 asking for longer is not waited out inside a drain;
    - `retry_base` / `retry_cap`: exponential backoff after network errors, per message
      (base · 2^attempts, capped) and for all sending (consecutive failures).
    """

    def __init__(
        self,
        pacer: Pacer,
        *,
        paid_pacer: Pacer | None = None,
        max_in_flight: int = 16,
        max_chat_wait: float = 1.5,
        max_retry_after_wait: float = 30.0,
        retry_base: float = 2.0,
        retry_cap: float = 300.0,
    ) -> None:
        self.pacer = pacer
        #: Paid broadcasts (`telegram.paid_broadcast`): alerts and digests are paced by this
        #: one (up to 1,000/s, charged in Stars); replies and edits stay on `pacer`.
        self.paid_pacer = paid_pacer
        self.max_in_flight = max(1, max_in_flight)
        self.max_chat_wait = max_chat_wait
        self.max_retry_after_wait = max_retry_after_wait
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self._slots: asyncio.Semaphore | None = None
        self._lock: asyncio.Lock | None = None
        #: Circuit breaker: consecutive network failures and until when nothing is tried.
        self._net_failures = 0
        self._blocked_until = 0.0
        #: Set on shutdown: sends in flight finish, no new one starts.
        self.stopping = False
        #: Replies waiting for their turn; alerts wait while there are any.
        self._replies_waiting = 0
        self._no_replies = asyncio.Event()
        self._no_replies.set()
        #: Which pacer each chat's current turn was booked on.
        self._booked_on: dict[int, Pacer] = {}
        #: Replies waiting for a turn, oldest first, and the task granting them.
        self._reply_queue: list[_ReplyWaiter] = []
        self._reply_arrived = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._replies_closed = False

    @classmethod
    def build(
        cls,
        *,
        global_rate: float = 30.0,
        global_burst: float = 3.0,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        paid_rate: float | None = None,
        paid_tick: float = PAID_TICK,
        clock: Callable[[], float] = time.monotonic,
        **tunables: float,
    ) -> SendGate:
        """The gate with Telegram's published limits (or the tunables given): `global_rate`
        per sliding second over all chats, 1/s per user, 20/min (3 s) per group; with
        `paid_rate`, alerts may use that many per second as paid broadcasts, in ticks of
        `paid_tick` seconds."""

        def pacer(rate: float, burst: float) -> Pacer:
            return Pacer(
                global_rate=rate,
                global_burst=burst,
                private_interval=private_interval,
                group_interval=group_interval,
                clock=clock,
            )

        paid = pacer(paid_rate, paid_rate * paid_tick) if paid_rate else None
        return cls(
            pacer(global_rate, global_burst),
            paid_pacer=paid,
            max_in_flight=int(tunables.pop("max_in_flight", 16)),
            **tunables,
        )

    @property
    def paid(self) -> bool:
        """Alerts go out as paid broadcasts."""
        return self.paid_pacer is not None

    @staticmethod
    def holds_turn() -> bool:
        """True inside a send that `turn` already counted."""
        return _HOLDS_TURN.get()

    def drain_lock(self) -> asyncio.Lock:
        """Held by every drain and digest flush, so only one sends at a time. Created on
        first use (with the in-flight semaphore) so both bind to the running loop."""
        if self._lock is None:
            self._lock, self._slots = asyncio.Lock(), asyncio.Semaphore(self.max_in_flight)
        return self._lock

    def closed(self) -> bool:
        """No new send may start now: shutting down, or the circuit breaker is open."""
        return self.stopping or asyncio.get_running_loop().time() < self._blocked_until

    async def turn(self, chat_id: int, *, paid: bool = False) -> bool:
        """Wait for this chat's next slot and take it (with an in-flight slot held); pair
        with `release`. `paid`: a paid broadcast, booked on `paid_pacer` when there is one.

        False when the wait would exceed `max_chat_wait` (plus a 429 pause short enough to
        wait out): the chat is left for a later drain. A chat first waits out its own spacing,
        then books a global slot and sleeps once until it; a 429 pause that began meanwhile
        means booking again.
        """
        self.drain_lock()
        assert self._slots is not None
        pacer = self.paid_pacer if paid and self.paid_pacer else self.pacer
        while True:
            if self.closed():
                return False
            if self._replies_waiting:  # replies first
                try:
                    await asyncio.wait_for(self._no_replies.wait(), self.max_chat_wait)
                except TimeoutError:
                    return False
                continue
            pause = pacer.paused_for
            patience = self.max_chat_wait + (pause if pause <= self.max_retry_after_wait else 0)
            if pacer.delay(chat_id) > patience:
                return False
            own = pacer.chat_delay(chat_id)
            if own > 0:
                await asyncio.sleep(own)
                continue
            wait = pacer.reserve(chat_id)
            if wait > 0:
                await asyncio.sleep(wait)
                if pacer.paused_for > 0 or self.closed():
                    pacer.cancel(chat_id)
                    continue
            await self._slots.acquire()
            if pacer.paused_for > 0:  # a pause began while we waited for a connection
                self._slots.release()
                pacer.cancel(chat_id)
                continue
            pacer.started(chat_id)
            self._booked_on[chat_id] = pacer
            _HOLDS_TURN.set(True)
            return True

    def release(self, chat_id: int) -> None:
        """The request that `turn` allowed finished, whatever its outcome."""
        assert self._slots is not None
        _HOLDS_TURN.set(False)
        self._booked_on.pop(chat_id, self.pacer).done(chat_id)
        self._slots.release()

    async def reply_turn(self, chat_id: int, deadline: float) -> bool:
        """A reply's turn: the chat's spacing and the shared budget, ahead of alerts (no
        in-flight slot: replies have connections of their own). False when it could not be
        had before `deadline` (loop time). Pair with `reply_done`.

        Waiting replies queue here and one dispatcher books their slots one at a time as
        they come due, rather than every reply booking far ahead: a booking made long
        before its request leaves says little about when it arrives, and the sliding
        window is only as good as those times.
        """
        loop = asyncio.get_running_loop()
        if self._replies_closed:
            return False
        waiter = _ReplyWaiter(chat_id, loop.create_future())
        self._reply_queue.append(waiter)
        self._replies_waiting += 1
        self._no_replies.clear()
        self._reply_arrived.set()
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = loop.create_task(self._dispatch_replies(), name="reply-budget")
        try:
            return await asyncio.wait_for(
                asyncio.shield(waiter.turn), max(0.0, deadline - loop.time())
            )
        except TimeoutError:
            if waiter.turn.done():  # granted at the last moment: it is booked, so use it
                return waiter.turn.result()
            waiter.turn.set_result(False)  # the dispatcher may hold it: it skips it now
            if waiter in self._reply_queue:
                self._reply_queue.remove(waiter)
            return False
        finally:
            self._replies_waiting -= 1
            if not self._replies_waiting:
                self._no_replies.set()

    async def _dispatch_replies(self) -> None:
        """Grant waiting replies their turns in order, skipping chats still spaced."""
        while self._reply_queue:
            self._reply_arrived.clear()
            ready, soonest = None, float("inf")
            for waiter in self._reply_queue:
                own = self.pacer.chat_delay(waiter.chat_id)
                if own <= 0:
                    ready = waiter
                    break
                soonest = min(soonest, own)
            if ready is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._reply_arrived.wait(), soonest)
                continue
            self._reply_queue.remove(ready)
            wait = self.pacer.reserve(ready.chat_id)
            if wait > 0:
                await asyncio.sleep(wait)
            if self.pacer.paused_for > 0 or ready.turn.done():  # a 429 meanwhile; or gone
                self.pacer.cancel(ready.chat_id)
                if not ready.turn.done():
                    self._reply_queue.insert(0, ready)
                continue
            self.pacer.started(ready.chat_id)
            ready.turn.set_result(True)

    def close_replies(self) -> None:
        """Shutting down: replies still waiting for a turn are dropped now (PTB finishes the
        updates in progress before it stops, and a backlog could take minutes)."""
        self._replies_closed = True
        for waiter in self._reply_queue:
            if not waiter.turn.done():
                waiter.turn.set_result(False)
        self._reply_queue.clear()

    def reply_done(self, chat_id: int) -> None:
        self.pacer.done(chat_id)

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": no message to anyone until then."""
        self.pacer.pause(seconds)
        if self.paid_pacer is not None:
            self.paid_pacer.pause(seconds)

    def forget(self, chat_id: int) -> None:
        """The chat moved or is gone: drop its spacing state."""
        self.pacer.forget(chat_id)
        if self.paid_pacer is not None:
            self.paid_pacer.forget(chat_id)

    def back_off(self, attempts: int) -> tuple[float, float]:
        """Network trouble: (seconds until this send is retried, seconds all sending now
        pauses); both grow exponentially, the first with the send's attempts, the second
        with consecutive failures, until a send succeeds (`network_ok`)."""
        delay = min(self.retry_cap, self.retry_base * 2 ** max(0, attempts))
        self._net_failures += 1
        pause = min(self.retry_cap, self.retry_base * 2 ** (self._net_failures - 1))
        loop_time = asyncio.get_running_loop().time()
        self._blocked_until = max(self._blocked_until, loop_time + pause)
        return delay, pause

    def network_ok(self) -> None:
        self._net_failures = 0
