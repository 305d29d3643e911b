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

# ------------------------------------------------------------------ the pemda roll-up (/laporan pemda)
# Diskominfo's view of every office (OPD) in one deployment: reports/pemda.py.  Unlike the texts above,
# the chat summary's templates are Telegram HTML: reports/pemda.py escapes every value it puts in them.

PEMDA_TITLE = "Rekap SOP Konten Pemda"
#: File names for the caller that sends the workbook and the chart as documents.
PEMDA_FILENAME = "rekap-pemda-{slug}.xlsx"
PEMDA_CHART_FILENAME = "grafik-rekap-pemda-{slug}.png"
PEMDA_NO_OFFICES = "Belum ada kantor yang terdaftar."
#: The warning for an office that has published nothing lately, and for one that never has.
PEMDA_STALE = "⚠️ Tidak ada terbitan {days} hari terakhir"
PEMDA_NEVER = "⚠️ Belum pernah terbit"

PEMDA_CHART_TITLE = "Tahap SOP yang selesai tepat waktu, per kantor"
PEMDA_CHART_AXIS = "% tahap selesai tepat waktu"
PEMDA_CHART_NO_DATA = "tidak ada tahap selesai"
#: Before a stale office's name and after its figure (the chart's font has no colour emoji).
PEMDA_CHART_STALE_MARK = "⚠"
PEMDA_CHART_STALE_NOTE = "⚠ {days} hari tanpa terbitan"
PEMDA_CHART_NEVER_NOTE = "⚠ belum pernah terbit"
PEMDA_CHART_LEGEND_NONE = "Tidak ada data"
PEMDA_CHART_COLOUR_RULE = "Hijau bila ≥ 90% tahap tepat waktu, kuning bila ≥ 70%, merah bila di bawahnya"
PEMDA_CHART_STALE_RULE = "⚠ nama merah: tidak ada terbitan {days} hari terakhir"
PEMDA_CHART_FOOTER = ("{offices} kantor · Masuk {submitted} · Terbit {published} · Dikembalikan {returned} · "
                      "Tanpa terbitan {days} hari: {stale}")

PEMDA_XLSX_SHEET = "Rekap Pemda"
PEMDA_XLSX_HELP_SHEET = "Penjelasan"
PEMDA_XLSX_STANDARDS_SHEET = "Standar per Kantor"
PEMDA_XLSX_SUBTITLE = ("{offices} kantor · data per {now} · kantor yang perlu perhatian di atas "
                       "(tanpa terbitan dulu, lalu yang paling sedikit tepat waktu)")
PEMDA_XLSX_COLOUR_RULE = (
    "% tepat waktu: hijau ≥ 90%, kuning ≥ 70%, merah di bawahnya. Median/P90 merah: di atas standar kantor itu."
)
#: Keys are reports.pemda's column keys; the step columns follow these.
PEMDA_XLSX_HEADERS = {
    "no": "No",
    "name": "Kantor (OPD)",
    "submitted": "Pengajuan masuk",
    "published": "Terbit",
    "returned": "Dikembalikan",
    "finished": "Tahap selesai",
    "share": "% tahap tepat waktu",
    "dip": "Baris DIP",
    "last": "Terbit terakhir",
    "days": "Hari sejak terbit terakhir",
    "flag": "Peringatan",
}
PEMDA_XLSX_STEP_HEADER = "{number}. {label} — {measure} (std {standard} mnt)"
#: The step's standard when the offices' standards differ.
PEMDA_XLSX_STANDARD_RANGE = "{low}–{high}"
PEMDA_XLSX_MEDIAN, PEMDA_XLSX_P90 = "median", "p90"
PEMDA_XLSX_NEVER = "Belum pernah"
PEMDA_XLSX_TOTAL = "Jumlah pemda ({offices} kantor)"
PEMDA_XLSX_TOTAL_STALE = "{stale} kantor tanpa terbitan {days} hari"
PEMDA_XLSX_STANDARDS_HEADER = "{number}. {label}"
PEMDA_XLSX_HELP_HEADERS = ("Kolom", "Penjelasan")
#: The "Penjelasan" sheet, for a reader who has not seen the bot: (column or topic, explanation).
PEMDA_XLSX_HELP = (
    ("No", "Urutan kantor dalam rekap ini. Kantor yang paling perlu perhatian ada di atas."),
    ("Kantor (OPD)", "Nama perangkat daerah yang mengelola situsnya sendiri."),
    ("Pengajuan masuk", "Jumlah bahan konten yang diajukan kantor itu pada periode ini."),
    ("Terbit", "Berapa dari pengajuan itu yang sudah terbit di situs (termasuk yang kemudian ditarik)."),
    ("Dikembalikan", "Berapa pengajuan yang dikembalikan ke penulis untuk diperbaiki, paling sedikit sekali."),
    ("Tahap selesai", "Jumlah tahap SOP yang sudah selesai pada pengajuan periode ini (satu pengajuan melewati "
                      "beberapa tahap; pemeriksaan ulang setelah dikembalikan dihitung lagi)."),
    ("% tahap tepat waktu", "Dari tahap yang selesai itu, berapa persen selesai dalam waktu standar SOP kantor "
                            "tersebut. Hijau: 90% atau lebih; kuning: 70% sampai di bawah 90%; merah: di bawah 70%. "
                            "Kosong bila belum ada tahap yang selesai."),
    ("Baris DIP", "Jumlah baris Daftar Informasi Publik kantor itu untuk periode ini."),
    ("Terbit terakhir", "Tanggal terakhir kantor itu menerbitkan konten, kapan pun (tidak hanya periode ini)."),
    ("Hari sejak terbit terakhir", "Berapa hari kalender sejak terbitan terakhir sampai rekap ini dibuat."),
    ("Peringatan", "Tanda bila kantor tidak menerbitkan apa pun dalam {days} hari terakhir, atau belum pernah "
                   "menerbitkan sama sekali."),
    ("Median", "Waktu kerja yang biasa dibutuhkan satu tahap: separuh tahap selesai lebih cepat, separuh lebih "
               "lama. Dalam menit kerja (jam kantor saja; akhir pekan dan hari libur tidak dihitung)."),
    ("P90", "Waktu kerja yang tidak dilampaui oleh 90% tahap; menunjukkan tahap yang paling lambat. "
            "Dalam menit kerja."),
    ("std", "Standar waktu SOP untuk tahap itu, dalam menit kerja. Tiap kantor bisa memakai standarnya sendiri "
            "(lihat lembar \"Standar per Kantor\"); bila berbeda, judul kolom menunjukkan rentangnya. Median atau "
            "P90 berwarna merah bila melewati standar kantor itu. Kosong: tidak ada tahap itu yang selesai."),
    ("Jumlah pemda", "Baris terakhir: jumlah seluruh kantor. % tepat waktu di sini dihitung dari semua tahap "
                     "yang selesai di semua kantor. Median dan P90 tidak dijumlahkan."),
    ("Urutan", "Pertama kantor tanpa terbitan {days} hari terakhir (yang belum pernah terbit lebih dulu, lalu "
               "yang paling lama tidak terbit); lalu kantor lain dari % tepat waktu terendah; kantor tanpa tahap "
               "selesai di akhir kelompoknya; nama sebagai penentu terakhir."),
)

PEMDA_SUMMARY_HEADER = "📊 <b>{title} — {period}</b>"
PEMDA_SUMMARY_TOTALS = "{offices} kantor · pengajuan {submitted} · terbit {published} · dikembalikan {returned}"
PEMDA_SUMMARY_SHARE = "{emoji} Tahap tepat waktu (semua kantor): {share}"
PEMDA_SUMMARY_SHARE_NONE = "⚪ Tahap tepat waktu (semua kantor): —"
PEMDA_SUMMARY_STALE = "⚠️ <b>Tanpa terbitan {days} hari terakhir ({count} kantor):</b>"
PEMDA_SUMMARY_STALE_NONE = "✅ Semua kantor menerbitkan dalam {days} hari terakhir."
PEMDA_SUMMARY_STALE_LINE = "• {name} ({since})"
PEMDA_SUMMARY_DAYS = "{days} hari"
PEMDA_SUMMARY_NEVER = "belum pernah terbit"
PEMDA_SUMMARY_LOWEST = "<b>Tepat waktu terendah:</b>"
PEMDA_SUMMARY_LOWEST_LINE = "{emoji} {rank}. {name} — {share} ({finished} tahap)"
PEMDA_SUMMARY_MORE = "… dan {count} kantor lainnya"
PEMDA_SUMMARY_FOOTER = "Rincian per kantor ada di berkas Excel."
