"""Indonesian texts for offices (kantor, OPD) of one deployment: /kantor."""

#: /kantor: the offices a person works in.
MINE_HEADER = "🏛 <b>Kantor Anda</b>"
MINE_CURRENT = "Sekarang bekerja di: <b>{name}</b>"
MINE_ITEM = "• {name}"
MINE_ITEM_CURRENT = "• <b>{name}</b> ✓"
MINE_SWITCH_HINT = "Pilih kantor untuk pindah; perintah dan kartu berikutnya untuk kantor itu."
MINE_NONE = "Anda belum memegang peran di kantor mana pun. Minta tautan undangan kepada admin kantor Anda."
BTN_SWITCH = "🏛 {name}"
SWITCHED = "✅ Sekarang Anda bekerja di <b>{name}</b>. /status, /draf, /antrian dan perintah lain untuk kantor ini."
POPUP_SWITCHED = "Pindah ke {name}."
#: What a deployment admin (ADMIN_IDS) may also do.
ADMIN_HINT = (
    "Admin pemda: tambah kantor dengan <code>/kantor tambah &lt;nama&gt;</code>; "
    "rekap semua kantor: <code>/laporan pemda</code>."
)

#: /kantor tambah <nama>
CREATED = (
    "✅ Kantor <b>{name}</b> ditambahkan (folder <code>{slug}</code>): situs statis dan arsipnya siap.\n\n"
    "🔗 Tautan undangan untuk <b>admin kantor</b> ini, berlaku sampai {until}, sekali pakai:\n{link}\n\n"
    "Admin kantor itu lalu menambah bagian (/bagian) dan mengundang penulis, Kasubbag dan Kepala (/undang)."
    "\nPengaturan khusus kantor ini (WordPress, jam kerja, standar waktu) ada di server: "
    "<code>{file}</code>."
)
CREATE_USAGE = "Tulis nama kantornya, misalnya: <code>/kantor tambah Dinas Pendidikan</code>"

#: Named on cards and notices when the deployment serves more than one office.
OFFICE_LINE = "🏛 {name}"

ERRORS = {
    "deployment_admin_only": "Menambah kantor hanya untuk admin pemda (ADMIN_IDS di server).",
    "office_name_needed": CREATE_USAGE,
    "office_name_too_long": "Nama kantor paling banyak {limit} karakter.",
    "office_exists": "Kantor «{name}» sudah ada.",
    "office_not_yours": "Anda tidak memegang peran di kantor itu.",
    "not_registered": MINE_NONE,
}
