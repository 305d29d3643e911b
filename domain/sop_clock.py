"""The SOP's clock: working-time arithmetic and the injectable "now".

The SOP's standard times (:mod:`domain.standard_times`) count *working* time:
Monday to Friday, 07:30-16:00 in the office's time zone, minus public
holidays.  :class:`WorkingCalendar` answers the questions the bot asks:

* ``elapsed(a, b)``  - how much working time lies between two moments;
* ``add(a, d)``      - when ``d`` of working time will have passed (deadline);
* ``next_working_moment(dt)`` - when a reminder may be sent;
* ``is_working(dt)``.

Everything is computed in UTC from the zone's local working windows, so it is
zone-correct with :mod:`zoneinfo`.  ``elapsed`` is O(1) plus a binary search
over the holidays; ``add`` jumps whole weeks, so spans of months or years are
cheap.  (Days *between* the two ends are counted at the nominal window length;
in a zone with daylight-saving time that would only be off if a clock change
fell inside office hours, which no real zone does.)

With ``wall_clock=True`` the calendar is plain elapsed time (24/7, no
holidays) - for offices that measure the SOP by the wall clock, and for tests.

Time is never read from :func:`datetime.now` directly: the bot injects a
:class:`Clock` (:class:`SystemClock` in production, :class:`FrozenClock` in
tests).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

UTC = UTC
ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)

#: Monday..Friday, as ``date.weekday()`` numbers.
MON_FRI = frozenset({0, 1, 2, 3, 4})

#: A step is "due soon" once this share of its standard time has passed.
DUE_SOON_NUM, DUE_SOON_DEN = 3, 4  # 75 %


class ClockStatus(StrEnum):
    ON_TIME = "tepat_waktu"
    DUE_SOON = "hampir"
    LATE = "terlambat"


def status(waited: timedelta, standard: timedelta) -> ClockStatus:
    """Where a step stands against its standard time.

    ``terlambat`` when ``waited`` is over the standard, ``hampir`` from 75 %
    of it (inclusive) up to the standard itself, else ``tepat_waktu``.
    A step that has used exactly its standard time is not late.
    """
    if standard <= ZERO:
        return ClockStatus.LATE if waited > ZERO else ClockStatus.ON_TIME
    if waited > standard:
        return ClockStatus.LATE
    # Integer comparison in microseconds: exact, no float rounding at 75 %.
    if waited * DUE_SOON_DEN >= standard * DUE_SOON_NUM:
        return ClockStatus.DUE_SOON
    return ClockStatus.ON_TIME


def _require_aware(dt: datetime, name: str = "datetime") -> None:
    if not isinstance(dt, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {dt!r}")


def _as_tz(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


class WorkingCalendar:
    """Office hours in one time zone, with weekends and holidays.

    Working periods are the half-open windows ``[start, end)`` on every
    working day (a weekday in ``workdays`` that is not in ``holidays``).
    Results are returned as aware datetimes in the calendar's zone.
    """

    __slots__ = (
        "_day_len",
        "_hol_sorted",
        "_n_workdays",
        "end",
        "holidays",
        "start",
        "tz",
        "wall_clock",
        "workdays",
    )

    def __init__(
        self,
        tz: str | tzinfo = "Asia/Jakarta",
        workdays: Iterable[int] = MON_FRI,
        start: time = time(7, 30),
        end: time = time(16, 0),
        holidays: Iterable[date] = frozenset(),
        wall_clock: bool = False,
    ) -> None:
        self.tz: tzinfo = _as_tz(tz)
        wd = frozenset(int(d) for d in workdays)
        if not wd:
            raise ValueError("workdays must not be empty")
        if not wd <= frozenset(range(7)):
            raise ValueError(f"workdays must be weekday numbers 0 (Mon)..6 (Sun), got {sorted(wd)}")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("start/end are local times and must be naive")
        if not start < end:
            raise ValueError(f"office hours must start before they end ({start} >= {end})")
        hol = frozenset(holidays)
        for h in hol:
            if isinstance(h, datetime) or not isinstance(h, date):
                raise TypeError(f"holidays must be dates, got {h!r}")
        self.workdays: frozenset[int] = wd
        self.start: time = start
        self.end: time = end
        self.holidays: frozenset[date] = hol
        self.wall_clock: bool = bool(wall_clock)
        self._day_len = datetime.combine(date.min, end) - datetime.combine(date.min, start)
        # Only holidays on working weekdays change any count.
        self._hol_sorted: tuple[date, ...] = tuple(sorted(h for h in hol if h.weekday() in wd))
        self._n_workdays = len(wd)

    def __repr__(self) -> str:
        if self.wall_clock:
            return f"WorkingCalendar(tz={self.tz!s}, wall_clock=True)"
        return (f"WorkingCalendar(tz={self.tz!s}, workdays={sorted(self.workdays)}, "
                f"{self.start:%H:%M}-{self.end:%H:%M}, holidays={len(self.holidays)})")

    # ------------------------------------------------------------------ days

    @property
    def workday_length(self) -> timedelta:
        """Length of one working day (24 h in wall-clock mode)."""
        return ONE_DAY if self.wall_clock else self._day_len

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` (a local date) has office hours."""
        if self.wall_clock:
            return True
        return d.weekday() in self.workdays and d not in self.holidays

    def workdays_between(self, first: date, last: date) -> int:
        """Number of working days in ``[first, last]`` (inclusive); O(log holidays)."""
        if last < first:
            return 0
        n = (last - first).days + 1
        if self.wall_clock:
            return n
        weeks, rest = divmod(n, 7)
        count = weeks * self._n_workdays
        wd0 = first.weekday()
        for i in range(rest):
            if (wd0 + i) % 7 in self.workdays:
                count += 1
        hol = self._hol_sorted
        count -= bisect_right(hol, last) - bisect_left(hol, first)
        return count

    def _nth_workday_after(self, d: date, k: int) -> date:
        """The k-th working day strictly after ``d`` (k >= 1), jumping whole weeks."""
        per_week = self._n_workdays
        while True:
            weeks = (k - 1) // per_week
            if weeks > 0:
                nd = d + timedelta(days=7 * weeks)
                hol = self._hol_sorted
                lost = bisect_right(hol, nd) - bisect_right(hol, d)
                k -= weeks * per_week - lost  # never reaches 0: weeks*per_week <= k-1
                d = nd
                continue
            d += ONE_DAY
            if d.weekday() in self.workdays and d not in self.holidays:
                k -= 1
                if k == 0:
                    return d

    def _window(self, d: date) -> tuple[datetime, datetime]:
        """Office hours of local date ``d`` as UTC datetimes."""
        tz = self.tz
        return (datetime.combine(d, self.start, tzinfo=tz).astimezone(UTC),
                datetime.combine(d, self.end, tzinfo=tz).astimezone(UTC))

    def window(self, d: date) -> tuple[datetime, datetime] | None:
        """Office hours of local date ``d`` in the calendar's zone, or None if no work that day."""
        if self.wall_clock:
            s = datetime.combine(d, time(0), tzinfo=self.tz)
            return s, datetime.combine(d + ONE_DAY, time(0), tzinfo=self.tz)
        if not self.is_workday(d):
            return None
        s, e = self._window(d)
        return s.astimezone(self.tz), e.astimezone(self.tz)

    def _overlap(self, d: date, lo: datetime | None, hi: datetime | None) -> timedelta:
        if not (d.weekday() in self.workdays and d not in self.holidays):
            return ZERO
        ws, we = self._window(d)
        a = ws if lo is None or lo < ws else lo
        b = we if hi is None or hi > we else hi
        return b - a if b > a else ZERO

    # ------------------------------------------------------------ the API

    def local(self, dt: datetime) -> datetime:
        """``dt`` in the calendar's zone."""
        _require_aware(dt)
        return dt.astimezone(self.tz)

    def is_working(self, dt: datetime) -> bool:
        """Whether ``dt`` falls inside office hours (start inclusive, end exclusive)."""
        _require_aware(dt)
        if self.wall_clock:
            return True
        d = dt.astimezone(self.tz).date()
        if not (d.weekday() in self.workdays and d not in self.holidays):
            return False
        ws, we = self._window(d)
        u = dt.astimezone(UTC)
        return ws <= u < we

    def next_working_moment(self, dt: datetime) -> datetime:
        """``dt`` itself when inside office hours, else the start of the next working period."""
        _require_aware(dt)
        local = dt.astimezone(self.tz)
        if self.wall_clock:
            return local
        d = local.date()
        if d.weekday() in self.workdays and d not in self.holidays:
            ws, we = self._window(d)
            u = dt.astimezone(UTC)
            if u < ws:
                return ws.astimezone(self.tz)
            if u < we:
                return local
        return self._window(self._nth_workday_after(d, 1))[0].astimezone(self.tz)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Working time in ``[start, end)``; zero when ``end <= start``."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        a = start.astimezone(UTC)
        b = end.astimezone(UTC)
        if b <= a:
            return ZERO
        if self.wall_clock:
            return b - a
        da = a.astimezone(self.tz).date()
        db = b.astimezone(self.tz).date()
        if da == db:
            return self._overlap(da, a, b)
        total = self._overlap(da, a, None) + self._overlap(db, None, b)
        inner = self.workdays_between(da + ONE_DAY, db - ONE_DAY)
        return total + inner * self._day_len

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The first moment at which ``duration`` of working time has passed since ``start``.

        ``elapsed(start, add(start, d)) == d`` for every ``d >= 0``.  A
        duration that ends exactly at closing time gives closing time (16:00),
        not the next morning.  ``add(start, 0)`` is ``start``.
        """
        _require_aware(start, "start")
        if duration < ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        if self.wall_clock or duration == ZERO:
            return (start.astimezone(UTC) + duration).astimezone(self.tz)
        cur = self.next_working_moment(start).astimezone(UTC)
        d = cur.astimezone(self.tz).date()
        _, we = self._window(d)
        rest = we - cur
        if duration <= rest:
            return (cur + duration).astimezone(self.tz)
        remaining = duration - rest
        full, part = divmod(remaining, self._day_len)
        if part == ZERO:  # ends exactly at closing time of the last full day
            full -= 1
            part = self._day_len
        target = self._nth_workday_after(d, full + 1)
        ws, _ = self._window(target)
        return (ws + part).astimezone(self.tz)

    def deadline(self, start: datetime, standard: timedelta) -> datetime:
        """When a step started at ``start`` becomes late (alias of :meth:`add`)."""
        return self.add(start, standard)

    def due_soon_at(self, start: datetime, standard: timedelta) -> datetime:
        """When a step started at ``start`` turns "hampir" (75 % of its standard)."""
        return self.add(start, standard * DUE_SOON_NUM / DUE_SOON_DEN)

    status = staticmethod(status)

    def status_since(self, started_at: datetime, now: datetime, standard: timedelta) -> tuple[ClockStatus, timedelta]:
        """(status, working time waited) for a step started at ``started_at``."""
        waited = self.elapsed(started_at, now)
        return status(waited, standard), waited


# --------------------------------------------------------------------- clocks


@runtime_checkable
class Clock(Protocol):
    """Where "now" comes from.  Always returns an aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, in ``tz`` (the only place that reads the system clock)."""

    __slots__ = ("tz",)

    def __init__(self, tz: str | tzinfo = "Asia/Jakarta") -> None:
        self.tz = _as_tz(tz)

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def __repr__(self) -> str:
        return f"SystemClock({self.tz!s})"


class FrozenClock:
    """A clock that only moves when told to; for tests."""

    __slots__ = ("_now",)

    def __init__(self, at: datetime) -> None:
        _require_aware(at, "at")
        self._now = at

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> datetime:
        _require_aware(at, "at")
        self._now = at
        return at

    def advance(self, delta: timedelta | None = None, /, **kwargs: float) -> datetime:
        """Move forward by ``delta`` (or ``timedelta(**kwargs)``) of wall time; returns the new now."""
        step = (delta or ZERO) + timedelta(**kwargs)
        if step < ZERO:
            raise ValueError("a FrozenClock does not go backwards; use set()")
        # Absolute-time addition (aware + timedelta is wall-time arithmetic).
        self._now = (self._now.astimezone(UTC) + step).astimezone(self._now.tzinfo)
        return self._now

    def __repr__(self) -> str:
        return f"FrozenClock({self._now.isoformat()})"
