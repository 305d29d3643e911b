"""Indonesian texts for acting officials (Plh / Plt): /plh.  HTML templates for handlers/render.fmt."""
from __future__ import annotations

ROLE_TITLES = {"kasubbag": "Kasubbag Perencanaan, IT dan Pelaporan", "kepala": "Kepala"}

USAGE = (
    "👤 <b>Pelaksana harian (Plh)</b>\n"
    "Tunjuk pejabat pengganti selama Anda berhalangan:\n"
    "<code>/plh @username 2026-11-23 2026-11-27</code>\n"
    "Admin menulis perannya: <code>/plh kepala @username 23/11/2026 27/11/2026</code>\n"
    "Atau pilih orangnya dengan tombol di bawah."
)
CHOOSE_ROLE = "Untuk jabatan apa Plh ini?"
CHOOSE_PERSON = "Siapa yang menjadi Plh {role}?"
CHOOSE_RANGE = "Plh {role}: {name}. Untuk berapa lama, mulai hari ini?"
RANGE_BUTTONS = (("Hari ini", 1), ("3 hari", 3), ("1 minggu", 7), ("2 minggu", 14))
NOBODY_TO_CHOOSE = "Tidak ada orang lain yang terdaftar untuk ditunjuk."
LIST_HEADER = "📋 <b>Plh yang berlaku dan terjadwal</b>"
LIST_ITEM = "• {acting} sebagai Plh {role} ({principal}), {first} – {last}"
LIST_EMPTY = "Belum ada Plh yang berlaku atau terjadwal."
BTN_NEW = "➕ Tunjuk Plh"
BTN_CANCEL_ITEM = "✖️ Batalkan Plh {name}"

NAMED = "✅ {acting} ditunjuk sebagai Plh {role} menggantikan {principal}, {first} – {last}."
NAMED_TO_ACTING = (
    "👤 Anda ditunjuk sebagai <b>Plh {role}</b> menggantikan {principal}, {first} – {last}, oleh {by}.\n"
    "Selama itu permintaan pemeriksaan untuk {role} dikirim kepada Anda dan Anda dapat memutuskannya."
)
STARTED_TO_ACTING = "👤 Mulai hari ini Anda Plh {role} menggantikan {principal}."
#: After STARTED_TO_ACTING: what waited for the role and is re-sent now, or that nothing waits.
STARTED_RESENT = " {n} pengajuan yang sedang menunggu dikirim ulang kepada Anda."
STARTED_NOTHING_WAITING = " Saat ini tidak ada pengajuan yang menunggu."
CANCELLED = "Plh {acting} ({first} – {last}) dibatalkan."
CANCELLED_TO_ACTING = "Penunjukan Anda sebagai Plh {role} ({first} – {last}) dibatalkan."

ERRORS = {
    "acting_self": "Anda tidak dapat menunjuk diri sendiri sebagai Plh.",
    "acting_overlap": "Sudah ada Plh ({name}, {first} – {last}) yang bertumpang tindih dengan tanggal itu.",
    "acting_forbidden": "Hanya Kepala, Kasubbag atau admin yang dapat menunjuk Plh.",
    "acting_role_needed": "Sebutkan jabatannya: <code>/plh kepala @username dari sampai</code> atau <code>/plh kasubbag …</code>.",
    "acting_role_invalid": "Plh hanya untuk jabatan kasubbag atau kepala.",
    "acting_no_holder": "Belum ada yang memegang jabatan {role}.",
    "acting_unknown": "Orang atau penunjukan itu tidak ditemukan (pastikan orangnya sudah terdaftar di bot).",
    "acting_reversed": "Tanggal akhir sebelum tanggal awal.",
    "acting_past": "Rentang tanggal itu sudah lewat.",
    "acting_too_long": "Penunjukan Plh paling lama {days} hari.",
    "acting_bad_date": "Tanggal «{text}» tidak dikenali. Pakai 2026-11-23 atau 23/11/2026.",
    "acting_who": "Orang «{text}» tidak ditemukan. Tulis @username orang yang sudah terdaftar di bot.",
}
