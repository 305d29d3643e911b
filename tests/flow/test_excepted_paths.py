"""UU 14/2008 Pasal 17 on every path: information classed *dikecualikan* never moves toward
the website, whichever button, typed time, correction, update or retry leads there.

The class is set with the same use case the 🏷 Kelas buttons call (``services.writing.kip.set_class``),
as the person the item waits for; everything after that is pressed and typed as people do."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from domain.kip import KipClass
from domain.sop_clock import FrozenClock
from domain.workflow import State
from handlers.context import terbit
from services.website.outbox import EXCEPTED_REFUSED
from services.writing import kip
from storage.models import AuditEvent, PublicationJob, Submission
from tests.flow.harness import Office, make_settings, running, staffed_office, submit_new, with_button
from tests.flow.test_after_publication import publish_one
from texts.id import drafting as D
from texts.id import kip as K
from texts.id import review as R

JKT = ZoneInfo("Asia/Jakarta")
EXCEPTED = KipClass.DIKECUALIKAN


async def classed(office: Office, who, sid: int, cls: KipClass = EXCEPTED) -> None:
    """The person the item waits for sets its class (what the 🏷 Kelas button does)."""
    t = terbit(office.app)
    await kip.set_class(t.sessions, telegram_id=who.id, submission_id=sid, kip_class=cls, now=t.now())


async def state_of(office: Office, sid: int) -> State:
    async with terbit(office.app).sessions() as s:
        sub = await s.get(Submission, sid)
        return State(sub.state)


async def publish_jobs(office: Office) -> int:
    async with terbit(office.app).sessions() as s:
        return await s.scalar(select(func.count()).select_from(PublicationJob)) or 0


async def decisions(office: Office, sid: int) -> list[str]:
    async with terbit(office.app).sessions() as s:
        return [str(a) for a in (await s.scalars(select(AuditEvent.action).where(
            AuditEvent.submission_id == sid).order_by(AuditEvent.id))).all()]


def pages(office: Office) -> list:
    return list((office.settings.site_dir / "artikel").glob("*/index.html"))


def refused_popup(user) -> None:
    answer = user.callback_answers[-1]
    assert answer["text"] == K.EXCEPTED_POPUP and answer["show_alert"], answer


async def at_kepala(office: Office) -> tuple[int, object]:
    card = await submit_new(office)
    sid = int(card.text.split("#", 1)[1].split()[0])
    await office.press(office.kasubbag, card, R.BTN_FORWARD)
    return sid, office.kepala.last_message


async def test_setujui_and_terbitkan_refuses_excepted_information(office):
    kp, w = office.kepala, office.writer
    sid, card = await at_kepala(office)
    await classed(office, kp, sid)
    await office.press(kp, card, R.BTN_APPROVE)
    refused_popup(kp)
    assert await state_of(office, sid) is State.WAIT_KEPALA and await publish_jobs(office) == 0
    assert "setujui" not in await decisions(office, sid)
    assert R.BTN_APPROVE in kp.tg.message(kp.chat_id, card.message_id).button_texts  # nothing was decided
    # Another class, and the same card goes on.
    await classed(office, kp, sid, KipClass.BERKALA)
    await office.press(kp, card, R.BTN_APPROVE)
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    await office.tg.settle()
    assert len(pages(office)) == 1


@pytest.fixture
def clocked_office(fake_telegram, tmp_path):
    settings = make_settings(fake_telegram, tmp_path / "data", reminder_poll_seconds=3600)
    return Office(fake_telegram, settings), FrozenClock(datetime(2026, 12, 1, 9, 0, tzinfo=JKT))


async def test_setujui_and_jadwalkan_refuses_it_at_the_button_at_the_choice_and_for_a_typed_time(clocked_office):
    """The path the Kepala found: refused by Setujui & Terbitkan, let through by its sibling."""
    o, clock = clocked_office
    async with running(o, clock=clock):
        await staffed_office(o)
        kp, w = o.kepala, o.writer
        sid, card = await at_kepala(o)
        await classed(o, kp, sid)
        asked = len(kp.messages)
        await o.press(kp, card, R.BTN_SCHEDULE)
        refused_popup(kp)
        assert len(kp.messages) == asked  # no choices offered
        # The class changes after the choices were shown: the choice itself is refused.
        await classed(o, kp, sid, KipClass.SETIAP_SAAT)
        choices = await o.press(kp, card, R.BTN_SCHEDULE)
        assert R.BTN_TOMORROW in choices.button_texts
        await classed(o, kp, sid)
        await o.press(kp, choices, R.BTN_TOMORROW)
        refused_popup(kp)
        # ... and so is a typed time.
        await o.press(kp, with_button(kp, R.BTN_TYPE_WHEN), R.BTN_TYPE_WHEN)
        typed = await o.say(kp, "3-12-2026 09.00")
        assert typed.text == K.EXCEPTED_POPUP
        await o.tg.settle()
        assert await state_of(o, sid) is State.WAIT_KEPALA and await publish_jobs(o) == 0
        assert not any("dijadwalkan terbit" in (m.text or "") for m in kp.messages + w.messages)
        assert R.POPUP_SCHEDULED not in [x["text"] for x in kp.callback_answers]
        assert "setujui" not in await decisions(o, sid)


async def test_a_correction_then_approval_is_refused_for_excepted_information(office):
    kp = office.kepala
    sid, card = await at_kepala(office)
    menu = await office.press(kp, card, R.BTN_CORRECT)
    await office.press(kp, menu, R.BTN_CORRECT_TITLE)
    preview = await office.say(kp, "Rapat Koordinasi Program Kerja Tahun 2027")
    await office.press(kp, preview, R.BTN_CORRECT_SAVE)
    new_card = kp.last_message
    assert R.BTN_APPROVE in new_card.button_texts
    await classed(office, kp, sid)
    await office.press(kp, new_card, R.BTN_APPROVE)
    refused_popup(kp)
    assert await state_of(office, sid) is State.WAIT_KEPALA and await publish_jobs(office) == 0
    assert (await decisions(office, sid))[-1] == "koreksi"


async def test_an_update_of_a_live_article_cannot_take_excepted_information_out(office):
    w, ks = office.writer, office.kasubbag
    sid = await publish_one(office)
    live = pages(office)
    jobs = await publish_jobs(office)
    # The writer classes the update as excepted: it cannot be submitted.
    preview = await office.say(w, f"/perbarui {sid}")
    await classed(office, w, sid)
    await office.press(w, preview, D.BTN_SUBMIT)
    assert w.callback_answers[-1]["text"] == K.EXCEPTED_POPUP_WRITER
    assert await state_of(office, sid) is State.DRAFT
    # Submitted as publishable, then classed excepted by the Kasubbag: it cannot be forwarded.
    await classed(office, w, sid, KipClass.SETIAP_SAAT)
    await office.press(w, with_button(w, D.BTN_SUBMIT), D.BTN_SUBMIT)
    card = ks.last_message
    assert "menunggu pemeriksaan Kasubbag" in card.text
    await classed(office, ks, sid)
    await office.press(ks, card, R.BTN_FORWARD)
    refused_popup(ks)
    assert await state_of(office, sid) is State.WAIT_KASUBBAG
    assert await publish_jobs(office) == jobs and pages(office) == live  # the live version stays as it was


async def test_the_outbox_refuses_excepted_information_and_so_does_its_retry(clocked_office):
    """Defence in depth: were an excepted item ever approved (a rule bypassed, a database edited
    by hand), the outbox publishes nothing, the admins are told why, and Coba lagi refuses again."""
    o, clock = clocked_office
    async with running(o, clock=clock):
        await staffed_office(o)
        kp, a = o.kepala, o.admin
        sid, card = await at_kepala(o)
        choices = await o.press(kp, card, R.BTN_SCHEDULE)
        await o.press(kp, choices, R.BTN_TOMORROW)
        assert await state_of(o, sid) is State.APPROVED
        async with terbit(o.app).sessions.begin() as s:  # what no path of Terbit's can do
            (await s.get(Submission, sid)).kip_class = EXCEPTED
        clock.set(datetime(2026, 12, 2, 8, 0, tzinfo=JKT))
        await terbit(o.app).outbox.run_due()
        alert = await a.wait_for_message(lambda m: "Pasal 17" in (m.text or ""), timeout=15)
        assert [t for row in alert.buttons for t, _ in row] == [R.BTN_RETRY]
        assert not pages(o) and await state_of(o, sid) is State.APPROVED
        async with terbit(o.app).sessions() as s:
            jobs = (await s.scalars(select(PublicationJob))).all()
        assert all(j.state.value == "failed" and j.last_error == EXCEPTED_REFUSED for j in jobs if j.stage == 0)
        await o.press(a, alert, R.BTN_RETRY)
        await terbit(o.app).outbox.run_due()
        await o.tg.settle()
        assert not pages(o) and await state_of(o, sid) is State.APPROVED
        assert "terbitkan" not in await decisions(o, sid)
        assert not any("Terbit:" in (m.text or "") for m in o.writer.messages + a.messages)
