"""Indonesian texts of review, publication and queues (SOP steps 4-7)."""

CARD_HEADER = {
    "menunggu_kasubbag": "🔎 <b>Pengajuan #{id}</b> — menunggu pemeriksaan Kasubbag (standar {std})",
    "menunggu_kepala": "🔎 <b>Pengajuan #{id}</b> — menunggu persetujuan Kepala (standar {std})",
}
CARD_META = "{kind} · {section} · oleh {author}"
CARD_ATTACHMENTS = "📎 Lampiran: {summary}"
CARD_NO_ATTACHMENTS = "📎 Tanpa lampiran"
CARD_CONTINUED = "(isi lengkap di pesan sebelumnya)"
BODY_PART = "<b>Isi pengajuan #{id}</b> ({n}/{total})"

NO_REVIEWER_WRITER = (
    "⚠️ Pengajuan #{id} belum sampai ke {role}: belum ada {role} terdaftar yang dapat dihubungi. "
    "Admin sudah diberi tahu; pengajuan Anda tetap tersimpan dan akan dikirim begitu ada."
)
NO_REVIEWER_ADMIN = (
    "⚠️ Pengajuan #{id} «{title}» menunggu {role}, tetapi belum ada {role} terdaftar yang dapat dihubungi "
    "(belum diundang, atau belum pernah membuka bot). Undang dengan /undang, atau tunjuk Plh dengan /plh."
)

BTN_FORWARD = "✅ Teruskan ke Kepala"
BTN_RETURN = "↩️ Kembalikan"
BTN_APPROVE = "✅ Setujui & Terbitkan"
BTN_CORRECT = "✏️ Koreksi"
BTN_REVISE = "✏️ Perbaiki"
BTN_CORRECT_TITLE = "Judul"
BTN_CORRECT_BODY = "Isi"

ASK_RETURN_NOTE = (
    "↩️ Mengembalikan pengajuan #{id}. Tulis <b>catatan untuk penulis</b> "
    "(wajib): apa yang perlu diperbaiki?"
)
BTN_CORRECT_PARA = "¶{n}"
BTN_CORRECT_ADD = "➕ Tambah paragraf"
BTN_CORRECT_WHOLE = "📝 Ganti seluruh isi"
BTN_CORRECT_DELETE = "🗑 Hapus ¶{n}"
BTN_CORRECT_SAVE = "💾 Simpan"
BTN_CORRECT_AGAIN = "✏️ Ubah lagi"

CORRECT_MENU = (
    "✏️ <b>Koreksi pengajuan #{id}</b>. Pilih yang dikoreksi: judul, satu paragraf (¶), "
    "tambah paragraf, atau ganti seluruh isi."
)
CORRECT_MENU_TITLE = "<b>Judul:</b> {title}"
CORRECT_MENU_EMPTY = "<i>(isi kosong)</i>"
CORRECT_USE_BUTTONS = "Pilih dulu yang dikoreksi dengan tombol di atas, atau tekan Batal."
ASK_CORRECT_TITLE = "Kirim <b>judul</b> yang sudah dikoreksi. Judul saat ini:"
ASK_CORRECT_PARA = (
    "Kirim teks baru untuk <b>¶{n}</b> saja, atau kirim <b>-</b> untuk menghapus paragraf ini. Teks saat ini:"
)
ASK_CORRECT_ADD = "Kirim <b>paragraf baru</b>; paragraf itu ditambahkan di akhir isi."
ASK_CORRECT_WHOLE = (
    "Kirim <b>seluruh isi</b> pengganti. Teks panjang boleh terbagi beberapa pesan: "
    "semuanya digabung sampai Anda menekan <b>Simpan</b>."
)
CORRECT_PARTS = "Teks diterima: {parts} bagian, {chars} karakter. Bila masih ada lanjutannya, kirim saja."
CORRECT_DIFF_HEADER = "🔁 <b>Perubahan yang akan disimpan:</b>"
CORRECT_CONFIRM = "Simpan koreksi ini sebagai versi baru?"
CORRECT_NO_CHANGE = "Tidak ada yang berubah dibanding teks sekarang. Kirim teks lain, atau tekan Ubah lagi."
CORRECT_PARA_GONE = "Paragraf itu tidak ada pada versi ini. Tekan Koreksi lagi untuk daftar terbaru."
CORRECT_STALE_PREVIEW = "Sudah ada teks yang lebih baru. Tekan Simpan pada pesan terakhir."
CORRECT_NOTHING_PENDING = "Koreksi ini tidak lagi menunggu. Tekan Koreksi pada kartu untuk memulai lagi."
NOTE_EMPTY = "Catatan tidak boleh kosong. Tulis apa yang perlu diperbaiki."
CANCELLED = "Dibatalkan; tidak ada yang berubah."

DONE_FORWARD = "✅ Diteruskan ke Kepala oleh {name}"
DONE_RETURN = "↩️ Dikembalikan oleh {name}: <i>{note}</i>"
DONE_APPROVE = "✅ Disetujui oleh {name}; sedang diterbitkan"
#: The same card once the article is live (the targets' links follow, one a line).
DONE_PUBLISHED = "✅ Disetujui oleh {name}\n🌐 <b>Terbit</b>"
DONE_CORRECTED = "✏️ Dikoreksi oleh {name}; versi baru dikirim"
#: {name} in the outcomes above when a Plh/Plt decided.
DONE_BY_ACTING = "{name} sebagai Plh {principal}"

POPUP_FORWARDED = "Diteruskan ke Kepala."
POPUP_APPROVED = "Disetujui. Penerbitan berjalan otomatis."
POPUP_RETURNED = "Dikembalikan ke penulis."
POPUP_CORRECTED = "Koreksi disimpan sebagai versi baru."
#: A press on a card whose round someone already decided (popups are plain text, at most 200 characters).
POPUP_DECIDED = "Sudah diputuskan oleh {name}: {outcome}. Tidak ada lagi yang perlu Anda lakukan di kartu ini."
POPUP_DECIDED_BY_YOU = "Anda sudah memutuskan ini: {outcome}."
#: What a decision did, as the popups say it (by workflow action).
POPUP_OUTCOMES = {
    "teruskan": "diteruskan ke Kepala",
    "kembalikan": "dikembalikan ke penulis",
    "setujui": "disetujui untuk diterbitkan",
    "koreksi": "dikoreksi; versi barunya sudah dikirim",
}
#: A button from an earlier round (or from before a correction).
POPUP_STALE = "Tombol ini sudah tidak berlaku: kartu ini dari putaran sebelumnya. Pengajuan #{id} sekarang: {state}."
POPUP_STALE_MOVED = "Tombol ini sudah tidak berlaku: pengajuan #{id} sekarang: {state}."
POPUP_STALE_GONE = "Tombol ini sudah tidak berlaku: pengajuan #{id} tidak ditemukan."
POPUP_USE_NEWEST = " Bila menunggu Anda, putuskan dari kartu terbarunya (/antrian)."
#: A decided card whose text was not kept (sent before this was recorded): its outcome under this.
CARD_DECIDED = "🔎 <b>Pengajuan #{id}</b> «{title}»"

TO_WRITER_FORWARDED = "✅ Pengajuan #{id} «{title}» diteruskan ke Kepala oleh Kasubbag {name}."
TO_WRITER_RETURNED = "↩️ Pengajuan #{id} «{title}» dikembalikan oleh {role} {name}.\n\nCatatan:\n<i>{note}</i>"
TO_WRITER_CORRECTED = "✏️ Kepala {name} mengoreksi {field} pengajuan #{id} «{title}»."
TO_WRITER_DIFF_HEADER = "🔁 <b>Yang dikoreksi:</b>"
TO_WRITER_APPROVED = "🎉 Pengajuan #{id} «{title}» disetujui Kepala {name}. Sedang diterbitkan…"

DIFF_HEADER = "🔁 <b>Perubahan sejak versi yang Anda periksa:</b>"
DIFF_TITLE = "Judul: <s>{old}</s> → <b>{new}</b>"
DIFF_ADDED = "➕ Lampiran baru: {names}"
DIFF_REMOVED = "➖ Lampiran dihapus: {names}"
DIFF_NONE = "🔁 Diajukan ulang tanpa perubahan isi."
DIFF_MORE = "… dan {n} perubahan lain"

PUBLISHED = "🌐 <b>Terbit:</b> #{id} «{title}»"
PUBLISHED_TARGET = "• {label}: {where}"
PUBLISH_FAILED = (
    "⚠️ Penerbitan #{id} «{title}» ke <b>{label}</b> gagal.\n"
    "Penyebab: {error}\nPercobaan: {attempts}."
)
BTN_RETRY = "🔄 Coba lagi"
RETRY_QUEUED = "Dijadwalkan ulang sekarang."
RETRY_NOT_NEEDED = "Tugas ini tidak perlu diulang."

QUEUE_HEADER = "📥 <b>Menunggu pemeriksaan Anda</b> ({n}), yang terlama di atas:"
QUEUE_EMPTY = "📥 Tidak ada yang menunggu pemeriksaan Anda. 👍"
QUEUE_ITEM = "{light} #{id} «{title}» — {state}, menunggu {waited} (standar {std})"

STATUS_HEADER = "📊 <b>Pengajuan Anda</b>"
STATUS_EMPTY = "Anda belum punya pengajuan. Mulai dengan /baru."
STATUS_ITEM = "#{id} «{title}» — {state}"

HISTORY_USAGE = "Gunakan: /riwayat &lt;nomor&gt;, misalnya /riwayat 12"
HISTORY_HEADER = "🕘 <b>Riwayat pengajuan #{id}</b> «{title}»"
HISTORY_ITEM = "{time} — {actor} ({role}) {action}: {from_} → {to}"
#: What the bot did by itself (publishing, archiving, expiry): "Sistem" once, not "Sistem (Sistem)".
HISTORY_ITEM_SYSTEM = "{time} — {actor} {action}: {from_} → {to}"
HISTORY_NOTE = "   catatan: <i>{note}</i>"
HISTORY_DENIED = "Anda hanya dapat melihat riwayat pengajuan Anda sendiri atau yang Anda periksa."

# --- scheduled publishing (Setujui & jadwalkan) ---------------------------------
BTN_SCHEDULE = "🗓 Setujui & jadwalkan"
ASK_SCHEDULE = "🗓 Kapan pengajuan #{id} diterbitkan? Pilih waktunya, atau ketik tanggal dan jam."
ASK_RESCHEDULE = "🕘 Jadwal baru untuk pengajuan #{id}? Pilih waktunya, atau ketik tanggal dan jam."
BTN_TOMORROW = "Besok 08.00"
BTN_WORKDAY = "{day} 08.00"
BTN_TYPE_WHEN = "⌨️ Ketik tanggal & jam"
ASK_TYPE_WHEN = (
    "Ketik tanggal dan jam terbit, misalnya <code>3-12-2026 09.00</code> atau <code>3/12 9:00</code> "
    "(waktu {zone}; tanpa jam berarti pukul 08.00)."
)
WHEN_UNREADABLE = "Tanggal/jam itu tidak terbaca. Contoh: 3-12-2026 09.00 atau 3/12 9:00. Coba lagi, atau /batal."
WHEN_PAST = "Waktu itu sudah lewat. Pilih atau ketik waktu yang akan datang."
DONE_SCHEDULED = "✅ Disetujui, terbit {when}"
#: The decided card once its schedule was taken back (a new card with the buttons follows).
DONE_UNSCHEDULED = "🗓 Jadwal dibatalkan oleh {name} — menunggu keputusan Kepala lagi"
POPUP_SCHEDULED = "Disetujui dan dijadwalkan."
TO_WRITER_SCHEDULED = "🗓 Pengajuan #{id} «{title}» disetujui Kepala {name} dan dijadwalkan terbit {when}."
SCHEDULED_DONE = "🗓 Pengajuan #{id} dijadwalkan terbit {when}."
SCHEDULED_HEADER = "🗓 <b>Terjadwal terbit ({n}):</b>"
SCHEDULED_ITEM = "• #{id} «{title}» — {when}"
BTN_MOVE = "🕘 Ubah jadwal #{id}"
BTN_UNSCHEDULE = "✖️ Batalkan jadwal #{id}"
RESCHEDULED = "🕘 Jadwal #{id} «{title}» diubah: terbit {when}."
UNSCHEDULED = "✖️ Jadwal #{id} dibatalkan; pengajuan kembali menunggu keputusan Kepala."
SCHEDULE_GONE = (
    "Jadwal #{id} tidak bisa diubah lagi: sudah terbit, sedang diterbitkan, atau sudah dibatalkan."
)

# --- berlaku sampai (pengumuman) -------------------------------------------------
EXPIRED_TOLD = (
    "⏳ Pengumuman #{id} «{title}» berlaku sampai {when}; masa berlakunya habis, "
    "jadi ditarik otomatis dari semua tujuan dan diarsipkan sebagai kedaluwarsa."
)
EXPIRY_LINE = "⏳ Berlaku sampai: {when}"
#: The reason the archive's withdrawal record (DITARIK.json) carries.
EXPIRED_REASON = "Kedaluwarsa: berlaku sampai {when}"
EXPIRED_BY = "Sistem (masa berlaku habis)"
TO_WRITER_RESCHEDULED = "🕘 Jadwal terbit pengajuan #{id} «{title}» diubah oleh {name}: terbit {when}."
TO_WRITER_UNSCHEDULED = (
    "✖️ Jadwal terbit pengajuan #{id} «{title}» dibatalkan oleh {name}; pengajuan kembali menunggu keputusan Kepala."
)

# Who is on it ("🙋 Saya periksa", issue 21)
BTN_CLAIM = "🙋 Saya periksa"
BTN_RELEASE = "↩️ Lepaskan"
CLAIMED_BY = "🙋 <b>Sedang diperiksa oleh {name}</b> (sampai {until})."
CLAIMED_BY_YOU = "🙋 <b>Anda sedang memeriksa ini</b> (sampai {until}); yang lain menunggu."
POPUP_CLAIMED = "Anda memeriksa #{id} sampai {until}; kartu yang lain menunggu."
POPUP_RELEASED = "Dilepaskan: #{id} kembali dapat diperiksa siapa saja."
REVIEW_ERRORS = {
    "review_claimed": "#{id} sedang diperiksa oleh {name}. Tunggu sampai dilepaskan.",
    "claim_stale": "#{id} tidak lagi menunggu pemeriksaan pada tahap ini.",
    "claim_forbidden": "#{id} tidak menunggu pemeriksaan Anda.",
    "claim_alone": "Hanya Anda yang memeriksa #{id}; tidak perlu ditandai.",
    "claim_gone": "Anda tidak sedang memeriksa #{id}.",
    "no_open_comments": "Tidak ada lagi komentar terbuka pada #{id}; tulis catatan untuk penulis.",
}
HISTORY_CLAIM = {
    "diambil": "{time} — {actor} menandai «Saya periksa»",
    "dilepas": "{time} — {actor} melepaskan pemeriksaan",
    "habis": "{time} — waktu pemeriksaan oleh {actor} habis",
}

# Kembalikan with the open comments as the note (issue 21)
BTN_RETURN_COMMENTS = "↩️ Kembalikan dengan {n} komentar terbuka"
ASK_RETURN_OR_COMMENTS = "Atau kembalikan dengan {n} komentar yang belum selesai sebagai catatannya."
RETURN_NOTE_HEAD = "Dikembalikan dengan {n} komentar terbuka:"
RETURN_NOTE_LINE = "• «{quote}» — {text} ({author})"
RETURN_NOTE_LINE_PLAIN = "• {text} ({author})"
RETURN_NOTE_MORE = "… dan {n} komentar lainnya."
POPUP_RETURNED_COMMENTS = "Dikembalikan ke penulis dengan {n} komentar terbuka."
