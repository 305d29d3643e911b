"""SOP step 2: every upload becomes a valid, web-ready electronic document.

``process(blob, ...)`` takes a blob already in the content store, decides
what it is from its bytes, validates it and writes the web renditions. It
knows nothing of Telegram or the database; the caller records the returned
``Processed`` (original sha256 + derived files) in the archive.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import av, documents, images
from .errors import MediaRejected
from .names import safe_filename
from .sniff import DEFAULT_ALLOWED_MIMES, MEDIA_KINDS, Detected, identify
from .store import MB, Blob, too_large

__all__ = ["Derived", "MediaPolicy", "Processed", "process", "set_max_parallel"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class MediaPolicy:
    allowed_mimes: frozenset[str] = DEFAULT_ALLOWED_MIMES
    max_bytes: int = 20 * MB  # Bot API getFile limit
    max_pixels: int = images.DEFAULT_MAX_PIXELS
    web_max_side: int = 1600
    thumb_side: int = 400
    image_format: str = "JPEG"  # or "WEBP"
    quality: int = 82
    progressive_jpeg: bool = True  # ~10% smaller, renders early on slow links; costs encode time
    allow_pdf_owner_password: bool = True  # permission-only "encryption"
    zip_limits: documents.ZipLimits = field(default_factory=documents.ZipLimits)
    transcode_voice: bool = True  # needs ffmpeg on PATH; silently skipped otherwise
    ffmpeg_timeout: float = 120.0


@dataclass(frozen=True)
class Derived:
    role: str  # "web" | "thumb" | "audio_web"
    path: Path
    mime: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None


@dataclass
class Processed:
    sha256: str  # of the original, as stored
    size: int
    kind: str  # photo | audio | voice | video | document
    mime: str
    ext: str
    label: str
    display_name: str  # safe, with the extension of the real type
    meta: dict[str, Any] = field(default_factory=dict)
    derived: list[Derived] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rendition(self, role: str) -> Derived | None:
        return next((d for d in self.derived if d.role == role), None)


# --- bounded CPU work ------------------------------------------------------------

_max_parallel = max(1, min(4, os.cpu_count() or 1))
_sems: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def set_max_parallel(n: int) -> None:
    """How many heavy jobs (image decodes, PDF parses...) may run at once.

    Bounds memory as well as CPU: an album of 20 photos is processed a few at
    a time while the event loop stays free.
    """
    global _max_parallel
    _max_parallel = max(1, int(n))
    _sems.clear()


async def _run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    loop = asyncio.get_running_loop()
    sem = _sems.get(loop)
    if sem is None:
        sem = _sems[loop] = asyncio.Semaphore(_max_parallel)
    async with sem:
        return await asyncio.to_thread(fn, *args, **kwargs)


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def _derived(role: str, path: Path, mime: str, width: int | None = None, height: int | None = None) -> Derived:
    sha, size = _hash_file(path)
    return Derived(role, path, mime, size, sha, width, height)


# --- per kind --------------------------------------------------------------------


def _photo(blob: Blob, out_dir: Path, policy: MediaPolicy, p: Processed) -> None:
    info = images.make_renditions(
        blob.path,
        out_dir,
        max_side=policy.web_max_side,
        thumb_side=policy.thumb_side,
        fmt=policy.image_format,
        quality=policy.quality,
        max_pixels=policy.max_pixels,
        stem=blob.sha256,
        progressive=policy.progressive_jpeg,
    )
    p.meta.update(
        width=info.width,
        height=info.height,
        orientation=info.orientation,
        source_format=info.source_format,
        source_mode=info.source_mode,
        icc_converted=info.icc_converted,
        had_alpha=info.had_alpha,
        animated=info.animated,
    )
    cap = info.capture
    if cap is not None and cap.taken_at:
        p.meta["taken_at"] = cap.taken_at
        if cap.offset:
            p.meta["taken_offset"] = cap.offset
    if cap is not None and cap.lat is not None and cap.lon is not None:
        # Archive only: shown to nobody; the place name is worked out from it (domain.places).
        p.meta["gps"] = [cap.lat, cap.lon]
    if info.animated:
        p.notes.append("first_frame_only")
    p.notes.extend(info.notes)
    p.derived.append(_derived("web", info.web, info.mime, info.web_width, info.web_height))
    p.derived.append(_derived("thumb", info.thumb, info.mime, info.thumb_width, info.thumb_height))


def _document(blob: Blob, det: Detected, policy: MediaPolicy, p: Processed) -> None:
    if det.mime == "application/pdf":
        info = documents.check_pdf(blob.path, allow_owner_password=policy.allow_pdf_owner_password)
        p.meta.update(pages=info.pages, pdf_version=info.version)
        if info.title:
            p.meta["title"] = info.title
        if info.owner_password_only:
            p.notes.append("pdf_permissions_restricted")
    else:
        oinfo = documents.check_office(blob.path, det, policy.zip_limits)
        p.meta.update(entries=oinfo.entries, uncompressed_bytes=oinfo.uncompressed_bytes)
        if oinfo.pages is not None:
            p.meta["pages"] = oinfo.pages
        if oinfo.slides is not None:
            p.meta["slides"] = oinfo.slides


def _av(blob: Blob, det: Detected, out_dir: Path, policy: MediaPolicy, p: Processed) -> None:
    info = av.probe(blob.path, det)
    p.meta.update(
        duration=info.duration,
        bitrate=info.bitrate,
        sample_rate=info.sample_rate,
        channels=info.channels,
        codec=info.codec,
        container=info.container,
    )
    if det.kind == "voice" and policy.transcode_voice:
        out = av.transcode_voice(blob.path, out_dir, stem=blob.sha256, timeout=policy.ffmpeg_timeout)
        if out is None:
            p.notes.append("voice_kept_as_ogg")
        else:
            p.derived.append(_derived("audio_web", out, "audio/mp4"))


def _process_sync(
    blob: Blob, original_name: str | None, out_dir: Path, policy: MediaPolicy
) -> Processed:
    if blob.size == 0:
        raise MediaRejected("empty")
    if blob.size > policy.max_bytes:
        raise too_large(policy.max_bytes, blob.size)
    det = identify(blob.path)
    if det is None:
        raise MediaRejected("unknown_type")
    if det.kind not in MEDIA_KINDS or det.mime not in policy.allowed_mimes:
        raise MediaRejected("type_not_allowed", label=det.label, mime=det.mime)
    p = Processed(
        sha256=blob.sha256,
        size=blob.size,
        kind=det.kind,
        mime=det.mime,
        ext=det.ext,
        label=det.label,
        display_name=safe_filename(original_name, ext=det.ext),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    if det.kind == "photo":
        _photo(blob, out_dir, policy, p)
    elif det.kind == "document":
        _document(blob, det, policy, p)
    else:
        _av(blob, det, out_dir, policy, p)
    return p


async def process(
    blob: Blob,
    *,
    original_name: str | None,
    out_dir: Path,
    policy: MediaPolicy | None = None,
) -> Processed:
    """Validate ``blob`` and produce its web renditions in ``out_dir``.

    Raises ``MediaRejected(code, **params)``; see ``media.errors.REJECTION_CODES``.
    """
    policy = policy or MediaPolicy()
    result = await _run(_process_sync, blob, original_name, Path(out_dir), policy)
    log.info(
        "media ok sha=%s kind=%s mime=%s derived=%d",
        result.sha256[:12], result.kind, result.mime, len(result.derived),
    )
    return result
