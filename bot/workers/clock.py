"""The SOP clock on python-telegram-bot's JobQueue.

One callback, :func:`sweep`, does all the work: it brings ``reminder_log`` in
step with the database and claims what is due now, which records the
reminders and escalations it owes (services/sop_clock/reminders.py) for the postman to
deliver (the monthly report too, drawn by handlers/reports.py); it re-sends waiting items to
acting officials whose range has begun; and then it (re)schedules one
``run_once`` job per pending reminder, named
``sop:<submission>:<round>:<kind>:<level>``, for its due moment.  The same
jobs are rebuilt from the database at start-up (:func:`start_jobs`), and a
repeating sweep every ``REMINDER_POLL_SECONDS`` is the safety net.

Nothing is sent outside office hours: due moments are always inside them,
and a sweep outside them only reschedules.  Tests drive it with a
FrozenClock and call :func:`run_now` instead of waiting.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from telegram.ext import Application, CallbackContext

from config.settings import Settings
from handlers.acting import WORDING
from handlers.common import apply, wake
from handlers.context import Terbit, TerbitContext, terbit
from handlers.render import local_time
from services.sop_clock import reminders
from services.staff import plh
from services.transitions.effects import Worker
from services.website import expiry
from texts.id import review as R

log = logging.getLogger(__name__)

SWEEP = "sop-clock"
PREFIX = "sop:"
_LOCK = "sop_clock_lock"


def _enabled(settings: Settings) -> bool:
    return settings.reminders_enabled or settings.monthly_report_enabled


def _lock(owner: Application | CallbackContext) -> asyncio.Lock:
    lock: asyncio.Lock = owner.bot_data.setdefault(_LOCK, asyncio.Lock())
    return lock


async def start_jobs(app: Application) -> None:
    """At start-up: the repeating sweep, and one job per pending reminder, from the database."""
    t = app.bot_data["terbit"]
    # The calendars (the ``holidays`` package works out a decade of Islamic dates: 0.1-0.2 s)
    # in a thread, not on the event loop when the first item is submitted.
    calendars = asyncio.get_running_loop().run_in_executor(None, lambda: (t.calendar, t.office_hours))
    if not _enabled(t.settings):
        # No reminders and no monthly report: announcements still expire on time.
        app.job_queue.run_repeating(_expire_job, interval=t.settings.reminder_poll_seconds,
                                    first=t.settings.reminder_poll_seconds, name=SWEEP + "-expiry")
        return
    app.job_queue.run_repeating(sweep, interval=t.settings.reminder_poll_seconds,
                                first=t.settings.reminder_poll_seconds, name=SWEEP)
    await calendars
    await reschedule(TerbitContext(app))


async def run_now(app: Application) -> None:
    """One sweep, now, awaited (for tests and for a manual nudge)."""
    await sweep(TerbitContext(app))


def policy_of(t: Terbit) -> reminders.Policy:
    return reminders.Policy.of(t)


def each_office(context: TerbitContext) -> list[Terbit]:
    """The clock serves every office, each in its own scope with its own standard times and
    calendar: one office's reminders reach that office's people only."""
    house = context.terbit.deployment
    if not house.many_offices:  # one office: the deployment's services are its own (handlers/offices.py)
        return [house]
    return [house.for_office(office) for office in house.offices]


async def sweep(context: TerbitContext) -> None:
    """Claim and owe what is due, send the monthly report, serve acting officials, reschedule."""
    async with _lock(context):
        for t in each_office(context):
            now = t.now()
            swept = await reminders.sweep(t.sessions, policy_of(t), now)
            if swept.owed:
                wake(context, Worker.POSTMAN)
            await expire_in(context, t)
            if t.office_hours.is_working(now) and await plh.resend_started(t.sessions, now=now, tz=t.calendar.tz,
                                                                            wording=WORDING):
                wake(context, Worker.POSTMAN)
        await reschedule(context)


async def expire_announcements(context: TerbitContext) -> int:
    """Pengumuman past their "berlaku sampai": withdrawn by the system, the admins told (every office)."""
    return sum([await expire_in(context, t) for t in each_office(context)])


async def expire_in(context: TerbitContext, t: Terbit) -> int:
    """One office's pengumuman past their "berlaku sampai"."""
    done = await expiry.expire_due(
        t.sessions, t.now(), t.targets, by=R.EXPIRED_BY,
        reason=lambda at: R.EXPIRED_REASON.format(when=local_time(at, t.settings.timezone)))
    for outcome in done:
        apply(context, outcome)
    return len(done)


async def _expire_job(context: TerbitContext) -> None:
    async with _lock(context):
        await expire_announcements(context)


def kick(owner: Application | TerbitContext) -> None:
    """The SOP clock's waker (``Worker.CLOCK``): after a state change, plan and
    schedule the reminders now (sends nothing).  ``owner``: the application or a context."""
    queue = owner.jobs if isinstance(owner, TerbitContext) else owner.job_queue
    if _enabled(terbit(owner).settings) and queue is not None:
        queue.run_once(_reschedule_job, 0, name=SWEEP + "-kick")


async def _reschedule_job(context: TerbitContext) -> None:
    async with _lock(context):
        await reschedule(context)


async def reschedule(context: TerbitContext) -> None:
    """One run_once job per pending reminder (and for the next Plh start) of every office,
    replacing stale ones."""
    jq = context.jobs
    wanted: dict[str, tuple[datetime, datetime]] = {}  # job name: (due, the office's first working moment)
    for t in each_office(context):
        now = t.now()
        plan = await reminders.schedule(t.sessions, policy_of(t), now)
        # Office no. 1's jobs keep the names they had before offices.
        prefix = PREFIX if t.office is None or t.office.id == 1 else f"{PREFIX}{t.office.id}/"
        floor = t.office_hours.next_working_moment(now)  # never outside the office's hours
        wanted.update({prefix + key: (due, floor) for key, due in plan.reminders})
        if plan.next_acting_start is not None:
            wanted[prefix + "plh"] = (t.office_hours.next_working_moment(plan.next_acting_start), floor)
    for job in jq.jobs():
        name = job.name or ""
        if name.startswith(PREFIX) and (name not in wanted or job.data != wanted[name][0]):
            job.schedule_removal()
    current = {j.name for j in jq.jobs() if (j.name or "").startswith(PREFIX) and not j.removed}
    now = context.terbit.now()
    for name, (due, floor) in wanted.items():
        if name in current:
            continue
        when = max(due, floor)
        delay = max((when - now).total_seconds(), 0.0)
        jq.run_once(sweep, delay, name=name, data=due)
