"""Display/download names for uploaded files.

These names are only ever *shown* (captions, archive listings,
Content-Disposition); storage paths come from the content hash. Still, a name
can end up in a ZIP export or on a Windows desktop, so it is made safe for
that too.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["DEFAULT_NAME", "safe_filename"]

DEFAULT_NAME = "berkas"
MAX_NAME_BYTES = 150  # UTF-8 bytes; most file systems allow 255

# Bidirectional overrides/isolates allow "gpj.exe" spoofing ("‮gpj.exe" shows
# as "exe.jpg"); BOM and word joiner carry no meaning in a name. ZWJ/ZWNJ
# (U+200C/U+200D) stay: Persian, Arabic and Indic names need them.
_INVISIBLE = {
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u200e", "\u200f", "\u061c", "\ufeff", "\u2060", "\u00ad",
}
_FORBIDDEN = set('<>:"/\\|?*')
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CLOCK$",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_SPACES = re.compile(r"\s+")


def _clean_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    cat = unicodedata.category(ch)
    if cat == "Cc" or cat in ("Zl", "Zp"):
        return " "  # control chars, including newlines and tabs
    if cat in ("Cs", "Co", "Cn"):
        return ""  # lone surrogates, private use, unassigned
    if ch in _FORBIDDEN:
        return "_"
    return ch


def _truncate_utf8(s: str, limit: int) -> str:
    b = s.encode("utf-8")
    if len(b) <= limit:
        return s
    return b[:limit].decode("utf-8", "ignore")


def safe_filename(
    name: str | None,
    *,
    ext: str | None = None,
    default: str = DEFAULT_NAME,
    max_bytes: int = MAX_NAME_BYTES,
) -> str:
    """A harmless display name derived from a user-supplied ``name``.

    * keeps only the last path component (``/`` and ``\\`` both count);
    * removes control characters and bidi overrides, replaces characters
      Windows forbids with ``_``;
    * keeps letters from any script (``Laporan Ramaḍān 2024 سلام 报告.pdf``);
    * limits the UTF-8 length to ``max_bytes``, preserving the extension;
    * never returns an empty string, ``.`` or ``..``.

    If ``ext`` is given (e.g. ``".pdf"`` from sniffing) it replaces whatever
    extension the user claimed, so the name cannot lie about the content.
    """
    if not name:
        name = ""
    name = unicodedata.normalize("NFC", str(name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_clean_char(c) for c in name)
    name = _SPACES.sub(" ", name).strip(" .")

    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    # An "extension" that is long or has spaces is just part of the name.
    if suffix and (len(suffix) > 10 or " " in suffix or not stem):
        stem, suffix = name, ""
    if ext is not None:
        suffix = ext.lstrip(".")
    stem = stem.strip(" .")
    if not stem:
        stem = default
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem

    suffix_part = f".{suffix}" if suffix else ""
    room = max(8, max_bytes - len(suffix_part.encode("utf-8")))
    stem = _truncate_utf8(stem, room).rstrip(" .") or default
    return stem + suffix_part
