"""The Kepala corrects on a phone: one paragraph at a time, sees the change
before saving it, and the writer is told what changed."""
from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEvent, Revision, Submission
from tests.flow.harness import Office, submit_new
from tests.flow.test_long_texts import phone_split
from texts.id import common as C
from texts.id import review as R

PARAS = [
    "Rapat koordinasi program kerja dibuka oleh Kepala pada pukul sembilan pagi di aula kantor, "
    "dihadiri seluruh kepala bidang dan staf perencanaan.",
    "Setiap bidang memaparkan capaian triwulan ketiga beserta kendala yang dihadapi di lapangan, "
    "termasuk keterlambatan pengadaan barang.",
    "Rapat ditutup dengan kesepakatan jadwal evaluasi berikutnya pada akhir bulan depan "
    "serta pembagian tugas tindak lanjut.",
]
BODY = "\n\n".join(PARAS)


async def at_kepala(office: Office, body: str = BODY):
    """A submission forwarded to the Kepala; returns the Kepala's card."""
    card = await submit_new(office, body=body)
    await office.press(office.kasubbag, card, R.BTN_FORWARD)
    return office.kepala.last_message


async def current(office: Office) -> Revision:
    async with office.app.bot_data["terbit"].sessions() as s:
        sub = (await s.scalars(select(Submission))).unique().one()
        return await s.get(Revision, sub.current_revision_id)


async def actions(office: Office) -> list[str]:
    async with office.app.bot_data["terbit"].sessions() as s:
        return [str(a) for a in (await s.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()]


async def test_kepala_corrects_paragraph_two_only_and_the_writer_sees_it(office):
    w, kp = office.writer, office.kepala
    card = await at_kepala(office)
    menu = await office.press(kp, card, R.BTN_CORRECT)
    for n, para in enumerate(PARAS, 1):
        assert f"¶{n} {para}" in menu.text
    assert menu.button_texts == [R.BTN_CORRECT_TITLE, "¶1", "¶2", "¶3", R.BTN_CORRECT_ADD, R.BTN_CORRECT_WHOLE,
                                 C.CANCEL]
    await office.press(kp, menu, "¶2")
    assert kp.last_message.text == PARAS[1]  # the paragraph on its own, to copy and fix
    question = kp.messages[-2]
    assert "¶2" in question.text and question.button_texts == ["🗑 Hapus ¶2", C.CANCEL]
    fixed = PARAS[1].replace("keterlambatan pengadaan barang", "keterlambatan pengadaan barang dan jasa")
    preview = await office.say(kp, "Setiap bidang memaparkan capaian.")
    assert "Perubahan yang akan disimpan" in preview.text
    # Not what she meant: once more, then save.
    m = await office.press(kp, preview, R.BTN_CORRECT_AGAIN)
    assert "¶2" in kp.messages[-2].text and m.text == PARAS[1]
    preview = await office.say(kp, fixed)
    assert f"<s>{PARAS[1]}</s>" in preview.html and f"➕ {fixed}" in preview.text
    assert PARAS[0] not in preview.text and PARAS[2] not in preview.text  # only what changed
    assert preview.button_texts == [R.BTN_CORRECT_SAVE, R.BTN_CORRECT_AGAIN, C.CANCEL]
    assert (await current(office)).body == BODY  # nothing saved yet
    await office.press(kp, preview, R.BTN_CORRECT_SAVE)
    assert (await current(office)).body == "\n\n".join([PARAS[0], fixed, PARAS[2]])
    told = w.last_message.text
    assert "mengoreksi isi" in told and "Yang dikoreksi" in told and fixed in told and PARAS[1] in told
    new_card = kp.last_message
    assert "menunggu persetujuan Kepala" in new_card.text and "dan jasa" in new_card.text
    await office.press(kp, new_card, R.BTN_APPROVE)
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    html = next((office.settings.site_dir / "artikel").glob("*/index.html")).read_text()
    assert fixed in html and PARAS[1] not in html and PARAS[0] in html and PARAS[2] in html
    assert (await actions(office))[:4] == ["ajukan", "teruskan", "koreksi", "setujui"]


async def test_kepala_deletes_one_paragraph_and_adds_another(office):
    w, kp = office.writer, office.kepala
    card = await at_kepala(office)
    menu = await office.press(kp, card, R.BTN_CORRECT)
    await office.press(kp, menu, "¶3")
    preview = await office.press(kp, kp.messages[-2], "🗑 Hapus ¶3")
    assert f"<s>{PARAS[2]}</s>" in preview.html
    await office.press(kp, preview, R.BTN_CORRECT_SAVE)
    assert (await current(office)).body == "\n\n".join(PARAS[:2])
    assert "mengoreksi isi" in w.last_message.text and PARAS[2] in w.last_message.text
    # On the new card: a paragraph added at the end, then ¶1 deleted by sending "-".
    menu = await office.press(kp, kp.last_message, R.BTN_CORRECT)
    assert "¶3" not in menu.button_texts
    await office.press(kp, menu, R.BTN_CORRECT_ADD)
    added = "Notulen lengkap dapat diminta di sekretariat."
    preview = await office.say(kp, added)
    assert f"➕ {added}" in preview.text
    await office.press(kp, preview, R.BTN_CORRECT_SAVE)
    menu = await office.press(kp, kp.last_message, R.BTN_CORRECT)
    await office.press(kp, menu, "¶1")
    preview = await office.say(kp, "-")
    assert f"<s>{PARAS[0]}</s>" in preview.html
    await office.press(kp, preview, R.BTN_CORRECT_SAVE)
    assert (await current(office)).body == "\n\n".join([PARAS[1], added])
    assert (await actions(office)).count("koreksi") == 3


async def test_batal_changes_nothing(office):
    kp = office.kepala
    card = await at_kepala(office)
    before = await current(office)
    menu = await office.press(kp, card, R.BTN_CORRECT)
    await office.press(kp, menu, "¶2")
    preview = await office.say(kp, "Paragraf yang tidak jadi disimpan.")
    await office.press(kp, preview, C.CANCEL)
    assert kp.last_message.text == R.CANCELLED
    after = await current(office)
    assert (after.id, after.body) == (before.id, BODY)
    assert "koreksi" not in await actions(office)
    # A text now is not taken as a correction, and the card still decides.
    await office.say(kp, "halo")
    assert (await current(office)).id == before.id
    await office.press(kp, card, R.BTN_APPROVE)
    assert "setujui" in await actions(office)
    await office.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)


async def test_whole_body_replaced_in_two_parts(office):
    from tests.flow.test_long_texts import long_body
    w, kp = office.writer, office.kepala
    card = await at_kepala(office)
    menu = await office.press(kp, card, R.BTN_CORRECT)
    question = await office.press(kp, menu, R.BTN_CORRECT_WHOLE)
    assert "seluruh isi" in question.text and "Simpan" in question.text
    new_body = long_body(6_000)
    first, second = phone_split(new_body)
    early = await office.say(kp, first)
    assert "Perubahan yang akan disimpan" in early.text
    latest = await office.say(kp, second)
    assert latest.text.startswith("Teks diterima: 2 bagian, 6.000 karakter.")
    # Simpan on the first preview would save less than what was sent: it is gone from there.
    assert kp.tg.message(kp.chat_id, early.message_id).buttons == []
    assert R.BTN_CORRECT_SAVE in latest.button_texts
    assert (await current(office)).body == BODY
    await office.press(kp, latest, R.BTN_CORRECT_SAVE)
    assert (await current(office)).body == new_body
    assert "mengoreksi isi" in w.last_message.text


async def test_correcting_the_title_through_the_menu(office):
    w, kp = office.writer, office.kepala
    card = await at_kepala(office)
    menu = await office.press(kp, card, R.BTN_CORRECT)
    await office.press(kp, menu, R.BTN_CORRECT_TITLE)
    assert kp.last_message.text == "Rapat Koordinasi Program Kerja 2027"
    preview = await office.say(kp, "Rapat Koordinasi Program Kerja Tahun 2027")
    await office.press(kp, preview, R.BTN_CORRECT_SAVE)
    rev = await current(office)
    assert rev.title == "Rapat Koordinasi Program Kerja Tahun 2027" and rev.body == BODY
    assert "mengoreksi judul" in w.last_message.text and "Tahun 2027" in w.last_message.text


async def test_a_long_body_is_listed_within_telegrams_limit(office):
    from tests.flow.test_long_texts import long_body
    kp = office.kepala
    body = long_body(9_000)
    card = await at_kepala(office, body=body)
    seen = len(kp.messages)
    await office.press(kp, card, R.BTN_CORRECT)
    listed = kp.messages[seen:]
    assert len(listed) >= 3 and all(len(m.text) <= 4096 for m in listed)
    assert listed[-1].button_texts[0] == R.BTN_CORRECT_TITLE and not listed[0].buttons
    n = len(body.split("\n\n"))
    assert f"¶{n}" in listed[-1].button_texts and f"¶{n + 1}" not in listed[-1].button_texts


async def test_a_correction_part_handled_again_after_a_crash_is_joined_once(fake_telegram, tmp_path):
    import sqlite3

    from storage.models import InboxUpdate
    from tests.flow.harness import make_settings, running, staffed_office
    from tests.flow.test_long_texts import long_body
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    new_body = long_body(6_000)
    first, second = phone_split(new_body)
    async with running(o):
        await staffed_office(o)
        kp = o.kepala
        card = await at_kepala(o)
        menu = await o.press(kp, card, R.BTN_CORRECT)
        await o.press(kp, menu, R.BTN_CORRECT_WHOLE)
        await o.say(kp, first)
        await o.say(kp, second)
        async with o.app.bot_data["terbit"].sessions() as s:
            rows = (await s.scalars(select(InboxUpdate))).all()
            again = next(r.update_id for r in rows if (r.payload.get("message") or {}).get("text") == second)
    with sqlite3.connect(tmp_path / "data" / "terbit.sqlite3") as db:  # died before marking it handled
        db.execute("UPDATE inbox_updates SET done_at = NULL WHERE update_id = ?", (again,))
    async with running(o):
        await o.tg.settle()
        previews = [m for m in kp.messages if (m.text or "").startswith("Teks diterima")]
        assert len(previews) == 1 and previews[0].text.startswith("Teks diterima: 2 bagian, 6.000 karakter.")
        await o.press(kp, previews[0], R.BTN_CORRECT_SAVE)
        assert (await current(o)).body == new_body
