"""Indonesian texts for the SOP clock, reminders and /laporan.

Plain text only: callers escape for Telegram HTML/Markdown themselves.  Words
the report itself needs (months, durations, status emoji) live in
:mod:`domain.labels` and are re-exported here; the report's own texts are in
:mod:`reports.texts`.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from domain.labels import PERIOD_EXAMPLES as PERIOD_EXAMPLES
from domain.labels import REPORT_TITLE as REPORT_TITLE
from domain.labels import STATUS_EMOJI, format_duration, format_working
from domain.labels import format_date as format_date
from domain.labels import format_date_range as format_date_range
from domain.labels import month_year as month_year
from domain.sop_clock import ClockStatus, WorkingCalendar
from domain.sop_clock import status as clock_status

# --------------------------------------------------------------- durations

# ------------------------------------------------------------------ status

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

#: /laporan pemda by someone who is not a deployment admin (ADMIN_IDS).
PEMDA_FORBIDDEN = "Rekap pemda (semua kantor) hanya untuk admin pemda (ADMIN_IDS di server)."
