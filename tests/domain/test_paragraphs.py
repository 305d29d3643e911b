"""Parts a phone split joined again; a body changed one paragraph at a time."""
from __future__ import annotations

import pytest

from domain.paragraphs import add_paragraph, join_part, paragraphs, replace_paragraph, separator

BODY = "Paragraf pertama.\n\nParagraf kedua,\nbaris kedua.\n \nParagraf ketiga."


def test_paragraphs_are_split_on_blank_lines_only():
    assert paragraphs(BODY) == ["Paragraf pertama.", "Paragraf kedua,\nbaris kedua.", "Paragraf ketiga."]
    assert paragraphs("  \n\n ") == []


@pytest.mark.parametrize(("before", "after", "sep"), [
    ("Rapat selesai pukul 12.00.", "Peserta kemudian makan siang.", "\n\n"),  # a sentence ends, one begins
    ("Rapat selesai pukul 12.00.", "“Kami puas,” kata Kepala.", "\n\n"),
    ("diikuti oleh seluruh", "pegawai dan masyarakat.", " "),                  # cut inside a sentence
    ("Agenda rapat:", "- pembukaan", "\n"),                                      # a list goes on
    ("Langkahnya:\n1) pembukaan", "2) pendaftaran", "\n"),
    ("diselenggarakan di Gedung", "8. Kegiatan itu gratis.", " "),               # a number, not a list
])
def test_the_whitespace_a_phone_dropped_is_put_back(before, after, sep):
    assert separator(before, after) == sep
    assert join_part(before, after) == f"{before}{sep}{after}"


def test_joining_to_nothing_or_nothing_changes_nothing():
    assert join_part("", "  Isi.  ") == "Isi."
    assert join_part("Isi.", "   ") == "Isi."


def test_one_paragraph_is_replaced_deleted_or_added():
    assert paragraphs(replace_paragraph(BODY, 2, "Paragraf kedua yang baru.")) == [
        "Paragraf pertama.", "Paragraf kedua yang baru.", "Paragraf ketiga."]
    assert paragraphs(replace_paragraph(BODY, 1, None)) == ["Paragraf kedua,\nbaris kedua.", "Paragraf ketiga."]
    assert paragraphs(replace_paragraph(BODY, 3, "  ")) == ["Paragraf pertama.", "Paragraf kedua,\nbaris kedua."]
    assert paragraphs(add_paragraph(BODY, "Paragraf keempat.")) == [*paragraphs(BODY), "Paragraf keempat."]
    with pytest.raises(IndexError):
        replace_paragraph(BODY, 4, "tidak ada")
    with pytest.raises(IndexError):
        replace_paragraph(BODY, 0, "tidak ada")
