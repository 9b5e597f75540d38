"""Delivery modes and quiet hours: pure time logic, all in Europe/Copenhagen.

A chat gets its alerts

- ``instant`` (the default): one message per article as soon as it is matched;
- ``hourly``: one digest at every full hour;
- ``daily``: one digest a day at a chosen local time (``HH:MM``).

Quiet hours (``22:00``–``07:00``, possibly crossing midnight) make alerts arrive ``silent``
(no notification sound) or ``hold`` them until the quiet period ends.

Everything here takes `now` (an aware datetime) instead of reading the clock, so the rules are
tested on any day — including the days Denmark changes between CET and CEST. Local wall times
are turned into instants with zoneinfo: a time skipped in spring (02:30 on the last Sunday of
March) maps to the instant just after the gap (03:30 CEST); a time that occurs twice in autumn
maps to its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.localtime import COPENHAGEN

MODES = ("instant", "hourly", "daily")
DIGEST_MODES = ("hourly", "daily")
QUIET_MODES = ("silent", "hold")
DEFAULT_DIGEST_AT = "08:00"

_HHMM_RE = re.compile(r"([01]?\d|2[0-3])(?:[:.]?([0-5]\d))?")


@dataclass(frozen=True, slots=True)
class DeliveryPrefs:
    """A chat's delivery preferences as stored in `chats`."""

    delivery: str = "instant"
    digest_at: str | None = None
    quiet_from: str | None = None
    quiet_to: str | None = None
    quiet_mode: str = "silent"

    @property
    def is_digest(self) -> bool:
        return self.delivery in DIGEST_MODES

    @property
    def has_quiet(self) -> bool:
        return bool(self.quiet_from and self.quiet_to and self.quiet_from != self.quiet_to)


@dataclass(frozen=True, slots=True)
class Timing:
    """When a queued alert may go out and whether it goes out without a sound."""

    hold_until: datetime | None
    silent: bool


def parse_hhmm(text: str) -> str | None:
    """``8``, ``08``, ``0800``, ``8:00``, ``08.00`` → ``"08:00"``; None when not a time."""
    m = _HHMM_RE.fullmatch(text.strip())
    if m is None:
        return None
    return f"{int(m[1]):02d}:{int(m[2] or 0):02d}"


def parse_quiet_range(text: str) -> tuple[str, str] | None:
    """``22-07`` or ``22:30-6:45`` → ("22:00", "07:00"); None when malformed or empty."""
    parts = text.replace("–", "-").split("-")
    if len(parts) != 2:
        return None
    start, end = parse_hhmm(parts[0]), parse_hhmm(parts[1])
    if start is None or end is None or start == end:
        return None
    return start, end


def _clock(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def local_instant(day: date, hhmm: str) -> datetime:
    """The instant (UTC) when Copenhagen's clocks show `hhmm` on `day` (see module doc)."""
    wall = datetime.combine(day, _clock(hhmm), tzinfo=COPENHAGEN)
    # A round trip through UTC normalises a wall time inside the spring gap to after it.
    return wall.astimezone(UTC)


def next_local(now: datetime, hhmm: str) -> datetime:
    """The first instant strictly after `now` at which Copenhagen shows `hhmm`."""
    today = now.astimezone(COPENHAGEN).date()
    for offset in range(3):
        candidate = local_instant(today + timedelta(days=offset), hhmm)
        if candidate > now:
            return candidate
    raise AssertionError("unreachable: a wall time occurs at least once in two days")


def next_digest(prefs: DeliveryPrefs, now: datetime) -> datetime:
    """The next digest boundary strictly after `now` for a digest chat.

    Hourly: the next full hour (Copenhagen is a whole number of hours from UTC, so that is the
    next full UTC hour, and a DST day simply has 23 or 25 of them). Daily: the next time the
    local clock shows `digest_at`.
    """
    if prefs.delivery == "hourly":
        top = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return top + timedelta(hours=1)
    return next_local(now, prefs.digest_at or DEFAULT_DIGEST_AT)


def in_quiet(prefs: DeliveryPrefs, now: datetime) -> bool:
    """Whether `now` falls inside the chat's quiet hours (start included, end excluded)."""
    if not prefs.has_quiet:
        return False
    assert prefs.quiet_from is not None and prefs.quiet_to is not None
    local = now.astimezone(COPENHAGEN).strftime("%H:%M")
    start, end = prefs.quiet_from, prefs.quiet_to
    if start < end:
        return start <= local < end
    return local >= start or local < end  # crosses midnight (22:00-07:00)


def quiet_end(prefs: DeliveryPrefs, now: datetime) -> datetime | None:
    """When the quiet period `now` is in ends; None outside quiet hours."""
    if not in_quiet(prefs, now):
        return None
    assert prefs.quiet_to is not None
    return next_local(now, prefs.quiet_to)


def timing(prefs: DeliveryPrefs, now: datetime) -> Timing:
    """How an alert queued at `now` is delivered.

    - instant, outside quiet hours: now, with sound;
    - instant, quiet ``silent``: now, without sound; quiet ``hold``: at the end of the period;
    - digest: at the next digest boundary; if that boundary falls inside quiet hours with
      ``hold``, at the end of that quiet period instead (the digest waits for the morning).
      Whether a digest makes a sound is decided when it is sent (`digest_silent`).
    """
    if prefs.is_digest:
        boundary = next_digest(prefs, now)
        if prefs.quiet_mode == "hold":
            end = quiet_end(prefs, boundary)
            if end is not None:
                return Timing(end, False)
        return Timing(boundary, False)
    if not in_quiet(prefs, now):
        return Timing(None, False)
    if prefs.quiet_mode == "hold":
        return Timing(quiet_end(prefs, now), False)
    return Timing(None, True)


def digest_silent(prefs: DeliveryPrefs, now: datetime) -> bool:
    """A digest sent at `now` goes out without sound inside quiet hours (silent mode)."""
    return prefs.quiet_mode == "silent" and in_quiet(prefs, now)
