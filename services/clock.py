"""Time is injected: services ask a clock, tests hold one still.

One Clock concept for the whole bot: :mod:`domain.sop_clock` defines it
(``Clock`` protocol with ``now()``, ``SystemClock``, ``FrozenClock``); this
module re-exports it for the services and builds the SOP calendar and
standard times from the settings.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from domain.sop_clock import Clock, FrozenClock, SystemClock, WorkingCalendar
from domain.standard_times import StandardTimes, Step

__all__ = ["Clock", "FrozenClock", "ManualClock", "SystemClock", "WorkingCalendar", "national_holidays",
           "office_calendar", "office_holidays", "sop_calendar", "standard_times"]

#: The office's country calendar in the ``holidays`` package: public holidays
#: (``public``) and cuti bersama (``government``, where the package has them).
COUNTRY = "ID"
HOLIDAY_CATEGORIES = ("public", "government")
#: The package's days are taken for these years around the current one.
YEARS_BACK, YEARS_AHEAD = 2, 5

#: The older name used by the storage tests; the same clock.
ManualClock = FrozenClock


class CalendarSettings(Protocol):
    """What the SOP clock reads from the bot's settings."""

    timezone: str
    working_days: list[int]
    working_hours_start: time
    working_hours_end: time
    holidays: list[date]
    holidays_removed: list[date]
    sop_wall_clock: bool


@lru_cache(maxsize=8)
def _national(years: tuple[int, ...]) -> frozenset[date]:
    import holidays as holiday_tables  # only where the calendar is built (in a thread at start-up)

    found = holiday_tables.country_holidays(COUNTRY, years=years, categories=HOLIDAY_CATEGORIES)
    return frozenset(found.keys())


def national_holidays(years: Iterable[int]) -> frozenset[date]:
    """Indonesia's public holidays and cuti bersama in these years (the ``holidays`` package)."""
    return _national(tuple(sorted(set(years))))


def office_holidays(settings: CalendarSettings, today: date | None = None) -> frozenset[date]:
    """The national days for the years around today, plus HOLIDAYS, minus HOLIDAYS_REMOVED."""
    today = today or datetime.now(ZoneInfo(settings.timezone)).date()
    national = national_holidays(range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1))
    return (national | frozenset(settings.holidays)) - frozenset(settings.holidays_removed)


def office_calendar(settings: CalendarSettings, today: date | None = None) -> WorkingCalendar:
    """Office hours as configured; reminders are only ever sent inside them."""
    return WorkingCalendar(
        tz=settings.timezone,
        workdays={(int(d) - 1) % 7 for d in settings.working_days},
        start=settings.working_hours_start,
        end=settings.working_hours_end,
        holidays=office_holidays(settings, today),
    )


def sop_calendar(settings: CalendarSettings) -> WorkingCalendar:
    """How the SOP's times are counted: office hours, or the wall clock if configured."""
    if settings.sop_wall_clock:
        return WorkingCalendar(tz=settings.timezone, wall_clock=True)
    return office_calendar(settings)


def standard_times(settings: object) -> StandardTimes:
    return StandardTimes.from_settings({
        s.value: timedelta(minutes=float(getattr(settings, f"standard_{s.value}_minutes"))) for s in Step
    })
