"""The office dictionary (kamus kantor): names, places and jargon the spelling check accepts.

Kept as a JSON list in ``DATA_DIR/kamus-kantor.json`` rather than a table: it is a short
list edited by hand in chat, read on every preview (cached until the file changes), and
a file needs no migration.  Writes go to a temporary file then ``os.replace``, so a
crash never leaves half a list; the backup of ``DATA_DIR`` carries it along.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from domain.workflow import Role
from publishers.files import atomic_write_text
from services.errors import ServiceError
from services.staff.people import by_telegram_id, roles_of
from services.uow import Sessions

FILE_NAME = "kamus-kantor.json"
#: Who may change the office dictionary (everyone registered may read it).
EDITORS = frozenset({Role.ADMIN, Role.KASUBBAG})
# One word: letters, with inner hyphens or apostrophes ("Sumba", "Jum'at", "e-KTP").
_WORD_RE = re.compile(r"^[^\W\d_]+(?:[-'’][^\W_]+)*$")
WORD_MAX = 40

_cache: dict[Path, tuple[int, frozenset[str]]] = {}


def path_in(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def read(path: Path | None) -> frozenset[str]:
    """The words (lower case); read again only when the file changed."""
    if path is None:
        return frozenset()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return frozenset()
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    words = frozenset(str(w).lower() for w in json.loads(path.read_text(encoding="utf-8")))
    _cache[path] = (stamp, words)
    return words


def _write(path: Path, words: frozenset[str]) -> None:
    """Atomically: readers see the old list or the new one (publishers.files)."""
    atomic_write_text(path, json.dumps(sorted(words), ensure_ascii=False, indent=0))
    _cache.pop(path, None)


def normal(word: str) -> str:
    """The word as stored (lower case), or a refusal for anything that is not one word."""
    word = word.strip().lower()
    if not word or len(word) > WORD_MAX or not _WORD_RE.match(word):
        raise ServiceError("dictionary_word_invalid", word=word[:WORD_MAX])
    return word


@dataclass(frozen=True)
class Changed:
    word: str
    #: False when nothing changed (already there / not there).
    changed: bool
    words: tuple[str, ...]


async def _editor(sessions: Sessions, telegram_id: int) -> None:
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            raise ServiceError("dictionary_not_registered")
        if not roles_of(person) & EDITORS:
            raise ServiceError("dictionary_not_allowed")


async def words(sessions: Sessions, *, telegram_id: int, path: Path) -> tuple[str, ...]:
    """/kamus: the list, for anyone registered."""
    async with sessions() as s:
        if await by_telegram_id(s, telegram_id) is None:
            raise ServiceError("dictionary_not_registered")
    return tuple(sorted(read(path)))


async def add(sessions: Sessions, *, telegram_id: int, path: Path, word: str) -> Changed:
    """/kamus tambah <kata>: an admin or the Kasubbag teaches the check a word."""
    await _editor(sessions, telegram_id)
    w = normal(word)
    known = read(path)
    if w not in known:
        _write(path, known | {w})
    return Changed(w, w not in known, tuple(sorted(read(path))))


async def remove(sessions: Sessions, *, telegram_id: int, path: Path, word: str) -> Changed:
    """/kamus hapus <kata>: the word is doubtful again."""
    await _editor(sessions, telegram_id)
    w = normal(word)
    known = read(path)
    if w in known:
        _write(path, known - {w})
    return Changed(w, w in known, tuple(sorted(read(path))))
