"""Holidays without typing them: Indonesia's public holidays and cuti bersama come from the
`holidays` package; HOLIDAYS adds days, HOLIDAYS_REMOVED takes days out."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.settings import Settings
from services.clock import national_holidays, office_calendar, office_holidays

WIB = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 12, 1)


def settings(**env) -> Settings:
    return Settings(_env_file=None, telegram_bot_token="123:abc", **env)


def J(*a) -> datetime:
    return datetime(*a, tzinfo=WIB)


def test_the_package_gives_public_holidays_and_cuti_bersama():
    days = national_holidays([2026])
    assert {date(2026, 1, 1), date(2026, 8, 17), date(2026, 12, 25)} <= days  # public holidays
    assert date(2026, 12, 24) in days  # cuti bersama Natal (the "government" category)
    assert date(2026, 11, 10) not in days


def test_default_calendar_needs_no_typing_and_covers_the_years_around_now():
    days = office_holidays(settings(), today=TODAY)
    assert {date(2024, 8, 17), date(2026, 12, 25), date(2027, 1, 1), date(2031, 8, 17)} <= days
    assert date(2023, 8, 17) not in days and date(2032, 8, 17) not in days


def test_holidays_adds_and_holidays_removed_removes():
    s = settings(holidays="2026-11-10, 2026-11-11", holidays_removed="2026-12-24")
    days = office_holidays(s, today=TODAY)
    assert {date(2026, 11, 10), date(2026, 11, 11), date(2026, 12, 25)} <= days
    assert date(2026, 12, 24) not in days


def test_working_time_skips_christmas_and_its_cuti_bersama_unless_removed():
    # Wednesday 23 December 15:00 -> Monday 28 December 08:00: Thursday 24 (cuti bersama)
    # and Friday 25 (Natal) are off, so 1 h on Wednesday and 30 min on Monday.
    a, b = J(2026, 12, 23, 15, 0), J(2026, 12, 28, 8, 0)
    assert office_calendar(settings(), today=TODAY).elapsed(a, b) == timedelta(minutes=90)
    worked = office_calendar(settings(holidays_removed="2026-12-24"), today=TODAY)
    assert worked.elapsed(a, b) == timedelta(minutes=90) + timedelta(hours=8, minutes=30)


def test_backup_settings():
    assert settings().backup_daily_at is None and settings().backup_keep == 7
    assert settings(backup_daily_at="").backup_daily_at is None
    assert settings(backup_daily_at="02:30", backup_keep="3").backup_daily_at == time(2, 30)
