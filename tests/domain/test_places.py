"""When and where a photo was taken, in words; and the validity warnings it feeds."""
from __future__ import annotations

from datetime import date

from domain import places
from domain.checks import CheckPolicy, Content, run_checks
from domain.places import Place

AULA = Place("Aula Kantor Bupati", -8.6500, 115.2160, 200)
BODY = ("Rapat koordinasi berlangsung pada Senin, 30 November 2026 di Aula Kantor Bupati. "
        "Kegiatan ini diikuti oleh seluruh kepala dinas dan camat se-kabupaten untuk membahas anggaran.")


def test_the_office_list_wins_over_the_gazetteer():
    at_aula = (-8.6505, 115.2163)
    assert places.nearest_place(at_aula, [AULA]) == "Aula Kantor Bupati"
    assert places.nearest_place(at_aula, []) == "Denpasar"  # no office place: the nearest town
    assert places.nearest_place((-8.66, 115.22), [AULA]) == "Denpasar"  # outside the aula's radius
    assert places.nearest_place((-8.70, 115.26), [AULA]) == "Sanur"  # GeoNames knows the smaller towns too
    assert places.nearest_place((-12.0, 100.0), [AULA]) is None  # at sea: no town is named


def test_capture_time_in_office_time_with_or_without_the_cameras_offset():
    assert places.format_taken(places.taken_at({"taken_at": "2026-11-30T09:15:00"}, "Asia/Makassar")) == (
        "Senin, 30 November 2026 pukul 09.15 WITA")
    # A camera set to WIB, shown in the office's WITA.
    shown = places.taken_at({"taken_at": "2026-11-30T08:15:00", "taken_offset": "+07:00"}, "Asia/Makassar")
    assert places.format_taken(shown) == "Senin, 30 November 2026 pukul 09.15 WITA"
    assert places.taken_at({}, "Asia/Makassar") is None


def test_indonesian_dates_in_a_body():
    assert places.stated_dates("pada 30 November 2026", 2025) == [date(2026, 11, 30)]
    assert places.stated_dates("tanggal 30/11/2026", 2025) == [date(2026, 11, 30)]
    assert places.stated_dates("Senin (30/11) pagi", 2026) == [date(2026, 11, 30)]
    assert places.stated_dates("30 Nop", 2026) == [date(2026, 11, 30)]
    assert places.stated_dates("tanggal 30-11-2026 dan 1.12.2026", 2025) == [date(2026, 11, 30), date(2026, 12, 1)]
    assert places.stated_dates("sebanyak 30 orang dan 1.500 paket senilai Rp2.5 juta pukul 08.05", 2026) == []


def test_a_town_is_named_only_when_capitalised_an_office_place_in_any_case():
    assert places.named_in("Palu diketuk di Aula Kantor Bupati", [AULA]) == AULA  # the longest name
    assert places.named_in("rapat di aula kantor bupati", [AULA]) == AULA
    assert places.named_in("ketuk palu di medan yang berat", [AULA]) is None
    assert places.named_in("kunjungan kerja ke Kota Palu", []).name == "Palu"


def _checks(metas, body=BODY):
    policy = CheckPolicy(office_tz="Asia/Makassar", office_places=lambda: (AULA,))
    return {f.code: f.params for f in run_checks(Content("berita", "Rapat koordinasi anggaran", body, 1,
                                                         tuple(metas)), policy)}


def test_photos_from_another_day_or_place_are_warned_about_never_blocked():
    found = _checks([{"taken_at": "2026-08-28T10:00:00", "gps": [-8.6505, 115.2163]}])
    assert found["photo_date_before"] == {"gap": "3 bulan"}
    assert "photo_place_far" not in found
    found = _checks([{"taken_at": "2026-11-30T10:00:00", "gps": [-10.18, 123.61]}])  # Kupang
    assert "photo_date_before" not in found and "photo_date_after" not in found
    assert found["photo_place_far"]["place"] == "Aula Kantor Bupati" and found["photo_place_far"]["km"] > 800
    found = _checks([{"taken_at": "2026-12-20T10:00:00"}])
    assert found["photo_date_after"] == {"gap": "20 hari"}
    policy = CheckPolicy(office_tz="Asia/Makassar", office_places=lambda: (AULA,))
    findings = run_checks(Content("berita", "Rapat koordinasi anggaran", BODY, 1,
                                  ({"taken_at": "2025-01-01T10:00:00"},)), policy)
    assert all(f.severity == "warning" for f in findings)


def test_photos_without_metadata_or_a_body_without_date_say_nothing():
    assert not {"photo_date_before", "photo_date_after", "photo_place_far"} & set(_checks([{}]))
    undated = "Rapat koordinasi berlangsung di gedung serbaguna. " * 5
    assert not {"photo_date_before", "photo_place_far"} & set(
        _checks([{"taken_at": "2020-01-01T10:00:00", "gps": [-10.18, 123.61]}], undated))


def test_publishers_never_get_a_photos_position(tmp_path):
    from services.website.articles import asset_of
    from storage.models import Attachment

    att = Attachment(id=1, kind="photo", sha256="a" * 64, path="files/x", mime="image/jpeg", label="JPEG",
                     size=10, original_name="rapat.jpg", caption="", renditions=[],
                     meta={"width": 1200, "taken_at": "2026-11-30T09:15:00", "gps": [-8.65, 115.21]})
    meta = asset_of(att, tmp_path).meta
    assert "gps" not in meta and meta["width"] == 1200 and "-8.65" not in repr(meta)
