"""What a piece of content is.  Keys are stored; labels are shown."""
from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    BERITA = "berita"
    PENGUMUMAN = "pengumuman"
    ARTIKEL = "artikel"
    LAPORAN_KEGIATAN = "laporan_kegiatan"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def can_expire(self) -> bool:
        """An announcement may carry "berlaku sampai": after it, it is withdrawn by itself."""
        return self == Kind.PENGUMUMAN


_LABELS = {
    Kind.BERITA: "Berita",
    Kind.PENGUMUMAN: "Pengumuman",
    Kind.ARTIKEL: "Artikel",
    Kind.LAPORAN_KEGIATAN: "Laporan Kegiatan",
}
