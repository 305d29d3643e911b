"""The writer's side: checks that block, masks, captions, removal, drafts that wait."""
from __future__ import annotations

from tests.flow.harness import body_text, draft_to_preview, jpeg
from texts.id import drafting as D


async def test_checks_block_submission_until_fixed(office):
    w = office.writer
    m = await draft_to_preview(office, title="BERITA PENTING HARI INI", kind="📰 Berita", body="Terlalu pendek.")
    assert "❌ Judul ditulis huruf kapital semua" in m.text
    assert "❌ Isi terlalu pendek" in m.text and "❌ Berita perlu minimal satu foto" in m.text
    await w.press(m, D.BTN_SUBMIT)
    await office.tg.settle()
    assert w.callback_answers[-1]["text"] == D.SUBMIT_BLOCKED
    assert office.kasubbag.last_message is None or "Pengajuan" not in office.kasubbag.last_message.text
    m = await office.press(w, m, D.BTN_EDIT)
    m = await office.press(w, m, D.BTN_EDIT_TITLE)
    m = await office.say(w, "Berita Penting Hari Ini dari Humas")
    m = await office.press(w, m, D.BTN_EDIT)
    m = await office.press(w, m, D.BTN_EDIT_BODY)
    assert "¶1 Terlalu pendek." in m.text  # the body as numbered paragraphs
    m = await office.press(w, m, D.BTN_REWRITE)
    m = await office.press(w, m, D.BODY_FREE)
    m = await office.say(w, body_text())
    await w.send_photo(jpeg())
    await office.tg.settle()
    m = await office.press(w, w.last_message, D.MEDIA_DONE)
    assert "❌" not in m.text
    await office.press(w, m, D.BTN_SUBMIT)
    assert "menunggu pemeriksaan Kasubbag" in office.kasubbag.last_message.text


async def test_personal_data_warned_and_masked_in_one_tap(office):
    w = office.writer
    body = body_text() + "\n\nKontak panitia: 0812-3456-7890, NIK peserta 3201234567890123, budi@contoh.id."
    m = await draft_to_preview(office, body=body)
    assert "⚠️ Ada 1 nomor NIK" in m.text and "⚠️ Ada 1 nomor telepon" in m.text
    m = await office.press(w, m, D.BTN_MASK)
    assert "3201234567890123" not in m.text and "0812-3456-7890" not in m.text and "b***@contoh.id" in m.text
    assert "✅ Tidak ada data pribadi terdeteksi" in m.text


async def test_caption_and_removal_of_attachments(office):
    w = office.writer
    preview = await draft_to_preview(office, photos=2)
    await w.send_document(b"%PDF-1.4 not really", "rusak.pdf")
    await office.tg.settle()
    assert "Lampiran lain tetap tersimpan (2 berkas)" in w.last_message.text  # refused, nothing lost
    m = await office.press(w, preview, D.BTN_EDIT)
    m = await office.press(w, m, D.BTN_EDIT_MEDIA)
    m = await office.press(w, m, D.MEDIA_MANAGE)
    assert "Lampiran (2)" in m.text
    m = await office.press(w, m, D.BTN_CAPTION.format(n=1))
    m = await office.say(w, "Kepala bidang membuka acara")
    assert m.text == D.CAPTION_SET
    m = await office.press(w, m, D.MEDIA_MANAGE)
    assert "1. Foto — Kepala bidang membuka acara" in m.text
    m = await office.press(w, m, D.BTN_REMOVE.format(n=2))
    assert "dihapus. Sisa: 1" in m.text
    m = await office.press(w, m, D.MEDIA_DONE)
    assert "Kepala bidang membuka acara" in m.text and "1 foto" in m.text


async def test_drafts_wait_and_can_be_cancelled(office):
    w = office.writer
    await office.say(w, "/baru")
    m = await office.say(w, "/batal")
    assert m.text == D.LEFT
    m = await office.say(w, "/draf")
    assert m.buttons and m.buttons[0][0][0].startswith("#")
    m = await office.press(w, m, m.buttons[0][0][0])
    assert "Konten apa" in m.text
    preview = await draft_to_preview(office)
    m = await office.press(w, preview, D.BTN_CANCEL_DRAFT)
    m = await office.press(w, m, D.BTN_CONFIRM_CANCEL)
    assert "dibatalkan" in m.text
    m = await office.say(w, "/status")
    assert "Dibatalkan" in m.text


async def test_unknown_commands_get_a_hint(office):
    from texts.id import common as C
    assert (await office.say(office.writer, "/apaini")).text == C.UNKNOWN_INPUT
    assert (await office.say(office.kepala, "halo")).text == C.UNKNOWN_INPUT  # no open draft: nothing resumed


async def test_after_leaving_the_next_message_resumes_the_draft(office):
    w = office.writer
    m = await office.say(w, "/baru")
    await office.press(w, m, "📝 Artikel")
    assert (await office.say(w, "/batal")).text == D.LEFT
    m = await office.say(w, "halo?")
    assert "judul" in m.text  # asked the draft's next question again
    m = await office.say(w, "Judul yang Dikirim Setelah Jeda")
    assert m.text == D.ASK_BODY_MODE  # and the answer is taken


async def test_no_tick_for_a_photo_that_is_not_there(office):
    """An Artikel needs no photo, but "✅ Foto tersedia" would say one is there: it is not."""
    w = office.writer
    m = await draft_to_preview(office, kind="📝 Artikel")
    assert "📎 Tanpa lampiran" in m.text
    assert D.CHECK_OK["photo"] not in m.text and "❌" not in m.text
    assert f"✅ {D.CHECK_OK['title']}" in m.text
    await office.press(w, m, D.BTN_SUBMIT)
    card = office.kasubbag.last_message
    assert "menunggu pemeriksaan Kasubbag" in card.text and D.CHECK_OK["photo"] not in card.text
    m = await draft_to_preview(office, kind="📝 Artikel", photos=1)
    assert f"✅ {D.CHECK_OK['photo']}" in m.text  # with one, the tick is true
