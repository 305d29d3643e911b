"""Indonesian texts of comments on the draft (issue 21)."""

#: What a comment is about, as its notice names it.
PARTS = {
    "semua": "seluruh draf",
    "judul": "judul",
    "isi": "isi",
    "lampiran": "lampiran",
}
WHERE_PARAGRAPH = "paragraf {n}"

NOTICE = "💬 <b>Komentar pada #{id}</b> «{title}»\n{author} · {where}"
NOTICE_REPLY = "💬 <b>Tanggapan pada #{id}</b> «{title}»\n{author} · utas komentar"
QUOTE = "<blockquote>{quote}</blockquote>"
OUTDATED = "<i>(kata-kata yang dikomentari sudah berubah)</i>"
NOTICE_HINT = "<i>Balas pesan ini untuk menanggapi.</i>"
RESOLVED_LINE = "✅ Diselesaikan oleh {name}."

ACK = "💬 Komentar pada #{id} tersimpan ({where}).\nDiberitahukan kepada: {told}."
ACK_REPLY = "💬 Tanggapan pada #{id} tersimpan.\nDiberitahukan kepada: {told}."
ACK_NOBODY = "tidak ada yang perlu diberi tahu"
ASK_EDIT = "✏️ Tulis teks baru komentar Anda pada #{id}."
EDITED = "✏️ Komentar pada #{id} diperbarui."
DELETED = "🗑 Komentar dihapus."

BTN_RESOLVE = "✅ Selesai"
BTN_DELETE = "🗑 Hapus"
BTN_EDIT = "✏️ Ubah"

POPUP_RESOLVED = "Utas komentar ditandai selesai."
ERRORS = {
    "comment_forbidden": "Hanya penulis, Kasubbag dan Kepala yang dapat mengomentari pengajuan #{id}.",
    "comment_closed": "Pengajuan #{id} sudah ditutup; komentar tidak lagi dicatat.",
    "comment_empty": "Komentar kosong tidak dicatat.",
    "comment_gone": "Komentar ini sudah dihapus.",
    "comment_not_yours": "Hanya penulis komentar yang dapat mengubah atau menghapusnya.",
    "comment_too_late": "Komentar hanya dapat diubah atau dihapus dalam {minutes} menit setelah dikirim.",
}

#: /riwayat: a comment event among the workflow's.
HISTORY = "{time} — {actor} {event} komentar #{n} ({where})"
HISTORY_REPLY = "{time} — {actor} {event} tanggapan #{n} pada utas #{thread}"
HISTORY_TEXT = "   «{quote}» <i>{text}</i>"
HISTORY_TEXT_PLAIN = "   <i>{text}</i>"
EVENT_VERBS = {
    "ditambahkan": "menambahkan",
    "diubah": "mengubah",
    "dihapus": "menghapus",
    "diselesaikan": "menyelesaikan",
}

ASK_APPROVE_OPEN = "💬 {n} komentar pada #{id} belum selesai — tetap setujui?"
BTN_APPROVE_OPEN = "✅ Tetap setujui & terbitkan"
BTN_SEE_FIRST = "✖️ Periksa dulu"
OPEN_ITEM = "• {author} ({where}): {text}"

#: The writer's preview: the open threads, a button each.
PREVIEW_OPEN = "💬 <b>{n} komentar belum selesai</b> (tekan nomornya untuk membalas):"
PREVIEW_OPEN_ITEM = "{i}. {author}: «{quote}» {text}"
PREVIEW_OPEN_ITEM_PLAIN = "{i}. {author} ({where}): {text}"
PREVIEW_OPEN_MORE = "… dan {n} lainnya."
BTN_THREAD = "💬 {i}"
POPUP_SHOWN = "Utas komentar dikirim ulang; balas pesannya untuk menanggapi."

#: A resubmission's card: what happened to the comments this level made last round.
SETTLED = "💬 <b>Komentar sejak pemeriksaan lalu</b>"
SETTLED_RESOLVED = "✅ {author}: «{quote}» {text} — <i>diselesaikan</i>"
SETTLED_RESOLVED_PLAIN = "✅ {author} ({where}): {text} — <i>diselesaikan</i>"
SETTLED_CHANGED = "✏️ {author}: «{quote}» {text} — <i>kata-kata itu sudah diubah</i>"
