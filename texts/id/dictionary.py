"""Texts of /kamus: the office dictionary the spelling check accepts."""

LIST_HEADER = "📖 <b>Kamus kantor</b> ({n} kata) — nama, tempat dan istilah yang dianggap benar oleh cek ejaan:"
LIST_EMPTY = (
    "📖 Kamus kantor masih kosong. Nama bagian dan nama orang yang terdaftar sudah dikenali; "
    "tambahkan nama lain, tempat atau istilah kantor dengan /kamus tambah &lt;kata&gt;."
)
USAGE = (
    "Cara memakai: /kamus (daftar), /kamus tambah &lt;kata&gt;, /kamus hapus &lt;kata&gt;. "
    "Menambah dan menghapus hanya untuk admin dan Kasubbag."
)
ADDED = "✅ <b>{word}</b> ditambahkan ke kamus kantor; cek ejaan tidak lagi menandainya."
ALREADY = "ℹ️ <b>{word}</b> sudah ada di kamus kantor."
REMOVED = "🗑 <b>{word}</b> dihapus dari kamus kantor."
ABSENT = "ℹ️ <b>{word}</b> tidak ada di kamus kantor."
NOT_ALLOWED = "Hanya admin dan Kasubbag yang boleh mengubah kamus kantor."
NOT_REGISTERED = "Kamus kantor hanya untuk orang yang terdaftar."
INVALID = (
    "«{word}» bukan satu kata. Tulis satu kata saja (huruf, boleh dengan tanda hubung), "
    "misalnya /kamus tambah Waingapu."
)
