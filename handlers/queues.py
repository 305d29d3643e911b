"""Where things are: /status (mine), /antrian (waiting for me), /riwayat (audit trail)."""
from __future__ import annotations

from sqlalchemy import select
from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.context import terbit
from bot.i18n.id import clock as T
from bot.i18n.id import common as C
from bot.i18n.id import review as R
from domain.sop_clock import status as clock_status
from domain.workflow import Role, State
from handlers.common import reply
from handlers.render import fmt, local_time, state_label
from handlers.review_cards import STEP
from services import audit, review
from services.people import by_telegram_id, roles_of
from storage.models import Revision, Submission

MAX_LINES = 30


def traffic_light(waited, standard) -> str:
    """🟢 on time, 🟡 due soon (from 75 % of the standard), 🔴 late."""
    return T.STATUS_EMOJI[clock_status(waited, standard)]


async def _title(s, sub: Submission) -> str:
    rev = await s.get(Revision, sub.current_revision_id) if sub.current_revision_id else None
    return (rev.title if rev else None) or "(tanpa judul)"


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        subs = (await s.scalars(select(Submission).where(Submission.author_id == person.id)
                                .order_by(Submission.updated_at.desc()).limit(MAX_LINES))).unique().all()
        lines = [R.STATUS_HEADER]
        for sub in subs:
            lines.append(fmt(R.STATUS_ITEM, id=sub.id, title=await _title(s, sub), state=state_label(sub.state)))
    await reply(update, "\n".join(lines) if subs else R.STATUS_EMPTY)


async def queue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    now = t.now()
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        waiting = await review.queue_for(s, person, now)
        lines = [R.QUEUE_HEADER.format(n=len(waiting))]
        for sub in waiting[:MAX_LINES]:
            # Working time against the SOP standard (office hours and holidays, unless SOP_WALL_CLOCK).
            std = t.standards[STEP[State(sub.state)]]
            waited = t.calendar.elapsed(sub.state_changed_at, now)
            lines.append(fmt(R.QUEUE_ITEM, light=traffic_light(waited, std), id=sub.id, title=await _title(s, sub),
                             state=state_label(sub.state), waited=T.format_working(waited, t.calendar),
                             std=T.format_working(std, t.calendar)))
    await reply(update, "\n".join(lines) if waiting else R.QUEUE_EMPTY)


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    if not context.args or not context.args[0].lstrip("#").isdigit():
        await reply(update, R.HISTORY_USAGE)
        return
    sid = int(context.args[0].lstrip("#"))
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        sub = await s.get(Submission, sid)
        if sub is None:
            await reply(update, fmt(C.NOT_FOUND, id=sid))
            return
        events = await audit.history(s, sid)
        roles = roles_of(person)
        involved = sub.author_id == person.id or any(e.actor_id == person.id for e in events)
        if not (involved or roles & {Role.KASUBBAG, Role.KEPALA, Role.ADMIN}):
            await reply(update, R.HISTORY_DENIED)
            return
        lines = [fmt(R.HISTORY_HEADER, id=sid, title=await _title(s, sub))]
        for e in events:
            lines.append(fmt(
                R.HISTORY_ITEM, time=local_time(e.at, t.settings.timezone),
                actor=e.actor.full_name if e.actor else C.ROLE_LABELS["sistem"], role=C.ROLE_LABELS.get(e.role, e.role),
                action=C.ACTION_LABELS.get(e.action, e.action), from_=state_label(e.from_state), to=state_label(e.to_state),
            ))
            if e.acting_for is not None:  # decided as Plh/Plt: the line says for whom
                lines[-1] += fmt(T.HISTORY_AS_ACTING, name=e.acting_for.full_name)
            if e.note:
                lines.append(fmt(R.HISTORY_NOTE, note=e.note))
    text = "\n".join(lines)
    while len(text) > 4000:  # oldest lines go first; the recent ones matter on a phone
        lines.pop(1)
        text = "\n".join(lines)
    await reply(update, text)


def build() -> list:
    return [CommandHandler("status", status), CommandHandler("antrian", queue), CommandHandler("riwayat", history)]
