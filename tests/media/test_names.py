from __future__ import annotations

import pytest

from media.names import safe_filename


def test_traversal_and_non_latin():
    name = "../../etc/اللغة العربية 报告 Laporan Ramaḍān.pdf"
    out = safe_filename(name)
    assert out == "اللغة العربية 报告 Laporan Ramaḍān.pdf"
    assert "/" not in out and ".." not in out


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("..\\..\\Windows\\system32\\surat tugas.docx", "surat tugas.docx"),
        ("C:\\Users\\budi\\Foto Kegiatan.JPG", "Foto Kegiatan.JPG"),
        ("..", "berkas"),
        ("", "berkas"),
        (None, "berkas"),
        ("   ", "berkas"),
        (".bashrc", "bashrc"),
        ("a\x00b\nc\td.pdf", "a b c d.pdf"),
        ("evil\u202egpj.exe", "evilgpj.exe"),  # RTL override removed
        ('what?<>:"|*.pdf', "what_______.pdf"),
        ("CON.txt", "_CON.txt"),
        ("نامه\u200cها.pdf", "نامه\u200cها.pdf"),  # ZWNJ kept
    ],
)
def test_cases(raw, expected):
    assert safe_filename(raw) == expected


def test_forced_extension_from_sniffing():
    assert safe_filename("laporan.exe", ext=".pdf") == "laporan.pdf"
    assert safe_filename("foto", ext=".jpg") == "foto.jpg"
    assert safe_filename("../", ext=".jpg") == "berkas.jpg"


def test_length_limited_in_utf8_bytes_keeping_extension():
    out = safe_filename("报" * 300 + ".docx")
    assert out.endswith(".docx")
    assert len(out.encode("utf-8")) <= 150
    assert out.startswith("报")  # no broken multi-byte character
    out.encode("utf-8").decode("utf-8")
