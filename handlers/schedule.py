"""Setujui & jadwalkan: the Kepala approves for a later moment; the Kepala (or an
admin) moves or cancels a schedule from /antrian before it goes live.

Semantics (kept simple on purpose): a scheduled approval is an ordinary APPROVE
whose publication jobs wait until ``publish_at`` in the outbox.  "Ubah jadwal"
moves those jobs; "Batalkan jadwal" drops them and the item waits for the
Kepala's decision again (a new card: approve now, schedule again, correct or
return).  Both are refused once publishing has started.
"""
from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from domain.schedule import ScheduleError, next_workday_morning, parse_when, tomorrow_morning
from domain.workflow import Action, WorkflowError
from handlers.common import (
    Buttons,
    answer,
    answer_in_place,
    apply,
    button,
    on,
    pressed,
    replies_key_prefix,
    reply,
    retire_replies,
    take_buttons,
    wake,
)
from handlers.context import Terbit, TerbitContext
from handlers.ops import Op
from handlers.render import fmt, local_time
from publishers.render import format_date_id, zone_abbr
from services.errors import ServiceError
from services.reviewing import review
from services.transitions.effects import Worker
from texts.id import common as C
from texts.id import kip as K
from texts.id import review as R

WHEN = "when"
END = ConversationHandler.END
APPROVE, MOVE = 0, 1


def when_text(t: Terbit, at: datetime) -> str:
    """"Kamis, 3 Desember 2026 pukul 09.00 WIB" in the office's zone."""
    return local_time(at, t.settings.timezone)


def _minutes(at: datetime) -> int:
    return int(at.timestamp()) // 60


def choice_rows(context: TerbitContext, sid: int, rid: int, purpose: int) -> Buttons:
    """Besok 08.00, the next working day 08.00 (when that is another day), and "type it"."""
    t = context.terbit
    now, tz = t.now(), t.settings.timezone
    tomorrow = tomorrow_morning(now, tz)
    workday = next_workday_morning(now, t.office_hours, tz)

    def at(label: str, when: datetime) -> tuple[str, str]:
        if purpose == MOVE:
            return button(context, label, Op.MOVE_AT, sid, _minutes(when))
        return button(context, label, Op.SCHEDULE_AT, sid, rid, _minutes(when))

    rows = [[at(R.BTN_TOMORROW, tomorrow)]]
    if workday != tomorrow:
        day = format_date_id(workday, weekday=True, tz=tz).split(",")[0]
        rows.append([at(fmt(R.BTN_WORKDAY, day=day), workday)])
    rows.append([button(context, R.BTN_TYPE_WHEN, Op.SCHEDULE_TYPE, sid, rid, purpose)])
    return rows


#: user_data: per item, the questions asked on the way to a schedule (their reply prefixes) and the
#: /antrian message it started from, so they lose their buttons once the schedule is settled.
ASKED = "schedule_asked"


def _asked(context: TerbitContext, sid: int, *, start: bool = False,
           listing: tuple[int, int] | None = None) -> None:
    """Remember this update's replies (and the list pressed) as a step toward item ``sid``'s schedule."""
    if context.user_data is None or (prefix := replies_key_prefix()) is None:
        return
    asked = context.user_data.setdefault(ASKED, {})
    step = {"prefixes": [], "listing": None} if start else asked.get(str(sid), {"prefixes": [], "listing": None})
    step["prefixes"] = [*step["prefixes"], prefix]
    if listing is not None:
        step["listing"] = list(listing)
    asked[str(sid)] = step


async def _used_up(context: TerbitContext, sid: int) -> None:
    """The schedule of ``sid`` is settled: the choices asked for it and the list it came from lose their buttons."""
    step = (context.user_data or {}).get(ASKED, {}).pop(str(sid), None)
    if not step:
        return
    for prefix in step["prefixes"]:
        await retire_replies(context, prefix)
    if step["listing"]:
        await take_buttons(context, *step["listing"])


async def _refuse(update: Update, exc: Exception) -> None:
    code = getattr(exc, "code", "")
    text = {"schedule_past": R.WHEN_PAST, "forbidden": C.NOT_ALLOWED, "own_submission": C.OWN_SUBMISSION,
            "kip_excepted": K.EXCEPTED_POPUP,
            "schedule_gone": R.SCHEDULE_GONE.format(id=getattr(exc, "params", {}).get("id", "?"))
            }.get(code, C.BUTTON_STALE)
    if update.callback_query is not None:
        await answer(update, text, alert=True)
    else:
        await reply(update, text)


async def on_schedule(update: Update, context: TerbitContext) -> None:
    """Setujui & jadwalkan on the Kepala's card: checked, then the quick choices."""
    cb = await pressed(update, context, Op.SCHEDULE)
    if cb is None:
        return
    t = context.terbit
    sid, rid = cb.int(0), cb.int(1)
    try:
        await t.run(review.check_may, telegram_id=update.effective_user.id, submission_id=sid,
                               revision_id=rid, action=Action.APPROVE, now=t.now())
    except (WorkflowError, ServiceError) as exc:
        await _refuse(update, exc)
        return
    await answer(update)
    await reply(update, fmt(R.ASK_SCHEDULE, id=sid), choice_rows(context, sid, rid, APPROVE))
    _asked(context, sid, start=True)


async def on_move(update: Update, context: TerbitContext) -> None:
    """Ubah jadwal (from /antrian): the same quick choices for a new moment."""
    cb = await pressed(update, context, Op.SCHEDULE_MOVE)
    if cb is None:
        return
    await answer(update)
    await reply(update, fmt(R.ASK_RESCHEDULE, id=cb.int(0)), choice_rows(context, cb.int(0), 0, MOVE))
    message = update.callback_query.message
    _asked(context, cb.int(0), start=True, listing=(message.chat.id, message.message_id) if message else None)


async def _settle(update: Update, context: TerbitContext, sid: int, rid: int, purpose: int,
                  at: datetime) -> bool:
    """Approve for ``at`` or move the schedule to it; False (after saying why) when refused."""
    t = context.terbit
    try:
        if purpose == MOVE:
            moved = await t.run(review.reschedule, telegram_id=update.effective_user.id, submission_id=sid,
                                            publish_at=at, now=t.now())
            wake(context, Worker.POSTMAN)  # the writer's notice and the decided card's new moment
            await _used_up(context, sid)
            await answer(update)
            await answer_in_place(update)
            await reply(update, fmt(R.RESCHEDULED, id=sid, title=moved.title, when=when_text(t, at)))
            return True
        outcome = await t.run(review.decide_as, telegram_id=update.effective_user.id, submission_id=sid,
                                         revision_id=rid, action=Action.APPROVE, note=None, now=t.now(),
                                         targets=t.targets, publish_at=at)
    except (WorkflowError, ServiceError) as exc:
        await _refuse(update, exc)
        return False
    await _used_up(context, sid)
    await answer(update, R.POPUP_SCHEDULED)
    await answer_in_place(update)
    await reply(update, fmt(R.SCHEDULED_DONE, id=sid, when=when_text(t, at)))
    apply(context, outcome)
    return True


async def on_choice(update: Update, context: TerbitContext) -> None:
    """Besok 08.00 / <hari kerja> 08.00."""
    cb = await pressed(update, context, Op.SCHEDULE_AT, Op.MOVE_AT)
    if cb is None:
        return
    if cb.op == Op.MOVE_AT:
        await _settle(update, context, cb.int(0), 0, MOVE, datetime.fromtimestamp(cb.int(1) * 60, UTC))
        return
    await _settle(update, context, cb.int(0), cb.int(1), APPROVE, datetime.fromtimestamp(cb.int(2) * 60, UTC))


async def on_choice_instead(update: Update, context: TerbitContext) -> int:
    """A quick choice pressed while a typed time was asked: that question is over."""
    context.user_data.pop("schedule", None)
    await on_choice(update, context)
    return END


async def ask_typed(update: Update, context: TerbitContext) -> str | None:
    """Ketik tanggal & jam: asks for it (kept in the persisted user_data across restarts)."""
    cb = await pressed(update, context, Op.SCHEDULE_TYPE)
    if cb is None:
        return None
    if context.user_data is not None:
        context.user_data["schedule"] = {"sid": cb.int(0), "rid": cb.int(1), "purpose": cb.int(2)}
    await answer(update)
    t = context.terbit
    zone = zone_abbr(datetime.now(UTC).astimezone(t.office_hours.tz))
    await reply(update, fmt(R.ASK_TYPE_WHEN, zone=zone), [[button(context, C.CANCEL, Op.REVIEW_CANCEL)]])
    _asked(context, cb.int(0))
    return WHEN


async def on_typed(update: Update, context: TerbitContext) -> str | int:
    """The typed date and time: read in the office's zone; a past or unreadable one is asked again."""
    t = context.terbit
    pending = context.user_data.get("schedule") or {}
    if not pending:
        return END
    try:
        at = parse_when(update.effective_message.text or "", t.now(), t.settings.timezone)
    except ScheduleError as exc:
        await reply(update, R.WHEN_PAST if exc.code == "past" else R.WHEN_UNREADABLE)
        return WHEN
    context.user_data.pop("schedule", None)
    await _settle(update, context, pending["sid"], pending["rid"], pending["purpose"], at)
    return END


async def on_unschedule(update: Update, context: TerbitContext) -> None:
    """Batalkan jadwal: the item waits for the Kepala again."""
    cb = await pressed(update, context, Op.SCHEDULE_CANCEL)
    if cb is None:
        return
    t = context.terbit
    try:
        outcome = await t.run(review.unschedule, telegram_id=update.effective_user.id,
                                          submission_id=cb.int(0), now=t.now())
    except (WorkflowError, ServiceError) as exc:
        await _refuse(update, exc)
        return
    await _used_up(context, cb.int(0))
    message = update.callback_query.message
    if message is not None:  # the list's buttons were for a schedule that is no more
        await take_buttons(context, message.chat.id, message.message_id)
    await answer(update)
    await reply(update, fmt(R.UNSCHEDULED, id=cb.int(0)))
    apply(context, outcome)


async def on_cancel(update: Update, context: TerbitContext) -> int:
    """Batal while typing a time: nothing recorded."""
    context.user_data.pop("schedule", None)
    await answer(update)
    await reply(update, R.CANCELLED)
    return END


def scheduled_rows(context: TerbitContext, items: list[review.Scheduled]) -> Buttons:
    """Ubah / Batalkan for each scheduled item."""
    return [[button(context, fmt(R.BTN_MOVE, id=x.submission_id), Op.SCHEDULE_MOVE, x.submission_id),
             button(context, fmt(R.BTN_UNSCHEDULE, id=x.submission_id), Op.SCHEDULE_CANCEL, x.submission_id)]
            for x in items]


def build() -> list[BaseHandler]:
    conversation = ConversationHandler(
        name="schedule",
        persistent=True,
        allow_reentry=True,
        entry_points=[on(ask_typed, Op.SCHEDULE_TYPE)],
        states={WHEN: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_typed),
                       on(on_choice_instead, Op.SCHEDULE_AT, Op.MOVE_AT)]},
        fallbacks=[on(on_cancel, Op.REVIEW_CANCEL), CommandHandler("batal", on_cancel)],
    )
    return [conversation, on(on_schedule, Op.SCHEDULE), on(on_choice, Op.SCHEDULE_AT, Op.MOVE_AT),
            on(on_move, Op.SCHEDULE_MOVE), on(on_unschedule, Op.SCHEDULE_CANCEL)]
