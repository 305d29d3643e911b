"""The SOP's "etika penulisan dan validitas data" as automatic checks.

Checks run on a revision before it is submitted; the writer sees them in the
preview and the reviewers see the same list.  Errors block submission,
warnings do not.  Personal data (NIK, phone numbers, e-mail addresses) is a
warning with a one-tap mask, because an official address may be meant to be
published.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain import places
from domain.kinds import Kind


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckPolicy:
    title_min: int = 10
    title_max: int = 150
    body_min: int = 150
    kinds_needing_photo: frozenset[str] = frozenset({Kind.BERITA.value})
    #: Validity of photos: their capture date this many days from the date the body states,
    #: or their position this many km from the place it names, is worth a warning.
    photo_days_apart: int = 7
    photo_km_apart: float = 25.0
    office_tz: str = "Asia/Jakarta"
    #: The office's own named places (they change while the bot runs, hence a function).
    office_places: Callable[[], tuple[places.Place, ...]] = tuple
    #: The office dictionary (kamus kantor) the spelling check also accepts; None: none.
    office_dictionary: str | None = None


#: Words that may be misspelt or non-standard (a warning, never blocking); computed by
#: services.writing.drafts with domain.spelling, since it needs the office's own words.
SPELLING = "spelling"


@dataclass(frozen=True)
class Content:
    kind: str | None
    title: str | None
    body: str | None
    photo_count: int
    #: The photos' attachment meta (capture time and position, when they kept them).
    photo_meta: tuple[dict[str, object], ...] = ()


# A 16-digit NIK (Nomor Induk Kependudukan), optionally grouped by spaces/dots.
NIK_RE = re.compile(r"(?<![\d])(?:\d[ .]?){15}\d(?![\d])")
# Indonesian mobile and landline numbers: +62 / 62 / 0, then 8-13 digits,
# allowing the separators people type (space, dash, dot, parentheses).
PHONE_RE = re.compile(r"(?<![\w+])(?:\+62|62|0)[ \-.(]*\d{2,4}[ \-.)]*\d{3,4}[ \-.]*\d{3,5}(?![\d])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def find_personal_data(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"nik": [], "phone": [], "email": []}
    niks = [m for m in NIK_RE.finditer(text) if len(_digits(m.group())) == 16]
    found["nik"] = [m.group() for m in niks]
    taken = [m.span() for m in niks]
    for m in PHONE_RE.finditer(text):
        n = len(_digits(m.group()))
        overlaps = any(a < m.end() and m.start() < b for a, b in taken)
        if 9 <= n <= 14 and not overlaps:
            found["phone"].append(m.group())
    found["email"] = [m.group() for m in EMAIL_RE.finditer(text)]
    return {k: v for k, v in found.items() if v}


def _mask_digits(s: str, keep_last: int) -> str:
    total = len(_digits(s))
    seen = 0
    out = []
    for ch in s:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep_last else "*")
        else:
            out.append(ch)
    return "".join(out)


def _mask_email(s: str) -> str:
    local, _, domain = s.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_personal_data(text: str) -> str:
    """Mask NIKs and phone numbers (last digits kept) and e-mail local parts."""
    def nik(m: re.Match[str]) -> str:
        return _mask_digits(m.group(), 4) if len(_digits(m.group())) == 16 else m.group()

    text = NIK_RE.sub(nik, text)

    def phone(m: re.Match[str]) -> str:
        n = len(_digits(m.group()))
        return _mask_digits(m.group(), 3) if 9 <= n <= 14 else m.group()

    text = PHONE_RE.sub(phone, text)
    return EMAIL_RE.sub(lambda m: _mask_email(m.group()), text)


def _is_all_caps(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return len(letters) >= 5 and all(c.isupper() for c in letters)


def run_checks(content: Content, policy: CheckPolicy = CheckPolicy()) -> list[Finding]:
    out: list[Finding] = []
    E, W = Severity.ERROR, Severity.WARNING
    if not content.kind:
        out.append(Finding("kind_missing", E))
    title = (content.title or "").strip()
    body = (content.body or "").strip()
    if not title:
        out.append(Finding("title_missing", E))
    else:
        if len(title) < policy.title_min:
            out.append(Finding("title_short", E, {"min": policy.title_min, "len": len(title)}))
        if len(title) > policy.title_max:
            out.append(Finding("title_long", E, {"max": policy.title_max, "len": len(title)}))
        if _is_all_caps(title):
            out.append(Finding("title_all_caps", E))
    if not body:
        out.append(Finding("body_missing", E))
    elif len(body) < policy.body_min:
        out.append(Finding("body_short", E, {"min": policy.body_min, "len": len(body)}))
    if content.kind in policy.kinds_needing_photo and content.photo_count < 1:
        out.append(Finding("photo_missing", E))
    pii = find_personal_data(f"{title}\n{body}")
    for kind, items in pii.items():
        out.append(Finding(f"pii_{kind}", W, {"count": len(items)}))
    out.extend(photo_validity(body, content.photo_meta, policy))
    return out


def photo_validity(body: str, metas: tuple[dict[str, object], ...], policy: CheckPolicy) -> list[Finding]:
    """Warnings when the photos were taken long before/after the date the body states,
    or far from the place it names (never a block: a file photo may be an older one on purpose)."""
    out: list[Finding] = []
    times = [t for t in (places.taken_at(m, policy.office_tz) for m in metas) if t is not None]
    if body and times:
        out.extend(_date_gap(body, times, policy))
    positions = [p for p in (places.position(m) for m in metas) if p is not None]
    named = places.named_in(body, policy.office_places()) if body and positions else None
    if named is not None:
        far = max(places.distance_km(p, (named.lat, named.lon)) for p in positions)
        if far - named.radius_m / 1000 > policy.photo_km_apart:
            out.append(Finding("photo_place_far", Severity.WARNING, {"km": round(far), "place": named.name}))
    return out


def _date_gap(body: str, times: list[datetime], policy: CheckPolicy) -> list[Finding]:
    stated = places.stated_dates(body, times[0].year)
    if not stated:
        return []
    # The photo furthest from every stated date decides; its gap to the nearest of them.
    gaps = []
    for t in times:
        day = min(stated, key=lambda x: abs((t.date() - x).days))
        gaps.append((abs((t.date() - day).days), t, day))
    gap, photo, day = max(gaps, key=lambda g: g[0])
    if gap <= policy.photo_days_apart:
        return []
    code = "photo_date_before" if photo.date() < day else "photo_date_after"
    return [Finding(code, Severity.WARNING, {"gap": places.months_or_days(gap)})]


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def passed(findings: Sequence[Finding], photo_count: int) -> list[str]:
    """The checks that passed, each worth a ✅ ("title", "body", "photo", "pii").

    A tick is never shown for what is not there: "photo" passes only when there is a
    photo, not merely because this kind does not need one (an Artikel without
    attachments has no photo to be glad about).
    """
    codes = {f.code for f in findings}
    out = []
    if not codes & {"title_missing", "title_short", "title_long", "title_all_caps"}:
        out.append("title")
    if not codes & {"body_missing", "body_short"}:
        out.append("body")
    if photo_count > 0 and "photo_missing" not in codes:
        out.append("photo")
    if not any(c.startswith("pii_") for c in codes):
        out.append("pii")
    return out
