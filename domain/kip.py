"""Public-information classes of UU 14/2008 (Keterbukaan Informasi Publik) and
PerKI 1/2021 (Standar Layanan Informasi Publik, which replaced Perki KIP 1/2010):
every published item belongs to one; the excepted class (UU 14/2008 Pasal 17) can
never be published."""
from __future__ import annotations

from enum import StrEnum

from domain.kinds import Kind


class KipClass(StrEnum):
    #: Pasal 9: provided and announced periodically (reports, programmes).
    BERKALA = "berkala"
    #: Pasal 10: announced at once (threats to life and public order).
    SERTA_MERTA = "serta_merta"
    #: Pasal 11: available at any time on request.
    SETIAP_SAAT = "setiap_saat"
    #: Pasal 17: excepted information; never published.
    DIKECUALIKAN = "dikecualikan"

    @property
    def publishable(self) -> bool:
        return self is not KipClass.DIKECUALIKAN

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    KipClass.BERKALA: "Berkala",
    KipClass.SERTA_MERTA: "Serta-merta",
    KipClass.SETIAP_SAAT: "Setiap saat",
    KipClass.DIKECUALIKAN: "Dikecualikan",
}


#: The built-in default class of each kind, until the admin sets another.
BUILTIN_DEFAULT: dict[Kind, KipClass] = {
    Kind.BERITA: KipClass.SETIAP_SAAT,
    Kind.PENGUMUMAN: KipClass.SERTA_MERTA,
    Kind.ARTIKEL: KipClass.SETIAP_SAAT,
    Kind.LAPORAN_KEGIATAN: KipClass.BERKALA,
}


def default_for(kind: str | None, overrides: dict[str, KipClass] | None = None) -> KipClass:
    """The class an item of this kind gets when nobody chose one."""
    if kind and overrides and kind in overrides:
        return overrides[kind]
    try:
        return BUILTIN_DEFAULT[Kind(kind)] if kind else KipClass.SETIAP_SAAT
    except ValueError:  # a kind this version does not know
        return KipClass.SETIAP_SAAT

