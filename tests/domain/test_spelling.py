"""Spelling and standard forms: what is doubtful, what is fixed, what is left alone."""
from __future__ import annotations

import pytest

from domain import spelling

needs_dictionary = pytest.mark.skipif(
    spelling.dictionary_path() is None,
    reason="hunspell-id (id_ID.dic/.aff) is not installed: apt-get install hunspell-id "
           "(scripts/install-test-services.sh); only the standard forms are checked without it")


@pytest.fixture
def no_dictionary(monkeypatch):
    """As on a machine without hunspell-id: memoized lookups forgotten before and after."""
    spelling.forget()
    monkeypatch.setattr(spelling, "dictionary", lambda: None)
    yield
    spelling.forget()


def test_the_list_has_the_well_known_pairs_and_cites_its_source():
    forms = spelling.standard_forms()
    assert len(forms) >= 60
    for wrong, right in {"ijin": "izin", "praktek": "praktik", "resiko": "risiko", "merubah": "mengubah",
                         "nasehat": "nasihat", "apotik": "apotek", "silahkan": "silakan"}.items():
        assert forms[wrong] == right
    assert all(wrong != right.lower() for wrong, right in forms.items())
    assert "KBBI" in spelling.DATA.read_text(encoding="utf-8").split("\n\n")[0]


def test_standard_forms_found_and_fixed_keeping_case(no_dictionary):
    text = "Ijin praktek sudah keluar. Panitia merubah jadwal karena RESIKO hujan; silahkan datang."
    found = spelling.check(text)
    assert [(m.word, m.suggestion) for m in found] == [
        ("Ijin", "Izin"), ("praktek", "praktik"), ("merubah", "mengubah"), ("RESIKO", "RISIKO"),
        ("silahkan", "silakan")]
    assert all(m.standard for m in found)
    assert spelling.fix_standard_forms(text) == (
        "Izin praktik sudah keluar. Panitia mengubah jadwal karena RISIKO hujan; silakan datang.")


def test_each_word_once_and_links_addresses_left_alone(no_dictionary):
    text = "ijin, ijin dan Ijin. Lihat https://ijin.go.id/praktek atau tulis ke ijin@dinas.go.id."
    assert [m.word for m in spelling.check(text)] == ["ijin"]
    assert spelling.fix_standard_forms(text) == (
        "izin, izin dan Izin. Lihat https://ijin.go.id/praktek atau tulis ke ijin@dinas.go.id.")


def test_a_word_in_the_office_dictionary_is_not_replaced(no_dictionary):
    assert spelling.check("Kami memakai analisa data.", frozenset({"analisa"})) == []
    assert spelling.fix_standard_forms("analisa", frozenset({"analisa"})) == "analisa"


def test_without_the_dictionary_other_words_pass(no_dictionary):
    assert spelling.dictionary() is None
    assert spelling.check("Kegiaatan pelaksanaaan berjalan lancar.") == []


@needs_dictionary
def test_dictionary_flags_a_typo_with_a_suggestion():
    found = spelling.check("Kegiatan sosialisasi berjalan lancar. Para pegawai mengikuti kegiaatan itu.")
    assert [(m.word, m.suggestion, m.standard) for m in found] == [("kegiaatan", "kegiatan", False)]


@needs_dictionary
def test_numbers_acronyms_names_links_and_office_words_are_not_flagged():
    text = ("Pada 12 Desember 2026 BPBD dan Bappelitbangda membahas SIPD bersama Pak Waingapu di aula. "
            "Simpeg diperbarui; e-KTP dan dokumen ke-3 ada di www.contoh.go.id dan 5G, A4, COVID-19.")
    assert [m.word for m in spelling.check(text)] == ["Simpeg"]  # capitalised only as the sentence starts
    assert spelling.check(text, frozenset({"simpeg"})) == []


@needs_dictionary
def test_sentence_start_is_checked_but_a_name_mid_sentence_is_not():
    assert [m.word for m in spelling.check("Bappelitbangda menggelar rapat.")] == ["Bappelitbangda"]
    assert spelling.check("Rapat dipimpin Bappelitbangda kemarin.") == []
    assert spelling.check("Bappelitbangda menggelar rapat.", spelling.words_of(["Bappelitbangda"])) == []


@needs_dictionary
def test_suggestions_are_limited_so_a_long_text_stays_fast():
    text = " ".join(f"katx{c}a" for c in "bcdfghjk")
    found = spelling.check(text)
    assert len(found) == 8
    assert sum(1 for m in found if m.suggestion is not None) <= spelling.SUGGEST_MAX


def test_verbs_the_dictionary_lists_only_with_their_prefix_are_not_flagged():
    if spelling.dictionary() is None:
        pytest.skip("hunspell-id is not installed (scripts/install-test-services.sh installs it)")
    text = "Hubungi panitia. Acara digelar di aula; silakan hubungi kami."
    assert spelling.check(text) == []
    assert [m.word for m in spelling.check("Silakan hubugni panitia.")] == ["hubugni"]
