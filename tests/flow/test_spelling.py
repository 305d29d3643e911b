"""Spelling (etika penulisan): the writer sees doubtful words, fixes standard forms in one tap,
the reviewers see the same line, and the office teaches the check its own words with /kamus."""
from __future__ import annotations

import pytest

from domain import spelling
from tests.flow.harness import body_text, draft_to_preview
from texts.id import dictionary as K
from texts.id import drafting as D

needs_dictionary = pytest.mark.skipif(
    spelling.dictionary_path() is None,
    reason="hunspell-id (id_ID.dic/.aff) is not installed: apt-get install hunspell-id "
           "(scripts/install-test-services.sh)")

NON_STANDARD = ("Ijin praktek bidan desa kini diurus di kantor kecamatan. Petugas merubah alur "
                "layanan agar resiko antrean panjang berkurang.")


def buttons_of(m) -> list[str]:
    return [text for row in m.buttons for text, _ in row]


async def test_standard_forms_fixed_in_one_tap(office):
    w = office.writer
    m = await draft_to_preview(office, body=f"{NON_STANDARD}\n\n{body_text()}")
    assert "⚠️ 4 kata mungkin salah eja: Ijin → Izin, praktek → praktik, merubah → mengubah, " \
           "resiko → risiko" in m.text
    assert D.BTN_FIX_SPELLING in buttons_of(m)
    m = await office.press(w, m, D.BTN_FIX_SPELLING)
    assert m.text.startswith(D.SPELLING_FIXED)
    assert "Izin praktik bidan desa" in m.text and "Petugas mengubah alur layanan agar risiko antrean" in m.text
    assert "salah eja" not in m.text and D.BTN_FIX_SPELLING not in buttons_of(m)
    await office.press(w, m, D.BTN_SUBMIT)
    card = office.kasubbag.last_message
    assert "Izin praktik bidan desa" in card.text and "salah eja" not in card.text


async def test_doubtful_words_never_block_and_reviewers_see_them(office):
    w = office.writer
    m = await draft_to_preview(office, title="Ijin Praktek Bidan Desa Dipermudah", body=body_text())
    assert "⚠️ 2 kata mungkin salah eja: Ijin → Izin, Praktek → Praktik" in m.text
    await office.press(w, m, D.BTN_SUBMIT)
    card = office.kasubbag.last_message
    assert "menunggu pemeriksaan Kasubbag" in card.text
    assert "⚠️ 2 kata mungkin salah eja: Ijin → Izin, Praktek → Praktik" in card.text


@needs_dictionary
async def test_office_words_are_learned_with_kamus(office):
    w, k = office.writer, office.kasubbag
    body = f"Simpeg kini memuat data pegawai. Humas mengumumkannya pekan ini.\n\n{body_text()}"
    m = await draft_to_preview(office, body=body)
    # the section's own name (Humas) is known; the office system's name is not, yet
    assert "⚠️ 1 kata mungkin salah eja: Simpeg" in m.text and "/kamus tambah" in m.text
    assert D.BTN_FIX_SPELLING not in buttons_of(m)  # nothing the standard-form list can fix

    reply = await office.say(w, "/kamus tambah simpeg")
    assert reply.text == K.NOT_ALLOWED
    reply = await office.say(k, "/kamus tambah Simpeg")
    assert "Simpeg".lower() in reply.text and "ditambahkan ke kamus kantor" in reply.text
    reply = await office.say(k, "/kamus tambah dua kata")
    assert "bukan satu kata" in reply.text
    reply = await office.say(office.admin, "/kamus")
    assert "Kamus kantor" in reply.text and "simpeg" in reply.text

    m = await office.press(w, m, D.BTN_EDIT)
    m = await office.press(w, m, D.BTN_EDIT_TITLE)
    m = await office.say(w, "Simpeg Memuat Data Pegawai Terbaru")
    assert "salah eja" not in m.text

    reply = await office.say(office.admin, "/kamus hapus simpeg")
    assert "dihapus dari kamus kantor" in reply.text
    reply = await office.say(office.admin, "/kamus")
    assert "Kamus kantor masih kosong" in reply.text


async def test_after_a_return_the_fix_is_a_new_revision_the_reviewer_sees_as_a_change(office):
    from sqlalchemy import select

    from storage.models import Revision
    from texts.id import review as R

    w, ks = office.writer, office.kasubbag
    m = await draft_to_preview(office, body=f"{NON_STANDARD}\n\n{body_text()}")
    await office.press(w, m, D.BTN_SUBMIT)
    card = ks.last_message
    assert "⚠️ 4 kata mungkin salah eja" in card.text
    sid = int(card.text.split("#", 1)[1].split()[0])
    await office.press(ks, card, R.BTN_RETURN)
    await office.say(ks, "Mohon gunakan kata baku.")
    m = await office.press(w, w.last_message, R.BTN_REVISE)
    m = await office.press(w, m, D.BTN_FIX_SPELLING)
    assert "Izin praktik bidan desa" in m.text and "salah eja" not in m.text
    await office.press(w, m, D.BTN_SUBMIT)
    card2 = ks.last_message
    assert "Perubahan sejak versi yang Anda periksa" in card2.text and "salah eja" not in card2.text
    async with office.app.bot_data["terbit"].sessions() as s:
        revisions = (await s.scalars(select(Revision).where(Revision.submission_id == sid)
                                     .order_by(Revision.number))).all()
    assert [r.number for r in revisions] == [1, 2]
    assert "Ijin praktek" in revisions[0].body and "Izin praktik" in revisions[1].body  # the reviewed one kept
