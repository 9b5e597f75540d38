"""Pacing of sends to Telegram: per-chat spacing, a global sliding window, and flood pauses.

PTB's AIORateLimiter does not pace private chats and retries nothing, and Telegram punishes
overshooting with 429s that stall *every* chat (its flood limit is per bot; it publishes no
algorithm, and bots that keep hitting it report long ``retry_after`` answers), so every send
asks this scheduler first instead of finding the limits by hitting them.

Everything is decided synchronously on one event loop: `reserve()` books a slot without an
``await``, so two tasks can never get the same slot.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable


class Pacer:
    """When may the next message to a chat go out?

    - per chat: one message per `private_interval` s to users, per `group_interval` s to
      groups, supergroups and channels (negative ids, 3 s: 20 in any minute); measured from
      when the previous request *finished*, so network jitter can never make two arrive
      closer than that;
    - globally: at most `global_rate` messages in *any* sliding second. Slots are handed out
      as reservations in ticks of `global_burst` messages every `global_burst / global_rate`
      s (3 per 0.1 s at 30/s): a sender books its slot once and sleeps until it, and the few
      sends of a tick wake the process once. On top of the ticks, a slot is never less than
      one second (plus `margin`) after the slot `global_rate` bookings earlier, and each
      booking's time moves to when its request really started and then finished
      (`started`, `done`), so a late request cannot squeeze the window either. A finish
      time is an upper bound of when the request reached Telegram, so `margin` only covers
      clock granularity (5 ms: ~0.5 % of the rate; 20 ms cost 1.5 points of it);
    - `pause(seconds)`: nothing at all until then (a 429's retry_after).
    """

    def __init__(
        self,
        *,
        global_rate: float = 30.0,
        global_burst: float = 1.0,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        margin: float = 0.005,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_rate = global_rate
        self.global_burst = max(1.0, global_burst)
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.margin = margin
        self._clock = clock
        #: The latest booked tick: when it starts and how many slots it has left.
        self._tick_at = clock() - 3600.0
        self._tick_left = 0
        #: The last `global_rate` bookings, oldest first; each a one-element list holding
        #: the booked, then started, then finished time of its request.
        self._window: deque[list[float]] = deque(maxlen=max(1, int(global_rate)))
        self._open: dict[int, list[float]] = {}
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0

    def interval(self, chat_id: int) -> float:
        return self.private_interval if chat_id > 0 else self.group_interval

    @property
    def _tick(self) -> tuple[int, float]:
        """(messages per tick, tick length in seconds)."""
        per = max(1, int(self.global_burst))
        return per, per / self.global_rate

    def _window_floor(self) -> float:
        """The earliest time a new send keeps every sliding second within the rate."""
        if len(self._window) < (self._window.maxlen or 1):
            return float("-inf")
        return self._window[0][0] + 1.0 + self.margin

    def _global_slot(self, earliest: float, *, book: bool) -> float:
        """The first global slot at or after `earliest`; `book` takes it."""
        if self.global_rate <= 0:
            return earliest
        per, period = self._tick
        if self._tick_left > 0 and earliest < self._tick_at + period:
            slot, new_tick = max(self._tick_at, earliest), False
        else:
            slot, new_tick = max(earliest, self._tick_at + period), True
        floor = self._window_floor()
        if slot < floor:
            slot, new_tick = floor, True
        if book:
            if new_tick:
                self._tick_at, self._tick_left = slot, per - 1
            else:
                self._tick_left -= 1
        return slot

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
        if self.global_rate > 0:
            entry = [slot]
            self._window.append(entry)
            self._open[chat_id] = entry
        # Provisional; `done()` moves it to the real end of the request.
        self._chat_next[chat_id] = slot + self.interval(chat_id)
        return slot - now

    def started(self, chat_id: int) -> None:
        """The booked request to `chat_id` is leaving now (maybe later than booked)."""
        entry = self._open.get(chat_id)
        if entry is not None:
            entry[0] = max(entry[0], self._clock())

    def done(self, chat_id: int) -> None:
        """The request to `chat_id` finished (whatever its outcome): space the next one."""
        now = self._clock()
        entry = self._open.pop(chat_id, None)
        if entry is not None:  # it reached Telegram no later than now
            entry[0] = max(entry[0], now)
        self._chat_next[chat_id] = now + self.interval(chat_id)
        if len(self._chat_next) > 10_000:  # thousands of chats: forget the ones free again
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}

    def cancel(self, chat_id: int) -> None:
        """A booked slot was not used (a pause began meanwhile): the send was never made."""
        entry = self._open.pop(chat_id, None)
        if entry is not None:
            self._window.remove(entry)

    def seed(self, sends: Iterable[tuple[float, int]]) -> None:
        """Sends made before this pacer existed ((clock time, chat id), oldest first), e.g.
        by the process before a restart: they count in the sliding second and the chats'
        spacing, so a restart starts inside the limits."""
        for at, chat_id in sends:
            if self.global_rate > 0:
                self._window.append([at])
            after = at + self.interval(chat_id)
            self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), after)

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": no message to anyone until then."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    def forget(self, chat_id: int) -> None:
        """Drop a chat's spacing state (it migrated or was deactivated)."""
        self._chat_next.pop(chat_id, None)
