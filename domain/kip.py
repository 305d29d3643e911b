"""Public-information classes of UU 14/2008 (Keterbukaan Informasi Publik) and
PerKI 1/2021 (Standar Layanan Informasi Publik, which replaced Perki KIP 1/2010):
every published item belongs to one; the excepted class (UU 14/2008 Pasal 17) can
never be published."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
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



# --- the exemption record (PerKI 1/2017) ------------------------------------------------------
#
# Peraturan Komisi Informasi Nomor 1 Tahun 2017 tentang Pengklasifikasian Informasi Publik asks
# that an exemption be decided by a consequence test and recorded: on which ground of UU 14/2008
# Pasal 17 (its letters a-j), the reasons of the test, how long the information stays excepted, and
# who decided it when.  What is cited here is Pasal 17's letters (their words are in
# texts/id/kip.py) and the regulation by name; PerKI 1/2017's articles were NOT checked one by one
# (nor the longest periods other rules allow): cite an article only after reading its text.

#: UU 14/2008 Pasal 17, huruf a to j: the grounds an exemption rests on.
GROUNDS: tuple[str, ...] = tuple("abcdefghij")
#: A sanity bound on a period in years (not a legal limit: none is cited here).
MAX_YEARS = 100


class ExemptionError(ValueError):
    """An answer the exemption record cannot take (``code``: unreadable, past, years)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ExemptPeriod:
    """How long the information is excepted: a number of years, or until a date (one of the two)."""

    years: int | None = None
    until: date | None = None


def clean_reason(text: str) -> str:
    """The consequence test's reason, as typed: required (blank is refused), spaces kept tidy."""
    reason = "\n".join(" ".join(line.split()) for line in (text or "").strip().splitlines()).strip()
    if not reason:
        raise ExemptionError("reason_empty")
    return reason


_YEARS = re.compile(r"^\s*(\d{1,3})\s*(?:thn|tahun)?\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\s*$")


def parse_exempt_period(text: str, today: date) -> ExemptPeriod:
    """"5" or "5 tahun" (years), or "31-12-2030" / "31/12/2030" (until that day, after today)."""
    if m := _YEARS.match(text or ""):
        years = int(m[1])
        if not 1 <= years <= MAX_YEARS:
            raise ExemptionError("years")
        return ExemptPeriod(years=years)
    if m := _DATE.match(text or ""):
        try:
            until = date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError as exc:
            raise ExemptionError("unreadable") from exc
        if until <= today:
            raise ExemptionError("past")
        return ExemptPeriod(until=until)
    raise ExemptionError("unreadable")
