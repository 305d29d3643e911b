"""Where things are: /status (mine), /antrian (waiting for me), /riwayat (audit trail)."""
from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from domain.sop_clock import status as clock_status
from domain.standard_times import step_for_state
from domain.workflow import Role
from handlers.comment_notices import comment_history
from handlers.common import Buttons, bad_number, id_arg, reply
from handlers.context import Terbit, TerbitContext
from handlers.kip import exemption_history
from handlers.offices import office_line
from handlers.render import fmt, local_time, state_label
from handlers.schedule import scheduled_rows, when_text
from services.errors import ServiceError
from services.reviewing import claims, comments, review
from services.sop_clock import queues
from services.staff import people
from services.writing import kip
from texts.id import clock as T
from texts.id import common as C
from texts.id import review as R

MAX_LINES = 30


def traffic_light(waited: timedelta, standard: timedelta) -> str:
    """🟢 on time, 🟡 due soon (from 75 % of the standard), 🔴 late."""
    return T.STATUS_EMOJI[clock_status(waited, standard)]


async def status(update: Update, context: TerbitContext) -> None:
    """/status: the writer's items and where each one is."""
    items = await context.terbit.run(queues.mine, telegram_id=update.effective_user.id, limit=MAX_LINES)
    lines = [x for x in (office_line(context.terbit), R.STATUS_HEADER) if x]
    lines += [fmt(R.STATUS_ITEM, id=x.id, title=x.title, state=state_label(x.state)) for x in items]
    await reply(update, "\n".join(lines) if items else R.STATUS_EMPTY)


def _queue_line(t: Terbit, item: queues.Item, now) -> str:
    """Working time waited against the SOP standard (office hours and holidays, unless SOP_WALL_CLOCK)."""
    step = step_for_state(item.state)
    std = t.standards[step] if step else timedelta(0)
    waited = t.calendar.elapsed(item.state_changed_at, now)
    return fmt(R.QUEUE_ITEM, light=traffic_light(waited, std), id=item.id, title=item.title,
               state=state_label(item.state), waited=T.format_working(waited, t.calendar),
               std=T.format_working(std, t.calendar))


async def queue(update: Update, context: TerbitContext) -> None:
    """/antrian: what waits for this reviewer, oldest first, with its SOP clock."""
    t = context.terbit
    now = t.now()
    q = await t.run(queues.waiting, telegram_id=update.effective_user.id, now=now, limit=MAX_LINES)
    lines = [x for x in (office_line(t), R.QUEUE_HEADER.format(n=q.total)) if x]
    lines += [_queue_line(t, x, now) for x in q.items]
    planned, rows = await _scheduled_part(update, context)
    if planned:  # what is approved and waits for its moment, with Ubah / Batalkan jadwal
        await reply(update, "\n".join(lines) + "\n\n" + planned if q.total else planned, rows)
        return
    await reply(update, "\n".join(lines) if q.total else R.QUEUE_EMPTY)


async def _scheduled_part(update: Update, context: TerbitContext) -> tuple[str, Buttons | None]:
    """For the Kepala and the admins: what is scheduled to go live, and its buttons."""
    t = context.terbit
    if not await t.run(people.roles_for, update.effective_user.id) & {Role.KEPALA, Role.ADMIN}:
        return "", None
    items = (await t.run(review.scheduled, t.now()))[:MAX_LINES]
    if not items:
        return "", None
    lines = [fmt(R.SCHEDULED_HEADER, n=len(items))]
    lines += [fmt(R.SCHEDULED_ITEM, id=x.submission_id, title=x.title, when=when_text(t, x.publish_at))
              for x in items]
    return "\n".join(lines), scheduled_rows(context, items)


def _event_lines(t: Terbit, e: queues.Event) -> list[str]:
    by_system = e.actor is None and e.role == Role.SYSTEM
    line = fmt(
        R.HISTORY_ITEM_SYSTEM if by_system else R.HISTORY_ITEM, time=local_time(e.at, t.settings.timezone),
        actor=e.actor if e.actor is not None else C.ROLE_LABELS["sistem"], role=C.ROLE_LABELS.get(e.role, e.role),
        action=C.ACTION_LABELS.get(e.action, e.action), from_=state_label(e.from_state), to=state_label(e.to_state),
    )
    if e.acting_for is not None:  # decided as Plh/Plt: the line says for whom
        line += fmt(T.HISTORY_AS_ACTING, name=e.acting_for)
    return [line, fmt(R.HISTORY_NOTE, note=e.note)] if e.note else [line]


async def history(update: Update, context: TerbitContext) -> None:
    """/riwayat <nomor>: who did what to an item, and when."""
    t = context.terbit
    if (bad := bad_number(context, "riwayat")) is not None:
        await reply(update, bad)
        return
    sid = id_arg(context)
    if sid is None:
        await reply(update, R.HISTORY_USAGE)
        return
    try:
        trail = await t.run(queues.trail, telegram_id=update.effective_user.id, submission_id=sid)
    except ServiceError as exc:
        await reply(update, fmt(C.NOT_FOUND, id=sid) if exc.code == "submission_unknown" else R.HISTORY_DENIED)
        return
    lines = [fmt(R.HISTORY_HEADER, id=sid, title=trail.title)]
    said = [(e.at, _event_lines(t, e)) for e in trail.events]
    said += comment_history(t, await t.run(comments.trail_of, sid))  # the discussion of the draft, in time
    said += exemption_history(t, await t.run(kip.exemptions_of, sid))  # PerKI 1/2017 records, lifted ones too
    said += [(c.at, [fmt(R.HISTORY_CLAIM[c.kind], time=local_time(c.at, t.settings.timezone), actor=c.actor)])
             for c in await t.run(claims.trail_of, sid)]  # who was on it ("🙋 Saya periksa")
    for _, event_lines in sorted(said, key=lambda x: x[0]):
        lines += event_lines
    text = "\n".join(lines)
    while len(text) > 4000:  # oldest lines go first; the recent ones matter on a phone
        lines.pop(1)
        text = "\n".join(lines)
    await reply(update, text)


def build() -> list[BaseHandler]:
    return [CommandHandler("status", status), CommandHandler("antrian", queue), CommandHandler("riwayat", history)]
