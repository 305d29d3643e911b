from domain.checks import CheckPolicy, Content, Severity, blocking, find_personal_data, mask_personal_data, run_checks
from domain.diffing import RevisionView, diff_revisions
from domain.guide import compose
from domain.slug import slugify

GOOD_BODY = "Isi yang cukup panjang untuk sebuah berita kantor. " * 5


def codes(findings):
    return {f.code for f in findings}


def test_a_complete_berita_passes():
    f = run_checks(Content("berita", "Rapat Koordinasi Bulanan Dinas", GOOD_BODY, 1))
    assert f == []


def test_each_rule():
    assert codes(run_checks(Content(None, None, None, 0))) >= {"kind_missing", "title_missing", "body_missing"}
    assert "title_short" in codes(run_checks(Content("artikel", "Rapat", GOOD_BODY, 0)))
    assert "title_long" in codes(run_checks(Content("artikel", "a" * 151, GOOD_BODY, 0)))
    assert "title_all_caps" in codes(run_checks(Content("artikel", "RAPAT KOORDINASI BULANAN", GOOD_BODY, 0)))
    assert "body_short" in codes(run_checks(Content("artikel", "Rapat Koordinasi Bulanan", "Pendek.", 0)))
    assert "photo_missing" in codes(run_checks(Content("berita", "Rapat Koordinasi Bulanan", GOOD_BODY, 0)))
    assert "photo_missing" not in codes(run_checks(Content("pengumuman", "Rapat Koordinasi Bulanan", GOOD_BODY, 0)))
    policy = CheckPolicy(kinds_needing_photo=frozenset({"pengumuman"}))
    assert "photo_missing" in codes(run_checks(Content("pengumuman", "Rapat Koordinasi Bulanan", GOOD_BODY, 0), policy))


def test_personal_data_is_a_warning_not_a_block():
    body = GOOD_BODY + " NIK 3201234567890123, HP 0812-3456-7890, surel budi@example.com."
    f = run_checks(Content("artikel", "Pendataan Penerima Bantuan", body, 0))
    assert codes(f) == {"pii_nik", "pii_phone", "pii_email"}
    assert all(x.severity is Severity.WARNING for x in f) and blocking(f) == []


def test_detection_and_masking():
    text = "NIK: 3201 2345 6789 0123 atau 3201234567890123; telp +62 812 3456 7890; (021) 555-1234; a.b@kab.go.id"
    found = find_personal_data(text)
    assert len(found["nik"]) == 2 and len(found["email"]) == 1
    assert len(found["phone"]) >= 1
    masked = mask_personal_data(text)
    assert "3201234567890123" not in masked and "0123" in masked
    assert "812 3456 7890" not in masked
    assert "a***@kab.go.id" in masked
    assert find_personal_data(masked).get("nik") is None
    # Dates, years and amounts are not personal data.
    assert find_personal_data("Pada 24/11/2026 pukul 09.00, anggaran Rp 150.000.000 tahun 2026.") == {}


def test_diff_shows_what_changed():
    old = RevisionView("Judul lama", "Paragraf satu.\n\nParagraf dua.", {1: "foto1.jpg", 2: "a.pdf"})
    new = RevisionView("Judul baru", "Paragraf satu.\n\nParagraf dua diperbaiki.", {1: "foto1.jpg", 3: "b.pdf"})
    d = diff_revisions(old, new)
    assert (d.old_title, d.new_title) == ("Judul lama", "Judul baru")
    assert ("-", "Paragraf dua.") in d.body_lines and ("+", "Paragraf dua diperbaiki.") in d.body_lines
    assert d.added == ["b.pdf"] and d.removed == ["a.pdf"]
    assert diff_revisions(old, old).empty


def test_guide_and_slug():
    body = compose({"apa": "rapat koordinasi", "siapa": "seluruh kepala bidang", "kapan": "Senin 23 November",
                    "di_mana": "aula kantor", "mengapa": "menyelaraskan program", "bagaimana": "berjalan lancar"})
    assert body.startswith("Rapat koordinasi berlangsung pada Senin 23 November di aula kantor. "
                           "Kegiatan ini diikuti oleh seluruh kepala bidang. "
                           "Kegiatan ini diadakan karena menyelaraskan program.")
    assert body.endswith("\n\nBerjalan lancar.")
    assert compose({"apa": "Pelatihan", "di_mana": "di Aula", "mengapa": "untuk melatih staf."}) == (
        "Pelatihan di Aula. Kegiatan ini diadakan untuk melatih staf.")
    assert slugify("Rapat Koordinasi: Bidang Ā & B!") == "rapat-koordinasi-bidang-a-b"
    assert slugify("日本語") == "artikel"


def test_a_photo_passes_only_when_there_is_one():
    from domain.checks import passed
    artikel = Content("artikel", "Rapat Koordinasi Bulanan", GOOD_BODY, 0)
    assert passed(run_checks(artikel), 0) == ["title", "body", "pii"]
    assert "photo" in passed(run_checks(Content("artikel", "Rapat Koordinasi Bulanan", GOOD_BODY, 1)), 1)
    assert "photo" not in passed(run_checks(Content("berita", "Rapat Koordinasi Bulanan", GOOD_BODY, 0)), 0)
