"""Media helpers: how Telegram clients/servers re-encode photos, plus test-file factories."""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageOps

# Long-side targets of the PhotoSize variants Telegram produces (s/m/x/y), plus the
# largest one which is capped at 2560.
PHOTO_TARGETS = (90, 320, 800, 1280)
PHOTO_MAX_SIDE = 2560


class ImageProcessFailed(ValueError):
    pass


def reencode_photo(data: bytes) -> list[tuple[int, int, bytes]]:
    """Decode ``data`` with Pillow and return JPEG variants smallest -> largest as (w, h, bytes).

    EXIF orientation is applied (like phone clients do) and every bit of metadata is dropped.
    """
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            im = ImageOps.exif_transpose(im)
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGBA")
                bg = Image.new("RGB", im.size, (255, 255, 255))
                bg.paste(im, mask=im.getchannel("A"))
                im = bg
            im = im.convert("RGB")
            w, h = im.size
            long_side = max(w, h)
            targets = [t for t in PHOTO_TARGETS if t < long_side]
            targets.append(min(long_side, PHOTO_MAX_SIDE))
            out = []
            for t in targets:
                scale = t / long_side
                size = (max(1, round(w * scale)), max(1, round(h * scale)))
                variant = im if size == im.size else im.resize(size, Image.LANCZOS)
                buf = io.BytesIO()
                variant.save(buf, "JPEG", quality=87)  # no exif= -> metadata dropped
                out.append((size[0], size[1], buf.getvalue()))
            return out
    except Exception as exc:
        raise ImageProcessFailed(str(exc)) from exc


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as im:
        return im.size


def make_jpeg(width: int = 1600, height: int = 1200, *, color=(200, 80, 40), gps: bool = False,
              orientation: int | None = None, quality: int = 90) -> bytes:
    """A real JPEG; with ``gps=True`` it carries EXIF Make/Model and a GPS block (lat/lon)."""
    im = Image.new("RGB", (width, height), color)
    # a little structure so variants are not trivially identical
    for x in range(0, width, max(1, width // 8)):
        for y in range(height):
            im.putpixel((x, y), (255 - color[0], 255 - color[1], 255 - color[2]))
    exif = Image.Exif()
    if gps or orientation:
        exif[0x010F] = "FakePhone"  # Make
        exif[0x0110] = "Model X"  # Model
        if orientation:
            exif[0x0112] = orientation
        if gps:
            exif[0x8825] = {
                1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 12.0),
            }
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, exif=exif.tobytes() if len(exif) else b"")
    return buf.getvalue()


def make_png(width: int = 640, height: int = 480, color=(20, 120, 220, 255)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def has_gps_exif(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as im:
            return 0x8825 in im.getexif()
    except Exception:
        return False


def make_ogg(duration_s: int = 3) -> bytes:
    """Bytes that look like an Ogg/Opus voice note (header only + padding; not decodable audio)."""
    head = b"OggS" + b"\x00\x02" + b"\x00" * 20 + b"\x01\x13OpusHead\x01\x01" + struct.pack("<H", 312)
    return head + b"\x00" * (1000 * max(1, duration_s))
