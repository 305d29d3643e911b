"""Texts for running the bot: settings errors, start-up failures, `terbit doctor`, /kesehatan.

What the command line prints goes to the person installing Terbit, who may not read
Indonesian: settings errors and start-up failures say it in Indonesian first, then in
English.  The doctor's checklist and /kesehatan are for the office: Indonesian.
Command-line texts are plain text; /kesehatan is Telegram HTML (parameters are escaped).
"""

# --- settings (config/settings.py, bot/cli.py) ----------------------------------------------
CONFIG_HEADER = "❌ Pengaturan Terbit belum benar / Terbit's settings are not right:"
CONFIG_LINE = "• {setting}: {reason_id} / {reason_en}"
CONFIG_LINE_VALUE = "• {setting} = «{value}»: {reason_id} / {reason_en}"
CONFIG_FOOTER = (
    "Perbaiki di berkas .env (salinan .env.example) atau di variabel lingkungan, lalu jalankan lagi. / "
    "Fix it in the .env file (a copy of .env.example) or in the environment, then start again."
)

#: Why a value was refused, by pydantic's error type: (Indonesian, English).
CONFIG_REASONS = {
    "missing": ("wajib diisi", "required"),
    "int_parsing": ("harus bilangan bulat", "must be a whole number"),
    "int_type": ("harus bilangan bulat", "must be a whole number"),
    "int_from_float": ("harus bilangan bulat", "must be a whole number"),
    "float_parsing": ("harus angka, mis. 20 atau 2.5", "must be a number, e.g. 20 or 2.5"),
    "float_type": ("harus angka, mis. 20 atau 2.5", "must be a number, e.g. 20 or 2.5"),
    "bool_parsing": ("harus true atau false", "must be true or false"),
    "bool_type": ("harus true atau false", "must be true or false"),
    "time_parsing": ("harus jam JJ:MM, mis. 07:30", "must be a time HH:MM, e.g. 07:30"),
    "time_type": ("harus jam JJ:MM, mis. 07:30", "must be a time HH:MM, e.g. 07:30"),
    "date_parsing": ("harus tanggal TTTT-BB-HH, mis. 2026-08-17", "must be a date YYYY-MM-DD, e.g. 2026-08-17"),
    "date_from_datetime_parsing": ("harus tanggal TTTT-BB-HH, mis. 2026-08-17",
                                   "must be a date YYYY-MM-DD, e.g. 2026-08-17"),
    "date_from_datetime_inexact": ("harus tanggal TTTT-BB-HH, tanpa jam", "must be a date YYYY-MM-DD, without a time"),
    "date_type": ("harus tanggal TTTT-BB-HH, mis. 2026-08-17", "must be a date YYYY-MM-DD, e.g. 2026-08-17"),
    "list_type": ("harus daftar yang dipisah koma", "must be a comma-separated list"),
    "string_type": ("harus teks", "must be text"),
    "greater_than": ("terlalu kecil", "too small"),
    "greater_than_equal": ("terlalu kecil", "too small"),
    "less_than": ("terlalu besar", "too large"),
    "less_than_equal": ("terlalu besar", "too large"),
}
CONFIG_REASON_OTHER = "nilainya tidak sah"

TOKEN_EMPTY = ("kosong; isi dengan token dari @BotFather", "empty; set it to the token from @BotFather")
TOKEN_SHAPE = ("bentuknya bukan token bot (angka:kode, dari @BotFather)",
               "does not look like a bot token (digits:code, from @BotFather)")
TIMEZONE_UNKNOWN = ("zona waktu tidak dikenal; mis. Asia/Jakarta, Asia/Makassar, Asia/Jayapura",
                    "unknown time zone; e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura")
WEBHOOK_SECRET_NEEDED = (
    "wajib untuk mode webhook (TELEGRAM_WEBHOOK_URL diisi): 16-256 karakter A-Z, a-z, 0-9, _ atau -",
    "required in webhook mode (TELEGRAM_WEBHOOK_URL is set): 16-256 characters A-Z, a-z, 0-9, _ or -",
)
WEEKDAY_RANGE = ("hari kerja harus 1 (Senin) sampai 7 (Minggu)", "working days must be 1 (Monday) to 7 (Sunday)")
TARGETS_INCOMPLETE = "target tidak dikenal atau pengaturannya belum lengkap"

# --- start-up failures (bot/cli.py): one paragraph each, Indonesian then English ---------
TELEGRAM_UNREACHABLE = (
    "❌ Telegram tidak dapat dihubungi ({host}): {why_id}. Periksa sambungan internet server, proxy atau "
    "firewall, dan TELEGRAM_API_URL, lalu jalankan lagi.\n"
    "Telegram cannot be reached ({host}): {why_en}. Check the server's internet connection, proxy or "
    "firewall, and TELEGRAM_API_URL, then start again."
)
UNREACHABLE_TIMEOUT = ("tidak menjawab tepat waktu", "no answer in time")
UNREACHABLE_CONNECT = ("sambungan gagal", "the connection failed")
TOKEN_REJECTED = (
    "❌ Telegram menolak TELEGRAM_BOT_TOKEN (token salah atau sudah dicabut). Salin token yang benar dari "
    "@BotFather (/mybots → API Token) ke .env, lalu jalankan lagi.\n"
    "Telegram rejected TELEGRAM_BOT_TOKEN (wrong or revoked). Copy the right token from @BotFather "
    "(/mybots → API Token) into .env, then start again."
)
DATABASE_UNREADABLE = (
    "❌ Basis data tidak dapat dibaca ({where}): {reason}. Bila berkas SQLite rusak, pulihkan cadangan "
    "terakhir (terbit restore) atau pindahkan berkas itu lalu mulai lagi; untuk PostgreSQL periksa "
    "DATABASE_URL dan servernya.\n"
    "The database cannot be read ({where}): {reason}. If the SQLite file is damaged, restore the latest "
    "backup (terbit restore) or move the file away and start again; for PostgreSQL check DATABASE_URL and "
    "the server."
)
DATABASE_LOCKED = (
    "⏳ Basis data sedang dikunci oleh proses lain ({where}): {reason}. Berkasnya tidak rusak; jangan "
    "dipulihkan atau dipindahkan. Hentikan proses yang memegangnya (mis. sqlite3 atau cadangan yang masih "
    "berjalan), lalu mulai lagi.\n"
    "The database is locked by another process ({where}): {reason}. The file is not damaged; do not restore "
    "or move it. Stop the process holding it (e.g. sqlite3 or a backup still running), then start again."
)
#: Logged once while the start waits for another process's lock, and once when it is released.
DATABASE_LOCKED_WAITING = (
    "Basis data sedang dikunci oleh proses lain (bukan rusak); Terbit menunggu sampai kuncinya dilepas, "
    "lalu mulai sendiri. / The database is locked by another process (not damaged); waiting until the lock "
    "is released, then starting by itself."
)
DATABASE_LOCK_RELEASED = "Kunci basis data sudah dilepas; Terbit mulai. / The database lock was released; starting."
DATA_DIR_NOT_WRITABLE = (
    "❌ Folder data {path} tidak dapat ditulisi ({reason}). Periksa DATA_DIR, pemilik dan izin folder itu "
    "(pengguna yang menjalankan Terbit harus boleh menulis) serta ruang disk, lalu jalankan lagi.\n"
    "The data folder {path} is not writable ({reason}). Check DATA_DIR, the folder's owner and permissions "
    "(the user running Terbit must be allowed to write) and the free disk space, then start again."
)

# --- logs (bot/logging_setup.py, bot/cli.py) ------------------------------------------------
#: `terbit migrate`, and a start that changed the schema: what was done (Indonesian / English).
MIGRATED = "Skema basis data diperbarui dari {before} ke {after} / database schema upgraded from {before} to {after}"
MIGRATED_NEW = "Basis data baru dibuat dengan skema {after} / new database created with schema {after}"
MIGRATE_NOTHING = ("Skema basis data sudah terbaru ({after}); tidak ada yang diubah / "
                   "database schema already up to date ({after}); nothing changed")


def migrated(before: str | None, after: str | None) -> str:
    """What a migration did (`terbit migrate` prints it, a start that changed the schema logs it)."""
    if before == after:
        return MIGRATE_NOTHING.format(after=after)
    if before is None:
        return MIGRATED_NEW.format(after=after)
    return MIGRATED.format(before=before, after=after)


#: At start with ADMIN_IDS empty (logged, so on stderr and in the journal).
NO_ADMINS_AT_START = (
    "ADMIN_IDS kosong: bot berjalan, tetapi tidak ada admin yang dapat mengundang orang, jadi tidak ada yang "
    "dapat memakainya. Isi ADMIN_IDS di .env dengan ID Telegram Anda lalu mulai ulang. / "
    "ADMIN_IDS is empty: the bot runs, but there is no admin to invite anyone, so nobody can use it. "
    "Put your Telegram user id in ADMIN_IDS in .env and restart."
)
STARTED = "Terbit {version} siap: @{username}, mode {mode}, basis data {database}, target {targets}"

# --- terbit doctor (bot/doctor.py) ----------------------------------------------------------
MARKS = {"ok": "✅", "warn": "⚠️", "fail": "❌"}
DOCTOR_HEADER = "Pemeriksaan Terbit {version}"
DOCTOR_LINE = "{mark} {name}: {detail}"
DOCTOR_ALL_GOOD = "Semua baik."
DOCTOR_SUMMARY = "{fail} masalah (❌), {warn} peringatan (⚠️)."

CHECK_SETTINGS = "Pengaturan"
BACKUP_FAILED = (
    "⚠️ <b>Cadangan harian Terbit gagal.</b>\nPenyebab: {error}\n"
    "Periksa ruang disk dan log, lalu jalankan <code>terbit backup</code> untuk mencoba lagi."
)
SETTINGS_OK = "terbaca; mode {mode}, basis data {database}, target {targets}"
NO_ADMINS = ("ADMIN_IDS kosong: belum ada admin yang dapat mengundang orang. Isi dengan ID Telegram Anda "
             "(lihat docs/panduan-admin.md)")

CHECK_TOKEN = "Token Telegram"
TOKEN_OK = "@{username} (id {id})"
TOKEN_BAD = "ditolak Telegram: salin ulang token dari @BotFather ke TELEGRAM_BOT_TOKEN"
TELEGRAM_DOWN = "Telegram tidak dapat dihubungi ({why}); periksa internet server dan TELEGRAM_API_URL"
TELEGRAM_ERROR = "Telegram menjawab dengan galat ({error})"

CHECK_DATABASE = "Basis data"
DATABASE_OK = "{kind} terbaca, skema terbaru ({revision})"
DATABASE_NOT_CREATED = "{kind} belum dibuat; dibuat otomatis saat bot pertama kali dijalankan"
DATABASE_BEHIND = "skema {current} belum terbaru ({head}); diperbarui otomatis saat bot mulai, atau: terbit migrate"
DATABASE_AHEAD = "skema {current} lebih baru dari Terbit versi ini ({head}); pasang versi Terbit yang sesuai"
DATABASE_BAD = "tidak dapat dibaca ({where}): {reason}"
DATABASE_LOCKED_NOW = (
    "sedang dikunci oleh proses lain ({where}): {reason}. Berkasnya tidak rusak; bila kunci bertahan lama, "
    "cari proses yang memegangnya (sqlite3, cadangan). Terbit menunggu sendiri sampai kunci dilepas"
)

CHECK_DATA_DIR = "Folder data"
DATA_DIR_OK = "{path} dapat ditulisi, ruang kosong {free}"
DATA_DIR_LOW = "{path}: ruang kosong tinggal {free}; kosongkan disk atau pindahkan DATA_DIR"
DATA_DIR_FULL = "{path}: ruang kosong tinggal {free}; berkas dan basis data bisa gagal disimpan"
DATA_DIR_BAD = "{path} tidak dapat ditulisi ({reason})"

CHECK_TIMEZONE = "Zona waktu"
TIMEZONE_OK = "{name} (sekarang {now})"
TIMEZONE_BAD = "«{name}» tidak dikenal; mis. Asia/Jakarta, Asia/Makassar, Asia/Jayapura"

CHECK_SITE = "Alamat situs"
SITE_OK = "{url} menjawab (HTTP {code})"
SITE_STATUS = "{url} menjawab HTTP {code}; periksa SITE_BASE_URL dan server web"
SITE_DOWN = "{url} tidak dapat dihubungi ({why}); tautan «Baca selengkapnya» tidak akan terbuka"

SITE_BASE_URL_EMPTY = ("SITE_BASE_URL kosong: halaman situs dibuat, tetapi pemberitahuan «Terbit» belum memuat tautan "
                       "dan tidak ada feed/sitemap; isi dengan alamat tempat folder situs disajikan")

CHECK_TELEGRAM_WEBHOOK = "Webhook Telegram"
TELEGRAM_WEBHOOK_NOT_HTTPS = ("{url} bukan https://: Telegram hanya mengirim pembaruan ke alamat https; "
                              "pasang sertifikat (lihat docs/service.md) dan pakai https://")

CHECK_TARGET = "Target {name}"
TARGET_UNKNOWN = "tidak dikenal; yang ada: {known}"
TARGET_LOCAL = "folder {path}"
TARGET_MISSING = "{names} belum diisi"
TARGET_NOT_HTTPS = "alamat {url} tanpa https: kata sandi atau tanda tangan terkirim tanpa enkripsi"

WORDPRESS_OK = "akun {user} ({roles}) boleh menerbitkan dan mengunggah berkas"
WORDPRESS_ADMIN = "akun {user} adalah administrator; pakai akun Editor atau Author (hak seperlunya saja)"
WORDPRESS_NO_PUBLISH = "akun {user} tidak boleh menerbitkan; beri peran Editor, atau WORDPRESS_STATUS=pending"
WORDPRESS_NO_UPLOAD = "akun {user} tidak boleh mengunggah berkas; beri peran Author atau Editor"

WEBHOOK_OK = "{url}, rahasia terpasang"
WEBHOOK_SECRET_SHORT = "WEBHOOK_SECRET pendek (kurang dari 16 karakter); pakai rahasia yang lebih panjang"

CHANNEL_OK = "bot admin di {channel}: boleh mengirim, mengubah dan menghapus pesan"
CHANNEL_NOT_ADMIN = "bot bukan admin di {channel}; jadikan admin yang boleh mengirim pesan"
CHANNEL_NO_POST = "bot admin di {channel} tetapi tidak boleh mengirim pesan"
CHANNEL_NO_EDIT = "bot di {channel} tidak boleh mengubah atau menghapus pesan: pembaruan dan penarikan gagal"
CHANNEL_TOO_MUCH = "bot di {channel} boleh mengangkat admin lain; cabut hak itu (hak seperlunya saja)"
CHANNEL_UNKNOWN = "kanal {channel} tidak ditemukan atau bot bukan anggotanya ({error})"
CHANNEL_UNCHECKED = "tidak dapat diperiksa ({error})"
CHANNEL_NO_TOKEN = "tidak diperiksa: token Telegram belum berhasil"

# --- /kesehatan (handlers/health.py) ---------------------------------------------------------
HEALTH = (
    "🩺 <b>Kesehatan Terbit</b> {version}\n"
    "Berjalan sejak {started} ({uptime})\n"
    "Pesan terakhir ditangani: {last_update}\n"
    "Pesan masuk menunggu: {inbox}\n"
    "Penerbitan menunggu: {jobs}{oldest}\n"
    "Penerbitan gagal: {jobs_failed}\n"
    "Pesan keluar menunggu: {owed}\n"
    "Pesan gagal terkirim (7 hari): {undelivered}\n"
    "Ruang disk kosong: {disk}\n"
    "Basis data ({database}): {db_size}\n"
    "Cadangan terakhir: {backup}{fault}"
)
#: The storage fault (handlers/faults.py): going on now, or the last one since the bot started.
HEALTH_FAULT_NOW = "\n⚠️ <b>Penyimpanan bermasalah</b> sejak {since}: {reason}"
HEALTH_FAULT_LAST = "\nGangguan penyimpanan terakhir: {since}, sekitar {minutes} menit ({reason})"
HEALTH_OLDEST = " (terlama: #{submission} ke {target}, sejak {since})"
NEVER = "belum pernah"
UNKNOWN = "tidak diketahui"
UPTIME_DAYS = "{d} hari {h} jam"
UPTIME_HOURS = "{h} jam {m} menit"
UPTIME_MINUTES = "{m} menit"

# --- doctor: the spelling check's dictionary ---
CHECK_SPELLING = "Kamus ejaan"
SPELLING_OK = "Hunspell id_ID ({path}) dan {n} pasangan kata baku KBBI"
SPELLING_MISSING = (
    "kamus Hunspell id_ID tidak terpasang: cek ejaan dilewati, hanya {n} pasangan kata baku yang diperiksa "
    "(pasang dengan: apt-get install hunspell-id)"
)


# --- Offices (config/offices.py, terbit kantor) ----------------------------------
OFFICE_SETTING_REFUSED = ("{setting} milik seluruh instalasi, bukan satu kantor: pindahkan ke .env "
                          "(berkas {file})")
OFFICE_SETTING_BAD = "{setting}: {reason} (berkas {file})"
OFFICES_HEADER = "Kantor dalam instalasi ini: {n}"
OFFICES_ITEM = "  {id:>3}  {slug:<40}  {name}\n       folder: {folder}"
OFFICE_ADDED = (
    "✅ Kantor «{name}» ditambahkan (folder {slug}).\n"
    "   Pengaturan khususnya: {file} (yang kosong mengikuti .env)\n"
    "   Situs statisnya: {site}\n"
    "   Bot yang sedang berjalan mengenalnya setelah dijalankan ulang; lewat chat, /kantor tambah tidak perlu itu.\n"
    "   Admin pemda (ADMIN_IDS) sudah menjadi admin kantor ini: pindah ke kantor itu dengan /kantor, "
    "lalu /undang admin untuk admin kantornya."
)
OFFICE_UNKNOWN = "Tidak ada kantor dengan folder «{slug}». Lihat: terbit kantor list"
OFFICE_CHECK_OK = "✅ {name} ({slug}): target {targets}; situs di {site}"
OFFICE_CHECK_BAD = "❌ {name} ({slug}):"
CHECK_OFFICE = "Kantor {name} ({slug})"
OFFICE_SETTINGS_OK = "pengaturan {file}"
