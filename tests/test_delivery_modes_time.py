"""Delivery modes' time logic: digest boundaries, quiet hours crossing midnight, DST days."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.delivery_modes import (
    COPENHAGEN,
    DeliveryPrefs,
    digest_silent,
    in_quiet,
    local_instant,
    next_digest,
    next_local,
    parse_hhmm,
    parse_quiet_range,
    quiet_end,
    timing,
)


def cph(y: int, mo: int, d: int, h: int, mi: int = 0, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=COPENHAGEN, fold=fold)


def local(dt: datetime) -> str:
    return dt.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M %Z")


NIGHT = DeliveryPrefs(quiet_from="22:00", quiet_to="07:00")
NIGHT_HOLD = DeliveryPrefs(quiet_from="22:00", quiet_to="07:00", quiet_mode="hold")
DAILY8 = DeliveryPrefs(delivery="daily", digest_at="08:00")
HOURLY = DeliveryPrefs(delivery="hourly")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("8", "08:00"), ("08:00", "08:00"), ("0830", "08:30"), ("8.30", "08:30"), ("23:59", "23:59")],
)
def test_parse_hhmm(text: str, expected: str) -> None:
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["24", "8:60", "", "abc", "-1", "12:5"])
def test_parse_hhmm_rejects(text: str) -> None:
    assert parse_hhmm(text) is None


def test_parse_quiet_range() -> None:
    assert parse_quiet_range("22-07") == ("22:00", "07:00")
    assert parse_quiet_range("22:30–6:45") == ("22:30", "06:45")
    assert parse_quiet_range("22-22") is None
    assert parse_quiet_range("22") is None
    assert parse_quiet_range("a-b") is None


def test_daily_digest_next_boundary() -> None:
    assert local(next_digest(DAILY8, cph(2026, 4, 14, 7, 59))) == "2026-04-14 08:00 CEST"
    assert local(next_digest(DAILY8, cph(2026, 4, 14, 8, 0))) == "2026-04-15 08:00 CEST"
    assert local(next_digest(DAILY8, cph(2026, 4, 14, 23, 0))) == "2026-04-15 08:00 CEST"


def test_daily_digest_across_dst_changes_keeps_the_wall_time() -> None:
    # Spring forward (29 March 2026, 02:00 → 03:00): 23 hours between the two 08:00s.
    before = next_digest(DAILY8, cph(2026, 3, 28, 9))
    assert local(before) == "2026-03-29 08:00 CEST"
    assert (before - cph(2026, 3, 28, 8)).total_seconds() == 23 * 3600
    # Fall back (25 October 2026, 03:00 → 02:00): 25 hours.
    after = next_digest(DAILY8, cph(2026, 10, 24, 9))
    assert local(after) == "2026-10-25 08:00 CET"
    assert (after - cph(2026, 10, 24, 8)).total_seconds() == 25 * 3600


def test_wall_time_in_the_spring_gap_and_the_autumn_overlap() -> None:
    # 02:30 does not exist on 29 March 2026: the digest comes just after the gap.
    assert local(local_instant(cph(2026, 3, 29, 0).date(), "02:30")) == "2026-03-29 03:30 CEST"
    # 02:30 happens twice on 25 October 2026: the first one.
    first = local_instant(cph(2026, 10, 25, 0).date(), "02:30")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # After the first, the next 02:30 is the next day's (never the same wall time twice).
    assert next_local(first, "02:30").astimezone(COPENHAGEN).day == 26


def test_hourly_digest_on_dst_days() -> None:
    assert local(next_digest(HOURLY, cph(2026, 4, 14, 10, 15))) == "2026-04-14 11:00 CEST"
    assert local(next_digest(HOURLY, cph(2026, 4, 14, 10, 0))) == "2026-04-14 11:00 CEST"
    # 01:59 CET on the spring day: the next full hour is 03:00 CEST.
    assert local(next_digest(HOURLY, cph(2026, 3, 29, 1, 59))) == "2026-03-29 03:00 CEST"
    # Autumn: 02:30 CEST → 02:00 CET (the repeated hour), one hour later.
    first = cph(2026, 10, 25, 2, 30, fold=0)
    nxt = next_digest(HOURLY, first)
    assert (nxt - first).total_seconds() == 30 * 60 and local(nxt) == "2026-10-25 02:00 CET"


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (6, 59, True), (7, 0, False)],
)
def test_quiet_hours_crossing_midnight(hour: int, minute: int, quiet: bool) -> None:
    assert in_quiet(NIGHT, cph(2026, 4, 14, hour, minute)) is quiet


def test_quiet_hours_within_a_day_and_none() -> None:
    lunch = DeliveryPrefs(quiet_from="12:00", quiet_to="13:00")
    assert in_quiet(lunch, cph(2026, 4, 14, 12, 30))
    assert not in_quiet(lunch, cph(2026, 4, 14, 13, 0))
    assert not in_quiet(DeliveryPrefs(), cph(2026, 4, 14, 23))


def test_quiet_end_is_the_next_morning_or_today() -> None:
    assert local(quiet_end(NIGHT, cph(2026, 4, 14, 23)) or cph(1, 1, 1, 0)) == (
        "2026-04-15 07:00 CEST"
    )
    assert local(quiet_end(NIGHT, cph(2026, 4, 15, 3)) or cph(1, 1, 1, 0)) == (
        "2026-04-15 07:00 CEST"
    )
    assert quiet_end(NIGHT, cph(2026, 4, 15, 12)) is None


def test_quiet_night_across_dst_changes() -> None:
    # Spring night: 22:00 CET → 07:00 CEST is 8 real hours.
    start = cph(2026, 3, 28, 22)
    end = quiet_end(NIGHT, start)
    assert end is not None and (end - start).total_seconds() == 8 * 3600
    assert in_quiet(NIGHT, cph(2026, 3, 29, 3, 30))
    # Autumn night: 10 real hours; both 02:30s are quiet.
    start = cph(2026, 10, 24, 22)
    end = quiet_end(NIGHT, start)
    assert end is not None and (end - start).total_seconds() == 10 * 3600
    assert in_quiet(NIGHT, cph(2026, 10, 25, 2, 30, fold=0))
    assert in_quiet(NIGHT, cph(2026, 10, 25, 2, 30, fold=1))


def test_timing_instant() -> None:
    day, night = cph(2026, 4, 14, 12), cph(2026, 4, 14, 23)
    assert timing(DeliveryPrefs(), night) == timing(NIGHT, day)
    assert timing(NIGHT, day).hold_until is None and not timing(NIGHT, day).silent
    silent = timing(NIGHT, night)
    assert silent.hold_until is None and silent.silent
    held = timing(NIGHT_HOLD, night)
    assert local(held.hold_until or day) == "2026-04-15 07:00 CEST" and not held.silent


def test_timing_digest_and_quiet_hours() -> None:
    t = timing(DAILY8, cph(2026, 4, 14, 9))
    assert local(t.hold_until or t) == "2026-04-15 08:00 CEST"  # type: ignore[arg-type]
    # A digest due inside held quiet hours waits for their end.
    late = DeliveryPrefs(
        delivery="daily",
        digest_at="23:00",
        quiet_from="22:00",
        quiet_to="07:00",
        quiet_mode="hold",
    )
    t = timing(late, cph(2026, 4, 14, 12))
    assert local(t.hold_until or t) == "2026-04-15 07:00 CEST"  # type: ignore[arg-type]
    hourly_hold = DeliveryPrefs(
        delivery="hourly", quiet_from="22:00", quiet_to="07:00", quiet_mode="hold"
    )
    t = timing(hourly_hold, cph(2026, 4, 14, 21, 10))
    assert local(t.hold_until or t) == "2026-04-15 07:00 CEST"  # type: ignore[arg-type]
    t = timing(hourly_hold, cph(2026, 4, 14, 20, 10))
    assert local(t.hold_until or t) == "2026-04-14 21:00 CEST"  # type: ignore[arg-type]
    # Silent quiet hours: the digest comes on time, without sound.
    silent_late = DeliveryPrefs(
        delivery="daily", digest_at="23:00", quiet_from="22:00", quiet_to="07:00"
    )
    t = timing(silent_late, cph(2026, 4, 14, 12))
    assert local(t.hold_until or t) == "2026-04-14 23:00 CEST"  # type: ignore[arg-type]
    assert digest_silent(silent_late, cph(2026, 4, 14, 23))
    assert not digest_silent(silent_late, cph(2026, 4, 14, 12))
    assert not digest_silent(late, cph(2026, 4, 14, 23))
