"""The writer changes the body from the preview one paragraph at a time
("Ubah → Isi"), as the Kepala corrects it."""
from __future__ import annotations

from sqlalchemy import select

from storage.models import Revision, Submission
from tests.flow.harness import Office, draft_to_preview
from tests.flow.test_long_texts import long_body, phone_split
from texts.id import common as C
from texts.id import drafting as D

PARAS = [
    "Pelatihan pengelolaan arsip digital diikuti tiga puluh pegawai dari seluruh bidang di ruang rapat utama.",
    "Narasumber dari Arsip Nasional menjelaskan tata cara pemindaian dan penamaan berkas yang benar.",
    "Peserta berlatih langsung memindai dokumen dan mengunggahnya ke sistem kearsipan kantor.",
]
BODY = "\n\n".join(PARAS)


async def body_now(office: Office) -> str:
    async with office.app.bot_data["terbit"].sessions() as s:
        sub = (await s.scalars(select(Submission))).unique().one()
        return (await s.get(Revision, sub.current_revision_id)).body


async def open_body(office: Office, preview):
    w = office.writer
    m = await office.press(w, preview, D.BTN_EDIT)
    return await office.press(w, m, D.BTN_EDIT_BODY)


async def test_writer_changes_one_paragraph_deletes_one_and_adds_one(office):
    w = office.writer
    preview = await draft_to_preview(office, body=BODY)
    menu = await open_body(office, preview)
    for n, para in enumerate(PARAS, 1):
        assert f"¶{n} {para}" in menu.text
    assert menu.button_texts == ["¶1", "¶2", "¶3", D.BTN_ADD_PARA, D.BTN_REWRITE, C.BACK]
    m = await office.press(w, menu, "¶2")
    assert m.text == PARAS[1] and "¶2" in w.messages[-2].text
    fixed = PARAS[1].replace("Arsip Nasional", "Arsip Nasional Republik Indonesia")
    preview = await office.say(w, fixed)
    assert preview.text.startswith(D.PARA_CHANGED.format(n=2)) and "Pratinjau" in preview.text
    assert await body_now(office) == "\n\n".join([PARAS[0], fixed, PARAS[2]])
    # ¶1 goes with "-"; a paragraph is added; then ¶2 goes with the Hapus button.
    menu = await open_body(office, preview)
    await office.press(w, menu, "¶1")
    preview = await office.say(w, "-")
    assert preview.text.startswith(D.PARA_DELETED.format(n=1))
    assert await body_now(office) == "\n\n".join([fixed, PARAS[2]])
    menu = await open_body(office, preview)
    await office.press(w, menu, D.BTN_ADD_PARA)
    added = "Kegiatan ditutup dengan pembagian sertifikat kepada seluruh peserta pelatihan."
    preview = await office.say(w, added)
    assert preview.text.startswith(D.PARA_ADDED)
    assert await body_now(office) == "\n\n".join([fixed, PARAS[2], added])
    menu = await open_body(office, preview)
    await office.press(w, menu, "¶2")
    preview = await office.press(w, w.messages[-2], D.BTN_DELETE_PARA.format(n=2))
    assert preview.text.startswith(D.PARA_DELETED.format(n=2))
    assert await body_now(office) == "\n\n".join([fixed, added])
    await office.press(w, preview, D.BTN_SUBMIT)
    assert "menunggu pemeriksaan Kasubbag" in office.kasubbag.last_message.text


async def test_a_long_paragraph_sent_in_parts_replaces_that_paragraph_only(office):
    w = office.writer
    preview = await draft_to_preview(office, body=BODY)
    menu = await open_body(office, preview)
    await office.press(w, menu, "¶2")
    long_para = long_body(6_000).replace("\n\n", " ")
    first, second = phone_split(long_para)
    await office.say(w, first)
    m = await office.say(w, second)
    assert m.text.startswith("✅ Isi diterima: 2 bagian,")
    assert await body_now(office) == "\n\n".join([PARAS[0], long_para, PARAS[2]])
