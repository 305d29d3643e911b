"""Decide what a file *is* from its bytes.

Never trusts the file name, the extension or the MIME type reported by the
client: only magic numbers and, for containers (ZIP, ISO-BMFF, Ogg, RIFF), a
look inside the container.

``identify(path)`` names anything it recognises, including things we refuse
(executables, HTML, SVG, plain ZIP, macro-enabled Office files...), so the bot
can tell the writer *what* was refused. ``detect(path)`` applies the
allow-list and returns ``None`` for everything that is not allowed.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_ALLOWED_MIMES",
    "MEDIA_KINDS",
    "Detected",
    "detect",
    "identify",
    "identify_bytes",
]

MEDIA_KINDS = frozenset({"photo", "audio", "voice", "video", "document"})

# The head we read is enough for every magic number we check; containers are
# opened separately.
HEAD_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Detected:
    kind: str  # photo | audio | voice | video | document  ("other" = refused type)
    mime: str
    ext: str  # canonical extension including the dot, e.g. ".jpg"
    label: str  # short human label, e.g. "JPEG", "PDF", "Word (DOCX)"


# --- known types ---------------------------------------------------------

JPEG = Detected("photo", "image/jpeg", ".jpg", "JPEG")
PNG = Detected("photo", "image/png", ".png", "PNG")
WEBP = Detected("photo", "image/webp", ".webp", "WebP")
GIF = Detected("photo", "image/gif", ".gif", "GIF")
HEIC = Detected("photo", "image/heic", ".heic", "HEIC")
HEIF = Detected("photo", "image/heif", ".heif", "HEIF")
PDF = Detected("document", "application/pdf", ".pdf", "PDF")
DOCX = Detected(
    "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    "Word (DOCX)",
)
XLSX = Detected(
    "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
    "Excel (XLSX)",
)
PPTX = Detected(
    "document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pptx",
    "PowerPoint (PPTX)",
)
ODT = Detected("document", "application/vnd.oasis.opendocument.text", ".odt", "ODT")
ODS = Detected("document", "application/vnd.oasis.opendocument.spreadsheet", ".ods", "ODS")
MP3 = Detected("audio", "audio/mpeg", ".mp3", "MP3")
M4A = Detected("audio", "audio/mp4", ".m4a", "M4A")
AAC = Detected("audio", "audio/aac", ".aac", "AAC")
OPUS = Detected("voice", "audio/ogg", ".ogg", "OGG/Opus")
VORBIS = Detected("audio", "audio/ogg", ".ogg", "OGG/Vorbis")
WAV = Detected("audio", "audio/wav", ".wav", "WAV")
MP4 = Detected("video", "video/mp4", ".mp4", "MP4")
MOV = Detected("video", "video/quicktime", ".mov", "MOV")

DEFAULT_ALLOWED_MIMES: frozenset[str] = frozenset(
    d.mime
    for d in (
        JPEG, PNG, WEBP, GIF, HEIC, HEIF, PDF, DOCX, XLSX, PPTX, ODT, ODS,
        MP3, M4A, AAC, OPUS, WAV, MP4, MOV,
    )
)


def _other(mime: str, ext: str, label: str) -> Detected:
    return Detected("other", mime, ext, label)


# Recognised but never allowed by default (the allow-list may still be
# widened for some of them, e.g. WebM or AVIF, by whoever configures it).
EXE = _other("application/x-msdownload", ".exe", "program Windows (EXE/DLL)")
ELF = _other("application/x-elf", "", "program Linux (ELF)")
MACHO = _other("application/x-mach-binary", "", "program macOS")
SCRIPT = _other("text/x-script", ".sh", "skrip")
HTML = _other("text/html", ".html", "halaman HTML")
SVG = _other("image/svg+xml", ".svg", "gambar SVG")
XML = _other("application/xml", ".xml", "XML")
ZIP = _other("application/zip", ".zip", "arsip ZIP")
RAR = _other("application/vnd.rar", ".rar", "arsip RAR")
SEVENZ = _other("application/x-7z-compressed", ".7z", "arsip 7z")
GZIP = _other("application/gzip", ".gz", "arsip GZIP")
OLE = _other("application/x-ole-storage", ".doc", "dokumen Office lama (DOC/XLS/PPT)")
RTF = _other("application/rtf", ".rtf", "RTF")
DOCM = _other("application/vnd.ms-word.document.macroEnabled.12", ".docm", "Word dengan makro (DOCM)")
XLSM = _other("application/vnd.ms-excel.sheet.macroEnabled.12", ".xlsm", "Excel dengan makro (XLSM)")
PPTM = _other(
    "application/vnd.ms-powerpoint.presentation.macroEnabled.12", ".pptm",
    "PowerPoint dengan makro (PPTM)",
)
ODP = _other("application/vnd.oasis.opendocument.presentation", ".odp", "ODP")
AVIF = _other("image/avif", ".avif", "AVIF")
TIFF = _other("image/tiff", ".tif", "TIFF")
BMP = _other("image/bmp", ".bmp", "BMP")
WEBM = _other("video/webm", ".webm", "WebM/MKV")
THREEGP = _other("video/3gpp", ".3gp", "3GP")
FLAC = _other("audio/flac", ".flac", "FLAC")
OGG_OTHER = _other("application/ogg", ".ogg", "OGG")
AVI = _other("video/x-msvideo", ".avi", "AVI")
PLAIN_TEXT = _other("text/plain", ".txt", "teks biasa")

# --- OOXML main parts ------------------------------------------------------

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
    "application/vnd.ms-word.document.macroEnabled.main+xml": DOCM,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": XLSM,
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": PPTM,
    # templates are documents too, but we only take the real thing
}
# Default location of each main part (used to double-check the override).
OOXML_MAIN_PART = {DOCX.mime: "word/document.xml", XLSX.mime: "xl/workbook.xml", PPTX.mime: "ppt/presentation.xml"}
_ODF = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
_OVERRIDE_RE = re.compile(
    rb"<(?:\w+:)?Override\b[^>]*?PartName\s*=\s*[\"']([^\"']+)[\"'][^>]*?ContentType\s*=\s*[\"']([^\"']+)[\"']"
    rb"|<(?:\w+:)?Override\b[^>]*?ContentType\s*=\s*[\"']([^\"']+)[\"'][^>]*?PartName\s*=\s*[\"']([^\"']+)[\"']",
    re.S,
)
_MAX_CONTENT_TYPES = 1 << 20  # [Content_Types].xml is a few KB in practice


def _sniff_zip(path: Path) -> Detected:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if not infos:
                return ZIP
            first = infos[0]
            # ODF: "mimetype" must be the first entry, stored uncompressed.
            if first.filename == "mimetype" and first.file_size <= 200:
                value = zf.read(first).strip()
                if value in _ODF:
                    return _ODF[value]
            names = {i.filename: i for i in infos}
            ct = names.get("[Content_Types].xml")
            if ct is None or ct.file_size > _MAX_CONTENT_TYPES:
                return ZIP
            data = zf.read(ct)
            for m in _OVERRIDE_RE.finditer(data):
                part = (m.group(1) or m.group(4) or b"").decode("utf-8", "replace")
                ctype = (m.group(2) or m.group(3) or b"").decode("ascii", "replace").strip()
                found = _OOXML_MAIN.get(ctype)
                if found is None:
                    continue
                if part.lstrip("/") not in names:
                    return ZIP  # declares a main part that is not there
                return found
            return ZIP
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, NotImplementedError,
            EOFError, RuntimeError):
        return ZIP


# --- ISO base media (MP4/MOV/M4A/HEIC/AVIF/3GP) ----------------------------

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_QT_BRANDS = {b"qt  "}
_3GP_PREFIX = (b"3gp", b"3g2", b"3ge", b"3gg", b"3gs")
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso8", b"iso9", b"mp41", b"mp42", b"mp71",
    b"avc1", b"dash", b"MSNV", b"M4V ", b"M4VH", b"M4VP", b"NDSC", b"NDSH", b"NDSM", b"NDSP",
    b"NDSS", b"NDXC", b"NDXH", b"NDXM", b"NDXP", b"NDXS", b"F4V ", b"F4P ", b"mmp4", b"XAVC",
}


def _sniff_isobmff(head: bytes) -> Detected | None:
    size = int.from_bytes(head[0:4], "big")
    if head[4:8] != b"ftyp" or not 16 <= size <= HEAD_SIZE:
        return None
    major = head[8:12]
    brands = [major] + [head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
    bset = set(brands)
    if major in _HEIC_BRANDS or (major in _HEIF_BRANDS and bset & _HEIC_BRANDS):
        return HEIC
    if major in _AVIF_BRANDS or (major in _HEIF_BRANDS and bset & _AVIF_BRANDS):
        return AVIF
    if major in _HEIF_BRANDS:
        return HEIF
    if major in _M4A_BRANDS:
        return M4A
    if major in _QT_BRANDS:
        return MOV
    if major.startswith(_3GP_PREFIX):
        return THREEGP
    if major in _MP4_BRANDS or bset & _MP4_BRANDS:
        return MP4
    return None


# --- MPEG audio ------------------------------------------------------------

_MP3_BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
_MP3_BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
_MP3_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}


def _mp3_frame_len(h: bytes) -> int:
    """Length of the MPEG-1/2/2.5 Layer III frame starting at ``h``, or 0."""
    if len(h) < 4 or h[0] != 0xFF or (h[1] & 0xE0) != 0xE0:
        return 0
    version = (h[1] >> 3) & 3  # 0=2.5, 1=reserved, 2=v2, 3=v1
    layer = (h[1] >> 1) & 3  # 1 = layer III
    br_idx = h[2] >> 4
    sr_idx = (h[2] >> 2) & 3
    if version == 1 or layer != 1 or br_idx in (0, 15) or sr_idx == 3:
        return 0
    pad = (h[2] >> 1) & 1
    rate = _MP3_RATES[version][sr_idx]
    if version == 3:
        return 144 * _MP3_BITRATES_V1_L3[br_idx] * 1000 // rate + pad
    return 72 * _MP3_BITRATES_V2_L3[br_idx] * 1000 // rate + pad


def _looks_mp3(data: bytes, pos: int) -> bool:
    """Two consecutive valid Layer III frame headers starting near ``pos``."""
    # tolerate a little padding after an ID3 tag
    limit = min(len(data) - 4, pos + 512)
    while pos < limit and data[pos] == 0:
        pos += 1
    n = _mp3_frame_len(data[pos : pos + 4])
    if not n:
        return False
    nxt = pos + n
    if nxt + 4 > len(data):
        return True  # only one frame fits in what we read; accept the single valid header
    return bool(_mp3_frame_len(data[nxt : nxt + 4]))


def _looks_adts(h: bytes) -> bool:
    # 12-bit sync, layer 00, sampling index < 13
    return len(h) >= 7 and h[0] == 0xFF and (h[1] & 0xF6) == 0xF0 and ((h[2] >> 2) & 0xF) < 13


# --- Ogg -------------------------------------------------------------------


def _sniff_ogg(head: bytes) -> Detected:
    # First page: 27-byte header + segment table; the first packet follows.
    if len(head) < 28:
        return OGG_OTHER
    nseg = head[26]
    body = head[27 + nseg : 27 + nseg + 16]
    if body.startswith(b"OpusHead"):
        return OPUS
    if body.startswith(b"\x01vorbis"):
        return VORBIS
    if body.startswith(b"\x7fFLAC"):
        return FLAC
    return OGG_OTHER


# --- text-ish --------------------------------------------------------------

_TEXT_PREFIXES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _sniff_text(head: bytes) -> Detected | None:
    h = head
    for bom in _TEXT_PREFIXES:
        if h.startswith(bom):
            h = h[len(bom) :]
            break
    if h[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(h) > 1 and h[1:2] == b"\x00"):
        h = h.replace(b"\x00", b"")  # crude UTF-16 -> ASCII for markup sniffing
    low = h.lstrip().lower()
    if low.startswith(b"#!"):
        return SCRIPT
    if b"<svg" in low[:4096]:
        return SVG
    for tag in (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<!--"):
        if low.startswith(tag):
            return HTML
    if b"<html" in low[:1024] or b"<script" in low[:1024]:
        return HTML
    if low.startswith(b"<?xml"):
        return XML
    if low.startswith(b"{\\rtf"):
        return RTF
    if (head and all(b in b"\t\n\r\x0c" or 32 <= b != 127 for b in head[:1024] if b < 128)
            and b"\x00" not in head[:1024]):
        return PLAIN_TEXT
    return None


# --- entry points ----------------------------------------------------------


def identify_bytes(head: bytes, path: Path | None = None) -> Detected | None:
    """Classify from the first bytes; ``path`` lets containers be opened."""
    if not head:
        return None
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and len(head) >= 12:
        form = head[8:12]
        if form == b"WEBP":
            return WEBP
        if form == b"WAVE":
            return WAV
        if form == b"AVI ":
            return AVI
        return None
    if head.startswith(b"%PDF-"):
        return PDF
    if head[:4] == b"PK\x03\x04":
        return _sniff_zip(path) if path is not None else ZIP
    if head[:4] in (b"PK\x05\x06", b"PK\x07\x08"):
        return ZIP
    if head[4:8] == b"ftyp":
        return _sniff_isobmff(head)
    if head[4:8] in (b"moov", b"wide", b"mdat") and head[:4] != b"\x00\x00\x00\x00":
        return MOV  # legacy QuickTime without an ftyp box
    if head.startswith(b"OggS"):
        return _sniff_ogg(head)
    if head.startswith(b"ID3") and len(head) >= 10:
        # syncsafe tag size, then the first MPEG frame
        size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
        start = 10 + size + (10 if head[5] & 0x10 else 0)
        if start + 4 <= len(head):
            return MP3 if _looks_mp3(head, start) else None
        if path is not None:
            with open(path, "rb") as f:
                f.seek(start)
                tail = f.read(4096)
            return MP3 if _looks_mp3(tail, 0) else None
        return None
    if head[:4] == b"fLaC":
        return FLAC
    if (head[:2] in (b"\xff\xfb", b"\xff\xfa", b"\xff\xf3", b"\xff\xf2", b"\xff\xe3", b"\xff\xe2")
            and _looks_mp3(head, 0)):
        return MP3
    if _looks_adts(head):
        return AAC
    if head[:2] == b"MZ":
        return EXE
    if head[:4] == b"\x7fELF":
        return ELF
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
                    b"\xca\xfe\xba\xbe"):
        return MACHO
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return OLE
    if head[:6] == b"Rar!\x1a\x07":
        return RAR
    if head[:6] == b"7z\xbc\xaf\x27\x1c":
        return SEVENZ
    if head[:2] == b"\x1f\x8b":
        return GZIP
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return WEBM
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[:2] == b"BM":
        return BMP
    return _sniff_text(head)


def identify(path: str | Path) -> Detected | None:
    """What the file is, allowed or not; ``None`` when unrecognised."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(HEAD_SIZE)
    return identify_bytes(head, path)


def detect(path: str | Path, allowed: Iterable[str] | None = None) -> Detected | None:
    """The detected type if it is on the allow-list, else ``None``."""
    found = identify(path)
    if found is None or found.kind not in MEDIA_KINDS:
        return None
    allowed_set = DEFAULT_ALLOWED_MIMES if allowed is None else frozenset(allowed)
    return found if found.mime in allowed_set else None
