"""The SOP clock on python-telegram-bot's JobQueue.

One callback, :func:`sweep`, does all the work: it brings ``reminder_log`` in
step with the database (services/reminders.py), claims what is due now and
sends it, re-sends waiting items to acting officials whose range has begun,
and then (re)schedules one ``run_once`` job per pending reminder, named
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

from telegram.ext import Application, CallbackContext, ContextTypes

from bot.context import terbit
from bot.i18n.id import clock as T
from bot.i18n.id import review as R
from domain.workflow import Role, State
from handlers.acting import resend_started
from handlers.common import button, send
from handlers.render import fmt
from handlers.reports import send_monthly
from handlers.review_cards import STEP, clock_line, send_review_reminder
from services import acting, drafts, reminders, review
from services.people import people_with_role
from storage.models import Submission

log = logging.getLogger(__name__)

SWEEP = "sop-clock"
PREFIX = "sop:"
_LOCK = "sop_clock_lock"


def _enabled(settings) -> bool:
    return settings.reminders_enabled or settings.monthly_report_enabled


async def start_jobs(app: Application) -> None:
    """At start-up: the repeating sweep, and one job per pending reminder, from the database."""
    t = app.bot_data["terbit"]
    if not _enabled(t.settings):
        return
    app.job_queue.run_repeating(sweep, interval=t.settings.reminder_poll_seconds,
                                first=t.settings.reminder_poll_seconds, name=SWEEP)
    await reschedule(CallbackContext(app))


async def run_now(app: Application) -> None:
    """One sweep, now, awaited (for tests and for a manual nudge)."""
    await sweep(CallbackContext(app))


def policy_of(t) -> reminders.Policy:
    return reminders.Policy.of(t)


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    lock = context.bot_data.setdefault(_LOCK, asyncio.Lock())
    async with lock:
        now = t.now()
        async with t.sessions.begin() as s:
            due = await reminders.claim_due(s, policy_of(t), now)
        for d in due:
            try:
                await _fire(context, d)
            except Exception:  # one failed reminder must not hold up the others
                log.exception("reminder %s failed", d.key)
        if t.office_hours.is_working(now):
            await resend_started(context)
        await reschedule(context)


def kick(context) -> None:
    """After a state change: plan and schedule the item's reminders now (sends nothing)."""
    if _enabled(terbit(context).settings) and context.job_queue is not None:
        context.job_queue.run_once(_reschedule_job, 0, name=SWEEP + "-kick")


async def _reschedule_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    async with context.bot_data.setdefault(_LOCK, asyncio.Lock()):
        await reschedule(context)


async def reschedule(context) -> None:
    """One run_once job per pending reminder (and for the next Plh start), replacing stale ones."""
    t = terbit(context)
    jq = context.job_queue
    now = t.now()
    async with t.sessions.begin() as s:
        rows = await reminders.sync(s, policy_of(t), now)
        wanted: dict[str, datetime] = {PREFIX + r.key: r.due_at for r in rows}
        start = await acting.next_start(s, now)
    if start is not None:
        wanted[PREFIX + "plh"] = t.office_hours.next_working_moment(start)
    for job in jq.jobs():
        name = job.name or ""
        if name.startswith(PREFIX) and (name not in wanted or job.data != wanted[name]):
            job.schedule_removal()
    current = {j.name for j in jq.jobs() if (j.name or "").startswith(PREFIX) and not j.removed}
    floor = t.office_hours.next_working_moment(now)  # never outside office hours
    for name, due in wanted.items():
        if name in current:
            continue
        when = max(due, floor)
        delay = max((when - now).total_seconds(), 0.0)
        jq.run_once(sweep, delay, name=name, data=due)


async def _fire(context, d: reminders.Due) -> None:
    t = terbit(context)
    if d.kind == reminders.MONTHLY:
        if t.settings.monthly_report_enabled:
            year, month = divmod(d.round, 100)
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
            await send_monthly(context, year, month)
        return
    if d.kind in reminders.KIND_STEP:
        await send_review_reminder(context, d.submission_id, d.level)
        if d.level >= 2:
            await _escalate(context, d.submission_id)
        return
    async with t.sessions() as s:
        dr = await drafts.load(s, d.submission_id)
        sub = dr.submission
        title, writer, sid = dr.revision.title or "", sub.author.telegram_id, sub.id
    since = T.format_datetime(t.office_hours.local(d.anchor_at))
    if d.kind == reminders.RETURNED:
        await send(context, writer, fmt(T.REMINDER_RETURNED, id=sid, title=title, since=since),
                   [[button(context, R.BTN_REVISE, "rv", sid)]])
    elif d.kind == reminders.ABANDON and d.level == 1:
        policy = policy_of(t)
        until = T.format_date(t.office_hours.local(d.anchor_at + policy.abandon_after))
        await send(context, writer, fmt(T.ABANDON_WARNING, id=sid, title=title, since=since, until=until),
                   [[button(context, T.BTN_CONTINUE, "dr", sid)]])
    elif d.kind == reminders.ABANDON:
        await send(context, writer, fmt(T.ABANDONED, id=sid, title=title))


async def _escalate(context, sid: int) -> None:
    """Past twice the standard: the admins know; for the Kasubbag's step the Kepala too."""
    t = terbit(context)
    now = t.now()
    async with t.sessions() as s:
        dr = await drafts.load(s, sid)
        sub: Submission = dr.submission
        state = State(sub.state)
        if state not in STEP:
            return
        waiting_for = [p.full_name for p in await review.reviewers_for(s, sub, now)]
        audience = list(await people_with_role(s, Role.ADMIN))
        if state == State.WAIT_KASUBBAG:
            audience += await acting.route(s, Role.KEPALA, await people_with_role(s, Role.KEPALA), now)
        text = fmt(T.ESCALATION, id=sub.id, title=dr.revision.title or "", step=STEP[state].label,
                   who=", ".join(waiting_for) or T.NOBODY, clock=clock_line(t, sub, now))
        chats = list(dict.fromkeys(p.telegram_id for p in audience if p.id != sub.author_id))
    for chat in chats:
        await send(context, chat, text)
