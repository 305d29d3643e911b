from __future__ import annotations

import random
import time as _time
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.sop_clock import (
    Clock,
    ClockStatus,
    FrozenClock,
    SystemClock,
    WorkingCalendar,
    status,
)

JKT = ZoneInfo("Asia/Jakarta")
UTC = UTC
HOLIDAY = date(2026, 11, 11)  # a Wednesday, for the tests


def J(*args) -> datetime:
    return datetime(*args, tzinfo=JKT)


def M(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar(holidays={HOLIDAY})


def reference_elapsed(cal: WorkingCalendar, a: datetime, b: datetime) -> timedelta:
    """Independent O(days) implementation: sum the overlap with each day's window."""
    if b <= a:
        return timedelta(0)
    a, b = a.astimezone(cal.tz), b.astimezone(cal.tz)
    total = timedelta(0)
    d = a.date()
    while d <= b.date():
        if d.weekday() in cal.workdays and d not in cal.holidays:
            ws = datetime.combine(d, cal.start, tzinfo=cal.tz)
            we = datetime.combine(d, cal.end, tzinfo=cal.tz)
            lo, hi = max(a, ws), min(b, we)
            if hi > lo:
                total += hi.astimezone(UTC) - lo.astimezone(UTC)
        d += timedelta(days=1)
    return total


def random_moment(rng: random.Random, tz=JKT) -> datetime:
    base = datetime(2025, 12, 1, tzinfo=tz)
    kind = rng.random()
    day = base + timedelta(days=rng.randrange(0, 700))
    if kind < 0.15:  # exactly on a boundary
        t = rng.choice([time(7, 30), time(16, 0), time(0, 0), time(23, 59, 59, 999999)])
        return datetime.combine(day.date(), t, tzinfo=tz)
    return day + timedelta(microseconds=rng.randrange(0, 86_400 * 10**6))


def random_duration(rng: random.Random) -> timedelta:
    kind = rng.random()
    if kind < 0.1:
        return timedelta(0)
    if kind < 0.2:  # whole working days
        return timedelta(minutes=510) * rng.randrange(1, 30)
    if kind < 0.6:
        return timedelta(microseconds=rng.randrange(1, 4 * 3600 * 10**6))
    return timedelta(microseconds=rng.randrange(1, 60 * 8 * 3600 * 10**6))


# ------------------------------------------------------------ examples

def test_same_day_inside_hours(cal):
    assert cal.elapsed(J(2026, 11, 2, 9, 0), J(2026, 11, 2, 10, 20)) == M(80)


def test_outside_hours_clamped(cal):
    assert cal.elapsed(J(2026, 11, 2, 5, 0), J(2026, 11, 2, 8, 0)) == M(30)
    assert cal.elapsed(J(2026, 11, 2, 15, 0), J(2026, 11, 2, 22, 0)) == M(60)
    assert cal.elapsed(J(2026, 11, 2, 17, 0), J(2026, 11, 3, 7, 0)) == M(0)
    assert cal.elapsed(J(2026, 11, 2, 0, 0), J(2026, 11, 3, 0, 0)) == M(510)


def test_weekend_skipped(cal):
    # Friday 15:00 -> Monday 08:30: 60 + 60 minutes
    assert cal.elapsed(J(2026, 11, 6, 15, 0), J(2026, 11, 9, 8, 30)) == M(120)
    assert cal.elapsed(J(2026, 11, 7, 9, 0), J(2026, 11, 8, 15, 0)) == M(0)
    assert cal.add(J(2026, 11, 6, 15, 0), M(120)) == J(2026, 11, 9, 8, 30)
    assert cal.add(J(2026, 11, 7, 12, 0), M(10)) == J(2026, 11, 9, 7, 40)


def test_holiday_skipped(cal):
    # Tuesday 15:00 -> Thursday 08:00 over a Wednesday holiday
    assert cal.elapsed(J(2026, 11, 10, 15, 0), J(2026, 11, 12, 8, 0)) == M(90)
    assert cal.add(J(2026, 11, 10, 15, 0), M(90)) == J(2026, 11, 12, 8, 0)
    assert not cal.is_working(J(2026, 11, 11, 10, 0))
    assert cal.next_working_moment(J(2026, 11, 10, 16, 0)) == J(2026, 11, 12, 7, 30)
    no_holiday = WorkingCalendar()
    assert no_holiday.elapsed(J(2026, 11, 10, 15, 0), J(2026, 11, 12, 8, 0)) == M(90 + 510)


def test_holiday_on_weekend_changes_nothing():
    a, b = J(2026, 11, 2, 9), J(2026, 11, 20, 9)
    assert WorkingCalendar(holidays={date(2026, 11, 7)}).elapsed(a, b) == WorkingCalendar().elapsed(a, b)


def test_end_of_day_boundaries(cal):
    fri = J(2026, 11, 6, 15, 30)
    assert cal.add(fri, M(30)) == J(2026, 11, 6, 16, 0)  # exactly at closing, not Monday morning
    assert cal.add(fri, M(31)) == J(2026, 11, 9, 7, 31)
    assert cal.add(J(2026, 11, 6, 16, 0), M(1)) == J(2026, 11, 9, 7, 31)
    assert cal.add(J(2026, 11, 2, 7, 30), M(510)) == J(2026, 11, 2, 16, 0)
    assert cal.add(J(2026, 11, 2, 7, 30), M(510 * 3)) == J(2026, 11, 4, 16, 0)
    assert cal.add(J(2026, 11, 2, 6, 0), M(510 * 3)) == J(2026, 11, 4, 16, 0)
    assert cal.is_working(J(2026, 11, 2, 7, 30))
    assert not cal.is_working(J(2026, 11, 2, 7, 29, 59))
    assert cal.is_working(J(2026, 11, 2, 15, 59, 59))
    assert not cal.is_working(J(2026, 11, 2, 16, 0))
    assert not cal.is_working(J(2026, 11, 7, 10, 0))  # Saturday


def test_next_working_moment(cal):
    inside = J(2026, 11, 2, 10, 17, 3)
    assert cal.next_working_moment(inside) == inside
    assert cal.next_working_moment(J(2026, 11, 2, 6, 0)) == J(2026, 11, 2, 7, 30)
    assert cal.next_working_moment(J(2026, 11, 2, 16, 0)) == J(2026, 11, 3, 7, 30)
    assert cal.next_working_moment(J(2026, 11, 6, 18, 0)) == J(2026, 11, 9, 7, 30)
    assert cal.next_working_moment(J(2026, 11, 8, 23, 0)) == J(2026, 11, 9, 7, 30)
    # given in UTC, answered in Jakarta time: 2026-11-02 23:00 UTC = 03 Nov 06:00 WIB
    got = cal.next_working_moment(datetime(2026, 11, 2, 23, 0, tzinfo=UTC))
    assert got == J(2026, 11, 3, 7, 30) and got.utcoffset() == timedelta(hours=7)


def test_end_before_start_is_zero(cal):
    assert cal.elapsed(J(2026, 11, 3, 9), J(2026, 11, 2, 9)) == timedelta(0)
    assert cal.elapsed(J(2026, 11, 3, 9), J(2026, 11, 3, 9)) == timedelta(0)


def test_zone_correct_inputs(cal):
    a_utc = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 08:00 WIB
    b_utc = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # 15:00 WIB
    assert cal.elapsed(a_utc, b_utc) == M(420)
    # Late evening UTC on Sunday is already Monday morning in Jakarta.
    assert cal.is_working(datetime(2026, 11, 8, 23, 0, tzinfo=UTC)) is False  # 06:00 WIB
    assert cal.is_working(datetime(2026, 11, 9, 1, 0, tzinfo=UTC)) is True  # 08:00 WIB Monday


def test_naive_rejected(cal):
    with pytest.raises(ValueError):
        cal.elapsed(datetime(2026, 11, 2, 9), J(2026, 11, 2, 10))
    with pytest.raises(ValueError):
        cal.add(J(2026, 11, 2, 9), timedelta(minutes=-1))


def test_invalid_calendar():
    with pytest.raises(ValueError):
        WorkingCalendar(start=time(16), end=time(7, 30))
    with pytest.raises(ValueError):
        WorkingCalendar(workdays=())
    with pytest.raises(ValueError):
        WorkingCalendar(workdays={7})


def test_year_of_work(cal):
    # 2026: 261 weekdays, one test holiday on a Wednesday -> 260 days of 8.5 h
    assert cal.elapsed(J(2026, 1, 1), J(2027, 1, 1)) == timedelta(hours=8.5) * 260
    assert cal.workdays_between(date(2026, 1, 1), date(2026, 12, 31)) == 260


def test_wall_clock_mode():
    wc = WorkingCalendar(wall_clock=True, holidays={HOLIDAY})
    a = J(2026, 11, 7, 23, 0)  # Saturday night
    assert wc.elapsed(a, J(2026, 11, 8, 1, 30)) == M(150)
    assert wc.elapsed(J(2026, 11, 8), a) == timedelta(0)
    assert wc.add(a, M(150)) == J(2026, 11, 8, 1, 30)
    assert wc.is_working(a)
    assert wc.next_working_moment(a) == a
    assert wc.workday_length == timedelta(days=1)
    rng = random.Random(7)
    for _ in range(500):
        x, d = random_moment(rng), random_duration(rng)
        assert wc.elapsed(x, wc.add(x, d)) == d


# ------------------------------------------------------------ properties

@pytest.mark.parametrize("tz_name", ["Asia/Jakarta", "Asia/Makassar", "Europe/Amsterdam"])
def test_add_then_elapsed_roundtrip(tz_name):
    tz = ZoneInfo(tz_name)
    hol = {date(2026, 1, 1), date(2026, 3, 20), date(2026, 5, 14), date(2026, 8, 17),
           date(2026, 12, 25), date(2027, 1, 1), date(2026, 3, 30), date(2026, 3, 31)}
    cal = WorkingCalendar(tz=tz, holidays=hol)
    rng = random.Random(20261101)
    for _ in range(4000):
        a, d = random_moment(rng, tz), random_duration(rng)
        b = cal.add(a, d)
        assert b.tzinfo is tz
        assert cal.elapsed(a, b) == d, (a, d, b)
        assert b >= a
        if d > timedelta(0):
            # the first such moment: one microsecond earlier is not enough
            assert cal.elapsed(a, b - timedelta(microseconds=1)) < d
            # a deadline always falls in office hours or exactly at closing time
            local = b.astimezone(tz)
            assert cal.is_working(b) or (local.time() == cal.end and cal.is_workday(local.date()))


def test_elapsed_matches_reference_and_is_additive(cal):
    rng = random.Random(42)
    for _ in range(3000):
        a = random_moment(rng)
        b = a + timedelta(minutes=rng.randrange(-600, 60 * 24 * 40))
        c = b + timedelta(minutes=rng.randrange(0, 60 * 24 * 5))
        assert cal.elapsed(a, b) == reference_elapsed(cal, a, b), (a, b)
        if a <= b:
            assert cal.elapsed(a, c) == cal.elapsed(a, b) + cal.elapsed(b, c)


def test_next_working_moment_property(cal):
    rng = random.Random(3)
    for _ in range(2000):
        x = random_moment(rng)
        n = cal.next_working_moment(x)
        assert cal.is_working(n)
        assert n >= x
        assert cal.elapsed(x, n) == timedelta(0)
        assert (n == x) == cal.is_working(x)


def test_fast_over_long_spans():
    hol = {date(2020, 1, 1) + timedelta(days=37 * i) for i in range(100)}
    cal = WorkingCalendar(holidays=hol)
    a = J(2020, 1, 1, 9)
    t0 = _time.perf_counter()
    for i in range(2000):
        cal.elapsed(a, J(2029, 12, 31, 12) - timedelta(days=i))
        cal.add(a, timedelta(hours=5000 + i))
    assert _time.perf_counter() - t0 < 2.0
    assert cal.elapsed(a, cal.add(a, timedelta(hours=20000))) == timedelta(hours=20000)


# ------------------------------------------------------------ status & clocks

def test_status_thresholds():
    std = M(30)
    assert status(M(0), std) == "tepat_waktu"
    assert status(M(22), std) is ClockStatus.ON_TIME
    assert status(M(22.5), std) is ClockStatus.DUE_SOON  # exactly 75 %
    assert status(M(30), std) is ClockStatus.DUE_SOON  # exactly the standard: not late
    assert status(M(30) + timedelta(microseconds=1), std) == "terlambat"
    assert WorkingCalendar.status(M(40), std) is ClockStatus.LATE


def test_due_soon_and_deadline(cal):
    start = J(2026, 11, 6, 15, 45)  # Friday
    assert cal.deadline(start, M(30)) == J(2026, 11, 9, 7, 45)
    assert cal.due_soon_at(start, M(30)) == J(2026, 11, 9, 7, 37, 30)
    st, waited = cal.status_since(start, J(2026, 11, 9, 7, 40), M(30))
    assert (st, waited) == (ClockStatus.DUE_SOON, M(25))


def test_frozen_clock():
    clock = FrozenClock(J(2026, 11, 2, 9))
    assert isinstance(clock, Clock)
    assert clock.now() == J(2026, 11, 2, 9)
    assert clock.advance(timedelta(minutes=5)) == J(2026, 11, 2, 9, 5)
    assert clock.advance(hours=1) == J(2026, 11, 2, 10, 5)
    clock.set(J(2026, 12, 1))
    assert clock.now() == J(2026, 12, 1)
    with pytest.raises(ValueError):
        clock.advance(timedelta(minutes=-1))
    with pytest.raises(ValueError):
        FrozenClock(datetime(2026, 1, 1))


def test_system_clock_is_aware():
    now = SystemClock().now()
    assert isinstance(SystemClock(), Clock)
    assert now.utcoffset() == timedelta(hours=7)
