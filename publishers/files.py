"""File helpers shared by the static site and the archive publisher.

Durable writes (temporary file in the same directory, ``fsync``, then
``os.replace``), a cross-process directory lock, content hashes, the
on-disk name of an uploaded file, and the JSON both publishers write.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from media.names import safe_filename
from publishers.base import Asset, PublishError

try:  # POSIX only; on other systems the in-process lock must suffice.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]  # module or None, by platform

SHA256_RE = re.compile(r"[0-9a-f]{64}")


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _temp_in(directory: Path, name: str) -> tuple[int, str]:
    return tempfile.mkstemp(dir=directory, prefix=f".{name[:40]}.", suffix=".tmp")


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new file only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_in(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def copy_file(src: Path, dst: Path, *, mode: int = 0o644, atomic: bool = True) -> str:
    """Copy ``src`` to ``dst`` byte for byte and return the SHA-256 of the bytes.

    With ``atomic`` the copy goes to a temporary file in ``dst``'s directory
    and is renamed into place.
    """
    dst.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    if atomic:
        fd, target = _temp_in(dst.parent, dst.name)
    else:  # a new file, as open(dst, "xb"): an existing dst raises here and is left alone
        target = str(dst)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            while chunk := inp.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(target, mode)
        if atomic:
            os.replace(target, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    if atomic:
        fsync_dir(dst.parent)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def dir_lock(root: Path) -> Iterator[None]:
    """Exclusive lock over ``root`` across processes (``root/.terbit.lock``)."""
    root.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(root / ".terbit.lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


_UNSAFE_NAME = re.compile(r"[^\w.()+-]+")
_EXT = re.compile(r"\w{1,10}")


def publish_filename(name: str | None, fallback: str = "berkas", max_bytes: int = 120) -> str:
    """The name an uploaded file gets on disk and in a URL path (site, archive).

    :func:`media.names.safe_filename` (the one cleaning of a user's file name),
    further kept to letters and digits of any script, ``. ( ) + -`` and
    ``_``; every other run becomes ``_``.  Never empty, never hidden, never
    ``.``/``..``; ``fallback`` (e.g. ``"berkas.pdf"``) when nothing is left.
    """
    text = _UNSAFE_NAME.sub("_", safe_filename(name, default="")).strip("._ ")
    if not text:
        text = fallback
    stem, dot, ext = text.rpartition(".")
    if not dot or not _EXT.fullmatch(ext):
        stem, ext = text, ""
    ext_part = f".{ext}" if ext else ""
    while len((stem + ext_part).encode("utf-8")) > max_bytes and stem:
        stem = stem[:-1]
    stem = stem.rstrip("._ ") or fallback
    return stem + ext_part


_MIME_EXT = {
    "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif",
    "image/avif": "avif", "audio/ogg": "ogg", "audio/opus": "opus", "audio/mpeg": "mp3",
    "audio/mp4": "m4a", "audio/aac": "aac", "audio/wav": "wav", "audio/x-wav": "wav",
    "audio/webm": "weba", "video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov",
    "application/pdf": "pdf",
}


def ext_for(mime: str | None, path: Path | None = None) -> str:
    """File extension (no dot) for a MIME type, else the path's, else ``bin``."""
    ext = _MIME_EXT.get((mime or "").split(";")[0].strip().lower())
    if ext:
        return ext
    if path is not None:
        suffix = path.suffix.lower().lstrip(".")
        if re.fullmatch(r"[a-z0-9]{1,8}", suffix):
            return suffix
    return "bin"


def probe_image_size(path: Path) -> tuple[int, int] | None:
    """Pixel size of an image file (reads only its header), or ``None``."""
    try:
        from PIL import Image

        with Image.open(path) as im:
            return int(im.width), int(im.height)
    except Exception:  # a missing size only drops two attributes
        return None


def check_sha256(asset: Asset) -> str:
    sha = (asset.sha256 or "").lower()
    if not SHA256_RE.fullmatch(sha):
        raise PublishError(f"Berkas #{asset.id} tidak memiliki sidik SHA-256 yang sah.", retryable=False)
    return sha


def os_error(exc: OSError, what: str) -> PublishError:
    """Turn an OS error into a PublishError with plain words for the admin."""
    if isinstance(exc, FileNotFoundError):
        return PublishError(f"{what}: berkas tidak ditemukan ({exc.filename}).", retryable=False)
    if isinstance(exc, PermissionError):
        return PublishError(f"{what}: izin akses ditolak ({exc.filename}).", retryable=False)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return PublishError(f"{what}: ruang penyimpanan penuh.", retryable=True)
    return PublishError(f"{what}: {exc.strerror or exc}.", retryable=True)


def json_default(value: Any) -> Any:
    """JSON for the odd types found in records: ISO 8601 datetimes with offset."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n"
