"""The office's own named places (/tempat), kept in ``DATA_DIR/tempat.json``.

A small list that admins change now and then: a JSON file written atomically
(temp file, fsync, rename) needs no migration and no table; it is read again
only when it changed on disk.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from domain.places import Place
from publishers.files import atomic_write_text


class PlaceBook:
    """The office's places, by name (case-insensitive), in the order they were added."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen: tuple[float, tuple[Place, ...]] | None = None

    def all(self) -> tuple[Place, ...]:
        """The list as it is on disk now (empty when there is no file yet)."""
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return ()
        if self._seen is None or self._seen[0] != mtime:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            self._seen = (mtime, tuple(Place(r["name"], float(r["lat"]), float(r["lon"]), int(r["radius_m"]))
                                       for r in rows))
        return self._seen[1]

    def add(self, place: Place) -> bool:
        """Added, or replacing the one of the same name (False then)."""
        with self._lock:
            others = [p for p in self.all() if p.name.lower() != place.name.lower()]
            new = len(others) == len(self.all())
            self._write([*others, place])
            return new

    def remove(self, name: str) -> Place | None:
        """The place removed; None when there was none of that name."""
        with self._lock:
            places = self.all()
            gone = next((p for p in places if p.name.lower() == name.strip().lower()), None)
            if gone is not None:
                self._write([p for p in places if p is not gone])
            return gone

    def _write(self, places: list[Place]) -> None:
        rows = [{"name": p.name, "lat": p.lat, "lon": p.lon, "radius_m": p.radius_m} for p in places]
        atomic_write_text(self.path, json.dumps(rows, ensure_ascii=False, indent=1))
        self._seen = None


def book(data_dir: Path) -> PlaceBook:
    """The office's place list under ``data_dir``."""
    return PlaceBook(Path(data_dir) / "tempat.json")
