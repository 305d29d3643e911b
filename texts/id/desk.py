"""Indonesian texts of the review desk ("meja periksa", a Telegram Mini App: issue 22).

Plain text unless the name ends in _HTML; the desk's pages escape every parameter."""

#: The card's button that opens the desk (a web_app button: private chats only).
BTN_OPEN = "🔍 Buka meja periksa"

#: The writer's preview's button (a web_app button: private chats only): their draft as the site shows it.
BTN_PREVIEW = "🖥 Lihat seperti di situs"

PAGE_TITLE = "Meja periksa #{id}"
GATE_TITLE = "Meja periksa"
GATE_LOADING = "Membuka meja periksa…"
GATE_NO_DATA = (
    "Halaman ini dibuka dari tombolnya di Telegram (pada kartu pemeriksaan, atau pada pratinjau naskah). "
    "Buka pesannya, lalu tekan tombol itu."
)
GATE_REFUSED = "Halaman ini tidak dapat dibuka. Tutup, lalu tekan lagi tombolnya pada pesan di Telegram."
OFFLINE = "Tidak tersambung ke server. Periksa jaringan, lalu coba lagi."
NO_SCRIPT = "Meja periksa memerlukan JavaScript. Aktifkan JavaScript, atau putuskan dari tombol pada kartu di Telegram."

#: Why Telegram's initData was refused (handlers.desk.initdata.Refusal), as the gate says it.
INIT_REFUSED = {
    "forged": "Data dari Telegram tidak sah. Buka lagi dari tombolnya di Telegram.",
    "expired": "Data dari Telegram sudah kedaluwarsa. Tutup halaman ini, lalu buka lagi dari tombolnya.",
    "malformed": "Data dari Telegram tidak lengkap. Buka lagi dari tombolnya di Telegram.",
}
#: Why a desk session was refused (handlers.desk.sessions.SessionRefusal).
SESSION_REFUSED = {
    "unknown": "Sesi ini tidak dikenal. Buka lagi dari tombolnya di Telegram.",
    "expired": "Sesi ini sudah berakhir. Buka lagi dari tombolnya di Telegram.",
    "other_item": "Sesi ini untuk pengajuan lain. Buka dari tombol pada pesan pengajuan ini.",
    "replayed": "Data masuk ini sudah dipakai. Tutup halaman ini, lalu buka lagi dari tombolnya.",
    "busy": "Server sedang sibuk. Coba lagi sebentar lagi.",
}
#: The person does not (or no longer) review this item at its step.
FORBIDDEN = "Anda tidak memeriksa pengajuan ini pada tahap sekarang."
#: Someone not the writer, or a draft no longer theirs to edit (submitted, or a newer revision).
WRITER_FORBIDDEN = "Pratinjau ini hanya dapat dibuka oleh penulisnya selama naskah itu masih dapat ia ubah."
#: A writer's session posting a decision.
WRITER_READ_ONLY = "Pratinjau penulis hanya untuk dilihat; keputusan diambil oleh pemeriksa."
#: The head of a writer's desk, and what stands where a reviewer's decision form would be.
WRITER_HEADER_HTML = "👁 <b>Pratinjau #{id}</b> — naskah Anda, seperti akan tampil di situs"
WRITER_NO_DECISION = "Ini hanya pratinjau. Ubah atau ajukan naskah dari pesan pratinjau di Telegram."
#: MINIAPP_ENABLED is off.
DESK_OFF = "Meja periksa sedang dimatikan. Putuskan dari tombol pada kartu di Telegram."

PREVIEW_HEADING = "Pratinjau — persis seperti di situs"
PREVIEW_FRAME_TITLE = "Pratinjau halaman artikel di situs"
CHANGES = "🔁 Perubahan"
CHANGES_COUNT = "🔁 Perubahan ({n})"
CHANGES_FIRST = "Ini versi pertama yang Anda periksa."
CHECKS_HEADING = "Pemeriksaan"
COMMENTS_HEADING = "💬 Komentar terbuka"
COMMENTS_NONE = "Tidak ada komentar terbuka."
COMMENT_HEAD_HTML = "<b>{author}</b> · {where} · {at}"
DECISION_HEADING = "Keputusan"
NO_DECISION = "Tidak ada keputusan yang dapat Anda ambil di sini sekarang."
NOTE_LABEL = "Catatan"
NOTE_HINT = "Wajib untuk «Kembalikan»: apa yang perlu diperbaiki penulis."
NOTE_NEEDED = "Tulis catatannya dulu: apa yang perlu diperbaiki penulis."
SCHEDULE_LABEL = "Terbitkan pada (waktu kantor)"
SCHEDULE_NEEDED = "Pilih dulu tanggal dan jam terbitnya."
CORRECT_SUMMARY = "✏️ Koreksi langsung"
CORRECT_TITLE_LABEL = "Judul"
CORRECT_BODY_LABEL = "Isi (paragraf dipisah baris kosong)"
CORRECT_TITLE_SAVE = "Simpan judul"
CORRECT_BODY_SAVE = "Simpan isi"
SENDING = "Mengirim…"
CONFIRM_YES = "Ya, lanjutkan"
CLOSE = "Tutup"
