from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_len: int = 60) -> str:
    """ASCII, lowercase, hyphenated; never empty.  Used in URLs and folder names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug or "artikel"


#: An office's short name in folders and URLs (DATA_DIR/kantor/<slug>/).
OFFICE_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def office_slug(name: str) -> str:
    """A folder-safe short name for an office ("Dinas Pendidikan" → "dinas-pendidikan")."""
    slug = slugify(name, max_len=40)
    return "kantor" if slug == "artikel" else slug
