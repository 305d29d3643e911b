"""Indonesian texts of the monthly report's chart, workbook and chat summary.

Plain text only: the caller escapes the summary for the chat's parse mode.
Words shared with the bot (months, durations, the report's title) are in
:mod:`domain.labels`.
"""
from __future__ import annotations

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
#: The chart sent as a file (uncompressed), beside the photo.
CHART_FILENAME = "grafik-laporan-sop-{slug}.png"
CHART_COLOUR_RULE = "Warna median: hijau bila ≥ 90% tepat waktu, kuning bila ≥ 70%, merah bila di bawahnya"
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
XLSX_DETAIL_HEADERS_TAIL = ("Total sampai terbit (menit)", "Terbit pada", "Tahap berjalan", "Komentar",
                            "Sampai komentar pertama (menit)", "Catatan")
XLSX_COLOUR_RULE = (
    "Tahap ditandai menurut bagian yang tepat waktu: hijau ≥ 90%, kuning ≥ 70%, merah di bawahnya."
)
#: A step cell without a time shows this, and the "Catatan" column says why.
NO_TIME = "—"
NOTE_LINE = "{number}. {label}: {why}"
#: Why a step has no time, per case (see reports.xlsx.step_note).
WHY_RUNNING = "sedang berjalan"
WHY_NO_CONVERSION = "tidak ada berkas yang dikonversi (tanpa lampiran, atau diunggah sebelum waktunya dicatat)"
WHY_WITH_COLLECT = "menyatu dengan tahap 1 (tidak dikembalikan)"
WHY_CANCELLED = "dibatalkan sebelum tahap ini"
WHY_RETURNED = "dikembalikan sebelum tahap ini"
WHY_NOT_RECORDED = "tidak tercatat terpisah"
WHY_NOT_YET = "belum sampai tahap ini"
WHY_NO_ARCHIVE = "tidak ada target arsip"
YES, NO = "Ya", "Tidak"

SUMMARY_HEADER = "📊 {title} — {period}"
SUMMARY_EMPTY = "Tidak ada pengajuan pada periode ini."
SUMMARY_TOTALS = (
    "Pengajuan: {total} · terbit {published} · dikembalikan {returned} ({rounds} putaran) · ditarik {withdrawn}"
)
SUMMARY_SECTIONS = "Per bagian: {items}"
SUMMARY_KINDS = "Per jenis: {items}"
SUMMARY_STEPS = "Waktu per tahap (median / p90 · tepat waktu):"
SUMMARY_STEP_LINE = "{emoji} {number}. {label}: {median} / {p90} · {share}"
SUMMARY_STEP_EMPTY = "⚪ {number}. {label}: —"
SUMMARY_SLOWEST = "Terlama sampai terbit:"
SUMMARY_SLOW_LINE = "{rank}. {title} ({section}) — {total}"
SUMMARY_COLOUR_RULE = "Warna menurut bagian yang tepat waktu: 🟢 ≥ 90%, 🟡 ≥ 70%, 🔴 di bawahnya."
SUMMARY_FOOTER = "Rincian ada di berkas Excel."
SUMMARY_COMMENTS = ("Komentar: {comments} pada {commented} pengajuan (rata-rata {per_item} per pengajuan) · "
                    "median sampai komentar pertama {first}")
