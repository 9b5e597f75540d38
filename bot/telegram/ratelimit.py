"""Pacing of sends to Telegram: per-chat spacing, a global token bucket, and flood pauses.

PTB's AIORateLimiter does not pace private chats and retries nothing, and Telegram punishes
overshooting with 429s that stall *every* chat (its flood limit is per bot), so the sender
asks this scheduler before each send instead of finding the limits by hitting them.

Everything is decided synchronously on one event loop: `delay()` and `take()` run without
an ``await`` in between, so two tasks can never take the same slot.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Pacer:
    """When may the next message to a chat go out?

    - per chat: one message per `private_interval` s to users, per `group_interval` s to
      groups, supergroups and channels (negative ids); measured from when the previous
      request *finished*, so network jitter can never make two arrive closer than that;
    - globally: a token bucket of `global_rate` messages/s with bursts of `global_burst`;
    - `pause(seconds)`: nothing at all until then (a 429's retry_after).
    """

    def __init__(
        self,
        *,
        global_rate: float = 30.0,
        global_burst: float = 1.0,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_rate = global_rate
        self.global_burst = max(1.0, global_burst)
        self.private_interval = private_interval
        self.group_interval = group_interval
        self._clock = clock
        self._tokens = self.global_burst
        self._stamp = clock()
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0

    def interval(self, chat_id: int) -> float:
        return self.private_interval if chat_id > 0 else self.group_interval

    def _refill(self, now: float) -> None:
        if self.global_rate > 0:
            elapsed = max(0.0, now - self._stamp)
            self._tokens = min(self.global_burst, self._tokens + elapsed * self.global_rate)
        else:
            self._tokens = self.global_burst
        self._stamp = max(self._stamp, now)

    def delay(self, chat_id: int) -> float:
        """Seconds until a message to `chat_id` may be sent (0: now)."""
        now = self._clock()
        self._refill(now)
        waits = [self._paused_until - now, self._chat_next.get(chat_id, 0.0) - now]
        if self._tokens < 1 and self.global_rate > 0:
            waits.append((1 - self._tokens) / self.global_rate)
        return max(0.0, *waits)

    def chat_delay(self, chat_id: int) -> float:
        """Like `delay` without the global bucket: this chat's own spacing and flood pauses."""
        now = self._clock()
        return max(0.0, self._paused_until - now, self._chat_next.get(chat_id, 0.0) - now)

    def take(self, chat_id: int) -> None:
        """Spend the slot `delay()` just granted (call with no await in between)."""
        now = self._clock()
        self._refill(now)
        self._tokens -= 1
        # Provisional; `done()` moves it to the real end of the request.
        self._chat_next[chat_id] = now + self.interval(chat_id)

    def done(self, chat_id: int) -> None:
        """The request to `chat_id` finished (whatever its outcome): space the next one."""
        now = self._clock()
        self._chat_next[chat_id] = now + self.interval(chat_id)
        if len(self._chat_next) > 10_000:  # thousands of chats: forget the ones free again
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": no message to anyone until then."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    def forget(self, chat_id: int) -> None:
        """Drop a chat's spacing state (it migrated or was deactivated)."""
        self._chat_next.pop(chat_id, None)
