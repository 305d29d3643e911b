"""Setujui & jadwalkan and "berlaku sampai", as the Kepala, the writer and the admin live
them: nothing goes live before the chosen moment, everyone hears "Terbit" when it does, a
schedule can be moved or taken back; an announcement past its end is withdrawn by itself,
archived as expired, and the admin is told; a restart in between keeps both."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.workers import clock as reminders
from domain.sop_clock import FrozenClock
from storage.models import PublicationJob, Submission
from tests.flow.harness import (
    Office,
    draft_to_preview,
    make_settings,
    running,
    staffed_office,
    submit_new,
    with_button,
)
from texts.id import drafting as D
from texts.id import review as R

pytestmark = pytest.mark.asyncio
JKT = ZoneInfo("Asia/Jakarta")
LIVE = "Terbit:"


def J(*args) -> datetime:
    """A moment in Jakarta (WIB)."""
    return datetime(*args, tzinfo=JKT)


@pytest.fixture
def make_office(fake_telegram, tmp_path):
    def make(start: datetime) -> tuple[Office, FrozenClock]:
        settings = make_settings(fake_telegram, tmp_path / "data", reminder_poll_seconds=3600)
        return Office(fake_telegram, settings), FrozenClock(start)
    return make


def heard(user, text: str) -> int:
    return sum(text in (m.text or "") for m in user.messages)


async def to_kepala(o: Office):
    """A submission forwarded to the Kepala; returns the Kepala's card."""
    card = await submit_new(o)
    await o.press(o.kasubbag, card, R.BTN_FORWARD)
    return o.kepala.last_message


async def type_when(o: Office, card, text: str):
    """Setujui & jadwalkan, then Ketik tanggal & jam, then the text."""
    kp = o.kepala
    m = await o.press(kp, card, R.BTN_SCHEDULE)
    m = await o.press(kp, m, R.BTN_TYPE_WHEN)
    assert "3-12-2026 09.00" in m.text and "WIB" in m.text
    return await o.say(kp, text)


def decided_card(o: Office, card):
    """The Kepala's card as it reads now (edited in place)."""
    return next(m for m in o.kepala.messages if m.message_id == card.message_id)


async def published_state(o: Office) -> str:
    async with o.app.bot_data["terbit"].sessions() as s:
        return (await s.scalars(select(Submission))).unique().one().state.value


async def run_outbox_at(o: Office, clock: FrozenClock, at: datetime) -> None:
    """Time passes to ``at``; the outbox's next poll runs what is due."""
    clock.set(at)
    await o.tg.settle()
    await o.app.bot_data["terbit"].outbox.run_due()
    await o.tg.settle()


async def test_typed_schedule_waits_then_goes_live_and_everyone_hears(make_office):
    o, clock = make_office(J(2026, 12, 1, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        w, kp = o.writer, o.kepala
        card = await to_kepala(o)
        assert card.button_texts[:2] == [R.BTN_APPROVE, R.BTN_SCHEDULE]
        m = await type_when(o, card, "1/12/2026 08.00")
        assert m.text == R.WHEN_PAST  # this morning has passed
        m = await o.say(kp, "besok pagi")
        assert m.text == R.WHEN_UNREADABLE
        m = await o.say(kp, "3-12-2026 09.00")
        assert "Kamis, 3 Desember 2026 pukul 09.00 WIB" in m.text
        await o.tg.settle()
        decided = [x for x in kp.messages if "✅ Disetujui, terbit" in (x.text or "")]
        assert decided and "✅ Disetujui, terbit Kamis, 3 Desember 2026 pukul 09.00 WIB" in decided[-1].text
        assert not decided[-1].button_texts
        told = await w.wait_for_message(lambda x: "dijadwalkan terbit" in (x.text or ""), timeout=10)
        assert "Kamis, 3 Desember 2026 pukul 09.00 WIB" in told.text
        # The next day, and a minute before the time: nothing is live.
        await run_outbox_at(o, clock, J(2026, 12, 2, 10, 0))
        await run_outbox_at(o, clock, J(2026, 12, 3, 8, 59))
        assert await published_state(o) == "disetujui"
        assert heard(w, LIVE) == 0 and not list((o.settings.site_dir / "artikel").glob("*/index.html"))
        # /antrian shows the Kepala what is scheduled.
        q = await o.say(kp, "/antrian")
        assert "Terjadwal terbit" in q.text and "Kamis, 3 Desember 2026 pukul 09.00 WIB" in q.text
        # ... and /terbitan shows each target waiting for that time.
        pubs = await o.say(o.admin, "/terbitan")
        assert "dijadwalkan terbit Kamis, 3 Desember 2026 pukul 09.00 WIB" in pubs.text
        await run_outbox_at(o, clock, J(2026, 12, 3, 9, 0))
        await w.wait_for_message(lambda x: LIVE in (x.text or ""), timeout=10)
        await o.admin.wait_for_message(lambda x: LIVE in (x.text or ""), timeout=10)
        assert await published_state(o) == "terbit"
        assert len(list((o.settings.site_dir / "artikel").glob("*/index.html"))) == 1


async def test_quick_choice_moved_after_a_restart(make_office):
    o, clock = make_office(J(2026, 12, 4, 14, 0))  # a Friday: the next working day is Monday
    async with running(o, clock=clock):
        await staffed_office(o)
        card = await to_kepala(o)
        choices = await o.press(o.kepala, card, R.BTN_SCHEDULE)
        assert choices.button_texts[:2] == [R.BTN_TOMORROW, "Senin 08.00"]
        await o.press(o.kepala, choices, R.BTN_TYPE_WHEN)  # asked to type, then picks a quick choice instead
        m = await o.press(o.kepala, with_button(o.kepala, "Senin 08.00"), "Senin 08.00")
        assert "Senin, 7 Desember 2026 pukul 08.00 WIB" in m.text
        await o.tg.settle()
        assert decided_card(o, card).text.endswith(R.DONE_SCHEDULED.format(when="Senin, 7 Desember 2026 pukul 08.00 WIB"))
    # The bot restarts; the schedule is in the database.
    async with running(o, clock=clock):
        q = await o.say(o.admin, "/antrian")
        assert "Senin, 7 Desember 2026 pukul 08.00 WIB" in q.text
        choices = await o.press(o.admin, q, R.BTN_MOVE.format(id=1))
        asked = await o.press(o.admin, choices, R.BTN_TYPE_WHEN)
        m = await o.say(o.admin, "8/12 10:30")
        assert "Selasa, 8 Desember 2026 pukul 10.30 WIB" in m.text
        moved = await o.writer.wait_for_message(lambda x: "diubah oleh Ani Admin" in (x.text or ""), timeout=10)
        assert "Selasa, 8 Desember 2026 pukul 10.30 WIB" in moved.text
        # The Kepala's decided card says the new moment; the list and the questions used lose their buttons.
        await o.tg.settle()
        text = decided_card(o, card).text
        assert text.endswith(R.DONE_SCHEDULED.format(when="Selasa, 8 Desember 2026 pukul 10.30 WIB"))
        assert "Senin" not in text and not decided_card(o, card).button_texts
        for used in (q, choices, asked):
            assert not o.admin.buttons(used.message_id), used.text
        # A quick choice moves it back: the card follows again.
        q = await o.say(o.kepala, "/antrian")
        choices = await o.press(o.kepala, q, R.BTN_MOVE.format(id=1))
        await o.press(o.kepala, choices, "Senin 08.00")
        await o.tg.settle()
        assert decided_card(o, card).text.endswith(
            R.DONE_SCHEDULED.format(when="Senin, 7 Desember 2026 pukul 08.00 WIB"))
        assert not o.kepala.buttons(q.message_id) and not o.kepala.buttons(choices.message_id)
        q = await o.say(o.kepala, "/antrian")
        choices = await o.press(o.kepala, q, R.BTN_MOVE.format(id=1))
        m = await o.press(o.kepala, choices, R.BTN_TYPE_WHEN)
        m = await o.say(o.kepala, "8/12 10:30")
        assert "Selasa, 8 Desember 2026 pukul 10.30 WIB" in m.text
        await run_outbox_at(o, clock, J(2026, 12, 7, 8, 1))
        assert await published_state(o) == "disetujui"
    async with running(o, clock=clock):
        await run_outbox_at(o, clock, J(2026, 12, 8, 10, 30))
        await o.writer.wait_for_message(lambda x: LIVE in (x.text or ""), timeout=10)
        assert await published_state(o) == "terbit"


async def test_cancelled_schedule_waits_for_the_kepala_again(make_office):
    o, clock = make_office(J(2026, 12, 1, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        kp = o.kepala
        card = await to_kepala(o)
        m = await o.press(kp, card, R.BTN_SCHEDULE)
        await o.press(kp, m, R.BTN_TOMORROW)
        await o.tg.settle()
        assert "✅ Disetujui, terbit Rabu, 2 Desember 2026 pukul 08.00 WIB" in decided_card(o, card).text
        listing = await o.say(kp, "/antrian")
        older = await o.say(kp, "/antrian")  # a second list, kept open
        await o.press(kp, listing, R.BTN_UNSCHEDULE.format(id=1))
        await o.tg.settle()
        assert any(x.text == R.UNSCHEDULED.format(id=1) for x in kp.messages)
        # The decided card no longer promises a moment; the list used loses its buttons.
        text = decided_card(o, card).text
        assert text.endswith(R.DONE_UNSCHEDULED.format(name="Kartini Kepala")) and "Disetujui, terbit" not in text
        assert not kp.buttons(listing.message_id) and kp.buttons(older.message_id)
        await o.writer.wait_for_message(lambda x: "dibatalkan oleh Kartini Kepala" in (x.text or ""), timeout=10)
        assert await published_state(o) == "menunggu_kepala"
        async with o.app.bot_data["terbit"].sessions() as s:
            assert not (await s.scalars(select(PublicationJob))).all()
        new_card = with_button(kp, R.BTN_APPROVE)  # a fresh card: decide again
        assert new_card.message_id != card.message_id
        q = await o.say(kp, "/antrian")
        assert "Terjadwal" not in q.text
        await o.press(kp, new_card, R.BTN_APPROVE)
        await o.writer.wait_for_message(lambda x: LIVE in (x.text or ""), timeout=10)
        # A "Batalkan jadwal" on the older list, after it went live, changes nothing.
        await o.press(kp, older, R.BTN_UNSCHEDULE.format(id=1))
        assert kp.callback_answers[-1]["text"] == R.SCHEDULE_GONE.format(id=1)
        assert await published_state(o) == "terbit"


async def test_an_announcement_expires_after_a_restart_and_the_admin_is_told(make_office):
    o, clock = make_office(J(2026, 12, 1, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        w, ks, kp = o.writer, o.kasubbag, o.kepala
        preview = await draft_to_preview(o, title="Penutupan Sementara Layanan Loket", kind="📢 Pengumuman")
        m = await o.press(w, preview, D.BTN_EXPIRY)
        assert "Sampai kapan" in m.text
        m = await o.say(w, "30/11/2026")
        assert m.text == D.EXPIRY_PAST
        m = await o.say(w, "5 Desember")
        assert m.text == D.EXPIRY_UNREADABLE
        m = await o.say(w, "5-12-2026")
        assert "Berlaku sampai: Sabtu, 5 Desember 2026 pukul 23.59 WIB" in m.text
        await o.press(w, with_button(w, "✅ Ajukan ke Kasubbag"), "✅ Ajukan ke Kasubbag")
        assert "Berlaku sampai: Sabtu, 5 Desember 2026 pukul 23.59 WIB" in ks.last_message.text
        await o.press(ks, ks.last_message, R.BTN_FORWARD)
        assert "Berlaku sampai: Sabtu, 5 Desember 2026 pukul 23.59 WIB" in kp.last_message.text
        await o.press(kp, kp.last_message, R.BTN_APPROVE)
        await w.wait_for_message(lambda x: LIVE in (x.text or ""), timeout=10)
        await reminders.run_now(o.app)  # the SOP clock's sweep, before the end: nothing happens
        assert await published_state(o) == "terbit"
    # The bot restarts; the end date is in the database.
    async with running(o, clock=clock):
        clock.set(J(2026, 12, 5, 23, 58))
        await reminders.run_now(o.app)
        assert await published_state(o) == "terbit"
        clock.set(J(2026, 12, 6, 0, 0))
        await reminders.run_now(o.app)
        await o.app.bot_data["terbit"].outbox.run_due()
        told = await o.admin.wait_for_message(lambda x: "masa berlakunya habis" in (x.text or ""), timeout=10)
        assert "Sabtu, 5 Desember 2026 pukul 23.59 WIB" in told.text
        await o.admin.wait_for_message(lambda x: "ditarik" in (x.text or "").lower() and x is not told, timeout=10)
        assert heard(w, "masa berlakunya habis") == 1
        assert await published_state(o) == "ditarik"
        await reminders.run_now(o.app)  # a second sweep withdraws nothing twice
        assert heard(o.admin, "masa berlakunya habis") == 1
    marker = next(o.settings.archive_dir.rglob("DITARIK.json")).read_text()
    assert "Kedaluwarsa: berlaku sampai Sabtu, 5 Desember 2026 pukul 23.59 WIB" in marker
    assert not list((o.settings.site_dir / "artikel").glob("*/index.html"))


async def test_expiry_runs_with_reminders_and_monthly_report_off(fake_telegram, tmp_path):
    settings = make_settings(fake_telegram, tmp_path / "data", reminders_enabled=False,
                             monthly_report_enabled=False, reminder_poll_seconds=0.3)
    o, clock = Office(fake_telegram, settings), FrozenClock(J(2026, 12, 1, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        w = o.writer
        preview = await draft_to_preview(o, title="Libur Layanan Akhir Tahun", kind="📢 Pengumuman")
        await o.press(w, preview, D.BTN_EXPIRY)
        m = await o.say(w, "2/12 12.00")
        assert "Berlaku sampai: Rabu, 2 Desember 2026 pukul 12.00 WIB" in m.text
        await o.press(w, with_button(w, "✅ Ajukan ke Kasubbag"), "✅ Ajukan ke Kasubbag")
        await o.press(o.kasubbag, o.kasubbag.last_message, R.BTN_FORWARD)
        await o.press(o.kepala, o.kepala.last_message, R.BTN_APPROVE)
        await w.wait_for_message(lambda x: LIVE in (x.text or ""), timeout=10)
        clock.set(J(2026, 12, 2, 12, 0))
        told = await o.admin.wait_for_message(lambda x: "masa berlakunya habis" in (x.text or ""), timeout=10)
        assert "Rabu, 2 Desember 2026 pukul 12.00 WIB" in told.text
        await o.tg.wait_until(lambda: not list((o.settings.site_dir / "artikel").glob("*/index.html")),
                              what="the page taken down")
        assert await published_state(o) == "ditarik"
