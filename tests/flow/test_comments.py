"""Comments on the draft as the office lives them (issue 21): a reviewer selects words on a card
and replies; the writer hears it with the words; a reply to the notice is the thread; the thread
is resolved; the author takes a comment back within five minutes; nobody else is told."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Comment, CommentEvent, ItemMessage
from tests.flow.harness import body_text, submit_new, with_button
from texts.id import comments as M
from texts.id import review as R

pytestmark = pytest.mark.asyncio

BODY = ("Rapat dibuka oleh Kepala Dinas pada pukul 09.00 di aula kantor.\n\n"
        "Peserta rapat membahas program kerja 2027. Nomor HP narasumber 0812-3456-7890 dicatat panitia.")


async def rows(office, model, *where):
    async with office.app.bot_data["terbit"].sessions() as s:
        return list((await s.scalars(select(model).where(*where).order_by(model.id))).unique().all())


async def quote_reply(office, user, message, text, quote, occurrence=0):
    await user.reply(message, text, quote=quote, occurrence=occurrence)
    await office.tg.settle()
    return user.last_message


async def test_a_comment_on_selected_words_reaches_the_writer_and_the_thread_goes_on(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    card = await submit_new(office, body=BODY)
    kepala_before = len(kp.messages)

    ack = await quote_reply(office, ks, card, "Nomor HP jangan dimuat, samarkan.", "0812-3456-7890")
    assert "tersimpan (paragraf 2)" in ack.text and "Wulan Penulis" in ack.text
    notice = w.last_message
    assert notice.text.startswith("💬 Komentar pada #1") and "Kasim Kasubbag · paragraf 2" in notice.text
    assert "0812-3456-7890" in notice.text and "Nomor HP jangan dimuat, samarkan." in notice.text
    assert "<blockquote>0812-3456-7890</blockquote>" in notice.html
    assert len(kp.messages) == kepala_before  # the item waits for the Kasubbag: the Kepala is not concerned
    [c] = await rows(office, Comment)
    assert (c.part, c.paragraph, c.quote, c.offset) == ("isi", 1, "0812-3456-7890", BODY.split("\n\n")[1].find("0812"))

    # The writer answers in the thread by replying to the notice: the Kasubbag (a participant) hears it.
    await w.reply(notice, "Baik, akan saya samarkan.")
    await office.tg.settle()
    assert w.last_message.text.startswith("💬 Tanggapan pada #1 tersimpan") and "Kasim Kasubbag" in w.last_message.text
    answer = ks.last_message
    assert answer.text.startswith("💬 Tanggapan pada #1") and "Baik, akan saya samarkan." in answer.text
    assert "0812-3456-7890" in answer.text  # the thread's words
    replies = await rows(office, Comment, Comment.thread_id == c.id)
    assert len(replies) == 1 and replies[0].author.full_name == "Wulan Penulis"

    # The Kasubbag resolves the thread: kept, with its event.
    await office.press(ks, answer, M.BTN_RESOLVE)
    assert ks.callback_answers[-1]["text"] == M.POPUP_RESOLVED
    [c] = await rows(office, Comment, Comment.id == c.id)
    assert c.resolved_at is not None
    kinds = [e.kind for e in await rows(office, CommentEvent)]
    assert kinds == ["ditambahkan", "ditambahkan", "diselesaikan"]
    assert len(kp.messages) == kepala_before


async def test_a_reply_without_a_quote_comments_on_the_whole_draft_and_the_kepala_hears_when_it_waits_for_them(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    card = await submit_new(office, body=BODY)
    await office.press(ks, card, R.BTN_FORWARD)
    kcard = kp.last_message
    ks_before = len(ks.messages)
    # The Kasubbag comments on the card it already decided: the item waits for the Kepala now.
    ack = await quote_reply(office, ks, card, "Judulnya bagus.", "Rapat Koordinasi")
    assert "tersimpan (judul)" in ack.text
    told = {u.first_name: u.last_message.text for u in (w, kp)}
    assert all(t.startswith("💬 Komentar pada #1") for t in told.values())  # the item waits for the Kepala now
    # The Kepala comments on the whole card, without selecting words: the writer hears it; the Kasubbag,
    # in no thread of it and no longer waited for, does not.
    ks_seen = len(ks.messages)
    await kp.reply(kcard, "Secara umum sudah baik.")
    await office.tg.settle()
    assert "tersimpan (seluruh draf)" in kp.last_message.text
    assert w.last_message.text.startswith("💬 Komentar pada #1") and "seluruh draf" in w.last_message.text
    assert len(ks.messages) == ks_seen
    assert ks_before < ks_seen


async def test_the_author_deletes_within_five_minutes_and_strangers_cannot_comment(office):
    w, ks = office.writer, office.kasubbag
    card = await submit_new(office, body=BODY)
    ack = await quote_reply(office, ks, card, "Coba periksa lagi.", "aula kantor")
    await office.press(ks, ack, M.BTN_DELETE)
    assert ks.callback_answers[-1]["text"] == M.DELETED
    [c] = await rows(office, Comment)
    assert c.deleted_at is not None
    # Another writer (not the author, no reviewing role) cannot comment on the card they do not have;
    # a reply to a message about no item is no comment: the conversation takes it as before.
    m = await office.say(w, "/baru")
    m = with_button(w, "📝 Artikel")
    await w.reply(m, "bukan komentar")
    await office.tg.settle()
    assert len(await rows(office, Comment)) == 1
    assert not any((x.text or "").startswith("💬") for x in w.messages[-2:])


async def test_a_long_cards_body_part_and_a_photo_are_commented_by_replying_to_them(office):
    ks = office.kasubbag
    long_body = "\n\n".join(f"Paragraf ke-{i}: " + body_text(1) for i in range(1, 41))
    await submit_new(office, body=long_body, photos=1)
    photo = next(m for m in ks.messages if m.kind == "photo")
    part = next(m for m in ks.messages if m.text and m.text.startswith("Isi pengajuan #1"))
    await ks.reply(photo, "Fotonya buram.")
    await office.tg.settle()
    assert "tersimpan (lampiran)" in ks.last_message.text
    await quote_reply(office, ks, part, "Tanya jawab kurang jelas.", "tanya jawab", occurrence=3)
    assert "tersimpan (paragraf 4)" in ks.last_message.text
    await quote_reply(office, ks, part, "Sebutkan.", "ke-7:")
    assert "tersimpan (paragraf 7)" in ks.last_message.text
    assert len(await rows(office, ItemMessage)) >= 3


async def test_comments_are_in_riwayat_and_the_archives_metadata_not_on_the_public_page(office):
    import json

    w, ks, kp = office.writer, office.kasubbag, office.kepala
    card = await submit_new(office, body=BODY)
    await quote_reply(office, ks, card, "Nomor HP jangan dimuat.", "0812-3456-7890")
    await office.press(ks, card, R.BTN_FORWARD)
    asked = await office.press(kp, kp.last_message, R.BTN_APPROVE)
    await office.press(kp, asked, M.BTN_APPROVE_OPEN)
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    history = await office.say(w, "/riwayat 1")
    assert "Kasim Kasubbag menambahkan komentar #1 (paragraf 2)" in history.text
    assert "«0812-3456-7890» Nomor HP jangan dimuat." in history.text
    assert history.text.index("menambahkan komentar") < history.text.index("meneruskan ke Kepala")  # in time order
    meta = json.loads(next((office.settings.data_dir / "archive").rglob("metadata.json")).read_text())
    [entry] = meta["record"]["comments"]
    assert (entry["actor"], entry["paragraph"], entry["quote"]) == ("Kasim Kasubbag", 2, "0812-3456-7890")
    page = next((office.settings.site_dir / "artikel").glob("*/index.html")).read_text()
    assert "Nomor HP jangan dimuat" not in page


async def test_the_kepala_is_asked_once_before_approving_with_open_comments(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    card = await submit_new(office, body=BODY)
    await quote_reply(office, ks, card, "Nomor HP jangan dimuat.", "0812-3456-7890")
    await quote_reply(office, ks, card, "Jam berapa selesai?", "pukul 09.00")
    await office.press(ks, card, R.BTN_FORWARD)
    kcard = kp.last_message
    asked = await office.press(kp, kcard, R.BTN_APPROVE)
    assert asked.text.startswith("💬 2 komentar pada #1 belum selesai — tetap setujui?")
    assert "Kasim Kasubbag (paragraf 2): Nomor HP jangan dimuat." in asked.text
    assert [a for a, _ in await _actions(office)] == ["ajukan", "teruskan"]  # nothing decided yet
    await office.press(kp, asked, M.BTN_APPROVE_OPEN)
    assert [a for a, _ in await _actions(office)][:3] == ["ajukan", "teruskan", "setujui"]
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)


async def _actions(office):
    from storage.models import AuditEvent
    return [(e.action, e.to_state) for e in await rows(office, AuditEvent)]


async def test_the_author_rewrites_a_comment_and_the_notice_shows_the_new_text(office):
    w, ks = office.writer, office.kasubbag
    card = await submit_new(office, body=BODY)
    ack = await quote_reply(office, ks, card, "Jam mulai salah.", "pukul 09.00")
    asked = await office.press(ks, ack, M.BTN_EDIT)
    assert asked.text == "✏️ Tulis teks baru komentar Anda pada #1."
    await office.say(ks, "Jam mulai 08.30, bukan 09.00.")
    assert ks.last_message.text == "✏️ Komentar pada #1 diperbarui."
    [c] = await rows(office, Comment)
    assert c.text == "Jam mulai 08.30, bukan 09.00." and c.edited_at is not None
    assert [(e.kind, e.text) for e in await rows(office, CommentEvent)] == [
        ("ditambahkan", "Jam mulai salah."), ("diubah", "Jam mulai salah.")]
    # The writer's conversation is untouched: a plain text from the writer is no comment.
    assert w.last_message.text.startswith("💬 Komentar pada #1")


async def test_the_kasubbag_returns_with_the_open_comments_as_the_note(office):
    w, ks = office.writer, office.kasubbag
    card = await submit_new(office, body=BODY)
    await quote_reply(office, ks, card, "Nomor HP jangan dimuat.", "0812-3456-7890")
    ack = await quote_reply(office, ks, card, "Sebut nama aulanya.", "aula kantor")
    await quote_reply(office, ks, card, "Coba lagi.", "pukul 09.00")
    await office.press(ks, ack, M.BTN_DELETE)  # a deleted comment is not in the note
    asked = await office.press(ks, card, R.BTN_RETURN)
    assert "Atau kembalikan dengan 2 komentar" in asked.text
    await office.press(ks, asked, R.BTN_RETURN_COMMENTS.format(n=2))
    assert ks.callback_answers[-1]["text"] == "Dikembalikan ke penulis dengan 2 komentar terbuka."
    [(_, state, note)] = [x for x in await _notes(office) if x[0] == "kembalikan"]
    assert state == "dikembalikan"
    assert note.splitlines() == ["Dikembalikan dengan 2 komentar terbuka:",
                                 "• «0812-3456-7890» — Nomor HP jangan dimuat. (Kasim Kasubbag)",
                                 "• «pukul 09.00» — Coba lagi. (Kasim Kasubbag)"]
    told = await w.wait_for_message(lambda m: "Nomor HP jangan dimuat." in (m.text or "")
                                    and "dikembalikan" in (m.text or "").lower(), timeout=10)
    assert "Coba lagi." in told.text


async def _notes(office):
    from storage.models import AuditEvent
    return [(e.action, e.to_state, e.note) for e in await rows(office, AuditEvent)]


async def test_the_writers_preview_lists_the_open_comments_and_a_button_brings_the_thread_back(office):
    w, ks = office.writer, office.kasubbag
    card = await submit_new(office, body=BODY)
    await quote_reply(office, ks, card, "Nomor HP jangan dimuat.", "0812-3456-7890")
    await ks.reply(card, "Tambahkan foto kegiatan.")
    await office.tg.settle()
    await office.press(ks, card, R.BTN_RETURN)
    await office.say(ks, "Perbaiki sesuai komentar.")
    told = await w.wait_for_message(lambda m: any(t == R.BTN_REVISE for row in m.buttons for t, _ in row),
                                    timeout=10)
    preview = await office.press(w, told, R.BTN_REVISE)
    assert "💬 2 komentar belum selesai" in preview.text
    assert "1. Kasim Kasubbag: «0812-3456-7890» Nomor HP jangan dimuat." in preview.text
    assert "2. Kasim Kasubbag (seluruh draf): Tambahkan foto kegiatan." in preview.text
    assert [t for row in preview.buttons for t, _ in row if t.startswith("💬")] == ["💬 1", "💬 2"]

    await office.press(w, preview, "💬 1")
    assert w.callback_answers[-1]["text"] == M.POPUP_SHOWN
    thread = w.last_message
    assert thread.text.startswith("💬 Komentar pada #1") and "Nomor HP jangan dimuat." in thread.text
    await w.reply(thread, "Sudah saya samarkan.")
    await office.tg.settle()
    assert w.last_message.text.startswith("💬 Tanggapan pada #1 tersimpan")
    [root, *_] = await rows(office, Comment)
    assert [c.text for c in await rows(office, Comment, Comment.thread_id == root.id)] == ["Sudah saya samarkan."]


async def test_the_monthly_reports_records_count_the_comments_and_the_first_ones_time(office):
    from datetime import timedelta

    from services.sop_clock import sop_records

    ks = office.kasubbag
    card = await submit_new(office, body=BODY)
    await quote_reply(office, ks, card, "Nomor HP jangan dimuat.", "0812-3456-7890")
    ack = await quote_reply(office, ks, card, "Sebut nama aulanya.", "aula kantor")
    await office.press(ks, ack, M.BTN_DELETE)  # a comment taken back is not counted
    [first, *_] = await rows(office, Comment)
    async with office.app.bot_data["terbit"].sessions() as s:
        [record] = await sop_records.records(s, first.created_at - timedelta(days=1),
                                             first.created_at + timedelta(days=1))
    assert (record.comments, record.first_comment_at) == (1, first.created_at)


async def test_the_resubmissions_card_shows_which_comments_the_round_settled(office):
    """The Kasubbag comments on two places and returns the item; the writer resolves one thread and
    masks the phone number the other was about; the next card says what became of both."""
    from texts.id import drafting as D

    w, ks = office.writer, office.kasubbag
    card = await submit_new(office, body=BODY)
    await quote_reply(office, ks, card, "Nomor HP jangan dimuat.", "0812-3456-7890")
    await quote_reply(office, ks, card, "Sebutkan nama aulanya.", "aula kantor")
    about_hall = w.last_message
    asked = await office.press(ks, card, R.BTN_RETURN)
    assert R.BTN_RETURN_COMMENTS.format(n=2) in asked.button_texts  # typing a note stays possible too
    await office.say(ks, "Perbaiki dua hal yang saya komentari.")
    assert "dikembalikan" in w.last_message.text.lower()
    # The writer: the hall's thread resolved, the phone number masked, submitted again.
    await office.press(w, about_hall, M.BTN_RESOLVE)
    await office.press(w, with_button(w, R.BTN_REVISE), R.BTN_REVISE)
    masked = await office.press(w, with_button(w, D.BTN_MASK), D.BTN_MASK)
    assert D.BTN_SUBMIT in masked.button_texts
    await office.press(w, with_button(w, D.BTN_SUBMIT), D.BTN_SUBMIT)
    again = ks.last_message
    assert "menunggu pemeriksaan Kasubbag" in again.text
    assert M.SETTLED.replace("<b>", "").replace("</b>", "") in again.text
    lines = again.text.split("Komentar sejak pemeriksaan lalu", 1)[1]
    assert "✅ Kasim Kasubbag: «aula kantor» Sebutkan nama aulanya. — diselesaikan" in lines
    assert "✏️ Kasim Kasubbag: «0812-3456-7890» Nomor HP jangan dimuat. — kata-kata itu sudah diubah" in lines


async def test_a_first_card_lists_no_settled_comments(office):
    card = await submit_new(office, body=BODY)
    assert "Komentar sejak pemeriksaan lalu" not in card.text
