"""Plh / Plt: routing inside and outside the range, the audit trail, refusals."""
from __future__ import annotations

from sqlalchemy import select

from bot.workers.clock import run_now
from handlers.ops import Op
from storage.models import AuditEvent, Person
from tests.flow.harness import running, staffed_office, submit_new
from tests.sop_clock.conftest import J
from texts.id import acting as A
from texts.id import common as C
from texts.id import review as R

PLH_ID = 4001


def sid_of(card) -> int:
    return int(card.text.split("#", 1)[1].split()[0])


async def test_plh_receives_and_decides_only_inside_the_range(make_office):
    # Reminders off: this test is about routing, not about the clock's nudges.
    o, clock = make_office(J(2026, 11, 2, 9, 0), reminders_enabled=False)
    async with running(o, clock=clock):
        await staffed_office(o)
        ks, kp = o.kasubbag, o.kepala
        plh = o.tg.user(PLH_ID, "Pandu Plh", "pandu")
        await o.onboard(plh, "penulis", "Humas")
        card = await submit_new(o)
        sid = sid_of(card)
        await o.press(ks, card, R.BTN_FORWARD)
        kp_card = kp.last_message
        assert "menunggu persetujuan Kepala" in kp_card.text

        # Refused: naming oneself, and (below) an overlapping range.
        m = await o.say(kp, "/plh @kartini 2026-11-03 2026-11-05")
        assert m.text == A.ERRORS["acting_self"]
        m = await o.say(kp, "/plh @pandu 2026-11-03 2026-11-05")
        assert "Pandu Plh ditunjuk sebagai Plh Kepala" in m.text
        assert "Anda ditunjuk sebagai Plh Kepala" in plh.last_message.text
        m = await o.say(kp, "/plh @kasim 04/11/2026 s.d. 06/11/2026")
        assert "bertumpang tindih" in m.text
        m = await o.say(o.writer, "/plh @pandu 2026-11-03 2026-11-05")
        assert m.text == A.ERRORS["acting_forbidden"]

        # Before the range: no card, no queue, and a forged button is refused at press time.
        assert not any(f"#{sid}" in (x.text or "") and R.BTN_APPROVE in x.button_texts for x in plh.messages)
        assert (await o.say(plh, "/antrian")).text == R.QUEUE_EMPTY
        codec = o.app.bot_data["terbit"].codec
        rid = int(codec.decode(kp_card.buttons[0][0][1]).args[1])
        await plh.press_raw(kp_card, codec.encode(Op.APPROVE, sid, rid))
        await o.tg.settle()
        assert plh.callback_answers[-1]["text"] == C.NOT_ALLOWED

        # The range starts: what already waits is re-sent to the Plh (once).
        clock.set(J(2026, 11, 3, 7, 45))
        await run_now(o.app)
        await o.tg.settle()
        await run_now(o.app)
        await o.tg.settle()
        plh_cards = [x for x in plh.messages if f"Pengajuan #{sid}" in (x.text or "") and x.button_texts]
        assert len(plh_cards) == 1
        assert "Mulai hari ini Anda Plh Kepala menggantikan Kartini Kepala. 1 pengajuan" in plh.last_message.text
        assert f"#{sid}" in (await o.say(plh, "/antrian")).text

        # A new item waits for the Kepala's role: it goes to the Plh, not to the absent Kepala.
        before = len(kp.messages)
        card2 = await submit_new(o, title="Pengumuman Jadwal Pelayanan Publik")
        sid2 = sid_of(card2)
        await o.press(ks, card2, R.BTN_FORWARD)
        assert f"Pengajuan #{sid2}" in plh.last_message.text
        assert not any(f"Pengajuan #{sid2}" in (x.text or "") for x in kp.messages[before:])

        # The Plh decides; the audit trail says for whom.
        await o.press(plh, plh_cards[0], R.BTN_APPROVE)
        assert plh.callback_answers[-1]["text"] == R.POPUP_APPROVED
        decided = o.tg.message(plh.chat_id, plh_cards[0].message_id)
        # The approval wakes the outbox at once: by the time the card is drawn it may be live already.
        assert "✅ Disetujui oleh Pandu Plh sebagai Plh Kartini Kepala" in decided.text
        assert "sedang diterbitkan" in decided.text or "🌐 Terbit" in decided.text
        async with o.app.bot_data["terbit"].sessions() as s:
            kartini = await s.scalar(select(Person).where(Person.telegram_id == kp.id))
            ev = await s.scalar(select(AuditEvent).where(AuditEvent.submission_id == sid,
                                                         AuditEvent.action == "setujui"))
            assert ev.acting_for_id == kartini.id and ev.role == "kepala"
        await o.writer.wait_for_message(lambda x: "Terbit:" in (x.text or ""), timeout=15)
        await o.tg.settle()
        hist = await o.say(plh, f"/riwayat {sid}")
        assert "(sebagai Plh Kartini Kepala)" in hist.text
        assert "Sistem menerbitkan" in hist.text and "Sistem (Sistem)" not in hist.text  # said once

        # After the range: the Plh may no longer decide, and new items go to the Kepala again.
        clock.set(J(2026, 11, 6, 9, 0))
        p2 = next(x for x in plh.messages if f"Pengajuan #{sid2}" in (x.text or "") and x.button_texts)
        await o.press(plh, p2, R.BTN_APPROVE)
        assert plh.callback_answers[-1]["text"] == C.NOT_ALLOWED
        card3 = await submit_new(o, title="Laporan Kegiatan Bakti Sosial Kantor")
        await o.press(ks, card3, R.BTN_FORWARD)
        assert f"Pengajuan #{sid_of(card3)}" in kp.last_message.text
        assert f"Pengajuan #{sid_of(card3)}" not in (plh.last_message.text or "")


async def test_plh_guided_with_buttons_starts_today(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0), reminders_enabled=False)
    async with running(o, clock=clock):
        await staffed_office(o)
        ks = o.kasubbag
        plh = o.tg.user(PLH_ID, "Pandu Plh", "pandu")
        await o.onboard(plh, "penulis", "Humas")
        card = await submit_new(o)
        m = await o.say(ks, "/plh")
        assert A.LIST_EMPTY in m.text
        m = await o.press(ks, m, A.BTN_NEW)
        assert "Siapa yang menjadi Plh Kasubbag" in m.text
        assert "Kasim Kasubbag" not in m.button_texts  # not oneself
        m = await o.press(ks, m, "Pandu Plh")
        m = await o.press(ks, m, "3 hari")
        assert "Pandu Plh ditunjuk sebagai Plh Kasubbag" in ks.last_message.text
        started = next(x.text for x in plh.messages if "Mulai hari ini Anda Plh" in (x.text or ""))
        assert "1 pengajuan yang sedang menunggu dikirim ulang" in started
        assert "2 November 2026 – 4 November 2026" in ks.last_message.text
        # It starts today: the waiting item is re-sent at once, and the Plh can forward it.
        plh_card = next(x for x in plh.messages if f"Pengajuan #{sid_of(card)}" in (x.text or "") and x.button_texts)
        await o.press(plh, plh_card, R.BTN_FORWARD)
        assert plh.callback_answers[-1]["text"] == R.POPUP_FORWARDED
        assert "menunggu persetujuan Kepala" in o.kepala.last_message.text
        m = await o.say(ks, "/plh")
        assert "Pandu Plh sebagai Plh Kasubbag" in m.text
        m = await o.press(ks, m, "✖️ Batalkan Plh Pandu Plh")
        assert "dibatalkan" in ks.last_message.text and "dibatalkan" in plh.last_message.text


async def test_a_plh_named_when_nothing_waits_is_not_told_of_zero(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0), reminders_enabled=False)
    async with running(o, clock=clock):
        await staffed_office(o)
        plh = o.tg.user(PLH_ID, "Pandu Plh", "pandu")
        await o.onboard(plh, "penulis", "Humas")
        m = await o.say(o.kasubbag, "/plh")
        m = await o.press(o.kasubbag, m, A.BTN_NEW)
        m = await o.press(o.kasubbag, m, "Pandu Plh")
        await o.press(o.kasubbag, m, "3 hari")
        started = next(x.text for x in plh.messages if "Mulai hari ini Anda Plh" in (x.text or ""))
        assert started == ("👤 Mulai hari ini Anda Plh Kasubbag Perencanaan, IT dan Pelaporan menggantikan Kasim Kasubbag. "
                           "Saat ini tidak ada pengajuan yang menunggu.")
