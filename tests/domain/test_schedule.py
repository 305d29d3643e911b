"""Reading a typed publication time, and the quick choices, in the office's zone."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.schedule import ScheduleError, next_workday_morning, parse_when, tomorrow_morning
from domain.sop_clock import WorkingCalendar

JKT = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=JKT)  # a Tuesday


@pytest.mark.parametrize(("typed", "expected"), [
    ("3-12-2026 09.00", datetime(2026, 12, 3, 9, 0, tzinfo=JKT)),
    ("3/12 9:00", datetime(2026, 12, 3, 9, 0, tzinfo=JKT)),
    ("3/12/26", datetime(2026, 12, 3, 8, 0, tzinfo=JKT)),
    ("3.12.2026 pukul 14.30 WIB", datetime(2026, 12, 3, 14, 30, tzinfo=JKT)),
    ("5/1", datetime(2027, 1, 5, 8, 0, tzinfo=JKT)),  # typed in December: next January
])
def test_typed_times_are_read_in_the_office_zone(typed, expected):
    assert parse_when(typed, NOW, "Asia/Jakarta") == expected


def test_a_past_time_and_nonsense_are_refused():
    for typed, code in (("1/12/2026 08.00", "past"), ("besok", "unreadable"), ("31/2 9.00", "unreadable"),
                        ("3/12 25.00", "unreadable")):
        with pytest.raises(ScheduleError) as exc:
            parse_when(typed, NOW, "Asia/Jakarta")
        assert exc.value.code == code


def test_a_date_alone_takes_the_default_hour():
    assert parse_when("5/12", NOW, "Asia/Jakarta", default_hour=(23, 59)) == datetime(2026, 12, 5, 23, 59,
                                                                                      tzinfo=JKT)


def test_quick_choices_skip_weekends_and_holidays():
    cal = WorkingCalendar(tz="Asia/Jakarta", holidays={date(2026, 12, 7)})
    friday = datetime(2026, 12, 4, 14, 0, tzinfo=JKT)
    assert tomorrow_morning(friday, "Asia/Jakarta") == datetime(2026, 12, 5, 8, 0, tzinfo=JKT)
    assert next_workday_morning(friday, cal, "Asia/Jakarta") == datetime(2026, 12, 8, 8, 0, tzinfo=JKT)
