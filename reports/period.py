"""Report periods: ``/laporan 2026-11`` and friends.

A :class:`Period` is the half-open interval ``[start, end)`` of aware
datetimes at local midnight; it unpacks as ``start, end = period``.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from domain import labels

MAX_DAYS = 366
MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(ValueError):
    """A period the user typed that cannot be used; ``str(e)`` is Indonesian, for the chat."""

    def __init__(self, code: str, **kw: object) -> None:
        self.code = code
        kw.setdefault("examples", labels.PERIOD_EXAMPLES)
        super().__init__(labels.PERIOD_ERRORS[code].format(**kw))


class Period(NamedTuple):
    start: datetime
    end: datetime  # exclusive

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last day inside the period (inclusive)."""
        return (self.end - timedelta(microseconds=1)).date()

    @property
    def is_whole_month(self) -> bool:
        s, e = self.start, self.end
        return (s.day == 1 and e.day == 1 and s.time() == time(0) and e.time() == time(0)
                and (e.year * 12 + e.month) - (s.year * 12 + s.month) == 1)

    @property
    def label(self) -> str:
        """``"November 2026"`` for a whole month, else ``"1–15 November 2026"``."""
        if self.is_whole_month:
            return labels.month_year(self.start.year, self.start.month)
        return labels.format_date_range(self.first_day, self.last_day)

    @property
    def slug(self) -> str:
        """For file names: ``2026-11`` or ``2026-11-01_2026-11-15``."""
        if self.is_whole_month:
            return f"{self.start:%Y-%m}"
        return f"{self.first_day:%Y-%m-%d}_{self.last_day:%Y-%m-%d}"

    def contains(self, dt: datetime) -> bool:
        return self.start <= dt < self.end


def _midnight(d: date, tz: tzinfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz)


def month_period(year: int, month: int, tz: tzinfo) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError("bad_month", month=month)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("bad_year", year=year)
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(_midnight(date(year, month, 1), tz), _midnight(nxt, tz))


def days_period(first: date, last: date, tz: tzinfo) -> Period:
    """The inclusive day range ``first..last``."""
    if last < first:
        raise PeriodError("reversed", first=labels.format_date(first), last=labels.format_date(last))
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("too_long", days=MAX_DAYS)
    return Period(_midnight(first, tz), _midnight(last + timedelta(days=1), tz))


_YM = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
_NAMED = re.compile(r"^([a-z]+)\.?\s*(\d{4})$")
_RANGE_SEP = re.compile(r"\s*(?:\.\.|–|—|\bs\.?\s?d\.?(?=\s)|\bs/d\b|\bsampai\b|\bhingga\b)\s*")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> date:
    """One day typed as ``2026-11-05`` or ``5/11/2026`` (also ``5.11.2026``, ``5-11-2026``).

    Raises :class:`PeriodError` (``bad_date`` or ``bad_year``) with an Indonesian message.
    """
    m = _ISO_DATE.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DMY_DATE.match(text)
        if not m:
            raise PeriodError("bad_date", text=text)
        d, mo, y = (int(g) for g in m.groups())
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise PeriodError("bad_year", year=y)
    try:
        return date(y, mo, d)
    except ValueError:
        raise PeriodError("bad_date", text=text) from None


def parse_period(text: str | None, now: datetime, tz: tzinfo | None = None) -> Period:
    """Parse what follows ``/laporan``.

    Accepts ``2026-11``, ``11/2026``, ``November 2026`` / ``nov 2026``,
    ``bulan ini``, ``bulan lalu``, and inclusive day ranges
    ``2026-11-01..2026-11-15`` (also ``1/11/2026 s.d. 15/11/2026``).
    Bounds are local midnights in ``tz`` (default: ``now``'s zone).
    Raises :class:`PeriodError` with an Indonesian message.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = tz or now.tzinfo
    today = now.astimezone(tz).date()
    raw = (text or "").strip()
    s = re.sub(r"\s+", " ", raw.lower())
    if not s:
        raise PeriodError("empty")

    if s in ("bulan ini", "ini"):
        period = month_period(today.year, today.month, tz)
    elif s in ("bulan lalu", "lalu", "bulan kemarin"):
        y, mo = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        period = month_period(y, mo, tz)
    elif m := _YM.match(s):
        period = month_period(int(m[1]), int(m[2]), tz)
    elif m := _MY.match(s):
        period = month_period(int(m[2]), int(m[1]), tz)
    elif (m := _NAMED.match(s)) and m[1] in labels.MONTH_WORDS:
        period = month_period(int(m[2]), labels.MONTH_WORDS[m[1]], tz)
    else:
        parts = [p for p in _RANGE_SEP.split(s) if p]
        if len(parts) == 2 and _RANGE_SEP.search(s):
            period = days_period(parse_date(parts[0]), parse_date(parts[1]), tz)
        elif len(parts) == 1 and (_ISO_DATE.match(s) or _DMY_DATE.match(s)):
            d = parse_date(s)
            period = days_period(d, d, tz)
        else:
            raise PeriodError("unknown", text=raw)

    if period.start > now:
        raise PeriodError("future", label=period.label)
    return period
