"""Content-addressed blob store.

Layout::

    root/objects/ab/cd/abcdef...   (SHA-256 of the content, read-only)
    root/tmp/                      (in-flight writes; same file system)

Uploads are hashed while they are written to a temp file, then linked into
place atomically. The same bytes are stored once. Nothing about a path comes
from the user: only the hash.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import MediaRejected

__all__ = ["MB", "Blob", "ContentStore"]

MB = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FILE_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Blob:
    sha256: str
    path: Path
    size: int
    existed: bool = False


def too_large(max_bytes: int, size: int | None = None) -> MediaRejected:
    params: dict[str, int | float] = {"max_bytes": max_bytes, "max_mb": round(max_bytes / MB, 1)}
    if size is not None:
        params["size"] = size
    return MediaRejected("too_large", **params)


class ContentStore:
    def __init__(self, root: Path | str, *, fsync: bool = True) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.fsync = fsync

    # -- lookup ------------------------------------------------------------

    def path_for(self, sha256: str) -> Path:
        sha256 = sha256.lower()
        if not _HEX64.fullmatch(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.objects / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def get(self, sha256: str) -> Blob | None:
        p = self.path_for(sha256)
        try:
            return Blob(sha256, p, p.stat().st_size, True)
        except FileNotFoundError:
            return None

    # -- ingest ------------------------------------------------------------

    def _new_temp(self) -> tuple[int, Path]:
        fd, name = tempfile.mkstemp(prefix="in-", dir=self.tmp)
        return fd, Path(name)

    def _commit(self, tmp: Path, sha256: str, size: int) -> Blob:
        """Move ``tmp`` to its content address; called with the file closed."""
        dest = self.path_for(sha256)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(tmp, 0o444)
            try:
                # link() fails atomically if the object already exists, so two
                # concurrent uploads of the same bytes agree on who was first.
                os.link(tmp, dest)
                existed = False
            except FileExistsError:
                existed = True
            except OSError:
                # file systems without hard links: rename (still atomic)
                if dest.exists():
                    existed = True
                else:
                    os.replace(tmp, dest)
                    return Blob(sha256, dest, size, False)
        finally:
            tmp.unlink(missing_ok=True)
        return Blob(sha256, dest, size, existed)

    async def ingest_stream(
        self, chunks: AsyncIterable[bytes], max_bytes: int | None = None
    ) -> Blob:
        """Store the bytes yielded by ``chunks``.

        Raises ``MediaRejected("too_large")`` as soon as more than
        ``max_bytes`` arrive (nothing is kept) and ``MediaRejected("empty")``
        for zero bytes. Any exception from ``chunks`` also removes the
        partial file.
        """
        h = hashlib.sha256()
        size = 0
        fd, tmp = self._new_temp()
        f = os.fdopen(fd, "wb", buffering=0)
        ok = False
        try:
            async for chunk in chunks:
                if not chunk:
                    continue
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise too_large(max_bytes)
                h.update(chunk)
                f.write(chunk)
            if size == 0:
                raise MediaRejected("empty")
            if self.fsync:
                await asyncio.to_thread(os.fsync, f.fileno())
            f.close()
            blob = await asyncio.to_thread(self._commit, tmp, h.hexdigest(), size)
            ok = True
            return blob
        finally:
            if not ok:
                f.close()
                tmp.unlink(missing_ok=True)

    def ingest_file_sync(self, path: Path | str, max_bytes: int | None = None) -> Blob:
        h = hashlib.sha256()
        size = 0
        fd, tmp = self._new_temp()
        ok = False
        try:
            with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                while chunk := src.read(_FILE_CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise too_large(max_bytes)
                    h.update(chunk)
                    out.write(chunk)
                if size == 0:
                    raise MediaRejected("empty")
                out.flush()
                if self.fsync:
                    os.fsync(out.fileno())
            blob = self._commit(tmp, h.hexdigest(), size)
            ok = True
            return blob
        finally:
            if not ok:
                tmp.unlink(missing_ok=True)

    async def ingest_file(self, path: Path | str, max_bytes: int | None = None) -> Blob:
        """Copy a local file into the store (the source is left alone)."""
        return await asyncio.to_thread(self.ingest_file_sync, path, max_bytes)

    async def ingest_bytes(self, data: bytes, max_bytes: int | None = None) -> Blob:
        async def one() -> AsyncIterable[bytes]:
            yield data

        return await self.ingest_stream(one(), max_bytes)

    def iter_objects(self) -> Iterable[Path]:
        return (p for p in self.objects.glob("*/*/*") if p.is_file())
