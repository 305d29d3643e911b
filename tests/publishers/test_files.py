"""The shared file helpers: the on-disk name of an upload."""
from __future__ import annotations

import pytest

from media.names import safe_filename
from publishers.files import publish_filename


@pytest.mark.parametrize("name,expected", [
    ("Surat Undangan.pdf", "Surat_Undangan.pdf"),
    ("Laporan Ωμέγα 日本語 (final).pdf", "Laporan_Ωμέγα_日本語_(final).pdf"),
    ("[klik](javascript:alert(1)).pdf", "klik_(javascript_alert(1)).pdf"),
    ('<img src=x onerror=alert(1)>"&.pdf', "img_src_x_onerror_alert(1).pdf"),
    ("..", "berkas.pdf"),
    ("", "berkas.pdf"),
    (None, "berkas.pdf"),
    ("../../etc/passwd", "passwd"),
])
def test_publish_filename(name, expected):
    assert publish_filename(name, fallback="berkas.pdf") == expected


def test_publish_filename_keeps_the_extension_when_cut():
    out = publish_filename("é" * 300 + ".docx")
    assert out.endswith(".docx") and len(out.encode("utf-8")) <= 120


def test_publish_filename_of_a_display_name_is_stable():
    # Asset.filename is already media.names.safe_filename's output; cleaning
    # it once more must not change the published name.
    for raw in ("Foto kegiatan #3.jpg", "laporan\u202egpj.exe", "CON.pdf", "  .rahasia.txt "):
        shown = safe_filename(raw)
        assert publish_filename(shown) == publish_filename(safe_filename(shown))
