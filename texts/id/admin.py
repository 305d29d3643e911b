"""Indonesian texts for the admin's people and sections management."""

INVITE_PICK_ROLE = "Undang sebagai apa?"
INVITE_PICK_SECTION = "Penulis untuk bagian mana?"
INVITE_LINK = (
    "🔗 Tautan undangan sebagai <b>{role}</b>{section}, berlaku sampai {until}, sekali pakai:\n"
    "{link}\n\nKirimkan tautan ini kepada orangnya. Saat dibuka, ia langsung terdaftar."
)
UNKNOWN_ROLE = "Peran «{role}» tidak dikenal. Pilih: penulis, kasubbag, kepala, admin."
UNKNOWN_SECTION = "Bagian «{name}» belum ada. Tambahkan dulu: /bagian tambah {name}"
NO_SECTIONS = "Belum ada bagian. Tambahkan dulu, misalnya: /bagian tambah Humas"

PEOPLE_HEADER = "👥 <b>Pengguna</b> ({n})"
PEOPLE_ITEM = "• {name}{username} — {roles}"
BTN_MANAGE = "⚙️ {name}"
MANAGE_PERSON = "⚙️ <b>{name}</b>\nPeran: {roles}"
BTN_REVOKE = "❌ Cabut {role}"
BTN_GRANT = "➕ {role}"
GRANTED = "➕ {name} kini juga {role}."
REVOKED = "❌ Peran {role} dicabut dari {name}."
NO_ROLES = "(tanpa peran)"

SECTIONS_HEADER = "🏢 <b>Bagian</b> ({n})\nTambah: <code>/bagian tambah &lt;nama&gt;</code>"
SECTIONS_EMPTY = "Belum ada bagian. Tambah: <code>/bagian tambah &lt;nama&gt;</code>"
SECTION_ITEM = "• {name}"
BTN_SECTION_OFF = "🗑 {name}"
SECTION_ADDED = "✅ Bagian «{name}» ditambahkan."
SECTION_REMOVED = "🗑 Bagian «{name}» dinonaktifkan; riwayatnya tetap tersimpan."

#: Popups of the admin's buttons (plain text): what the press did, where to look now.
POPUP_PICK_SECTION = "Pilih bagiannya pada pesan di bawah."
POPUP_LINK_READY = "Tautan undangan dibuat (pesan di bawah); kirimkan kepada orangnya."
POPUP_NO_SECTIONS = "Belum ada bagian; lihat pesan di bawah."
POPUP_MANAGE = "Peran {name} ada di pesan di bawah."
