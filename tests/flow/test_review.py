"""Review as the Kasubbag and the Kepala live it: returns, corrections, stale and
double presses, strangers and forged buttons."""
from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import func, select

from handlers.ops import Op
from storage.models import AuditEvent, Submission
from tests.flow.harness import Office, body_text, make_settings, running, submit_new
from texts.id import common as C
from texts.id import review as R

pytestmark = pytest.mark.asyncio




async def decisions(office, sid: int) -> list[tuple[str, str]]:
    async with office.app.bot_data["terbit"].sessions() as s:
        rows = (await s.execute(select(AuditEvent.action, AuditEvent.to_state)
                                .where(AuditEvent.submission_id == sid).order_by(AuditEvent.id))).all()
    return [tuple(r) for r in rows]


def sid_of(card) -> int:
    return int(card.text.split("#", 1)[1].split()[0])


async def test_return_from_kasubbag_then_resubmit_shows_the_diff(office):
    w, ks = office.writer, office.kasubbag
    card = await submit_new(office)
    sid = sid_of(card)
    await office.press(ks, card, R.BTN_RETURN)
    assert "catatan untuk penulis" in ks.last_message.text
    await office.say(ks, "   ")
    assert ks.last_message.text == R.NOTE_EMPTY  # a return always carries a note
    await office.say(ks, "Judul kurang spesifik, sebutkan bidangnya.")
    back = w.last_message
    assert "dikembalikan" in back.text and "Judul kurang spesifik" in back.text
    assert ks.messages[-2].button_texts != [R.BTN_FORWARD, R.BTN_RETURN]  # decided card no longer offers decisions
    m = await office.press(w, back, R.BTN_REVISE)
    assert "Pratinjau" in m.text
    m = await office.press(w, m, "✏️ Ubah")
    m = await office.press(w, m, "Judul")
    m = await office.say(w, "Rapat Koordinasi Program Kerja Bidang Humas 2027")
    assert "Pratinjau" in m.text and "Bidang Humas" in m.text
    await office.press(w, m, "✅ Ajukan ke Kasubbag")
    card2 = ks.last_message
    assert "Perubahan sejak versi yang Anda periksa" in card2.text
    assert "Rapat Koordinasi Program Kerja 2027" in card2.text  # the old title, struck through
    assert [a for a, _ in await decisions(office, sid)] == ["ajukan", "kembalikan", "ajukan"]


async def test_return_from_kepala_goes_back_through_the_kasubbag(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    card = await submit_new(office)
    sid = sid_of(card)
    await office.press(ks, card, R.BTN_FORWARD)
    await office.press(kp, kp.last_message, R.BTN_RETURN)
    await office.say(kp, "Data peserta belum valid.")
    assert "Kepala" in w.last_message.text and "Data peserta belum valid." in w.last_message.text
    m = await office.press(w, w.last_message, R.BTN_REVISE)
    m = await office.press(w, m, "✏️ Ubah")
    m = await office.press(w, m, "Isi")
    m = await office.press(w, m, "✍️ Tulis ulang seluruh isi")
    m = await office.press(w, m, "✍️ Tulis bebas")
    m = await office.say(w, body_text(4))
    await office.press(w, m, "✅ Ajukan ke Kasubbag")
    assert "menunggu pemeriksaan Kasubbag" in ks.last_message.text
    assert "➕" in ks.last_message.text  # the added paragraph is shown
    await office.press(ks, ks.last_message, R.BTN_FORWARD)
    card = kp.last_message
    assert "Perubahan sejak versi yang Anda periksa" in card.text
    assert [a for a, _ in await decisions(office, sid)] == ["ajukan", "teruskan", "kembalikan", "ajukan", "teruskan"]


async def test_kepala_corrects_then_approves(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    card = await submit_new(office)
    sid = sid_of(card)
    await office.press(ks, card, R.BTN_FORWARD)
    card = kp.last_message
    await office.press(kp, card, R.BTN_CORRECT)
    await office.press(kp, kp.last_message, R.BTN_CORRECT_TITLE)
    preview = await office.say(kp, "Rapat Koordinasi Program Kerja Tahun 2027")
    # Nothing is saved before the Kepala has seen the change and pressed Simpan.
    assert "Perubahan yang akan disimpan" in preview.text and "<s>Rapat Koordinasi Program Kerja 2027</s>" in preview.html
    assert "mengoreksi" not in (w.last_message.text or "")
    await office.press(kp, preview, R.BTN_CORRECT_SAVE)
    assert "mengoreksi judul" in w.last_message.text
    assert "Rapat Koordinasi Program Kerja Tahun 2027" in w.last_message.text  # the writer sees the change
    new_card = kp.last_message
    assert "Rapat Koordinasi Program Kerja Tahun 2027" in new_card.text
    # The card from before the correction is stale now.
    await kp.press_raw(card, office.app.bot_data["terbit"].codec.encode(Op.APPROVE, sid, 1))
    await office.tg.settle()
    assert kp.callback_answers[-1]["text"] == (
        R.POPUP_STALE.format(id=sid, state="Menunggu Kepala") + R.POPUP_USE_NEWEST)
    await office.press(kp, new_card, R.BTN_APPROVE)
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    acts = [a for a, _ in await decisions(office, sid)]
    assert acts[:5] == ["ajukan", "teruskan", "koreksi", "setujui", "terbitkan"]
    html = next((office.settings.site_dir / "artikel").glob("*/index.html")).read_text()
    assert "Rapat Koordinasi Program Kerja Tahun 2027" in html


async def test_double_press_and_two_kasubbags_at_once_record_one_decision(office):
    ks = office.kasubbag
    ks2 = office.tg.user(2002, "Kasubbag Dua", "dua")
    await office.onboard(ks2, "kasubbag")
    card = await submit_new(office)
    sid = sid_of(card)
    card2 = ks2.last_message
    assert sid_of(card2) == sid
    # Both press at the same moment; one of them presses twice.
    await asyncio.gather(ks.press(card, R.BTN_FORWARD), ks2.press(card2, R.BTN_FORWARD),
                         ks.press(card, R.BTN_FORWARD))
    await office.tg.settle()
    acts = [a for a, _ in await decisions(office, sid)]
    assert acts.count("teruskan") == 1
    answers = [a["text"] for a in ks.callback_answers + ks2.callback_answers]
    assert answers.count(R.POPUP_FORWARDED) == 1
    # The others hear who decided it (or, on a double press, that they did themselves).
    refused = [a for a in answers if a != R.POPUP_FORWARDED]
    said = {R.POPUP_DECIDED.format(name=n, outcome="diteruskan ke Kepala") for n in ("Kasim Kasubbag", "Kasubbag Dua")}
    said.add(R.POPUP_DECIDED_BY_YOU.format(outcome="diteruskan ke Kepala"))
    assert len(refused) == 2 and set(refused) <= said, refused
    assert len(office.kepala.messages) and "menunggu persetujuan Kepala" in office.kepala.last_message.text
    # Both cards now show the outcome as their last line, and no button at all.
    for user, c in ((ks, card), (ks2, card2)):
        decided = user.tg.message(user.chat_id, c.message_id)
        assert decided.buttons == [] and "menunggu pemeriksaan Kasubbag" in decided.text
        assert decided.text.splitlines()[-1].startswith("✅ Diteruskan ke Kepala oleh ")


async def test_strangers_and_wrong_roles_change_nothing(office):
    w = office.writer
    card = await submit_new(office)
    sid = sid_of(card)
    forward = card.buttons[0][0][1]
    outsider = office.tg.user(6666, "Orang Luar")
    hello = await office.say(outsider, "halo")
    assert hello.text.startswith("Halo!") and "belum terdaftar" in hello.text
    await outsider.press_raw(hello, forward)
    await office.tg.settle()
    assert outsider.callback_answers[-1]["text"] == C.NOT_ALLOWED
    # The writer replays the Kasubbag's button: refused, nothing recorded.
    await w.press_raw(w.last_message, forward)
    await office.tg.settle()
    assert w.callback_answers[-1]["text"] in (C.NOT_ALLOWED, C.OWN_SUBMISSION)
    assert [a for a, _ in await decisions(office, sid)] == ["ajukan"]


async def test_forged_callback_data_is_refused_without_a_crash(office):
    ks = office.kasubbag
    card = await submit_new(office)
    sid = sid_of(card)
    for data in [f"1:rf:{sid}:1:00000000", "garbage", "1:ra:1:1", "9:rf:1:1:abcdefab", "1:zz:1:2:3"]:
        await ks.press_raw(card, data)
        await office.tg.settle()
        assert ks.callback_answers[-1]["text"] == C.BUTTON_UNKNOWN
    assert office.tg.unanswered_callback_queries == []
    async with office.app.bot_data["terbit"].sessions() as s:
        assert (await s.get(Submission, sid)).state == "menunggu_kasubbag"
        assert await s.scalar(select(func.count()).select_from(AuditEvent)) == 1


async def test_queue_status_and_history(office):
    ks = office.kasubbag
    card = await submit_new(office)
    sid = sid_of(card)
    q = await office.say(ks, "/antrian")
    assert f"#{sid}" in q.text and "🟢" in q.text and "standar 30 menit" in q.text
    st = await office.say(office.writer, "/status")
    assert f"#{sid}" in st.text and "Menunggu Kasubbag" in st.text
    h = await office.say(ks, f"/riwayat {sid}")
    assert "mengajukan" in h.text and "Wulan Penulis" in h.text
    # A time written the one way people read times everywhere (not "05/12/2026 20:38").
    assert re.search(r"^(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ \d{4} pukul \d\d\.\d\d WIB — ",
                     h.text, flags=re.M), h.text
    assert not re.search(r"\d\d/\d\d/\d{4}", h.text)
    assert (await office.say(office.kepala, "/antrian")).text == R.QUEUE_EMPTY


async def test_a_long_article_reaches_the_reviewer_within_telegrams_limits(office):
    paragraph = ("Rapat evaluasi program kerja membahas capaian setiap bidang, kendala di lapangan, "
                 "serta rencana tindak lanjut untuk triwulan berikutnya & <catatan> penting. ") * 6
    body = "\n\n".join(paragraph for _ in range(14))  # about 9,000 characters
    card = await submit_new(office, body=body)
    parts = [m for m in office.kasubbag.messages if m.kind == "text" and "Isi pengajuan" in (m.text or "")]
    assert len(parts) >= 2 and all(len(m.text) <= 4096 for m in parts)
    assert card.buttons and "menunggu pemeriksaan Kasubbag" in card.text and len(card.text) <= 4096
    assert "".join(m.text for m in parts).count("<catatan>") == body.count("<catatan>")


async def test_a_submission_never_waits_silently_for_a_role_nobody_holds(fake_telegram, tmp_path):
    from tests.flow.harness import ADMIN_ID, WRITER_ID, draft_to_preview
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        o.people["admin"] = fake_telegram.user(ADMIN_ID, "Ani Admin")
        o.people["writer"] = fake_telegram.user(WRITER_ID, "Wulan Penulis")
        await o.say(o.admin, "/start")
        await o.say(o.admin, "/bagian tambah Humas")
        await o.onboard(o.writer, "penulis", "Humas")
        preview = await draft_to_preview(o)
        await o.press(o.writer, preview, "✅ Ajukan ke Kasubbag")
        assert "belum sampai ke Kasubbag" in o.writer.last_message.text
        assert "menunggu Kasubbag" in o.admin.last_message.text and "/undang" in o.admin.last_message.text
        # Once a Kasubbag is invited, the waiting item reaches them with its buttons.
        kasim = fake_telegram.user(2001, "Kasim")
        await o.onboard(kasim, "kasubbag")
        card = kasim.last_message
        assert "Pengajuan #1" in card.text and card.button_texts == [R.BTN_FORWARD, R.BTN_RETURN, "🏷 Kelas: Setiap saat ▾"]
