from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.sop_clock import WorkingCalendar
from texts.id.clock import (
    format_date_range,
    format_duration,
    format_working,
    month_year,
    render_clock,
    render_status,
)

M = lambda m: timedelta(minutes=m)  # noqa: E731
JKT = ZoneInfo("Asia/Jakarta")


def test_format_duration():
    assert format_duration(M(0)) == "0 menit"
    assert format_duration(timedelta(seconds=20)) == "< 1 menit"
    assert format_duration(M(45)) == "45 menit"
    assert format_duration(M(80)) == "1 jam 20 menit"
    assert format_duration(M(120)) == "2 jam"
    assert format_duration(M(80.9)) == "1 jam 20 menit"  # rounded down
    assert format_duration(None) == "—"
    day = timedelta(hours=8.5)
    assert format_duration(day * 2 + M(200), day=day) == "2 hari kerja 3 jam"
    assert format_duration(day, day=day) == "1 hari kerja"
    assert format_working(day * 2 + M(200), WorkingCalendar()) == "2 hari kerja 3 jam"
    assert format_working(timedelta(days=1, hours=2), WorkingCalendar(wall_clock=True)) == "1 hari 2 jam"


def test_render_status():
    assert render_status("tepat_waktu", M(20), M(30)) == "🟢 Tepat waktu: 20 menit (standar 30 menit)"
    assert render_status("hampir", M(25), M(30)) == "🟡 Hampir lewat batas: sisa 5 menit (standar 30 menit)"
    assert render_status("terlambat", M(105), M(30)) == "🔴 Terlambat 1 jam 15 menit (standar 30 menit)"
    cal = WorkingCalendar()
    line = render_clock(cal, datetime(2026, 11, 6, 15, 45, tzinfo=JKT), datetime(2026, 11, 9, 8, 0, tzinfo=JKT), M(30))
    assert line == "🔴 Terlambat 15 menit (standar 30 menit)"


def test_months():
    assert month_year(2026, 11) == "November 2026"
    assert month_year(2026, 8) == "Agustus 2026"
    assert format_date_range(date(2026, 11, 1), date(2026, 11, 15)) == "1–15 November 2026"
    assert format_date_range(date(2026, 10, 28), date(2026, 11, 3)) == "28 Oktober – 3 November 2026"
