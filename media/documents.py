"""Validation of documents: PDF (pypdf) and OOXML/ODF (zip + XML checks).

Synchronous; ``media.pipeline`` runs it in a worker thread.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from .errors import MediaRejected
from .sniff import DOCX, ODS, ODT, OOXML_MAIN_PART, PPTX, XLSX, Detected

__all__ = ["OfficeInfo", "PdfInfo", "ZipLimits", "check_office", "check_pdf"]

log = logging.getLogger(__name__)


# --- PDF ---------------------------------------------------------------------


@dataclass
class PdfInfo:
    pages: int
    version: str = ""
    owner_password_only: bool = False  # "encrypted" with an empty user password
    title: str | None = None


_PDF_VERSION = re.compile(rb"%PDF-(\d\.\d)")


def check_pdf(path: Path | str, *, allow_owner_password: bool = True) -> PdfInfo:
    """Open with pypdf, require >= 1 page.

    A PDF that needs a password to open -> ``pdf_encrypted``. A PDF that is
    only permission-restricted (empty user password: every viewer opens it)
    is accepted unless ``allow_owner_password`` is False.
    """
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(16)
    m = _PDF_VERSION.match(head)
    version = m.group(1).decode() if m else ""
    owner_only = False
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (NotImplementedError, PyPdfError, ValueError, KeyError) as exc:
                # unsupported crypto (e.g. certificate security) = we cannot open it either
                raise MediaRejected("pdf_encrypted", reason=type(exc).__name__) from None
            if not ok or not allow_owner_password:
                raise MediaRejected("pdf_encrypted")
            owner_only = True
        pages = len(reader.pages)
        if pages < 1:
            raise MediaRejected("pdf_broken", reason="no_pages")
        reader.pages[0].mediabox  # noqa: B018 - the first page must be usable
        title = None
        try:
            meta = reader.metadata
            if meta is not None and meta.title:
                title = str(meta.title)[:300]
        except Exception:  # metadata is optional; never fatal
            pass
    except MediaRejected:
        raise
    except FileNotDecryptedError:
        raise MediaRejected("pdf_encrypted") from None
    except RecursionError:
        raise MediaRejected("pdf_broken", reason="RecursionError") from None
    except Exception as exc:  # pypdf raises a wide range on hostile input
        log.info("pdf rejected: %s", type(exc).__name__)
        raise MediaRejected("pdf_broken", reason=type(exc).__name__) from None
    return PdfInfo(pages=pages, version=version, owner_password_only=owner_only, title=title)


# --- OOXML / ODF ---------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 5_000
    max_total_uncompressed: int = 300 * 1024 * 1024
    max_ratio: int = 200  # per entry, for entries above 1 MiB uncompressed
    max_xml_part: int = 100 * 1024 * 1024


@dataclass
class OfficeInfo:
    entries: int
    uncompressed_bytes: int
    pages: int | None = None  # from docProps/app.xml when the writer saved it
    slides: int | None = None
    sheets: int | None = None
    notes: list[str] = field(default_factory=list)


_REQUIRED = {
    DOCX.mime: ["[Content_Types].xml", "_rels/.rels", "word/document.xml"],
    XLSX.mime: ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"],
    PPTX.mime: ["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"],
    ODT.mime: ["mimetype", "content.xml", "META-INF/manifest.xml"],
    ODS.mime: ["mimetype", "content.xml", "META-INF/manifest.xml"],
}
_CHUNK = 1 << 20


def _broken(reason: str) -> MediaRejected:
    return MediaRejected("office_broken", reason=reason)


def _new_parser() -> expat.XMLParserType:
    p = expat.ParserCreate()

    def no_dtd(*_a: object) -> None:
        raise ValueError("DTD not allowed")

    # Office XML never has a DTD; refusing it rules out entity expansion bombs.
    p.StartDoctypeDeclHandler = no_dtd
    p.EntityDeclHandler = no_dtd
    return p


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, parse: bool) -> int:
    """Decompress one entry (CRC checked by zipfile), counting real bytes."""
    parser = _new_parser() if parse else None
    n = 0
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            n += len(chunk)
            if n > budget:
                raise _broken("too_much_data")
            if parser is not None:
                parser.Parse(chunk, False)
    if parser is not None:
        parser.Parse(b"", True)
    return n


_APP_NUM = re.compile(rb"<(?:\w+:)?(Pages|Slides)>\s*(\d{1,7})\s*</")


def check_office(path: Path | str, detected: Detected, limits: ZipLimits | None = None) -> OfficeInfo:
    """Valid zip, required parts present, XML well-formed, no zip bomb, no macros."""
    limits = limits or ZipLimits()
    required = _REQUIRED.get(detected.mime)
    if required is None:
        raise ValueError(f"not an office type: {detected.mime}")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_entries:
                raise _broken("too_many_entries")
            names = {i.filename for i in infos}
            missing = [r for r in required if r not in names]
            if detected.mime in OOXML_MAIN_PART and OOXML_MAIN_PART[detected.mime] in missing:
                # the main part may live elsewhere if [Content_Types] says so; sniff checked it
                missing.remove(OOXML_MAIN_PART[detected.mime])
            if missing:
                raise _broken("missing_parts")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise MediaRejected("office_macro")
            declared = sum(i.file_size for i in infos)
            if declared > limits.max_total_uncompressed:
                raise _broken("too_much_data")
            for i in infos:
                if i.flag_bits & 0x1:
                    raise _broken("encrypted_entry")
                if i.file_size > _CHUNK and i.compress_size and i.file_size / i.compress_size > limits.max_ratio:
                    raise _broken("compression_ratio")
            # Now decompress for real: sizes in the directory can lie, CRCs catch corruption.
            budget = limits.max_total_uncompressed
            xml_parts = {"[Content_Types].xml", "content.xml", "META-INF/manifest.xml"}
            main = OOXML_MAIN_PART.get(detected.mime)
            if main:
                xml_parts.add(main)
            total = 0
            app_xml = None
            for i in infos:
                if i.is_dir():
                    continue
                parse = i.filename in xml_parts
                if parse and i.file_size > limits.max_xml_part:
                    raise _broken("too_much_data")
                total += _read_entry(zf, i, budget - total, parse)
                if i.filename == "docProps/app.xml" and i.file_size < 1 << 20:
                    app_xml = zf.read(i)
            info = OfficeInfo(entries=len(infos), uncompressed_bytes=total)
            if app_xml:
                for tag, num in _APP_NUM.findall(app_xml):
                    if tag == b"Pages":
                        info.pages = int(num)
                    else:
                        info.slides = int(num)
            return info
    except MediaRejected:
        raise
    except expat.ExpatError:
        raise _broken("xml_malformed") from None
    except ValueError as exc:
        raise _broken("xml_dtd" if "DTD" in str(exc) else "ValueError") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, NotImplementedError,
            RuntimeError) as exc:
        # RuntimeError: encrypted entry; NotImplementedError: unknown compression
        raise _broken(type(exc).__name__) from None
