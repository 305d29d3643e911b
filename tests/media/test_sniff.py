from __future__ import annotations

import io
from pathlib import Path

import media_factories as f
import pytest
from PIL import Image

from media.sniff import DEFAULT_ALLOWED_MIMES, detect, identify


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def img(fmt: str, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (16, 16), "red").save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize(
    "name,data,kind,mime",
    [
        ("x.bin", img("JPEG"), "photo", "image/jpeg"),
        ("x.bin", img("PNG"), "photo", "image/png"),
        ("x.bin", img("WEBP"), "photo", "image/webp"),
        ("x.bin", img("GIF", "P"), "photo", "image/gif"),
        ("x.bin", f.pdf(), "document", "application/pdf"),
        ("x.zip", f.ooxml("docx"), "document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("x.zip", f.ooxml("xlsx"), "document", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("x.zip", f.ooxml("pptx"), "document", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("x.zip", f.odf(), "document", "application/vnd.oasis.opendocument.text"),
        ("x.zip", f.odf("application/vnd.oasis.opendocument.spreadsheet"), "document", "application/vnd.oasis.opendocument.spreadsheet"),
        ("x.bin", f.wav(), "audio", "audio/wav"),
        ("x.bin", f.ogg_opus(), "voice", "audio/ogg"),
        ("x.bin", f.mp3_frames(), "audio", "audio/mpeg"),
        ("x.bin", f.mp3_frames()[10:], "audio", "audio/mpeg"),  # no ID3 tag
        ("x.bin", f.ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), "audio", "audio/mp4"),
        ("x.bin", f.ftyp(b"isom", b"isom", b"iso2", b"mp41"), "video", "video/mp4"),
        ("x.bin", f.ftyp(b"mp42", b"mp42", b"isom"), "video", "video/mp4"),
        ("x.bin", f.ftyp(b"qt  ", b"qt  "), "video", "video/quicktime"),
        ("x.bin", f.ftyp(b"heic", b"mif1", b"heic"), "photo", "image/heic"),
        ("x.bin", f.ftyp(b"mif1", b"mif1", b"heic"), "photo", "image/heic"),
        ("x.bin", b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 100, "audio", "audio/aac"),
    ],
)
def test_detects_allowed_types_from_bytes(tmp_path, name, data, kind, mime):
    d = detect(write(tmp_path, name, data))
    assert d is not None, "should be allowed"
    assert (d.kind, d.mime) == (kind, mime)
    assert d.mime in DEFAULT_ALLOWED_MIMES
    assert d.ext.startswith(".") and d.label


@pytest.mark.parametrize(
    "name,data,label_part",
    [
        ("laporan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode", "EXE"),
        ("foto.jpg", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "HTML"),
        ("foto.jpg", b"  <html><head></head></html>", "HTML"),
        (
            "logo.png",
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG",
        ),
        ("a.docx", f.plain_zip(), "ZIP"),
        ("a.docx", f.ooxml("docx", drop_main=True), "ZIP"),  # claims word/document.xml, lacks it
        ("a.docx", f.ooxml("docm"), "makro"),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "DOC"),
        ("run.jpg", b"#!/bin/sh\nrm -rf /\n", "skrip"),
        ("a.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "ELF"),
        ("a.avif", f.ftyp(b"avif", b"mif1", b"avif"), "AVIF"),
        ("a.txt", b"just some text\n", "teks"),
    ],
)
def test_identifies_but_refuses_dangerous_or_unlisted(tmp_path, name, data, label_part):
    p = write(tmp_path, name, data)
    assert detect(p) is None
    found = identify(p)
    assert found is not None and label_part.lower() in found.label.lower()


@pytest.mark.parametrize("data", [b"", b"\x00" * 64, bytes(range(256)) * 4, b"\xff\xd9garbage"])
def test_unknown_bytes_are_none(tmp_path, data):
    assert detect(write(tmp_path, "x.jpg", data)) is None


def test_allow_list_is_configurable(tmp_path):
    p = write(tmp_path, "x", img("PNG"))
    assert detect(p, allowed={"image/jpeg"}) is None
    assert detect(p, allowed={"image/png"}).mime == "image/png"


def test_odf_requires_mimetype_first(tmp_path):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<x/>")
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert detect(write(tmp_path, "a.odt", buf.getvalue())) is None
