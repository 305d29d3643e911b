"""Indonesian texts for the SOP clock and the monthly report.

Plain text only: callers escape for Telegram HTML/Markdown themselves.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.sop_clock import ClockStatus, WorkingCalendar
from domain.sop_clock import status as clock_status

# ------------------------------------------------------------------ months

MONTHS: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
MONTHS_SHORT: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
)

#: Words accepted for a month when parsing ("nov", "november", "agt", ...).
MONTH_WORDS: dict[str, int] = {}
for _i, (_long, _short) in enumerate(zip(MONTHS, MONTHS_SHORT), start=1):
    MONTH_WORDS[_long.lower()] = _i
    MONTH_WORDS[_short.lower()] = _i
MONTH_WORDS.update({"agt": 8, "agus": 8, "sept": 9, "nop": 11, "nopember": 11, "pebruari": 2, "peb": 2})
del _i, _long, _short

WEEKDAYS: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def month_year(year: int, month: int) -> str:
    """``"November 2026"``."""
    return f"{MONTHS[month - 1]} {year}"


def format_date(d: date, *, with_year: bool = True) -> str:
    """``"1 November 2026"``."""
    if isinstance(d, datetime):
        d = d.date()
    s = f"{d.day} {MONTHS[d.month - 1]}"
    return f"{s} {d.year}" if with_year else s


def format_datetime(dt: datetime) -> str:
    """``"Senin, 2 November 2026 09.15"`` (Indonesian uses a dot in times)."""
    return f"{WEEKDAYS[dt.weekday()]}, {format_date(dt)} {dt:%H.%M}"


def format_short_datetime(dt: datetime) -> str:
    """``"2 Nov 09.15"`` - for a phone line."""
    return f"{dt.day} {MONTHS_SHORT[dt.month - 1]} {dt:%H.%M}"


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


def format_minutes(minutes: float | None) -> str:
    return "—" if minutes is None else format_duration(timedelta(minutes=minutes))


# ------------------------------------------------------------------ status

STATUS_EMOJI: dict[str, str] = {
    ClockStatus.ON_TIME: "🟢",
    ClockStatus.DUE_SOON: "🟡",
    ClockStatus.LATE: "🔴",
}
STATUS_LABEL: dict[str, str] = {
    ClockStatus.ON_TIME: "Tepat waktu",
    ClockStatus.DUE_SOON: "Hampir lewat batas",
    ClockStatus.LATE: "Terlambat",
}


def render_status(
    st: str,
    waited: timedelta,
    standard: timedelta,
    calendar: WorkingCalendar | None = None,
) -> str:
    """One line for a phone, e.g.

    ``🟢 Tepat waktu: 20 menit (standar 30 menit)``
    ``🟡 Hampir lewat batas: sisa 5 menit (standar 30 menit)``
    ``🔴 Terlambat 1 jam 15 menit (standar 30 menit)``
    """
    fmt = (lambda t: format_working(t, calendar)) if calendar is not None else format_duration
    st = ClockStatus(st)
    emoji, label = STATUS_EMOJI[st], STATUS_LABEL[st]
    std = f"(standar {fmt(standard)})"
    if st is ClockStatus.LATE:
        return f"{emoji} {label} {fmt(waited - standard)} {std}"
    if st is ClockStatus.DUE_SOON:
        return f"{emoji} {label}: sisa {fmt(standard - waited)} {std}"
    return f"{emoji} {label}: {fmt(waited)} {std}"


def render_clock(calendar: WorkingCalendar, started_at: datetime, now: datetime, standard: timedelta) -> str:
    """The status line of a step that started at ``started_at``, as of ``now``."""
    waited = calendar.elapsed(started_at, now)
    return render_status(clock_status(waited, standard), waited, standard, calendar)


# ------------------------------------------------------------- workflow

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
CHART_STEP_TITLE = "Waktu kerja per tahap"
CHART_SECTION_TITLE = "Pengajuan per bagian"
CHART_MEDIAN = "Median"
CHART_P90 = "P90"
CHART_STANDARD = "Standar SOP"
CHART_TOTAL = "Masuk"
CHART_PUBLISHED = "Terbit"
CHART_NO_DATA = "Tidak ada data"
CHART_OTHERS = "Lainnya"
CHART_UNIT_MINUTES = "menit kerja"
CHART_UNIT_HOURS = "jam kerja"
CHART_ON_TIME = "{pct}% tepat"
CHART_FOOTER = "Masuk {total} · Terbit {published} · Dikembalikan {returned} · Ditarik {withdrawn}"

XLSX_SUMMARY_SHEET = "Ringkasan"
XLSX_DETAIL_SHEET = "Rincian"
XLSX_SUMMARY_ROWS = {
    "period": "Periode",
    "from": "Dari",
    "until": "Sampai",
    "total": "Jumlah pengajuan",
    "published": "Terbit",
    "returned": "Dikembalikan (pengajuan)",
    "return_rounds": "Dikembalikan (putaran)",
    "withdrawn": "Ditarik",
    "cancelled": "Dibatalkan",
    "in_progress": "Masih berjalan",
}
XLSX_SECTION_HEADERS = ("Bagian", "Jumlah", "Terbit")
XLSX_KIND_HEADERS = ("Jenis", "Jumlah")
XLSX_STEP_HEADERS = (
    "No", "Tahap", "Standar (menit)", "Jumlah selesai", "Median (menit)", "P90 (menit)",
    "Tepat waktu", "Terlambat", "% tepat waktu", "Masih berjalan",
)
XLSX_SLOW_HEADERS = ("Peringkat", "ID", "Judul", "Bagian", "Total kerja (menit)", "Total kerja", "Terbit pada")
XLSX_SLOW_TITLE = "5 pengajuan terlama (dari dibuat sampai terbit)"
XLSX_SECTION_TITLE = "Per bagian"
XLSX_KIND_TITLE = "Per jenis"
XLSX_STEP_TITLE = "Waktu per tahap (jam kerja)"
XLSX_DETAIL_HEADERS_HEAD = (
    "ID", "Judul", "Bagian", "Jenis", "Dibuat", "Status akhir", "Putaran dikembalikan", "Ditarik",
)
XLSX_DETAIL_STEP_HEADER = "{number}. {label} (menit)"
XLSX_DETAIL_HEADERS_TAIL = ("Total sampai terbit (menit)", "Terbit pada", "Tahap berjalan")
YES, NO = "Ya", "Tidak"

SUMMARY_HEADER = "📊 {title} — {period}"
SUMMARY_EMPTY = "Tidak ada pengajuan pada periode ini."
SUMMARY_TOTALS = "Pengajuan: {total} · terbit {published} · dikembalikan {returned} ({rounds} putaran) · ditarik {withdrawn}"
SUMMARY_SECTIONS = "Per bagian: {items}"
SUMMARY_KINDS = "Per jenis: {items}"
SUMMARY_STEPS = "Waktu per tahap (median / p90 · tepat waktu):"
SUMMARY_STEP_LINE = "{emoji} {number}. {label}: {median} / {p90} · {share}"
SUMMARY_STEP_EMPTY = "⚪ {number}. {label}: —"
SUMMARY_SLOWEST = "Terlama sampai terbit:"
SUMMARY_SLOW_LINE = "{rank}. {title} ({section}) — {total}"
SUMMARY_FOOTER = "Rincian ada di berkas Excel."


def kind_label(kind: str) -> str:
    """The shown label of a content kind key (``"berita"`` -> ``"Berita"``)."""
    from domain.kinds import Kind

    try:
        return Kind(str(kind)).label
    except ValueError:
        return str(kind)


# --------------------------------------------------- reminders and escalation
# Templates for handlers/render.fmt (parameters are escaped there); no HTML here
# except the bold of a first line.

CARD_CLOCK = "⏱ {clock}"
REMINDER_REVIEW = (
    "⏰ <b>Pengingat — Pengajuan #{id}</b> «{title}»\n"
    "{step} sudah melewati standar waktu SOP.\n"
    "{clock}\n"
    "Mohon diputuskan:"
)
REMINDER_REVIEW_AGAIN = (
    "⏰ <b>Pengingat kedua — Pengajuan #{id}</b> «{title}»\n"
    "{step} sudah lebih dari dua kali standar waktu SOP; admin juga diberi tahu.\n"
    "{clock}\n"
    "Mohon diputuskan:"
)
ESCALATION = (
    "🚨 <b>Pengajuan #{id} tertahan</b> «{title}»\n"
    "{step} menunggu {who} sudah lebih dari dua kali standar waktu SOP.\n"
    "{clock}"
)
REMINDER_RETURNED = (
    "📝 Pengingat ringan: pengajuan #{id} «{title}» dikembalikan dan belum diperbaiki sejak {since}.\n"
    "Bila sudah siap, tekan Perbaiki untuk melanjutkan."
)
ABANDON_WARNING = (
    "🗂 Draf #{id} «{title}» belum disentuh sejak {since}.\n"
    "Bila tidak dilanjutkan sampai {until}, draf ini akan diarsipkan sebagai <i>ditinggalkan</i> "
    "(isinya tetap tersimpan, tidak dihapus)."
)
ABANDONED = (
    "🗂 Draf #{id} «{title}» diarsipkan sebagai <i>ditinggalkan</i> karena lama tidak disentuh. "
    "Isinya tetap tersimpan dan bisa dilihat dengan /riwayat {id}."
)
BTN_CONTINUE = "✏️ Lanjutkan draf"
NOBODY = "siapa pun (belum ada petugas)"
HISTORY_AS_ACTING = " (sebagai Plh {name})"

# ------------------------------------------------------------------ /laporan

REPORT_USAGE = (
    "Pemakaian: /laporan [periode]. Tanpa periode: bulan ini.\n"
    "Contoh: {examples}."
)
REPORT_FORBIDDEN = "Laporan hanya untuk Kasubbag, Kepala dan admin."
REPORT_WORKING = "⏳ Menyusun laporan {period} …"
REPORT_CAPTION = "📊 {title} — {period}"
REPORT_MONTHLY_INTRO = "🗓 Laporan bulanan otomatis: {period}."
REPORT_FILENAME = "laporan-sop-{slug}.xlsx"
