"""Where things are: /status (mine), /antrian (waiting for me), /riwayat (audit trail)."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.context import terbit
from bot.i18n.id import common as C
from bot.i18n.id import review as R
from domain.workflow import Role, State
from handlers.common import reply
from handlers.render import duration, fmt, local_time, state_label
from handlers.review_cards import STANDARD
from services import audit, review
from services.people import by_telegram_id, roles_of
from storage.models import Revision, Submission
from sqlalchemy import select
from datetime import timedelta

MAX_LINES = 30


def traffic_light(waited: timedelta, standard: timedelta) -> str:
    if waited > standard:
        return "🔴"
    return "🟡" if waited >= standard * 0.75 else "🟢"


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
        waiting = await review.queue_for(s, person)
        lines = [R.QUEUE_HEADER.format(n=len(waiting))]
        for sub in waiting[:MAX_LINES]:
            std = timedelta(minutes=STANDARD[State(sub.state)])
            waited = now - sub.state_changed_at
            lines.append(fmt(R.QUEUE_ITEM, light=traffic_light(waited, std), id=sub.id, title=await _title(s, sub),
                             state=state_label(sub.state), waited=duration(waited), std=duration(std)))
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
            if e.note:
                lines.append(fmt(R.HISTORY_NOTE, note=e.note))
    text = "\n".join(lines)
    while len(text) > 4000:  # oldest lines go first; the recent ones matter on a phone
        lines.pop(1)
        text = "\n".join(lines)
    await reply(update, text)


def build() -> list:
    return [CommandHandler("status", status), CommandHandler("antrian", queue), CommandHandler("riwayat", history)]
