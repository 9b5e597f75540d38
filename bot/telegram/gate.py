"""The gate every outgoing message of the delivery passes: pacing, in-flight limit, circuit
breaker, and the lock that keeps one drain (or digest flush) sending at a time.

One object, shared by alerts, digests and story edits, so a 429 or a network outage met by
one of them holds back all of them, and no two of them count the limits separately.
"""

from __future__ import annotations

import asyncio

from bot.telegram.ratelimit import Pacer


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
        max_in_flight: int = 16,
        max_chat_wait: float = 1.5,
        max_retry_after_wait: float = 30.0,
        retry_base: float = 2.0,
        retry_cap: float = 300.0,
    ) -> None:
        self.pacer = pacer
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

    def drain_lock(self) -> asyncio.Lock:
        """Held by every drain and digest flush, so only one sends at a time. Created on
        first use (with the in-flight semaphore) so both bind to the running loop."""
        if self._lock is None:
            self._lock, self._slots = asyncio.Lock(), asyncio.Semaphore(self.max_in_flight)
        return self._lock

    def closed(self) -> bool:
        """No new send may start now: shutting down, or the circuit breaker is open."""
        return self.stopping or asyncio.get_running_loop().time() < self._blocked_until

    async def turn(self, chat_id: int) -> bool:
        """Wait for this chat's next slot and take it (with an in-flight slot held); pair
        with `release`.

        False when the wait would exceed `max_chat_wait` (plus a 429 pause short enough to
        wait out): the chat is left for a later drain. A chat first waits out its own spacing,
        then books a global slot and sleeps once until it; a 429 pause that began meanwhile
        means booking again.
        """
        self.drain_lock()
        assert self._slots is not None
        while True:
            if self.closed():
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
                if self.pacer.paused_for > 0 or self.closed():
                    self.pacer.cancel(chat_id)
                    continue
            await self._slots.acquire()
            if self.pacer.paused_for > 0:  # a pause began while we waited for a connection
                self._slots.release()
                self.pacer.cancel(chat_id)
                continue
            self.pacer.started(chat_id)
            return True

    def release(self, chat_id: int) -> None:
        """The request that `turn` allowed finished, whatever its outcome."""
        assert self._slots is not None
        self.pacer.done(chat_id)
        self._slots.release()

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": no message to anyone until then."""
        self.pacer.pause(seconds)

    def forget(self, chat_id: int) -> None:
        """The chat moved or is gone: drop its spacing state."""
        self.pacer.forget(chat_id)

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
