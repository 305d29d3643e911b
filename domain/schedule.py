"""When a scheduled publication goes live: the quick choices and a typed date/time.

Pure: the office's zone and calendar come in, a UTC-aware moment goes out.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.sop_clock import WorkingCalendar

#: The hour the quick choices publish at (office time).
MORNING = time(8, 0)

_TYPED = re.compile(
    r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{2,4}))?"  # day-month[-year]
    r"(?:\s*,?\s*(?:pukul|jam)?\s*(\d{1,2})(?:\s*[.:]\s*(\d{2}))?)?\s*(?:wib|wita|wit)?\s*$",
    re.IGNORECASE,
)


class ScheduleError(ValueError):
    """A time that cannot be a schedule; ``code`` selects the message (``unreadable``, ``past``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def at_local(d: date, t: time, tz: str) -> datetime:
    return datetime.combine(d, t, tzinfo=ZoneInfo(tz))


def tomorrow_morning(now: datetime, tz: str) -> datetime:
    """"Besok 08.00" in the office's zone."""
    return at_local(now.astimezone(ZoneInfo(tz)).date() + timedelta(days=1), MORNING, tz)


def next_workday_morning(now: datetime, calendar: WorkingCalendar, tz: str) -> datetime:
    """08.00 on the next working day after today (weekends and holidays skipped)."""
    d = now.astimezone(ZoneInfo(tz)).date() + timedelta(days=1)
    for _ in range(60):
        if calendar.is_workday(d):
            break
        d += timedelta(days=1)
    return at_local(d, MORNING, tz)


def parse_when(text: str, now: datetime, tz: str, default_hour: tuple[int, int] = (8, 0)) -> datetime:
    """"3-12-2026 09.00", "3/12 9:00", "3/12/26" (``default_hour``, 08.00): a moment in the
    office's zone.  A date without a year is the next one to come; a past moment is refused."""
    m = _TYPED.match(text)
    if m is None:
        raise ScheduleError("unreadable")
    day, month = int(m[1]), int(m[2])
    local_now = now.astimezone(ZoneInfo(tz))
    year = int(m[3]) if m[3] else local_now.year
    if m[3] and len(m[3]) == 2:
        year += 2000
    hour, minute = (int(m[4]), int(m[5] or 0)) if m[4] else default_hour
    try:
        when = at_local(date(year, month, day), time(hour, minute), tz)
    except ValueError as exc:  # 31/2, 25.00
        raise ScheduleError("unreadable") from exc
    if not m[3] and when <= now:
        # "3/1" typed in December means next January.
        try:
            when = at_local(date(year + 1, month, day), time(hour, minute), tz)
        except ValueError as exc:
            raise ScheduleError("unreadable") from exc
    if when <= now:
        raise ScheduleError("past")
    return when
