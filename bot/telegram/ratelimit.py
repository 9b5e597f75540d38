"""Pacing of sends to Telegram: per-chat spacing, a global token bucket, and flood pauses.

PTB's AIORateLimiter does not pace private chats and retries nothing, and Telegram punishes
overshooting with 429s that stall *every* chat (its flood limit is per bot), so the sender
asks this scheduler before each send instead of finding the limits by hitting them.

Everything is decided synchronously on one event loop: `reserve()` books a slot without an
``await``, so two tasks can never get the same slot.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Pacer:
    """When may the next message to a chat go out?

    - per chat: one message per `private_interval` s to users, per `group_interval` s to
      groups, supergroups and channels (negative ids); measured from when the previous
      request *finished*, so network jitter can never make two arrive closer than that;
    - globally: `global_rate` messages/s, handed out as *reservations* in ticks of
      `global_burst` messages every `global_burst / global_rate` s (3 per 0.1 s at 30/s). A
      sender books its slot once and sleeps until it, instead of every waiting sender
      polling a token bucket (at 10,000 waiting chats, that polling was most of the CPU and
      cost rate); the few sends of a tick wake the process once, not once each. No window
      of one second holds more than `global_rate + global_burst` messages (PTB's own
      AIORateLimiter allows bursts of 30);
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
        #: The latest booked tick: when it starts and how many slots it has left.
        self._tick_at = clock() - 3600.0
        self._tick_left = 0
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0

    def interval(self, chat_id: int) -> float:
        return self.private_interval if chat_id > 0 else self.group_interval

    @property
    def _tick(self) -> tuple[int, float]:
        """(messages per tick, tick length in seconds)."""
        per = max(1, int(self.global_burst))
        return per, per / self.global_rate

    def _global_slot(self, earliest: float, *, book: bool) -> float:
        """The first global slot at or after `earliest`; `book` takes it."""
        if self.global_rate <= 0:
            return earliest
        per, period = self._tick
        if self._tick_left > 0 and earliest < self._tick_at + period:
            if book:
                self._tick_left -= 1
            return max(self._tick_at, earliest)
        start = max(earliest, self._tick_at + period)
        if book:
            self._tick_at, self._tick_left = start, per - 1
        return start

    def delay(self, chat_id: int) -> float:
        """Seconds until a message to `chat_id` could go out if booked now (0: now)."""
        now = self._clock()
        slot = self._global_slot(max(now, self._paused_until), book=False)
        return max(0.0, slot - now, self._chat_next.get(chat_id, 0.0) - now)

    def chat_delay(self, chat_id: int) -> float:
        """Like `delay` without the global rate: this chat's own spacing and flood pauses."""
        now = self._clock()
        return max(0.0, self._paused_until - now, self._chat_next.get(chat_id, 0.0) - now)

    def reserve(self, chat_id: int) -> float:
        """Book the next global slot for a message to `chat_id`; seconds until it (0: now).

        Wait out `chat_delay` first: a booking holds the global schedule, so booking a slot
        that only this chat's spacing delays would hold every other chat back too.
        """
        now = self._clock()
        slot = self._global_slot(max(now, self._paused_until), book=True)
        # Provisional; `done()` moves it to the real end of the request.
        self._chat_next[chat_id] = slot + self.interval(chat_id)
        return slot - now

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
