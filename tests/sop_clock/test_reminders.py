"""Reminders and escalation at the right moments, inside office hours only,
holidays skipped, and a restart that neither loses nor repeats a reminder.

November 2026: Monday 2, Tuesday 3 (a holiday in some tests), Wednesday 4.
Office hours 07:30-16:00 WIB; the Kasubbag's and the Kepala's standard is 30 min.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.workers.clock import run_now
from storage.models import AuditEvent, ReminderLog, Submission
from tests.flow.harness import draft_to_preview, running, staffed_office, submit_new
from tests.sop_clock.conftest import J
from texts.id import review as R

REMIND = "Pengingat — Pengajuan #"
REMIND_AGAIN = "Pengingat kedua — Pengajuan #"
ESCALATE = "tertahan"


def count(user, needle: str) -> int:
    return sum(1 for m in user.messages if needle in (m.text or ""))


async def sweep(o) -> None:
    await run_now(o.app)
    await o.tg.settle()


async def log_rows(o) -> list[ReminderLog]:
    async with o.app.bot_data["terbit"].sessions() as s:
        return list((await s.scalars(select(ReminderLog).order_by(ReminderLog.id))).all())


def job_names(o) -> set[str]:
    return {j.name for j in o.app.job_queue.jobs() if (j.name or "").startswith("sop:") and not j.removed}


async def test_reminder_past_the_standard_then_escalation_at_twice(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        ks, kp, admin = o.kasubbag, o.kepala, o.admin
        card = await submit_new(o)
        assert "⏱ 🟢" in card.text and "standar 30 menit" in card.text

        clock.set(J(2026, 11, 2, 9, 29))
        await sweep(o)
        assert count(ks, REMIND) == 0
        q = await o.say(ks, "/antrian")
        assert "🟡" in q.text  # 29 of 30 minutes: due soon

        clock.set(J(2026, 11, 2, 9, 31))
        await sweep(o)
        await sweep(o)  # a second sweep sends nothing more
        assert count(ks, REMIND) == 1
        reminder = next(m for m in ks.messages if REMIND in (m.text or ""))
        assert reminder.button_texts == [R.BTN_FORWARD, R.BTN_RETURN]
        assert "Terlambat 1 menit" in reminder.text
        assert count(admin, ESCALATE) == 0 and count(kp, ESCALATE) == 0
        q = await o.say(ks, "/antrian")
        assert "🔴" in q.text

        clock.set(J(2026, 11, 2, 10, 1))
        await sweep(o)
        assert count(ks, REMIND_AGAIN) == 1
        assert count(admin, ESCALATE) == 1  # the admin is told
        assert count(kp, ESCALATE) == 1  # and, for the Kasubbag's step, the Kepala
        assert count(o.writer, ESCALATE) == 0

        # Deciding from the reminder works and closes every open message of the item.
        again = next(m for m in ks.messages if REMIND_AGAIN in (m.text or ""))
        await o.press(ks, again, R.BTN_FORWARD)
        assert "menunggu persetujuan Kepala" in kp.last_message.text
        for m in (card, reminder, again):
            assert ks.tg.message(m.chat_id, m.message_id).button_texts not in (
                [R.BTN_FORWARD, R.BTN_RETURN],), "a decided item still offers decisions"
        # The Kepala's step starts its own clock; nothing more for the Kasubbag.
        clock.set(J(2026, 11, 2, 10, 20))
        await sweep(o)
        assert count(kp, REMIND) == 0 and count(ks, REMIND) + count(ks, REMIND_AGAIN) == 2
        clock.set(J(2026, 11, 2, 10, 32))
        await sweep(o)
        assert count(kp, REMIND) == 1
        kinds = [(r.kind, r.level, r.sent_at is not None) for r in await log_rows(o) if r.submission_id]
        assert ("review_kasubbag", 1, True) in kinds and ("review_kasubbag", 2, True) in kinds
        assert ("review_kepala", 1, True) in kinds and ("review_kepala", 2, False) in kinds


async def test_no_reminder_outside_office_hours_nor_on_a_holiday(make_office):
    # Submitted Monday 15:30: the 30 minutes end at closing time, 16:00.  Tuesday is a
    # holiday, so the reminder goes at the start of Wednesday's office hours.
    o, clock = make_office(J(2026, 11, 2, 15, 30), holidays=[date(2026, 11, 3)])
    async with running(o, clock=clock):
        await staffed_office(o)
        ks = o.kasubbag
        await submit_new(o)
        await o.tg.wait_until(lambda: "sop:1:1:review_kasubbag:1" in job_names(o), what="the reminder job")
        job = o.app.job_queue.get_jobs_by_name("sop:1:1:review_kasubbag:1")[0]
        assert job.data == J(2026, 11, 4, 7, 30)  # due Monday 16:00:01: scheduled for Wednesday's opening
        assert o.app.job_queue.get_jobs_by_name("sop:1:1:review_kasubbag:2")[0].data == J(2026, 11, 4, 8, 0, 1)

        for moment in (J(2026, 11, 2, 16, 5), J(2026, 11, 2, 23, 0), J(2026, 11, 3, 10, 0),
                       J(2026, 11, 4, 7, 29)):
            clock.set(moment)
            await sweep(o)
            assert count(ks, REMIND) == 0, moment
        q = await o.say(ks, "/antrian")
        assert "🟡" in q.text  # Monday 15:30-16:00 is 30 working minutes: not late yet

        clock.set(J(2026, 11, 4, 7, 30))
        await sweep(o)
        assert count(ks, REMIND) == 1
        assert count(o.admin, ESCALATE) == 0
        clock.set(J(2026, 11, 4, 8, 0))
        await sweep(o)
        assert count(o.admin, ESCALATE) == 0  # exactly twice the standard is not past it
        clock.set(J(2026, 11, 4, 8, 1))
        await sweep(o)
        assert count(o.admin, ESCALATE) == 1


async def test_weekend_reminder_waits_for_monday(make_office):
    o, clock = make_office(J(2026, 11, 6, 15, 50))  # Friday
    async with running(o, clock=clock):
        await staffed_office(o)
        await submit_new(o)
        clock.set(J(2026, 11, 7, 10, 0))  # Saturday
        await sweep(o)
        assert count(o.kasubbag, REMIND) == 0
        clock.set(J(2026, 11, 9, 7, 50))  # Monday: 10 + 20 working minutes
        await sweep(o)
        assert count(o.kasubbag, REMIND) == 0
        clock.set(J(2026, 11, 9, 7, 51))
        await sweep(o)
        assert count(o.kasubbag, REMIND) == 1


async def test_restart_rebuilds_jobs_and_neither_loses_nor_repeats(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        await submit_new(o)
        clock.set(J(2026, 11, 2, 9, 31))
        await sweep(o)
        assert count(o.kasubbag, REMIND) == 1

    # Restart: the pending escalation is scheduled again from the database; the sent one is not.
    async with running(o, clock=clock):
        assert job_names(o) >= {"sop:1:1:review_kasubbag:2"}
        assert "sop:1:1:review_kasubbag:1" not in job_names(o)
        await sweep(o)
        assert count(o.kasubbag, REMIND) == 1

    # Down while the escalation fell due: sent once the bot is back, by the rebuilt job itself.
    clock.set(J(2026, 11, 2, 10, 30))
    async with running(o, clock=clock):
        await o.tg.wait_until(lambda: count(o.admin, ESCALATE) == 1, what="the escalation after restart")
        await sweep(o)
        await o.tg.settle()
        assert count(o.kasubbag, REMIND_AGAIN) == 1

    async with running(o, clock=clock):
        await sweep(o)
        assert count(o.kasubbag, REMIND) == 1 and count(o.kasubbag, REMIND_AGAIN) == 1
        assert count(o.admin, ESCALATE) == 1 and count(o.kepala, ESCALATE) == 1
        rows = [r for r in await log_rows(o) if r.submission_id == 1]
        assert sorted((r.kind, r.level) for r in rows) == [("review_kasubbag", 1), ("review_kasubbag", 2)]
        assert all(r.sent_at is not None for r in rows)


async def test_returned_draft_reminder_then_warning_then_abandoned(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0), abandon_after_days=14, abandon_warning_days=3)
    async with running(o, clock=clock):
        await staffed_office(o)
        w, ks = o.writer, o.kasubbag
        card = await submit_new(o)
        clock.set(J(2026, 11, 2, 9, 5))
        await o.press(ks, card, R.BTN_RETURN)
        await o.say(ks, "Lengkapi data peserta.")
        # One working day (8.5 office hours) untouched: Tuesday 09:05.
        clock.set(J(2026, 11, 3, 9, 4))
        await sweep(o)
        assert count(w, "Pengingat ringan") == 0
        clock.set(J(2026, 11, 3, 9, 6))
        await sweep(o)
        assert count(w, "Pengingat ringan") == 1
        assert w.last_message.button_texts == [R.BTN_REVISE]

        # 11 days untouched: the warning (3 days before), then archived as abandoned.
        clock.set(J(2026, 11, 13, 9, 4))
        await sweep(o)
        assert count(w, "akan diarsipkan") == 0
        clock.set(J(2026, 11, 13, 9, 6))
        await sweep(o)
        assert count(w, "akan diarsipkan") == 1
        clock.set(J(2026, 11, 16, 9, 4))
        await sweep(o)
        assert count(w, "karena lama tidak disentuh") == 0
        clock.set(J(2026, 11, 16, 9, 6))
        await sweep(o)
        assert count(w, "karena lama tidak disentuh") == 1
        async with o.app.bot_data["terbit"].sessions() as s:
            sub = await s.get(Submission, 1)
            assert sub is not None and sub.state == "ditinggalkan"  # archived, never deleted
            last = (await s.scalars(select(AuditEvent).where(AuditEvent.submission_id == 1)
                                    .order_by(AuditEvent.id.desc()).limit(1))).first()
            assert (last.action, last.role, last.actor_id) == ("tinggalkan", "sistem", None)
        clock.set(J(2026, 11, 17, 9, 0))
        await sweep(o)
        assert count(w, "karena lama tidak disentuh") == 1


async def test_touching_a_draft_after_the_warning_restarts_its_clock(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0), abandon_after_days=14, abandon_warning_days=3)
    async with running(o, clock=clock):
        await staffed_office(o)
        await draft_to_preview(o)
        clock.set(J(2026, 11, 13, 9, 1))
        await sweep(o)
        assert count(o.writer, "akan diarsipkan") == 1
        # The writer comes back (any change saves the draft) ...
        m = await o.say(o.writer, "/draf")
        m = await o.press(o.writer, m, m.button_texts[0])
        clock.set(J(2026, 11, 16, 9, 30))
        await sweep(o)
        async with o.app.bot_data["terbit"].sessions() as s:
            assert (await s.get(Submission, 1)).state == "draf"
        # ... and is warned afresh eleven days after that touch.
        clock.set(J(2026, 11, 24, 9, 5))
        await sweep(o)
        assert count(o.writer, "akan diarsipkan") == 2
