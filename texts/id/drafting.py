"""Indonesian texts of the drafting conversation (SOP steps 1-3)."""

KIND_LABELS = {
    "berita": "📰 Berita",
    "pengumuman": "📢 Pengumuman",
    "artikel": "📝 Artikel",
    "laporan_kegiatan": "📋 Laporan Kegiatan",
}

ASK_SECTION = "Untuk bagian mana konten ini?"
ASK_KIND = "Konten apa yang akan Anda buat?"
ASK_TITLE = "Tulis <b>judul</b> konten (singkat dan jelas, bukan huruf kapital semua)."
ASK_BODY_MODE = "Bagaimana Anda ingin menulis isinya?"
BODY_FREE = "✍️ Tulis bebas"
BODY_GUIDED = "🧭 Dipandu (5W1H)"
ASK_BODY = "Tulis <b>isi</b> konten. Pisahkan paragraf dengan baris kosong."
GUIDE_QUESTIONS = {
    "apa": "1/6 — <b>Apa</b> kegiatan atau kejadiannya?",
    "siapa": "2/6 — <b>Siapa</b> yang terlibat atau hadir?",
    "kapan": "3/6 — <b>Kapan</b> berlangsung? (hari, tanggal, jam)",
    "di_mana": "4/6 — <b>Di mana</b> tempatnya?",
    "mengapa": "5/6 — <b>Mengapa</b> kegiatan ini diadakan? (tujuan)",
    "bagaimana": "6/6 — <b>Bagaimana</b> jalannya atau hasilnya?",
}
GUIDE_COMPOSED = "Ini draf isi yang disusun dari jawaban Anda. Anda bisa mengubahnya nanti di pratinjau."

ASK_MEDIA = (
    "Kirim <b>bahan pendukung</b>: foto (boleh album), pesan suara atau audio, dokumen (PDF, Word, Excel), "
    "atau video. Foto yang dikirim sebagai <i>file</i> juga diterima.\n"
    "Keterangan foto bisa ditulis di kolom caption. Tekan <b>Selesai</b> bila sudah."
)
BODY_PARTS_RECEIVED = (
    "✅ Isi diterima: {parts} bagian, {chars} karakter. Kirim foto/berkas, atau tekan <b>Selesai</b>."
)
MEDIA_DONE = "✅ Selesai, lihat pratinjau"
MEDIA_MANAGE = "🗂 Kelola lampiran"
MEDIA_RECEIVED = "✅ {what} diterima. Total lampiran: <b>{count}</b>."
ALBUM_RECEIVED = "✅ Album diterima: {n} berkas. Total lampiran: <b>{count}</b>."
MEDIA_DUPLICATE = "ℹ️ Berkas itu sudah ada di lampiran; tidak ditambahkan lagi."
MEDIA_REJECTED = "❌ {reason}\n\nLampiran lain tetap tersimpan ({count} berkas)."
MEDIA_NOT_NOW = "Kirim berkas setelah mengisi judul dan isi, atau buka draf dengan /draf."
MEDIA_KIND_LABELS = {
    "photo": "Foto",
    "audio": "Audio",
    "voice": "Pesan suara",
    "video": "Video",
    "document": "Dokumen",
}
MANAGE_HEADER = "Lampiran ({count}). Pilih untuk menghapus atau memberi keterangan:"
MANAGE_EMPTY = "Belum ada lampiran."
BTN_REMOVE = "🗑 Hapus {n}"
BTN_CAPTION = "✏️ Keterangan {n}"
ASK_CAPTION = "Tulis keterangan untuk lampiran {n} ({name})."
REMOVED = "🗑 Lampiran {n} dihapus. Sisa: {count}."
CAPTION_SET = "✏️ Keterangan disimpan."

PREVIEW_HEADER = "👁 <b>Pratinjau</b> — beginilah konten ini akan terbit:"
CHECKS_HEADER = "<b>Pemeriksaan otomatis</b>"
BTN_SUBMIT = "✅ Ajukan ke Kasubbag"
BTN_EDIT = "✏️ Ubah"
BTN_MASK = "🛡 Samarkan data pribadi"
BTN_CANCEL_DRAFT = "🗑 Batalkan draf"
BTN_EDIT_TITLE = "Judul"
BTN_EDIT_BODY = "Isi"
BTN_EDIT_KIND = "Jenis"
BTN_EDIT_SECTION = "Bagian"
BTN_EDIT_MEDIA = "Lampiran"
ASK_EDIT = "Bagian mana yang ingin diubah?"
EDIT_BODY_MENU = (
    "✏️ <b>Ubah isi</b> draf #{id}: pilih paragraf (¶) yang diubah, tambah paragraf, atau tulis ulang seluruh isi."
)
BODY_EMPTY = "<i>(isi kosong)</i>"
BTN_PARA = "¶{n}"
BTN_ADD_PARA = "➕ Tambah paragraf"
BTN_REWRITE = "✍️ Tulis ulang seluruh isi"
BTN_DELETE_PARA = "🗑 Hapus ¶{n}"
ASK_PARA = "Kirim teks baru untuk <b>¶{n}</b> saja, atau kirim <b>-</b> untuk menghapus paragraf ini. Teks saat ini:"
ASK_NEW_PARA = "Kirim <b>paragraf baru</b>; paragraf itu ditambahkan di akhir isi."
PARA_CHANGED = "✅ ¶{n} diubah."
PARA_ADDED = "✅ Paragraf baru ditambahkan."
PARA_DELETED = "🗑 ¶{n} dihapus."
PARA_GONE = "Paragraf itu sudah tidak ada. Pilih lagi dari daftar ini."
MASKED = "🛡 Data pribadi sudah disamarkan."
CONFIRM_CANCEL = "Yakin membatalkan draf ini? Draf tidak dihapus, tetapi tidak akan diproses."
BTN_CONFIRM_CANCEL = "Ya, batalkan"
CANCELLED = "Draf #{id} dibatalkan."
SUBMITTED = "📨 Pengajuan #{id} terkirim ke Kasubbag. Anda akan diberi tahu hasilnya."
SUBMIT_BLOCKED = "Belum bisa diajukan. Perbaiki dulu butir bertanda ❌ di pratinjau."

DRAFTS_HEADER = "Draf Anda yang belum selesai:"
DRAFTS_EMPTY = "Tidak ada draf yang terbuka. Mulai yang baru dengan /baru."
UNTITLED = "(tanpa judul)"
RESUMED = "📂 Melanjutkan draf #{id}."
NEW_DRAFT = (
    "📝 Draf baru #{id} dibuat. Setiap jawaban langsung tersimpan; Anda bisa berhenti dan lanjut kapan saja "
    "dengan /draf."
)
USE_BUTTONS = "Silakan pilih dengan tombol di atas, atau kirim /batal untuk keluar."
LEFT = "Draf tersimpan. Lanjutkan kapan saja dengan /draf."

CHECK_TEXTS = {
    "section_missing": "Bagian belum dipilih",
    "kind_missing": "Jenis konten belum dipilih",
    "title_missing": "Judul belum diisi",
    "title_short": "Judul terlalu pendek (minimal {min} huruf)",
    "title_long": "Judul terlalu panjang ({len} dari maksimal {max} huruf)",
    "title_all_caps": "Judul ditulis huruf kapital semua",
    "body_missing": "Isi belum diisi",
    "body_short": "Isi terlalu pendek ({len} dari minimal {min} huruf)",
    "photo_missing": "Berita perlu minimal satu foto",
    "pii_nik": "Ada {count} nomor NIK — data pribadi sebaiknya tidak diterbitkan",
    "pii_phone": "Ada {count} nomor telepon — pastikan boleh diterbitkan",
    "pii_email": "Ada {count} alamat e-mail — pastikan boleh diterbitkan",
    "photo_date_before": "Foto diambil {gap} sebelum tanggal kegiatan — pastikan fotonya dari kegiatan ini",
    "photo_date_after": "Foto diambil {gap} sesudah tanggal kegiatan — pastikan tanggal di isi benar",
    "photo_place_far": "Foto diambil ±{km} km dari {place} — pastikan fotonya dari kegiatan ini",
    "spelling": "{count} kata mungkin salah eja: {words}",
}
CHECK_OK = {
    "title": "Judul sesuai",
    "body": "Isi cukup panjang",
    "photo": "Foto tersedia",
    "pii": "Tidak ada data pribadi terdeteksi",
}


# When and where the photos were taken (photos sent as files keep it; issue 13).
PHOTO_TAKEN_BOTH = "📷 Foto diambil {when}, dekat {where}"
PHOTO_TAKEN_WHEN = "📷 Foto diambil {when}"
PHOTO_TAKEN_WHERE = "📷 Foto diambil dekat {where}"
#: Under the line, when the body was composed from the 5W1H answers.
PHOTO_TAKEN_USE = "Ketuk tombol di bawah untuk memakainya sebagai jawaban Kapan/Di mana (isi disusun ulang)."
BTN_PHOTO_WHEN = "📅 Pakai waktu foto"
BTN_PHOTO_WHERE = "📍 Pakai tempat foto"
#: A one-tap answer to the guide's Kapan/Di mana question, from the photos attached.
BTN_PHOTO_ANSWER = "📷 {answer}"
GUIDE_PHOTO_HINT = "Atau ketuk jawaban dari foto yang sudah dilampirkan:"
PHOTO_USED = "✓ Jawaban diambil dari foto."
PHOTO_FACT_GONE = "Jawaban dari foto ini tidak bisa dipakai lagi (foto atau isinya sudah berubah)."

# /tempat (admins): the office's named places, for naming where a photo was taken.
PLACES_USAGE = (
    "📍 <b>Tempat kantor</b> — untuk menamai lokasi foto (koordinat foto tidak pernah diterbitkan).\n"
    "• /tempat — daftar tempat\n"
    "• /tempat tambah &lt;nama&gt; &lt;lintang&gt;,&lt;bujur&gt; [radius meter]\n"
    "  contoh: <code>/tempat tambah Aula Kantor Bupati -8.6493,115.2153 200</code>\n"
    "• /tempat hapus &lt;nama&gt;"
)
PLACES_EMPTY = "Belum ada tempat kantor. Foto akan dinamai dengan kota terdekat."
PLACES_HEADER = "📍 <b>Tempat kantor</b> ({n}):"
PLACES_ITEM = "• {name} — radius {radius} m"
PLACE_ADDED = "✅ Tempat <b>{name}</b> ditambahkan (radius {radius} m)."
PLACE_REPLACED = "✅ Tempat <b>{name}</b> diperbarui (radius {radius} m)."
PLACE_REMOVED = "🗑 Tempat <b>{name}</b> dihapus."
PLACE_UNKNOWN = "Tidak ada tempat bernama <b>{name}</b>. Lihat daftarnya dengan /tempat."
PLACE_BAD = (
    "Format belum sesuai. Tulis nama, lalu koordinat dalam derajat desimal (seperti yang disalin dari "
    "aplikasi peta), lalu radius dalam meter bila perlu:\n"
    "<code>/tempat tambah Aula Kantor Bupati -8.6493,115.2153 200</code>"
)
PLACES_ADMIN_ONLY = "Daftar tempat kantor hanya dapat diubah oleh admin."
# --- spelling (etika penulisan) ---
#: One doubtful word in the checklist line, with what to write instead.
SPELLING_WORD = "{word} → {suggestion}"
#: A doubtful word without a suggestion.
SPELLING_WORD_ALONE = "{word}"
#: After the words of the checklist line: what the button does (when some can be fixed).
SPELLING_FIXABLE = " (kata baku KBBI: tekan <b>Perbaiki ejaan</b>)"
#: A name or office term flagged: how it is learned.
SPELLING_LEARN = " Nama dan istilah kantor bisa ditambahkan admin/Kasubbag dengan /kamus tambah &lt;kata&gt;."
#: More words than the line shows.
SPELLING_MORE = ", dan {n} lainnya"
BTN_FIX_SPELLING = "✏️ Perbaiki ejaan"
SPELLING_FIXED = "✏️ Ejaan diperbaiki ke bentuk baku."

# --- berlaku sampai (pengumuman) -------------------------------------------------
BTN_EXPIRY = "⏳ Berlaku sampai"
ASK_EXPIRY = (
    "⏳ Sampai kapan pengumuman ini berlaku? Ketik tanggal (dan jam), misalnya <code>10-12-2026</code> "
    "atau <code>10/12 17.00</code> (waktu {zone}; tanpa jam berarti sampai pukul 23.59). Setelah itu "
    "pengumuman ditarik otomatis dan diarsipkan sebagai kedaluwarsa. Ketik <code>-</code> untuk menghapusnya."
)
EXPIRY_SET = "⏳ Berlaku sampai {when}."
EXPIRY_CLEARED = "⏳ Batas berlaku dihapus: pengumuman ini tidak ditarik otomatis."
EXPIRY_UNREADABLE = "Tanggal itu tidak terbaca. Contoh: 10-12-2026 atau 10/12 17.00. Coba lagi, atau /batal."
EXPIRY_PAST = "Waktu itu sudah lewat. Ketik tanggal yang akan datang."
EXPIRY_KIND = "Batas berlaku hanya untuk pengumuman."
