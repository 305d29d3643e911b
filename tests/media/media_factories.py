"""Builders for test inputs, generated in code (no binary fixtures)."""

from __future__ import annotations

import io
import struct
import wave
import zipfile
import zlib

from PIL import Image, ImageCms

# --- images -------------------------------------------------------------------


def two_tone(size=(400, 200), left=(255, 0, 0), right=(0, 0, 255), mode="RGB") -> Image.Image:
    """Left half one colour, right half another: makes rotations checkable."""
    im = Image.new(mode, size, right)
    im.paste(left, (0, 0, size[0] // 2, size[1]))
    return im


def jpeg_with_exif_gps(orientation: int = 6) -> bytes:
    im = two_tone()
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 10.0, 30.0)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 0.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=95, exif=exif, icc_profile=srgb, comment=b"secret-comment", xmp=xmp)
    return buf.getvalue()


def jpeg_bytes(im: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", **kw)
    return buf.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_raw(width: int, height: int, *, extra: bytes = b"", idat: bytes | None = None) -> bytes:
    """A PNG built by hand; ``idat`` may be tiny even for a huge claimed size."""
    if idat is None:
        rows = b"".join(b"\x00" + b"\x80" * (width * 3) for _ in range(height))
        idat = zlib.compress(rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + extra
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) for every segment before the first SOS."""
    assert data[:2] == b"\xff\xd8"
    out = []
    i = 2
    while i < len(data):
        assert data[i] == 0xFF, f"bad marker at {i}"
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            out.append((marker, b""))
            break
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        out.append((marker, data[i + 4 : i + 2 + length]))
        i += 2 + length
    return out


# --- documents ----------------------------------------------------------------

_CT_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{main}"/></Relationships>'

OOXML = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Halo dunia</w:t></w:r></w:p></w:body></w:document>',
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        '<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    ),
    "docm": (
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        '<?xml version="1.0"?><w:document xmlns:w="x"/>',
    ),
}


def ooxml(kind: str, *, main_xml: str | None = None, extra: dict[str, bytes] | None = None, drop_main=False) -> bytes:
    part, ctype, xml = OOXML[kind]
    ct = _CT_HEAD + f'<Override PartName="/{part}" ContentType="{ctype}"/></Types>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", _RELS.format(main=part))
        if not drop_main:
            z.writestr(part, main_xml if main_xml is not None else xml)
        z.writestr("docProps/app.xml", '<?xml version="1.0"?><Properties><Pages>3</Pages></Properties>')
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def odf(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "content.xml",
            '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body/></office:document-content>',
        )
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


def pdf(pages: int = 1, *, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    if user_password is not None:
        w.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")  # AES needs the optional cryptography package
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


# --- audio / video ------------------------------------------------------------


def wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * int(rate * seconds))
    return buf.getvalue()


def ogg_opus(seconds: float = 1.0) -> bytes:
    """A valid Ogg Opus stream of silence, built with mutagen's page writer.

    Audio packets are 1-byte Opus packets (TOC 0xF8: CELT fullband 20 ms,
    code 0, zero-length frame = "no data", decoders treat it as silence).
    """
    from mutagen.ogg import OggPage

    serial = 0x5EED
    pre_skip = 312
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, pre_skip, 48000, 0, 0)
    vendor = b"terbit-test"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    frames = int(seconds / 0.02)
    pages = []

    def page(seq, packets, position, first=False, last=False):
        p = OggPage()
        p.serial = serial
        p.sequence = seq
        p.packets = packets
        p.position = position
        p.first = first
        p.last = last
        p.complete = True
        return p.write()

    pages.append(page(0, [head], 0, first=True))
    pages.append(page(1, [tags], 0))
    pages.append(page(2, [b"\xf8"] * frames, pre_skip + frames * 960, last=True))
    return b"".join(pages)


def mp4_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compat: bytes) -> bytes:
    return mp4_box(b"ftyp", major + b"\x00\x00\x02\x00" + b"".join(compat))


def mp4_minimal(major=b"isom", compat=(b"isom", b"mp42"), seconds: int = 2) -> bytes:
    """ftyp + moov/mvhd: enough for sniffing and for mutagen to read a duration."""
    mvhd = mp4_box(
        b"mvhd",
        b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + b"\x00\x01\x00\x00\x01\x00"
        + b"\x00" * 10 + b"\x00" * 36 + b"\x00" * 24 + struct.pack(">I", 2),
    )
    return ftyp(major, *compat) + mp4_box(b"moov", mvhd)


def mp3_frames(n: int = 20) -> bytes:
    """ID3v2 header + MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz) of zeros."""
    header = b"\xff\xfb\x90\x00"  # 128 kbps, 44100 Hz, no padding -> 417 bytes
    frame = header + b"\x00" * (417 - 4)
    id3 = b"ID3\x04\x00\x00" + bytes([0, 0, 0, 0])
    return id3 + frame * n


def rgb_icc_profile(
    red: tuple[float, float, float],
    green: tuple[float, float, float],
    blue: tuple[float, float, float],
    description: str,
) -> bytes:
    """A minimal ICC v2 matrix/TRC display profile with the sRGB tone curve.

    ``red``/``green``/``blue`` are the D50-adapted colorant XYZ values. Pillow
    can only create an sRGB profile itself; this builds e.g. Display P3 (what
    iPhones embed) without a binary fixture.
    """

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(v: tuple[float, float, float]) -> bytes:
        return b"XYZ " + b"\0" * 4 + b"".join(s15(c) for c in v)

    def desc(text: str) -> bytes:
        a = text.encode("ascii") + b"\0"
        # textDescriptionType: ASCII, then empty Unicode and ScriptCode parts
        return b"desc" + b"\0" * 4 + struct.pack(">I", len(a)) + a + b"\0" * 8 + b"\0" * 3 + b"\0" * 67

    # parametric curve type 3 = the sRGB transfer function
    trc = b"para" + b"\0" * 4 + struct.pack(">HH", 3, 0) + b"".join(
        s15(v) for v in (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)
    )
    tags = [
        (b"desc", desc(description)),
        (b"cprt", b"text" + b"\0" * 4 + b"No copyright, test data\0"),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(red)),
        (b"gXYZ", xyz(green)),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", trc),
        (b"gTRC", trc),
        (b"bTRC", trc),
    ]
    table_len = 4 + 12 * len(tags)
    offset = 128 + table_len
    table, data = [], b""
    for sig, body in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table.append(struct.pack(">4sII", sig, offset + len(data), len(body)))
        data += body
    size = 128 + table_len + len(data)
    header = (
        struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 24
        + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + b"".join(table) + data


def display_p3_icc() -> bytes:
    return rgb_icc_profile((0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841), "Display P3")


def srgb_iec_icc() -> bytes:
    """An sRGB profile as cameras and editors embed it (not Pillow's own)."""
    return rgb_icc_profile((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141), "sRGB IEC61966-2.1")
