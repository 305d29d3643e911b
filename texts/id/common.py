"""Indonesian texts shared by every part of the bot.

Texts are Telegram HTML: anything that comes from a user is passed in through
``{}`` placeholders and must be escaped by the caller (handlers/render.py
does it).  Plain labels are plain text.
"""
from domain.workflow import Action, State

#: What each command in a person's menu says (who sees which: handlers/menus.py).  At most 256 characters.
COMMANDS = {
    "start": "Mulai, atau masuk dengan tautan undangan",
    "baru": "Buat konten baru",
    "draf": "Lanjutkan draf yang belum selesai",
    "status": "Status pengajuan saya",
    "perbarui": "Perbarui konten yang sudah terbit: /perbarui <nomor>",
    "antrian": "Yang menunggu pemeriksaan saya",
    "riwayat": "Riwayat sebuah pengajuan: /riwayat <nomor>",
    "laporan": "Laporan SOP: /laporan [bulan|rentang]",
    "plh": "Tunjuk pejabat pengganti (Plh/Plt)",
    "terbitan": "Keadaan penerbitan di setiap target",
    "tarik": "Tarik konten dari website: /tarik <nomor> <alasan>",
    "undang": "Buat tautan undangan: /undang <peran> [bagian]",
    "pengguna": "Daftar pengguna dan perannya",
    "bagian": "Kelola bagian kantor",
    "kesehatan": "Kesehatan bot",
    "tempat": "Tempat kantor untuk foto: /tempat tambah <nama> <lat>,<lon> [radius m]",
    "kip": "Kelas informasi publik bawaan per jenis konten",
    "dip": "Daftar Informasi Publik (XLSX): /dip [tahun|bulan]",
    "kamus": "Kamus kantor untuk cek ejaan: /kamus tambah <kata>",
    "batal": "Tinggalkan pertanyaan yang sedang berjalan",
    "bantuan": "Petunjuk singkat",
}

#: Every state's name as people read it in chat (a test checks that none is missing).
STATE_LABELS: dict[State, str] = {
    State.DRAFT: "Draf",
    State.WAIT_KASUBBAG: "Menunggu Kasubbag",
    State.WAIT_KEPALA: "Menunggu Kepala",
    State.RETURNED: "Dikembalikan untuk diperbaiki",
    State.APPROVED: "Disetujui, sedang diterbitkan",
    State.PUBLISHED: "Terbit",
    State.CANCELLED: "Dibatalkan",
    State.WITHDRAW_PENDING: "Terbit, menunggu keputusan penarikan",
    State.WITHDRAWN: "Ditarik",
    State.ABANDONED: "Diarsipkan (ditinggalkan)",
}

ROLE_LABELS = {
    "penulis": "Penulis",
    "kasubbag": "Kasubbag Perencanaan, IT dan Pelaporan",
    "kepala": "Kepala",
    "admin": "Admin Website",
    "sistem": "Sistem",
}

#: Every action as the audit trail says it (a test checks that none is missing).
ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "mengajukan",
    Action.FORWARD: "meneruskan ke Kepala",
    Action.RETURN: "mengembalikan",
    Action.CORRECT: "mengoreksi",
    Action.APPROVE: "menyetujui",
    Action.PUBLISHED: "menerbitkan",
    Action.ARCHIVED: "mengarsipkan",
    Action.CANCEL: "membatalkan",
    Action.REVISE_PUBLISHED: "membuka pembaruan",
    Action.DISCARD_UPDATE: "membatalkan pembaruan",
    Action.REQUEST_WITHDRAW: "meminta penarikan",
    Action.WITHDRAW: "menarik",
    Action.ABANDON: "mengarsipkan draf yang ditinggalkan",
    Action.KEEP_PUBLISHED: "membiarkan tetap terbit",
    Action.UNSCHEDULE: "membatalkan jadwal terbit",
    Action.EXPIRE: "menarik karena masa berlaku habis",
}

NOT_REGISTERED = (
    "Halo! 👋 Bot ini khusus untuk staf kantor yang mengisi konten website "
    "(penulis, Kasubbag, Kepala, dan admin website).\n\n"
    "Anda belum terdaftar. Mintalah <b>tautan undangan</b> kepada admin website, "
    "lalu buka tautan itu untuk mulai."
)

WELCOME = "Selamat datang, <b>{name}</b>. Peran Anda: {roles}."
#: /bantuan: the headings it groups commands under (handlers/menus.py decides which command goes where).
HELP_HEADINGS = {
    "penulis": "✍️ <b>Penulis</b>",
    "pemeriksa": "🔎 <b>Pemeriksa</b>",
    "admin": "🛠 <b>Admin</b>",
    "umum": "ℹ️ <b>Umum</b>",
}
#: /bantuan: one line per command of the menu (handlers/menus.py MENU), how it is used.
HELP_LINES = {
    "baru": "/baru — buat konten baru (berita, pengumuman, artikel, laporan kegiatan)",
    "draf": "/draf — lanjutkan draf yang belum selesai",
    "status": "/status — lihat status pengajuan Anda",
    "perbarui": "/perbarui &lt;nomor&gt; — perbarui konten yang sudah terbit (diperiksa lagi sebelum terbit)",
    "antrian": "/antrian — konten yang menunggu pemeriksaan Anda, yang terlama di atas",
    "riwayat": "/riwayat &lt;nomor&gt; — jejak lengkap sebuah pengajuan",
    "laporan": "/laporan [bulan|rentang] — laporan SOP: grafik, ringkasan, dan XLSX",
    "plh": "/plh — tunjuk pejabat pengganti (Plh/Plt) untuk rentang tanggal",
    "terbitan": "/terbitan — keadaan penerbitan konten di setiap target",
    "tarik": "/tarik &lt;nomor&gt; &lt;alasan&gt; — tarik konten dari website (dikonfirmasi Kepala)",
    "undang": "/undang &lt;peran&gt; [bagian] — buat tautan undangan sekali pakai",
    "pengguna": "/pengguna — daftar pengguna dan perannya",
    "bagian": "/bagian — kelola bagian",
    "kesehatan": "/kesehatan — kesehatan bot: antrean, pengiriman, disk, cadangan terakhir",
    "tempat": "/tempat — tempat-tempat kantor, untuk menamai lokasi foto",
    "kip": "/kip — kelas informasi publik bawaan per jenis konten",
    "dip": "/dip [tahun|bulan] — Daftar Informasi Publik (XLSX)",
    "kamus": "/kamus tambah &lt;kata&gt; — nama dan istilah kantor untuk cek ejaan",
    "batal": "/batal — tinggalkan pertanyaan yang sedang berjalan (draf tetap tersimpan)",
    "bantuan": "/bantuan — petunjuk ini",
    "start": "/start — mulai, atau masuk dengan tautan undangan",
}

INVITE_OK = "✅ Anda terdaftar sebagai <b>{role}</b>{section}."
INVITE_ERRORS = {
    "invite_unknown": "Tautan undangan ini tidak dikenali. Mintalah tautan baru kepada admin.",
    "invite_used": "Tautan undangan ini sudah dipakai. Setiap tautan hanya berlaku sekali; mintalah yang baru.",
    "invite_expired": "Tautan undangan ini sudah kedaluwarsa. Mintalah tautan baru kepada admin.",
}

GENERIC_ERROR = (
    "Maaf, terjadi kesalahan di pihak kami. Data yang sudah Anda kirim tetap tersimpan. "
    "Silakan coba lagi sebentar lagi."
)

BUTTON_UNKNOWN = "Tombol ini tidak dikenali."
UNKNOWN_INPUT = "Maaf, pesan ini tidak saya mengerti. Kirim /bantuan untuk melihat apa yang bisa dilakukan."
UNSUPPORTED_MESSAGE = (
    "Jenis pesan ini (stiker, lokasi, kontak, dan sejenisnya) tidak dapat dipakai untuk konten. "
    "Kirim teks, foto, dokumen, audio, atau video."
)
BUTTON_STALE = "Tombol ini sudah tidak berlaku: pengajuan sudah berpindah tahap."
#: The popup of a press whose answer is the next question (it names the button pressed).
PRESSED = "✓ {label}"
NOT_ALLOWED = "Anda tidak berhak melakukan ini."
OWN_SUBMISSION = "Anda tidak dapat memeriksa pengajuan Anda sendiri."
NOT_FOUND = "Pengajuan #{id} tidak ditemukan."
ADMIN_ONLY = "Perintah ini hanya untuk admin website."

CANCEL = "✖️ Batal"
BACK = "◀️ Kembali"

ERRORS = {
    "submission_unknown": "Pengajuan tidak ditemukan.",
    "not_your_draft": "Draf ini milik orang lain.",
    "not_editable": "Pengajuan ini sedang diperiksa dan tidak dapat diubah sekarang.",
    "not_a_writer": "Anda belum terdaftar sebagai penulis di bagian mana pun. Hubungi admin.",
    "section_not_yours": "Anda tidak terdaftar di bagian itu.",
    "title_empty": "Judul tidak boleh kosong.",
    "body_empty": "Isi tidak boleh kosong.",
    "attachment_unknown": "Lampiran itu tidak ditemukan.",
    "admin_only": ADMIN_ONLY,
    "writer_needs_section": "Undangan penulis harus menyebut bagiannya, misalnya: /undang penulis Humas",
    "section_exists": "Bagian «{name}» sudah ada.",
    "section_unknown": "Bagian tidak ditemukan.",
    "section_name_invalid": "Nama bagian harus 2–120 huruf.",
    "grant_unknown": "Peran itu sudah tidak ada.",
    "last_admin": "Anda admin terakhir; peran admin tidak dapat dicabut.",
    "correction_empty": "Koreksi tidak boleh kosong.",
    "checks_failed": "Belum bisa diajukan: perbaiki dulu butir bertanda ❌.",
}

UNDELIVERED = (
    "⚠️ Sebuah pesan untuk pengguna {chat} tidak dapat dikirim meski sudah dicoba berulang kali.\n"
    "Tentang: {cause}\nPenyebab: {error}\n"
    "Pastikan orang tersebut masih membuka bot, atau sampaikan langsung."
)

NOT_SAVED = (
    "⚠️ Maaf, yang terakhir Anda kirim <b>belum tersimpan</b>: penyimpanan server sedang bermasalah. "
    "Silakan kirim sekali lagi beberapa saat lagi. Yang sudah tersimpan sebelumnya tetap aman."
)
STORAGE_ALERT = (
    "🚨 <b>Penyimpanan Terbit bermasalah</b>: kiriman pengguna tidak dapat disimpan.\n"
    "Penyebab: {error}\nPeriksa ruang disk dan basis data (lihat log). Pengguna yang menulis sudah diberi tahu; "
    "pesan yang belum tersimpan ditahan di Telegram dan diproses begitu penyimpanan pulih."
)
#: To a person whose message could not be stored yet (sent once per fault, straight to Telegram).
STORAGE_WAIT = (
    "⏳ Maaf, Terbit <b>belum bisa menyimpan</b> pesan Anda saat ini karena gangguan penyimpanan di server. "
    "Pesan Anda tidak hilang: akan saya proses begitu penyimpanan pulih. Tidak perlu mengirim ulang."
)
#: To the same person when storage is back.
STORAGE_BACK = "✅ Penyimpanan sudah pulih. Pesan Anda sedang saya proses."
STORAGE_BACK_ADMIN = "✅ Penyimpanan Terbit pulih setelah sekitar {minutes} menit. Pesan yang tertahan sedang diproses."
#: /batal with nothing open.
NOTHING_TO_CANCEL = "Tidak ada yang sedang berjalan untuk dibatalkan."
#: A command's number that is not a submission number (too long, not plain digits).
BAD_NUMBER = "«{text}» bukan nomor pengajuan. Tulis nomornya dengan angka biasa, misalnya: /{command} 12"
