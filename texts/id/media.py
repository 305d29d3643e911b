"""Indonesian texts for media rejections (plain text; the caller HTML-escapes)."""

from __future__ import annotations

from typing import Any

ACCEPTED_FORMATS = (
    "foto (JPG, PNG, WebP, HEIC, GIF), dokumen (PDF, DOCX, XLSX, PPTX, ODT, ODS), "
    "audio/pesan suara (MP3, M4A, OGG, WAV) dan video (MP4, MOV)"
)

MESSAGES: dict[str, str] = {
    "empty": (
        "Berkas yang Anda kirim kosong (0 byte). Mohon kirim ulang berkasnya; "
        "jika terus kosong, coba simpan ulang berkas di ponsel Anda terlebih dahulu."
    ),
    "too_large": (
        "Maaf, berkas ini terlalu besar. Batas ukuran berkas yang dapat diterima bot adalah "
        "{max_mb:g} MB (batas dari Telegram Bot API). Mohon kirim versi yang lebih kecil "
        "(misalnya PDF yang dikompres atau video yang lebih pendek), atau kirim tautan "
        "(Google Drive, OneDrive, dsb.) ke berkas tersebut."
    ),
    "download_failed": (
        "Berkas belum berhasil diterima karena koneksi terputus. Mohon kirim ulang berkasnya "
        "beberapa saat lagi."
    ),
    "unknown_type": (
        "Maaf, jenis berkas ini tidak dikenali sehingga tidak dapat diterima. "
        "Format yang diterima: {accepted}."
    ),
    "type_not_allowed": (
        "Maaf, berkas ini ({label}) tidak dapat diterima demi keamanan situs. "
        "Format yang diterima: {accepted}. Jika berupa dokumen, simpan sebagai PDF lalu kirim ulang."
    ),
    "image_corrupt": (
        "Foto ini rusak atau tidak terkirim utuh, sehingga tidak dapat dibuka. "
        "Mohon kirim ulang fotonya (sebaiknya sebagai foto biasa, bukan tangkapan layar dari pratinjau)."
    ),
    "image_too_large_pixels": (
        "Resolusi gambar ini terlalu besar (lebih dari {max_mp} megapiksel) untuk diproses. "
        "Mohon perkecil ukuran gambarnya atau kirim sebagai foto biasa lewat Telegram "
        "(Telegram akan mengecilkannya otomatis)."
    ),
    "heic_unsupported": (
        "Foto HEIC (format bawaan iPhone) belum dapat diproses di server ini. "
        "Mohon kirim sebagai foto biasa lewat Telegram (bukan sebagai berkas), atau ubah ke JPG terlebih dahulu."
    ),
    "pdf_encrypted": (
        "PDF ini dilindungi kata sandi sehingga tidak dapat dibuka oleh pengunjung situs. "
        "Mohon hapus kata sandinya (simpan ulang tanpa proteksi) lalu kirim kembali."
    ),
    "pdf_broken": (
        "PDF ini rusak atau tidak memiliki halaman sehingga tidak dapat dibuka. "
        "Mohon ekspor ulang ke PDF dari aplikasi asalnya, lalu kirim kembali."
    ),
    "office_broken": (
        "Dokumen Office ini rusak atau tidak lengkap sehingga tidak dapat dibuka. "
        "Mohon simpan ulang dokumennya (atau ekspor ke PDF), lalu kirim kembali."
    ),
    "office_macro": (
        "Dokumen ini berisi makro, yang tidak diizinkan demi keamanan. Mohon simpan sebagai "
        "dokumen biasa (DOCX, XLSX, PPTX) tanpa makro atau sebagai PDF, lalu kirim kembali."
    ),
    "av_broken": (
        "Berkas audio/video ini rusak atau tidak dapat dibaca. Mohon rekam atau ekspor ulang, "
        "lalu kirim kembali (format yang diterima: MP3, M4A, OGG, WAV, MP4, MOV)."
    ),
}

FALLBACK = "Maaf, berkas ini tidak dapat diproses. Format yang diterima: {accepted}."


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def rejection_text(code: str, **params: Any) -> str:
    """The Indonesian message for a ``MediaRejected`` code, formatted with its params."""
    template = MESSAGES.get(code, FALLBACK)
    values = _Defaults(accepted=ACCEPTED_FORMATS, max_mb=20, max_mp=60, label="berkas ini")
    values.update({k: v for k, v in params.items() if v is not None})
    try:
        return template.format_map(values)
    except (ValueError, TypeError):  # e.g. a non-numeric max_mb with the :g spec
        values["max_mb"] = 20
        return template.format_map(values)
