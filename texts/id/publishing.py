"""Indonesian texts for updating and withdrawing published content, and /terbitan."""
from domain.publication import JobState, Operation
from texts.id.common import NOT_ALLOWED, OWN_SUBMISSION

UPDATE_USAGE = "Gunakan: /perbarui &lt;nomor&gt;, misalnya /perbarui 12"
UPDATE_STARTED = (
    "✏️ Membuka versi baru dari #{id} «{title}». Versi yang sedang terbit tetap tayang sampai "
    "perubahan disetujui Kepala."
)
WITHDRAW_USAGE = "Gunakan: /tarik &lt;nomor&gt; &lt;alasan&gt;, misalnya: /tarik 12 Data anggaran keliru"
WITHDRAW_REQUESTED = "📨 Permintaan penarikan #{id} dikirim ke Kepala untuk dikonfirmasi."
WITHDRAW_CARD = (
    "🗑 <b>Permintaan penarikan #{id}</b> «{title}»\n"
    "Diminta oleh {admin}. Alasan:\n<i>{reason}</i>\n\n"
    "Jika disetujui, konten diturunkan dari semua target penerbitan; arsip kantor tetap disimpan dan ditandai ditarik."
)
BTN_CONFIRM_WITHDRAW = "🗑 Tarik dari website"
BTN_KEEP = "↩️ Biarkan terbit"
WITHDRAW_CONFIRMED = (
    "🗑 #{id} «{title}» ditarik atas persetujuan Kepala {name}. Sedang diturunkan dari semua target penerbitan; "
    "arsip kantor tetap disimpan dan ditandai ditarik…"
)
WITHDRAW_KEPT = "↩️ Penarikan #{id} «{title}» tidak disetujui Kepala {name}; konten tetap terbit."
WITHDRAW_DONE = (
    "🗑 <b>Ditarik:</b> #{id} «{title}» sudah diturunkan dari semua target penerbitan. "
    "Arsip kantor tetap disimpan dan ditandai ditarik."
)
POPUP_WITHDRAW_CONFIRMED = "Penarikan dijalankan."
POPUP_WITHDRAW_KEPT = "Konten tetap terbit."
#: Why /perbarui or a withdrawal decision was refused, by workflow error code (else BUTTON_STALE).
WORKFLOW_REFUSALS = {"forbidden": NOT_ALLOWED, "not_author": NOT_ALLOWED, "own_submission": OWN_SUBMISSION}
NO_KEPALA = "⚠️ Belum ada Kepala terdaftar yang dapat mengonfirmasi penarikan."

PUBLICATIONS_HEADER = "📰 <b>Terbitan</b> (terbaru di atas)"
PUBLICATIONS_EMPTY = "Belum ada yang diterbitkan."
PUBLICATION_ITEM = "<b>#{id}</b> «{title}» — {state}"
JOB_LINE = "   {mark} {label}{op}: {detail}"
JOB_MARKS = {JobState.PUBLISHED: "✅", JobState.FAILED: "❌", JobState.RETRY: "🔁", JobState.QUEUED: "⏳",
             JobState.RUNNING: "⏳"}
#: A job's state in /terbitan, by operation: what a publication or a withdrawal has done so far.
JOB_STATES = {
    Operation.PUBLISH: {
        JobState.QUEUED: "menunggu giliran diterbitkan",
        JobState.RUNNING: "sedang diterbitkan",
        JobState.RETRY: "gagal, akan dicoba lagi otomatis",
        JobState.PUBLISHED: "sudah terbit",
        JobState.FAILED: "gagal (menunggu «Coba lagi» dari admin)",
    },
    Operation.WITHDRAW: {
        JobState.QUEUED: "menunggu giliran diturunkan",
        JobState.RUNNING: "sedang diturunkan",
        JobState.RETRY: "gagal diturunkan, akan dicoba lagi otomatis",
        JobState.PUBLISHED: "sudah diturunkan",
        JobState.FAILED: "gagal diturunkan (menunggu «Coba lagi» dari admin)",
    },
}
#: The archive is never taken down: its withdrawal marks the bundle withdrawn (DITARIK.json) and keeps it.
ARCHIVE_WITHDRAW_STATES = {
    JobState.QUEUED: "menunggu giliran ditandai ditarik (arsip tetap disimpan)",
    JobState.RUNNING: "sedang ditandai ditarik (arsip tetap disimpan)",
    JobState.RETRY: "gagal ditandai ditarik, akan dicoba lagi otomatis (arsip tetap disimpan)",
    JobState.PUBLISHED: "ditandai ditarik; arsip tetap disimpan",
    JobState.FAILED: "gagal ditandai ditarik (menunggu «Coba lagi» dari admin); arsip tetap disimpan",
}
#: After the target's name, what the job does (nothing for a publication, the usual case).
OPERATIONS = {Operation.PUBLISH: "", Operation.WITHDRAW: " (penarikan)"}
OP_WITHDRAW = OPERATIONS[Operation.WITHDRAW]
JOB_ERROR = "{state} — {error}"
#: Where a live article is, in words, when its target has no public address to show.
JOB_SITE_NO_ADDRESS = "sudah terbit di folder situs; alamat publik belum diatur (SITE_BASE_URL)"
JOB_NO_ADDRESS = "sudah terbit (tanpa alamat publik)"
JOB_ARCHIVED = "tersimpan di arsip elektronik kantor"
JOB_ARCHIVED_AT = "tersimpan di arsip elektronik kantor: <code>{folder}</code>"

#: Where a published article lives, in words, when a target has no public address (never a server path).
PUBLISHED_NO_ADDRESS = "• {label}: halamannya sudah dibuat, tetapi situs belum punya alamat publik untuk dibuka"
PUBLISHED_ARCHIVED = "🗄 Diarsipkan di arsip elektronik kantor."
#: For the admins only: the archive folder, relative to the archive's root.
PUBLISHED_ARCHIVED_AT = "🗄 Diarsipkan di arsip elektronik kantor: <code>{folder}</code>"
#: Once per admin, under the first "Terbit" notice they read while SITE_BASE_URL is empty.
SITE_ADDRESS_HINT = (
    "💡 Alamat situs publik belum diatur (SITE_BASE_URL), jadi pemberitahuan «Terbit» belum bisa memuat "
    "tautan ke halaman artikel. Isi SITE_BASE_URL di berkas .env dengan alamat tempat folder situs disajikan "
    "(misalnya https://kantor.go.id/berita), lalu mulai ulang bot; <code>terbit doctor</code> memeriksanya. "
    "Pesan ini hanya muncul sekali."
)

#: A target keeps failing (OUTBOX_OUTAGE_MINUTES): to the admins, with the retry button.
OUTAGE_ADMIN = (
    "⚠️ <b>{label}</b> gagal {doing} #{id} «{title}» sejak {since} ({minutes} menit).\n"
    "Penyebab: {error}\n"
    "Bot terus mencoba otomatis; tekan «Coba lagi» untuk mencoba sekarang. "
    "Anda akan diberi tahu bila sudah pulih."
)
#: What the failing target was asked to do, in OUTAGE_ADMIN.
OUTAGE_DOING = {Operation.PUBLISH: "menerbitkan", Operation.WITHDRAW: "menurunkan"}
#: The same outage, told once to the writer in plain words.
OUTAGE_WRITER = (
    "⏳ Penerbitan #{id} «{title}» tertunda: {label} belum dapat menerima artikel.\n"
    "Penyebab: {error}\n"
    "Anda tidak perlu melakukan apa pun. Admin sudah diberi tahu, dan bot terus mencoba; "
    "Anda akan menerima pemberitahuan «Terbit» begitu artikel tayang."
)
#: The target of a reported outage works again.
OUTAGE_RECOVERED = "✅ <b>{label}</b> pulih: #{id} «{title}» sudah berhasil diproses (gangguan sejak {since})."

#: /terbitan: a job that waits for the time the Kepala chose ("Setujui & jadwalkan").
JOB_SCHEDULED = "dijadwalkan terbit {when}"
