"""/plh: naming an acting official (Plh / Plt) for a Kepala or a Kasubbag.

Typed (``/plh @user 2026-11-23 2026-11-27``, an admin adds the role word) or
guided with buttons (role, person, how long from today).  When the range
starts, the items already waiting for that role are re-sent to the acting
official (at once when it starts today; otherwise by the SOP clock's sweep).
"""
from __future__ import annotations

import re
from datetime import date

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from domain.workflow import Role
from handlers.callbacks import Callback
from handlers.common import answer, button, on, pressed, reply, wake
from handlers.context import TerbitContext
from handlers.ops import Op
from handlers.render import fmt
from services.errors import ServiceError
from services.staff import plh
from services.staff.acting import AssignmentView
from services.transitions.effects import Worker
from texts.id import acting as A
from texts.id import clock as T
from texts.id import common as C

BUTTON_OPS = (Op.ACTING_NEW, Op.ACTING_ROLE, Op.ACTING_PERSON, Op.ACTING_DAYS, Op.ACTING_CANCEL)
_ROLE_WORDS = {"kasubbag": Role.KASUBBAG, "kepala": Role.KEPALA}


def _err(exc: ServiceError) -> str:
    params = dict(exc.params)
    for k in ("first", "last"):
        day = params.get(k)
        if isinstance(day, date):
            params[k] = T.format_date(day)
    role = params.get("role")
    if isinstance(role, str):
        params["role"] = A.ROLE_TITLES.get(role, role)
    return fmt(A.ERRORS.get(exc.code, C.GENERIC_ERROR), **params)


def _dates(a: AssignmentView) -> dict[str, str]:
    return {"first": T.format_date(a.first), "last": T.format_date(a.last)}


def _named_to_acting(a: AssignmentView, by: str) -> str:
    return fmt(A.NAMED_TO_ACTING, role=A.ROLE_TITLES[a.role], principal=a.principal_name, by=by, **_dates(a))


def _started_to_acting(a: AssignmentView, n: int) -> str:
    waiting = fmt(A.STARTED_RESENT, n=n) if n else A.STARTED_NOTHING_WAITING
    return fmt(A.STARTED_TO_ACTING, role=A.ROLE_TITLES[a.role], principal=a.principal_name) + waiting


def _cancelled_to_acting(a: AssignmentView) -> str:
    return fmt(A.CANCELLED_TO_ACTING, role=A.ROLE_TITLES[a.role], **_dates(a))


#: What the acting official is told (owed by the use cases, delivered by the postman).
WORDING = plh.Wording(named=_named_to_acting, started=_started_to_acting, cancelled=_cancelled_to_acting)


async def cmd_plh(update: Update, context: TerbitContext) -> None:
    """/plh [peran] @username [dari] [sampai]; without arguments the list and the ➕ button."""
    t = context.terbit
    args = list(context.args or [])
    if not args:
        await _show(update, context)
        return
    role = _ROLE_WORDS[args.pop(0).lower()] if args[0].lower() in _ROLE_WORDS else None
    try:
        if not args:
            raise ServiceError("acting_who", text="")
        appointed = await t.run(plh.appoint_by_handle,
            telegram_id=update.effective_user.id, handle=args[0], dates=" ".join(args[1:]), role=role,
            now=t.now(), tz=t.calendar.tz, wording=WORDING)
    except ServiceError as exc:
        await reply(update, _err(exc))
        return
    await _after_named(update, context, appointed)


async def _after_named(update: Update, context: TerbitContext, appointed: plh.Appointed) -> None:
    """Confirm to the one who named; the acting official hears it from the postman."""
    a = appointed.assignment
    await reply(update, fmt(A.NAMED, acting=a.acting_name, role=A.ROLE_TITLES[a.role], principal=a.principal_name,
                            **_dates(a)))
    wake(context, Worker.POSTMAN, Worker.CLOCK)


async def _show(update: Update, context: TerbitContext) -> None:
    """The acting officials now and planned, with ✖️ for those this person may cancel."""
    t = context.terbit
    view = await t.run(plh.overview, telegram_id=update.effective_user.id, now=t.now(), tz=t.calendar.tz)
    lines = [A.USAGE, "", A.LIST_HEADER if view.items else A.LIST_EMPTY]
    rows = []
    for a in view.items:
        lines.append(fmt(A.LIST_ITEM, acting=a.acting_name, role=A.ROLE_TITLES[a.role], principal=a.principal_name,
                         **_dates(a)))
        if a.id in view.cancellable:
            rows.append([button(context, A.BTN_CANCEL_ITEM.format(name=a.acting_name)[:60], Op.ACTING_CANCEL, a.id)])
    if view.may_name:
        rows.insert(0, [button(context, A.BTN_NEW, Op.ACTING_NEW)])
    await reply(update, "\n".join(lines), rows)


async def on_button(update: Update, context: TerbitContext) -> None:
    """The guided /plh: role, person, how long; and ✖️ to cancel one."""
    cb = await pressed(update, context, *BUTTON_OPS)
    if cb is None:
        return
    try:
        await _step(update, context, cb)
    except ServiceError as exc:
        await answer(update, re.sub(r"<[^>]+>", "", _err(exc))[:190], alert=True)
    except ValueError:
        await answer(update, C.BUTTON_UNKNOWN, alert=True)


async def _step(update: Update, context: TerbitContext, cb: Callback) -> None:
    """One press of the guided /plh: ask the next question, or record and confirm."""
    t = context.terbit
    me, now, tz = update.effective_user.id, t.now(), t.calendar.tz
    if cb.op is Op.ACTING_CANCEL:
        a = await t.run(plh.withdraw, telegram_id=me, assignment_id=cb.int(0), now=now, tz=tz, wording=WORDING)
        await answer(update)
        await reply(update, fmt(A.CANCELLED, acting=a.acting_name, **_dates(a)))
        wake(context, Worker.POSTMAN, Worker.CLOCK)
    elif cb.op in (Op.ACTING_NEW, Op.ACTING_ROLE):
        role = Role(cb.args[0]) if cb.op is Op.ACTING_ROLE else None
        await _ask_person(update, context, await t.run(plh.candidates, telegram_id=me, role=role))
    elif cb.op is Op.ACTING_PERSON:
        role = Role(cb.args[0])
        name = await t.run(plh.candidate, telegram_id=me, person_id=cb.int(1))
        await answer(update)
        days = [button(context, label, Op.ACTING_DAYS, role.value, cb.int(1), n) for label, n in A.RANGE_BUTTONS]
        await reply(update, fmt(A.CHOOSE_RANGE, role=A.ROLE_TITLES[role], name=name), [days])
    else:
        appointed = await t.run(plh.appoint_for_days, telegram_id=me, role=Role(cb.args[0]), person_id=cb.int(1),
                                               days=cb.int(2), now=now, tz=tz, wording=WORDING)
        await answer(update)
        await _after_named(update, context, appointed)


async def _ask_person(update: Update, context: TerbitContext, c: plh.Candidates) -> None:
    """Which role (when the person may name for more than one), then who."""
    await answer(update)
    if c.role is None:
        await reply(update, A.CHOOSE_ROLE,
                    [[button(context, A.ROLE_TITLES[r][:40], Op.ACTING_ROLE, r.value)] for r in c.roles])
        return
    if not c.people:
        await reply(update, A.NOBODY_TO_CHOOSE)
        return
    await reply(update, fmt(A.CHOOSE_PERSON, role=A.ROLE_TITLES[c.role]),
                [[button(context, name[:40], Op.ACTING_PERSON, c.role.value, pid)] for pid, name in c.people[:30]])


def build() -> list[BaseHandler]:
    return [CommandHandler("plh", cmd_plh), CommandHandler("plt", cmd_plh), on(on_button, *BUTTON_OPS)]
