"""Indonesian texts of the public-information classes (UU 14/2008) and the
Daftar Informasi Publik (PerKI 1/2021)."""
from __future__ import annotations

from datetime import date

from domain.labels import format_date

#: The button row on the preview and the card: pressing it shows the four classes to choose from.
BTN_CLASS = "🏷 Kelas: {label} ▾"
#: The four classes as options (the current one ticked, the excepted one marked).
OPTION = "{label}"
OPTION_CURRENT = "✓ {label}"
OPTION_EXCEPTED = "⛔ {label}"
CHOOSE_CLASS = "Pilih kelas informasinya."

CLASS_SET = "🏷 Kelas informasi: {label}"
EXCEPTED_REASON = (
    "⛔ Informasi yang <b>dikecualikan</b> tidak boleh diterbitkan. Menurut UU 14/2008 Pasal 17, "
    "informasi dikecualikan antara lain bila membukanya dapat menghambat penegakan hukum, "
    "mengganggu perlindungan hak kekayaan intelektual atau persaingan usaha yang sehat, "
    "membahayakan pertahanan dan keamanan negara, mengungkap kekayaan alam Indonesia, "
    "merugikan ketahanan ekonomi nasional atau hubungan luar negeri, mengungkap isi akta otentik "
    "atau wasiat seseorang, mengungkap rahasia pribadi, atau berupa memorandum/surat antar badan publik "
    "yang menurut sifatnya dirahasiakan. Pilih kelas lain bila isinya memang boleh dibuka untuk publik; "
    "bila tidak, batalkan draf ini."
)
EXCEPTED_POPUP = (
    "Tidak dapat diteruskan, disetujui, atau dijadwalkan: kelas informasinya «Dikecualikan» "
    "(UU 14/2008 Pasal 17). Ubah kelasnya dengan tombol 🏷 Kelas, atau kembalikan pengajuan ini."
)
EXCEPTED_POPUP_WRITER = (
    "Tidak dapat diajukan: kelas informasinya «Dikecualikan» (UU 14/2008 Pasal 17) dan tidak boleh "
    "diterbitkan. Ubah kelasnya dengan tombol 🏷 Kelas."
)
CARD_EXCEPTED = (
    "Kelas: Dikecualikan. Selama kelas ini, pengajuan tidak dapat diteruskan atau disetujui "
    "(UU 14/2008 Pasal 17). Tekan 🏷 Kelas untuk memilih kelas lain."
)
FORBIDDEN = "Kelas informasi pengajuan ini tidak dapat Anda ubah sekarang."

ADMIN_ONLY = "Perintah ini hanya untuk admin."
DEFAULTS_HEADER = (
    "🏷 <b>Kelas informasi bawaan per jenis konten</b> (UU 14/2008)\n"
    "Penulis dapat mengubahnya di pratinjau, Kasubbag di kartu pemeriksaan. "
    "Tekan sebuah jenis untuk memilih kelas bawaannya."
)
DEFAULT_LINE = "• {kind}: <b>{label}</b>"
BTN_DEFAULT = "{kind}: {label} ▾"
DEFAULT_SET = "Kelas bawaan {kind} sekarang: {label}."

DIP_FORBIDDEN = "Daftar Informasi Publik hanya untuk Kasubbag, Kepala, dan admin."
DIP_USAGE = (
    "Tulis periodenya, misalnya <code>/dip 2026</code> (setahun) atau <code>/dip 2026-11</code> (sebulan). "
    "Tanpa periode: tahun ini."
)
DIP_CAPTION = "📚 Daftar Informasi Publik — {period} ({n} informasi)"
DIP_EMPTY = "Belum ada informasi yang diterbitkan pada {period}; daftarnya tetap dikirim (kosong)."
DIP_FILENAME = "daftar-informasi-publik-{slug}.xlsx"
YEAR_LABEL = "Tahun {year}"

#: The workbook.  The regulation in force is Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang
#: Standar Layanan Informasi Publik (PerKI 1/2021), which replaced Perki KIP 1/2010.  As far as we
#: know it, its Daftar Informasi Publik keeps the minimum content the 2010 rule listed: number, a
#: summary of the information, the official/unit holding it, who is responsible for making or
#: publishing it, when and where it was made, the form in which it is available, and how long it
#: is kept (retention).  The article numbers are deliberately not cited here: check them against
#: the regulation's text before quoting one.  The last four columns are Terbit's own additions.
XLSX_TITLE = "Daftar Informasi Publik"
XLSX_SHEET = "DIP"
XLSX_HEADERS = (
    "No",
    "Ringkasan isi informasi",
    "Pejabat/unit yang menguasai informasi",
    "Penanggung jawab pembuatan/penerbitan informasi",
    "Waktu dan tempat pembuatan informasi",
    "Bentuk informasi yang tersedia",
    "Jangka waktu penyimpanan",
    "Kelas informasi",
    "Jenis",
    "Diterbitkan",
    "Keterangan",
)
XLSX_PERIOD = "Periode: {period}"
#: The second sheet: the excepted items (Daftar Informasi yang Dikecualikan), never their content.
DIK_TITLE = "Daftar Informasi yang Dikecualikan"
DIK_SHEET = "DIK"
DIK_NOTE = "Isi informasi yang dikecualikan tidak dicantumkan (UU 14/2008 Pasal 17)."
DIK_HEADERS = ("No", "Nomor pengajuan", "Jenis", "Bagian", "Ditetapkan oleh", "Waktu penetapan",
               "Dasar pengecualian (UU 14/2008 Pasal 17)", "Alasan (uji konsekuensi)", "Jangka waktu pengecualian")
DIK_UNKNOWN = "— (tidak tercatat)"
XLSX_FORMATS = "Elektronik ({formats})"
XLSX_WITHDRAWN = "Ditarik"
XLSX_LIVE = "Tersedia"
XLSX_WHEN_WHERE = "{when}, {where}"

# --- The exemption record (Peraturan Komisi Informasi Nomor 1 Tahun 2017 tentang Pengklasifikasian
# Informasi Publik).  The words of UU 14/2008 Pasal 17's letters are given short, as the law lists its
# grounds; PerKI 1/2017's own articles were not checked one by one and are not cited.
#: UU 14/2008 Pasal 17, huruf a-j: information whose opening would ...
GROUNDS = {
    "a": "menghambat proses penegakan hukum",
    "b": "mengganggu perlindungan HKI dan persaingan usaha yang sehat",
    "c": "membahayakan pertahanan dan keamanan negara",
    "d": "mengungkapkan kekayaan alam Indonesia",
    "e": "merugikan ketahanan ekonomi nasional",
    "f": "merugikan kepentingan hubungan luar negeri",
    "g": "mengungkapkan isi akta otentik yang bersifat pribadi dan wasiat seseorang",
    "h": "mengungkap rahasia pribadi",
    "i": "memorandum/surat antar atau intra Badan Publik yang menurut sifatnya dirahasiakan",
    "j": "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
}
GROUND_LABEL = "Pasal 17 huruf {letter}: {words}"
BTN_GROUND = "{letter}. {words}"
ASK_GROUND = (
    "🗂 <b>Catatan pengecualian</b> pengajuan #{id} (PerKI 1/2017 tentang Pengklasifikasian Informasi Publik)\n"
    "1/3 — Atas dasar apa informasi ini dikecualikan? Pilih huruf UU 14/2008 Pasal 17."
)
ASK_REASON = (
    "🗂 {ground}\n\n"
    "2/3 — Tuliskan <b>alasan uji konsekuensi</b>: mengapa membuka informasi ini dapat menimbulkan "
    "konsekuensi tersebut. Wajib diisi. (/batal untuk berhenti)"
)
ASK_PERIOD = (
    "3/3 — Berapa lama informasi ini dikecualikan? Ketik jumlah tahun (misalnya <code>5</code> atau "
    "<code>5 tahun</code>) atau tanggal berakhirnya (misalnya <code>31-12-2030</code>). (/batal untuk berhenti)"
)
REASON_EMPTY = "Alasan uji konsekuensi wajib diisi. Tuliskan alasannya, atau /batal."
PERIOD_UNREADABLE = "Jangka waktu itu tidak terbaca. Contoh: 5, 5 tahun, atau 31-12-2030. Coba lagi, atau /batal."
PERIOD_PAST = "Tanggal itu sudah lewat. Ketik tanggal yang akan datang, atau jumlah tahun."
PERIOD_YEARS = "Jumlah tahun harus antara 1 dan 100. Coba lagi, atau /batal."
PERIOD_IN_YEARS = "{years} tahun"
PERIOD_UNTIL = "sampai {until}"
EXEMPTION_SAVED = (
    "🗂 Catatan pengecualian pengajuan #{id} tersimpan.\n"
    "Dasar: {ground}\nAlasan: {reason}\nJangka waktu: {period}\nDitetapkan oleh: {name}"
)
EXEMPTION_NOT_SAVED = (
    "Catatan pengecualian pengajuan #{id} tidak disimpan: kelasnya bukan lagi «Dikecualikan», "
    "atau Anda tidak dapat mengubah kelasnya sekarang."
)
EXEMPTION_CANCELLED = (
    "Catatan pengecualian tidak disimpan. Kelasnya tetap «Dikecualikan»; pilih kelas itu lagi untuk mengisi catatannya."
)
#: /riwayat: the record, and when another class was chosen later.
HISTORY_EXEMPTION = (
    "{time} — 🗂 <b>{name}</b> menetapkan informasi dikecualikan: {ground}; "
    "jangka waktu {period}\n    Alasan: <i>{reason}</i>"
)
HISTORY_EXEMPTION_LIFTED = "{time} — 🏷 <b>{name}</b> memilih kelas lain: pengecualian (catatan di atas) tidak berlaku lagi"
DIK_NO_RECORD = "— (belum dicatat)"


def ground_label(letter: str) -> str:
    """"Pasal 17 huruf h: mengungkap rahasia pribadi"."""
    return GROUND_LABEL.format(letter=letter, words=GROUNDS.get(letter, "?"))


def period_label(years: int | None, until: date | None) -> str:
    """"5 tahun" or "sampai 31 Desember 2030"."""
    if until is not None:
        return PERIOD_UNTIL.format(until=format_date(until))
    return PERIOD_IN_YEARS.format(years=years)
