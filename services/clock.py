"""Time is injected: services ask a clock, tests hold one still.

One Clock concept for the whole bot: :mod:`domain.sop_clock` defines it
(``Clock`` protocol with ``now()``, ``SystemClock``, ``FrozenClock``); this
module re-exports it for the services and builds the SOP calendar and
standard times from the settings.
"""
from __future__ import annotations

from datetime import date, time, timedelta
from typing import Protocol

from domain.sop_clock import Clock, FrozenClock, SystemClock, WorkingCalendar
from domain.standard_times import StandardTimes, Step

__all__ = ["Clock", "FrozenClock", "ManualClock", "SystemClock", "WorkingCalendar",
           "office_calendar", "sop_calendar", "standard_times"]

#: The older name used by the storage tests; the same clock.
ManualClock = FrozenClock


class CalendarSettings(Protocol):
    """What the SOP clock reads from the bot's settings."""

    timezone: str
    working_days: list[int]
    working_hours_start: time
    working_hours_end: time
    holidays: list[date]
    sop_wall_clock: bool


def office_calendar(settings: CalendarSettings) -> WorkingCalendar:
    """Office hours as configured; reminders are only ever sent inside them."""
    return WorkingCalendar(
        tz=settings.timezone,
        workdays={(int(d) - 1) % 7 for d in settings.working_days},
        start=settings.working_hours_start,
        end=settings.working_hours_end,
        holidays=frozenset(settings.holidays),
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
