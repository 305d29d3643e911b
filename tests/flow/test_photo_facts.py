"""Issue 13: a photo sent as a file tells when and where it was taken.

The writer gets the time and the place (never the coordinates) as one-tap
answers; the checklist warns, without blocking, when the photos disagree with
the date or place the body states.
"""
from __future__ import annotations

import pytest

from tests.flow.harness import Office, body_text, jpeg, make_settings, running, staffed_office, with_button
from texts.id import drafting as D

AULA = (-8.6502, 115.2161)
WHEN = "Senin, 30 November 2026 pukul 09.15 WITA"


@pytest.fixture
async def office(fake_telegram, tmp_path):
    """A staffed office in WITA (Bali), where the photos below were taken."""
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data", timezone="Asia/Makassar"))
    async with running(o):
        await staffed_office(o)
        yield o
        await o.tg.settle()
        assert o.tg.unanswered_callback_queries == [], "a button press was left spinning on the phone"


def photo(**kw) -> bytes:
    return jpeg((30, 120, 60), **kw)


def no_coordinates(office: Office) -> None:
    """Nobody reads the photo's position (in any rounding): only the place's name."""
    for person in office.people.values():
        for m in person.messages:
            assert "8.650" not in (m.text or "") and "115.216" not in (m.text or ""), m.text


async def start_guided(office: Office):
    w = office.writer
    await office.say(w, "/baru")
    await office.press(w, with_button(w, "📰 Berita"), "📰 Berita")
    return await office.say(w, "Rapat Koordinasi Anggaran Daerah 2027")


async def answer_guide(office: Office, answers: list[str]):
    m = None
    for text in answers:
        m = await office.say(office.writer, text)
    return m


async def test_photos_after_the_guide_offer_their_time_and_place_in_the_preview(office):
    w = office.writer
    m = await start_guided(office)
    m = await office.press(w, m, D.BODY_GUIDED)
    await answer_guide(office, ["Rapat koordinasi anggaran daerah", "Seluruh kepala dinas dan camat",
                                "Senin pagi", "gedung serbaguna", "agar program 2027 selaras",
                                "Rapat berjalan lancar dan menyepakati lima program prioritas daerah."])
    await office.upload(w, "foto sebagai berkas", w.send_document(
        photo(taken="2026:11:30 09:15:00", offset="+08:00", at=AULA), "rapat.jpg"))
    preview = await office.press(w, with_button(w, D.MEDIA_DONE), D.MEDIA_DONE)
    # No office place yet: the nearest town from the shipped list.
    assert f"📷 Foto diambil {WHEN}, dekat Denpasar" in preview.text
    preview = await office.press(w, preview, D.BTN_PHOTO_WHEN)
    assert f"berlangsung pada {WHEN} di gedung serbaguna" in preview.text
    preview = await office.press(w, preview, D.BTN_PHOTO_WHERE)
    assert f"berlangsung pada {WHEN} di Denpasar" in preview.text
    assert D.BTN_PHOTO_WHEN not in str(preview.buttons)  # both used: nothing more to offer
    # Rewritten with the guide (Ubah → Isi → Tulis ulang): the photo answers Kapan in one tap.
    m = await office.press(w, preview, D.BTN_EDIT)
    m = await office.press(w, m, D.BTN_EDIT_BODY)
    m = await office.press(w, m, D.BTN_REWRITE)
    m = await office.press(w, m, D.BODY_GUIDED)
    m = await answer_guide(office, ["Rapat koordinasi anggaran", "Para kepala dinas"])
    assert D.GUIDE_PHOTO_HINT in m.text
    m = await office.press(w, m, f"📷 {WHEN}")
    m = await office.press(w, m, "📷 Denpasar")
    preview = await answer_guide(office, ["agar program selaras", "Rapat menyepakati lima program prioritas."])
    assert f"Rapat koordinasi anggaran berlangsung pada {WHEN} di Denpasar" in preview.text
    no_coordinates(office)


async def test_the_office_place_list_wins_and_photos_answer_the_guide_in_one_tap(office):
    w = office.writer
    a = office.admin
    m = await office.say(a, "/tempat tambah Aula Kantor Bupati -8.6493,115.2153 200")
    assert "Aula Kantor Bupati" in m.text and "ditambahkan" in m.text
    assert "Aula Kantor Bupati — radius 200 m" in (await office.say(a, "/tempat")).text
    assert (await office.say(w, "/tempat tambah Rumah Saya -8.6,115.2")).text == D.PLACES_ADMIN_ONLY
    assert "Format belum sesuai" in (await office.say(a, "/tempat tambah Aula di mana saja")).text
    await office.say(w, "/baru")
    await office.press(w, with_button(w, "📰 Berita"), "📰 Berita")
    m = await office.say(w, "Rapat Koordinasi Anggaran Daerah 2027")
    # The photo comes first this time (sent as a file, so it keeps its EXIF).
    await office.upload(w, "foto sebagai berkas", w.send_document(
        photo(taken="2026:11:30 09:15:00", at=AULA), "rapat.jpg"))
    m = await office.press(w, with_button(w, D.BODY_GUIDED), D.BODY_GUIDED)
    m = await answer_guide(office, ["Rapat koordinasi anggaran daerah", "Seluruh kepala dinas dan camat"])
    assert D.GUIDE_PHOTO_HINT in m.text
    m = await office.press(w, m, f"📷 {WHEN}")
    assert "<b>Di mana</b>" in m.text or "Di mana" in m.text
    m = await office.press(w, m, "📷 Aula Kantor Bupati")
    preview = await answer_guide(office, ["agar program 2027 selaras",
                                          "Rapat berjalan lancar dan menyepakati lima program prioritas daerah."])
    assert f"berlangsung pada {WHEN} di Aula Kantor Bupati" in preview.text
    assert f"📷 Foto diambil {WHEN}, dekat Aula Kantor Bupati" in preview.text
    assert "⚠️ Foto diambil" not in preview.text  # same day, same place: no warning
    m = await office.say(a, "/tempat hapus aula kantor bupati")
    assert "dihapus" in m.text
    no_coordinates(office)


async def test_photos_from_another_day_or_place_are_warned_about_but_not_blocked(office):
    w = office.writer
    body = ("Rapat koordinasi anggaran daerah berlangsung pada Senin, 30 November 2026 di Kupang. "
            + body_text())
    m = await start_guided(office)
    m = await office.press(w, m, D.BODY_FREE)
    await office.say(w, body)
    await office.upload(w, "foto lama sebagai berkas", w.send_document(
        photo(taken="2026:08:28 10:00:00", at=AULA), "lama.jpg"))
    preview = await office.press(w, with_button(w, D.MEDIA_DONE), D.MEDIA_DONE)
    assert "⚠️ Foto diambil 3 bulan sebelum tanggal kegiatan" in preview.text
    assert "km dari Kupang" in preview.text
    # A body written freely is left alone: the line informs, no button rewrites it.
    assert "📷 Foto diambil Jumat, 28 Agustus 2026 pukul 10.00 WITA, dekat Denpasar" in preview.text
    assert D.BTN_PHOTO_WHEN not in str(preview.buttons)
    await office.press(w, preview, D.BTN_SUBMIT)
    card = office.kasubbag.last_message
    assert "Foto diambil 3 bulan sebelum tanggal kegiatan" in card.text
    no_coordinates(office)


async def test_photos_sent_as_photos_or_without_metadata_say_nothing(office):
    w = office.writer
    m = await start_guided(office)
    m = await office.press(w, m, D.BODY_FREE)
    await office.say(w, "Rapat koordinasi berlangsung pada Senin, 30 November 2026. " + body_text())
    await office.upload(w, "foto", w.send_photo(photo(taken="2020:01:01 10:00:00", at=AULA)))
    await office.upload(w, "foto polos sebagai berkas", w.send_document(jpeg((1, 2, 3)), "polos.jpg"))
    preview = await office.press(w, with_button(w, D.MEDIA_DONE), D.MEDIA_DONE)
    assert "📷" not in preview.text and "Foto diambil" not in preview.text
