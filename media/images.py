"""Web renditions of photos: oriented, sRGB, metadata-free, small and fast.

Synchronous and CPU-bound; ``media.pipeline`` runs it in a worker thread.

Speed: for JPEG the decoder is asked (``Image.draft``) to decode straight at
1/2, 1/4 or 1/8 scale, whichever still covers the target size, so a 12 MP
photo never exists at full size in memory. Other formats are box-reduced
(``Image.reduce``) by the largest integer factor that stays above the target
before the one filtered resample. The thumbnail is made from the in-memory
web rendition with ``reduce`` (usually exactly 4x), not from the original.
Figures and method: docs/performance-media.md. Orientation and colour
conversion are applied to the small image.

Privacy: the saved files carry no EXIF (so no GPS, no camera serial), no XMP,
no ICC profile (pixels are converted to sRGB, which is what browsers assume
for untagged images) and no comments.
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from struct import error as struct_error

from PIL import Image, ImageChops, ImageCms, ImageFile, UnidentifiedImageError

from .errors import MediaRejected

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "Capture",
    "ImageInfo",
    "heif_available",
    "make_renditions",
    "read_capture",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_PIXELS = 60_000_000

# Never decode half an image and call it a photo.
ImageFile.LOAD_TRUNCATED_IMAGES = False

#: HEIC/HEIF from iPhones (pillow-heif, optional): None until the first HEIF file asks,
#: since importing it costs about 0.15 s of every start-up.
_HEIF: bool | None = None
_PIL_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]

_ORIENT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXT = {"JPEG": ".jpg", "WEBP": ".webp"}
_MIME = {"JPEG": "image/jpeg", "WEBP": "image/webp"}


def heif_available() -> bool:
    """pillow-heif is installed (and now registered with Pillow)."""
    global _HEIF, _PIL_FORMATS
    if _HEIF is None:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _HEIF = True
            _PIL_FORMATS = [*_PIL_FORMATS, "HEIF"]
        except Exception:  # pragma: no cover - depends on the environment
            _HEIF = False
    return _HEIF


@dataclass
class ImageInfo:
    width: int  # original, after orientation
    height: int
    web: Path
    thumb: Path
    web_width: int
    web_height: int
    thumb_width: int
    thumb_height: int
    mime: str  # of the renditions
    source_format: str  # Pillow's name: JPEG, PNG, WEBP, GIF, HEIF
    source_mode: str
    orientation: int = 1
    icc_converted: bool = False  # the embedded profile was honoured (converted, or found to be sRGB)
    had_alpha: bool = False
    animated: bool = False
    notes: list[str] = field(default_factory=list)
    capture: Capture | None = None


@dataclass(frozen=True)
class Capture:
    """When and where a photo says it was taken (from its EXIF; kept in the archive only)."""

    #: DateTimeOriginal as written by the camera: "YYYY-MM-DDTHH:MM:SS", local time of the camera.
    taken_at: str | None = None
    #: OffsetTimeOriginal ("+08:00") when the camera wrote one.
    offset: str | None = None
    lat: float | None = None
    lon: float | None = None


_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _OFFSET_ORIGINAL, _DATETIME = 0x9003, 0x9011, 0x0132
_OFFSET_RE = re.compile(r"^[+-]\d{2}:\d{2}$")


def _exif_time(raw: object) -> str | None:
    """"2026:11:30 09:15:00" -> "2026-11-30T09:15:00"; None for blanks and junk."""
    text = str(raw or "").strip().strip("\x00")
    try:
        return datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def _degrees(dms: object, ref: object) -> float | None:
    """GPS degrees/minutes/seconds rationals and N/S/E/W to signed decimal degrees."""
    try:
        d, m, sec = (float(x) for x in dms)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + sec / 3600
    if str(ref or "").strip("\x00 ").upper() in ("S", "W"):
        value = -value
    return round(value, 6)


def read_capture(exif: Image.Exif) -> Capture:
    """Capture time and GPS position from a photo's EXIF (absent parts are None)."""
    sub = exif.get_ifd(_EXIF_IFD)
    taken = _exif_time(sub.get(_DATETIME_ORIGINAL)) or _exif_time(exif.get(_DATETIME))
    offset = str(sub.get(_OFFSET_ORIGINAL) or "").strip("\x00 ")
    gps = exif.get_ifd(_GPS_IFD)
    lat, lon = _degrees(gps.get(2), gps.get(1)), _degrees(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0.0, 0.0):
        lat = lon = None  # half a position, or the 0,0 a phone writes without a fix, is no position
    return Capture(taken, offset if _OFFSET_RE.match(offset) else None, lat, lon)


# --- colour ------------------------------------------------------------------

_SRGB = ImageCms.createProfile("sRGB")


@lru_cache(maxsize=16)
def _icc_transform(icc: bytes, in_mode: str, out_mode: str) -> ImageCms.ImageCmsTransform:
    src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ImageCms.buildTransform(
        src, _SRGB, in_mode, out_mode, renderingIntent=ImageCms.Intent.PERCEPTUAL
    )


def _cube(n: int = 17) -> Image.Image:
    """n**3 colours spanning the RGB cube (0, 16, ..., 240, 255 per channel)."""
    levels = [min(255, 256 * i // (n - 1)) for i in range(n)]
    im = Image.new("RGB", (n * n, n))
    im.putdata([(r, g, b) for b in levels for r in levels for g in levels])
    return im


_PROBE = _cube()


@lru_cache(maxsize=16)
def _is_srgb(icc: bytes) -> bool:
    """True if converting from this RGB profile to sRGB changes no colour by more than 1 level.

    Most cameras, phones and editors that tag their JPEGs at all embed an sRGB
    profile ("sRGB IEC61966-2.1" and friends). Running LittleCMS on such a
    photo is an identity that costs ~36 ms for a 1600x1200 image, as much as
    the decode. Instead of trusting the profile's name, the real transform is
    applied once to a 17x17x17 colour cube (~1 ms, cached per profile): a
    v4 sRGB profile whose perceptual tables do change colours fails the check
    and is converted as before.
    """
    try:
        out = _icc_transform(icc, "RGB", "RGB").apply(_PROBE)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return False
    bands = ImageChops.difference(out, _PROBE).getextrema()  # one (lowest, highest) per band of RGB
    return all(isinstance(band, tuple) and band[1] <= 1 for band in bands)


def _to_srgb(im: Image.Image, icc: bytes | None, notes: list[str]) -> tuple[Image.Image, bool]:
    """Convert to an sRGB-family mode (RGB, RGBA, L, LA).

    The flag returned is True when the embedded profile was honoured: the
    pixels were converted with it, or it was found to be sRGB already.
    """
    mode = im.mode
    if icc and mode in ("RGB", "RGBA") and _is_srgb(icc):
        return im, True
    if icc and mode in ("RGB", "RGBA", "CMYK", "L"):
        out_mode = {"RGBA": "RGBA", "L": "L"}.get(mode, "RGB")
        try:
            return _icc_transform(icc, mode, out_mode).apply(im), True
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
            notes.append(f"icc_ignored:{type(exc).__name__}")
    if mode in ("RGB", "RGBA", "L", "LA"):
        return im, False
    return im.convert("RGB"), False  # CMYK without a profile, YCbCr, LAB, HSV


def _normalize_mode(im: Image.Image) -> Image.Image:
    """Bring exotic modes to RGB/RGBA/L/LA/CMYK before resizing."""
    m = im.mode
    if m in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return im
    if m in ("P", "PA"):
        has_alpha = m == "PA" or "transparency" in im.info
        return im.convert("RGBA" if has_alpha else "RGB")
    if m == "1":
        return im.convert("L")
    if m in ("RGBa", "La"):
        return im.convert("RGBA" if m == "RGBa" else "LA")
    if m.startswith("I;16") or m == "I":
        # 16-bit greyscale PNG: scale to 8 bits instead of clipping
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if m == "F":
        return im.convert("L")
    return im.convert("RGB")


def _flatten(im: Image.Image, fmt: str) -> Image.Image:
    if im.mode == "LA":
        im = im.convert("RGBA")
    if im.mode == "RGBA" and fmt == "JPEG":
        bg = Image.new("RGB", im.size, (255, 255, 255))
        bg.paste(im, mask=im.getchannel("A"))
        return bg
    if im.mode == "RGBA" and im.getchannel("A").getextrema() == (255, 255):
        return im.convert("RGB")  # fully opaque: drop the useless channel
    return im


# --- geometry ----------------------------------------------------------------


def _fit(w: int, h: int, side: int) -> tuple[int, int]:
    if max(w, h) <= side:
        return w, h
    if w >= h:
        return side, max(1, round(h * side / w))
    return max(1, round(w * side / h)), side


# Downscaling = a cheap integer box reduction, then one proper resample.
#
# ``Image.reduce(k)`` averages k x k blocks (about 1.5 ms for 1600x1200 -> 400x300);
# it is what ``draft()`` does for JPEG inside the decoder, in the DCT domain.
# It is applied with the largest k that keeps the image at or above the
# target, so the filtered resample that follows only covers a ratio below 2
# (or nothing at all when k hits the target exactly, e.g. web 1600 -> thumb 400).
#
# Web: HAMMING. After draft() the ratio left is < 2 (12 MP: 2000 -> 1600);
# there HAMMING costs what BILINEAR costs (~27 ms for 3 MP) and is a little
# crisper, while BICUBIC costs 1.6x and LANCZOS 2.2x for no visible gain at
# that ratio. BOX would save ~8 ms but visibly aliases fine patterns at 1.25x.
# Thumbnails: LANCZOS on whatever is left after the reduction (usually nothing).
WEB_FILTER = Image.Resampling.HAMMING
THUMB_FILTER = Image.Resampling.LANCZOS


def _downscale(im: Image.Image, side: int, resample: Image.Resampling) -> Image.Image:
    size = _fit(*im.size, side)
    if size == im.size:
        return im
    k = min(im.width // size[0], im.height // size[1])
    if k >= 2:
        im = im.reduce(k)  # premultiplies alpha itself for RGBA/LA
        if im.size == size:
            return im
    return im.resize(size, resample)


# --- output ------------------------------------------------------------------


def _save(im: Image.Image, dest: Path, fmt: str, quality: int, progressive: bool = True) -> None:
    im.info = {}  # Pillow re-emits e.g. a JPEG COM comment found in .info
    fd, tmp = tempfile.mkstemp(prefix=".r-", suffix=_EXT[fmt], dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            if fmt == "JPEG":
                im.save(f, "JPEG", quality=quality, progressive=progressive, subsampling="4:2:0")
            else:
                im.save(f, "WEBP", quality=quality, method=4)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- entry point -------------------------------------------------------------


def _corrupt(exc: BaseException | None = None) -> MediaRejected:
    return MediaRejected("image_corrupt", reason=type(exc).__name__ if exc else "")


def make_renditions(
    src: Path | str,
    out_dir: Path | str,
    *,
    max_side: int = 1600,
    thumb_side: int = 400,
    fmt: str = "JPEG",
    quality: int = 82,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    stem: str | None = None,
    progressive: bool = True,
) -> ImageInfo:
    """Write ``<stem>.web.<ext>`` and ``<stem>.thumb.<ext>`` into ``out_dir``.

    Raises ``MediaRejected`` with ``image_corrupt``,
    ``image_too_large_pixels`` or ``heic_unsupported``.
    """
    fmt = fmt.upper()
    if fmt not in _EXT:
        raise ValueError(f"unsupported rendition format {fmt!r}")
    src = Path(src)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or src.name
    notes: list[str] = []

    if _is_heif(src):
        heif_available()
    try:
        im = Image.open(src, formats=_PIL_FORMATS)
    except Image.DecompressionBombError:
        raise MediaRejected("image_too_large_pixels", max_mp=round(max_pixels / 1e6)) from None
    except UnidentifiedImageError as exc:
        if not _HEIF and _is_heif(src):
            raise MediaRejected("heic_unsupported") from None
        raise _corrupt(exc) from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        # ValueError includes PNG text chunks over MAX_TEXT_CHUNK/MAX_TEXT_MEMORY
        raise _corrupt(exc) from None

    with im:
        w0, h0 = im.size
        if w0 < 1 or h0 < 1:
            raise _corrupt()
        if w0 * h0 > max_pixels:
            raise MediaRejected(
                "image_too_large_pixels",
                width=w0,
                height=h0,
                max_mp=round(max_pixels / 1e6),
            )
        source_format = im.format or ""
        source_mode = im.mode
        animated = bool(getattr(im, "is_animated", False))
        try:
            if animated:
                im.seek(0)
            if source_format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale, never below the target size.
                im.draft("RGB", _fit(w0, h0, max_side))
            im.load()
            icc = im.info.get("icc_profile") or None
            orientation = 1
            capture = None
            try:
                exif = im.getexif()
                orientation = int(exif.get(0x0112, 1) or 1)
                capture = read_capture(exif)  # read before the renditions drop every tag
            except Exception:  # malformed EXIF must not sink the photo
                notes.append("exif_unreadable")
            if orientation not in _ORIENT:
                orientation = 1

            work = _normalize_mode(im)
            had_alpha = work.mode in ("RGBA", "LA")
            work = _downscale(work, max_side, WEB_FILTER)
            work, icc_converted = _to_srgb(work, icc, notes)
            work = _flatten(work, fmt)
            if orientation != 1:
                work = work.transpose(_ORIENT[orientation])
        except MediaRejected:
            raise
        except Image.DecompressionBombError:
            raise MediaRejected("image_too_large_pixels", max_mp=round(max_pixels / 1e6)) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct_error) as exc:
            raise _corrupt(exc) from None

    ext = _EXT[fmt]
    web_path = out_dir / f"{stem}.web{ext}"
    thumb_path = out_dir / f"{stem}.thumb{ext}"
    _save(work, web_path, fmt, quality, progressive)
    thumb = _downscale(work, thumb_side, THUMB_FILTER)
    _save(thumb, thumb_path, fmt, quality, progressive)

    if orientation in (5, 6, 7, 8):
        w0, h0 = h0, w0
    return ImageInfo(
        width=w0,
        height=h0,
        web=web_path,
        thumb=thumb_path,
        web_width=work.width,
        web_height=work.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        mime=_MIME[fmt],
        source_format=source_format,
        source_mode=source_mode,
        orientation=orientation,
        icc_converted=icc_converted,
        had_alpha=had_alpha,
        animated=animated,
        notes=notes,
        capture=capture,
    )



def _is_heif(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(32)
    return head[4:8] == b"ftyp" and head[8:12] in (
        b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    )
