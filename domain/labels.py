"""Indonesian words and formats that the lower layers need (reports, publishers).

Plain constants and pure functions, no Telegram.  ``texts.id.clock``
re-exports what the bot shows from here, so each text lives in one place.
Plain text only: callers escape for HTML/Markdown themselves.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.kinds import Kind
from domain.sop_clock import ClockStatus, WorkingCalendar

# ------------------------------------------------------------------ months

MONTHS: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
MONTHS_SHORT: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
)
WEEKDAYS: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for number, (long, short) in enumerate(zip(MONTHS, MONTHS_SHORT, strict=True), start=1):
        words[long.lower()] = number
        words[short.lower()] = number
    words.update({"agt": 8, "agus": 8, "sept": 9, "nop": 11, "nopember": 11, "pebruari": 2, "peb": 2})
    return words


#: Words accepted for a month when parsing ("nov", "november", "agt", ...).
MONTH_WORDS: dict[str, int] = _month_words()


def month_year(year: int, month: int) -> str:
    """``"November 2026"``."""
    return f"{MONTHS[month - 1]} {year}"


def format_date(d: date, *, with_year: bool = True) -> str:
    """``"1 November 2026"``."""
    if isinstance(d, datetime):
        d = d.date()
    s = f"{d.day} {MONTHS[d.month - 1]}"
    return f"{s} {d.year}" if with_year else s


def format_date_range(first: date, last: date) -> str:
    """Inclusive date range, compact: ``"1–15 November 2026"``, ``"28 Oktober – 3 November 2026"``."""
    if first == last:
        return format_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{format_date(first, with_year=False)} – {format_date(last)}"
    return f"{format_date(first)} – {format_date(last)}"


# --------------------------------------------------------------- durations

_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)


def format_duration(td: timedelta | None, *, day: timedelta | None = None, day_word: str = "hari kerja") -> str:
    """A short human duration: ``"45 menit"``, ``"1 jam 20 menit"``, ``"2 hari kerja 3 jam"``.

    At most two units.  With ``day`` (the length of a working day) durations
    of a day or more are given in days and hours.  Minutes are rounded down,
    so a duration is never overstated; under a minute is ``"< 1 menit"``.
    """
    if td is None:
        return "—"
    if td <= timedelta(0):
        return "0 menit"
    if td < _MINUTE:
        return "< 1 menit"
    parts: list[str] = []
    if day is not None and day > timedelta(0) and td >= day:
        days, rest = divmod(td, day)
        parts.append(f"{days} {day_word}")
        hours = rest // _HOUR
        if hours:
            parts.append(f"{hours} jam")
        return " ".join(parts)
    hours, rest = divmod(td, _HOUR)
    minutes = rest // _MINUTE
    if hours:
        parts.append(f"{hours} jam")
    if minutes or not hours:
        parts.append(f"{minutes} menit")
    return " ".join(parts)


def format_working(td: timedelta | None, calendar: WorkingCalendar) -> str:
    """:func:`format_duration` with the calendar's working-day length."""
    if calendar.wall_clock:
        return format_duration(td, day=timedelta(days=1), day_word="hari")
    return format_duration(td, day=calendar.workday_length, day_word="hari kerja")


# ------------------------------------------------------------------ status

STATUS_EMOJI: dict[str, str] = {
    ClockStatus.ON_TIME: "🟢",
    ClockStatus.DUE_SOON: "🟡",
    ClockStatus.LATE: "🔴",
}

# ------------------------------------------------------------- workflow

#: Short state names for a report (the chat's longer ones are in texts.id.common).
STATE_LABELS: dict[str, str] = {
    "draf": "Draf",
    "menunggu_kasubbag": "Menunggu Kasubbag",
    "menunggu_kepala": "Menunggu Kepala",
    "dikembalikan": "Dikembalikan",
    "disetujui": "Disetujui",
    "terbit": "Terbit",
    "dibatalkan": "Dibatalkan",
    "ditarik": "Ditarik",
    "ditinggalkan": "Ditinggalkan",
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(str(state), str(state))


def kind_label(kind: str) -> str:
    """The shown label of a content kind key (``"berita"`` -> ``"Berita"``)."""
    try:
        return Kind(str(kind)).label
    except ValueError:
        return str(kind)


# ----------------------------------------------------------------- periods

PERIOD_EXAMPLES = "2026-11, 11/2026, November 2026, bulan ini, bulan lalu, 2026-11-01..2026-11-15"
PERIOD_ERRORS: dict[str, str] = {
    "empty": "Periode belum diisi. Contoh: {examples}.",
    "unknown": "Periode «{text}» tidak dikenali. Contoh: {examples}.",
    "bad_month": "Bulan harus 1–12 (tertulis {month}).",
    "bad_year": "Tahun {year} di luar jangkauan.",
    "bad_date": "Tanggal «{text}» tidak valid.",
    "reversed": "Tanggal akhir ({last}) sebelum tanggal awal ({first}).",
    "future": "Periode {label} belum dimulai.",
    "too_long": "Periode paling panjang {days} hari.",
}

# ------------------------------------------------------------------ report

REPORT_TITLE = "Laporan SOP Konten"
