"""Each reminder level at its own moment, never bunched: the first just past the
standard, the second and the escalation just past twice the standard; a sweep
that finds both due (downtime, or office hours holding both back) sends only
the newest.  Time is held still by a FrozenClock; the Kasubbag is the one waited for.
"""
from __future__ import annotations

from datetime import timedelta

from bot.workers.clock import run_now
from tests.flow.harness import running, staffed_office, submit_new
from tests.sop_clock.conftest import J
from tests.sop_clock.test_reminders import ESCALATE, REMIND, REMIND_AGAIN, count, log_rows


async def sweep_at(o, clock, moment) -> None:
    clock.set(moment)
    await run_now(o.app)
    await o.tg.settle()


async def test_first_reminder_at_the_standard_second_and_escalation_at_twice_it(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        ks, admin = o.kasubbag, o.admin
        await submit_new(o)
        # One job per level, each scheduled for its own moment (the poll is only the safety net).
        jobs = {j.name: j.data for j in o.app.job_queue.jobs() if (j.name or "").startswith("sop:1:")}
        assert jobs["sop:1:1:review_kasubbag:1"] == J(2026, 11, 2, 9, 30, 1)
        assert jobs["sop:1:1:review_kasubbag:2"] == J(2026, 11, 2, 10, 0, 1)

        await sweep_at(o, clock, J(2026, 11, 2, 9, 30))
        assert count(ks, REMIND) == 0  # exactly the standard is not late yet
        await sweep_at(o, clock, J(2026, 11, 2, 9, 30, 1))
        assert count(ks, REMIND) == 1 and count(ks, REMIND_AGAIN) == 0 and count(admin, ESCALATE) == 0
        first = next(m for m in ks.messages if REMIND in (m.text or ""))
        assert "🔴 Terlambat < 1 menit (standar 30 menit)" in first.text

        await sweep_at(o, clock, J(2026, 11, 2, 10, 0))
        assert count(ks, REMIND_AGAIN) == 0 and count(admin, ESCALATE) == 0
        await sweep_at(o, clock, J(2026, 11, 2, 10, 0, 1))
        assert count(ks, REMIND) == 1 and count(ks, REMIND_AGAIN) == 1 and count(admin, ESCALATE) == 1


async def test_short_standards_keep_the_levels_apart(make_office):
    # A three-second standard (an office trying Terbit out): the levels are three seconds
    # apart, as the standard says, not a minute late and bunched together.
    o, clock = make_office(J(2026, 11, 2, 9, 0), standard_review_kasubbag_minutes=0.05)
    async with running(o, clock=clock):
        await staffed_office(o)
        ks, admin = o.kasubbag, o.admin
        await submit_new(o)
        await sweep_at(o, clock, J(2026, 11, 2, 9, 0, 4))
        assert count(ks, REMIND) == 1 and count(ks, REMIND_AGAIN) == 0 and count(admin, ESCALATE) == 0
        await sweep_at(o, clock, J(2026, 11, 2, 9, 0, 7))
        assert count(ks, REMIND_AGAIN) == 1 and count(admin, ESCALATE) == 1
        await sweep_at(o, clock, J(2026, 11, 2, 9, 5))
        assert count(ks, REMIND) + count(ks, REMIND_AGAIN) == 2 and count(admin, ESCALATE) == 1


async def test_after_downtime_only_the_newest_level_is_sent(make_office):
    o, clock = make_office(J(2026, 11, 2, 9, 0))
    async with running(o, clock=clock):
        await staffed_office(o)
        await submit_new(o)
    # The bot was down from 09:05 to 10:30: both levels fell due meanwhile.
    clock.set(J(2026, 11, 2, 10, 30))
    async with running(o, clock=clock):
        ks, admin = o.kasubbag, o.admin
        await o.tg.wait_until(lambda: count(admin, ESCALATE) == 1, what="the escalation after the restart")
        await sweep_at(o, clock, J(2026, 11, 2, 10, 31))
        # One reminder, the one that says where the item stands now; not the first and the second at once.
        assert count(ks, REMIND) == 0 and count(ks, REMIND_AGAIN) == 1 and count(admin, ESCALATE) == 1
        rows = {(r.kind, r.level): r.sent_at for r in await log_rows(o) if r.submission_id == 1}
        assert rows[("review_kasubbag", 1)] is not None  # settled: a restart does not send it after all
    async with running(o, clock=clock):
        await sweep_at(o, clock, J(2026, 11, 2, 11, 0))
        assert count(o.kasubbag, REMIND) == 0 and count(o.kasubbag, REMIND_AGAIN) == 1


async def test_office_hours_holding_both_levels_back_send_only_the_newest(make_office):
    # Plain time for the SOP, office hours for messages: submitted at 15:50 with a 30-minute
    # standard, both levels fall due after closing time; at the next opening one message says it.
    o, clock = make_office(J(2026, 11, 2, 15, 50), sop_wall_clock=True)
    async with running(o, clock=clock):
        await staffed_office(o)
        ks, admin = o.kasubbag, o.admin
        await submit_new(o)
        await sweep_at(o, clock, J(2026, 11, 2, 16, 30))
        await sweep_at(o, clock, J(2026, 11, 2, 23, 0))
        assert count(ks, REMIND) + count(ks, REMIND_AGAIN) == 0
        await sweep_at(o, clock, J(2026, 11, 3, 7, 30))
        assert count(ks, REMIND) == 0 and count(ks, REMIND_AGAIN) == 1 and count(admin, ESCALATE) == 1
        await sweep_at(o, clock, J(2026, 11, 3, 7, 30) + timedelta(hours=2))
        assert count(ks, REMIND) == 0 and count(ks, REMIND_AGAIN) == 1 and count(admin, ESCALATE) == 1
