"""Indonesian texts of the public-information classes (UU 14/2008) and the
Daftar Informasi Publik (PerKI 1/2021)."""

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
DIK_HEADERS = ("No", "Nomor pengajuan", "Jenis", "Bagian", "Ditetapkan oleh", "Waktu penetapan")
DIK_UNKNOWN = "— (tidak tercatat)"
XLSX_FORMATS = "Elektronik ({formats})"
XLSX_WITHDRAWN = "Ditarik"
XLSX_LIVE = "Tersedia"
XLSX_WHEN_WHERE = "{when}, {where}"
