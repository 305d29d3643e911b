"""/plh: naming an acting official (Plh / Plt) for a Kepala or a Kasubbag.

Typed (``/plh @user 2026-11-23 2026-11-27``, an admin adds the role word) or
guided with buttons (role, person, how long from today).  When the range
starts, the items already waiting for that role are re-sent to the acting
official (at once when it starts today; otherwise by the SOP clock's sweep).
"""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from sqlalchemy import func, select
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.context import terbit
from bot.i18n.id import acting as A
from bot.i18n.id import clock as T
from bot.i18n.id import common as C
from domain.workflow import Role, State
from handlers.common import answer, button, pressed, reply, send
from handlers.render import fmt
from handlers.review_cards import send_review_cards
from reports.period import PeriodError, _parse_date
from services import acting
from services.errors import ServiceError
from services.people import by_telegram_id, people, roles_of
from storage.models import ActingAssignment, Person, Submission

log = logging.getLogger(__name__)

OPS = {"apn": 0, "apr": 1, "app": 2, "apd": 3, "apc": 1}
ROLE_STATE = {Role.KASUBBAG: State.WAIT_KASUBBAG, Role.KEPALA: State.WAIT_KEPALA}
_ROLE_WORDS = {"kasubbag": Role.KASUBBAG, "kepala": Role.KEPALA}


def _err(exc: ServiceError) -> str:
    params = dict(exc.params)
    for k in ("first", "last"):
        if isinstance(params.get(k), date):
            params[k] = T.format_date(params[k])
    if "role" in params:
        params["role"] = A.ROLE_TITLES.get(params["role"], params["role"])
    return fmt(A.ERRORS.get(exc.code, C.GENERIC_ERROR), **params)


def _days(a: ActingAssignment, tz) -> tuple[str, str]:
    first, last = acting.local_days(a, tz)
    return T.format_date(first), T.format_date(last)


async def _find_person(s, text: str) -> Person | None:
    handle = text.lstrip("@").strip()
    if handle.isdigit():
        return await by_telegram_id(s, int(handle))
    return await s.scalar(select(Person).where(func.lower(Person.username) == handle.lower(), Person.active))


def _parse_day(text: str) -> date:
    try:
        return _parse_date(text)
    except PeriodError:
        raise ServiceError("acting_bad_date", text=text) from None


async def cmd_plh(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    args = list(context.args or [])
    if not args:
        await _show(update, context)
        return
    now = t.now()
    try:
        async with t.sessions.begin() as s:
            me = await by_telegram_id(s, update.effective_user.id)
            role = None
            if args and args[0].lower() in _ROLE_WORDS:
                role = _ROLE_WORDS[args.pop(0).lower()]
            if not args:
                raise ServiceError("acting_who", text="")
            who = await _find_person(s, args.pop(0))
            if who is None:
                raise ServiceError("acting_who", text=context.args[0 if role is None else 1])
            text = " ".join(args)
            parts = [p for p in re.split(r"\s*(?:\.\.|–|—|\bs\.?d\.?|\bsampai\b|\bhingga\b|\s)\s*", text) if p]
            if not parts:
                first = last = now.astimezone(t.calendar.tz).date()
            else:
                first = _parse_day(parts[0])
                last = _parse_day(parts[1]) if len(parts) > 1 else first
            named = await acting.name_acting(s, by=me, acting=who, first=first, last=last, now=now,
                                             tz=t.calendar.tz, role=role)
            info = _named_info(named, me, t)
    except ServiceError as exc:
        await reply(update, _err(exc))
        return
    await _after_named(update, context, info)


def _named_info(named: acting.Named, by: Person, t) -> dict:
    first, last = _days(named.assignment, t.calendar.tz)
    return {"id": named.assignment.id, "role": A.ROLE_TITLES[named.role], "principal": named.principal.full_name,
            "acting": named.acting.full_name, "acting_tg": named.acting.telegram_id, "by": by.full_name,
            "first": first, "last": last, "started": named.started}


async def _after_named(update: Update, context, info: dict) -> None:
    await reply(update, fmt(A.NAMED, **{k: info[k] for k in ("acting", "role", "principal", "first", "last")}))
    await send(context, info["acting_tg"], fmt(A.NAMED_TO_ACTING, **{
        k: info[k] for k in ("role", "principal", "first", "last", "by")}))
    if info["started"]:
        await resend_started(context)


async def resend_started(context) -> int:
    """Re-send what already waits to every acting official whose range has started; once each."""
    t = terbit(context)
    now = t.now()
    async with t.sessions.begin() as s:
        due = await acting.due_resends(s, now)
        jobs = []
        for a in due:
            a.resent_at = now  # claimed: a restart does not send them again
            state = ROLE_STATE[Role(a.role)]
            ids = list((await s.scalars(select(Submission.id).where(Submission.state == state)
                                        .order_by(Submission.state_changed_at))).all())
            jobs.append((a.acting_id, a.acting.telegram_id, A.ROLE_TITLES[a.role], a.principal.full_name, ids))
    sent = 0
    for acting_id, chat, role, principal, ids in jobs:
        n = 0
        for sid in ids:
            n += await send_review_cards(context, sid, only={acting_id})
        await send(context, chat, fmt(A.STARTED_TO_ACTING, role=role, principal=principal, n=n))
        sent += n
    return sent


async def _show(update: Update, context) -> None:
    t = terbit(context)
    async with t.sessions() as s:
        me = await by_telegram_id(s, update.effective_user.id)
        roles = roles_of(me)
        items = await acting.current_and_planned(s, t.now())
        lines = [A.USAGE, "", A.LIST_HEADER if items else A.LIST_EMPTY]
        rows = []
        for a in items:
            first, last = _days(a, t.calendar.tz)
            lines.append(fmt(A.LIST_ITEM, acting=a.acting.full_name, role=A.ROLE_TITLES[a.role],
                             principal=a.principal.full_name, first=first, last=last))
            if me.id in (a.principal_id, a.created_by) or Role.ADMIN in roles:
                rows.append([button(context, A.BTN_CANCEL_ITEM.format(name=a.acting.full_name)[:60], "apc", a.id)])
    if roles & {Role.KASUBBAG, Role.KEPALA, Role.ADMIN}:
        rows.insert(0, [button(context, A.BTN_NEW, "apn")])
    await reply(update, "\n".join(lines), rows)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    cb = await pressed(update, context, OPS)
    if cb is None:
        return
    now = t.now()
    try:
        async with t.sessions.begin() as s:
            me = await by_telegram_id(s, update.effective_user.id)
            if me is None:
                raise ServiceError("acting_forbidden")
            mine = [r for r in acting.ACTING_ROLES if r in roles_of(me)]
            if cb.op == "apc":
                a = await acting.cancel(s, me, cb.int(0), now)
                first, last = _days(a, t.calendar.tz)
                done = ("cancel", a.acting.telegram_id, a.acting.full_name, A.ROLE_TITLES[a.role], first, last)
            elif cb.op == "apn" and not mine and Role.ADMIN not in roles_of(me):
                raise ServiceError("acting_forbidden")
            elif cb.op == "apn" and len(mine) != 1:
                done = ("ask_role",)
            elif cb.op in ("apn", "apr"):
                role = mine[0] if cb.op == "apn" else Role(cb.args[0])
                others = [p for p in await people(s) if p.id != me.id or role not in roles_of(me)]
                principal = await acting.principal_for(s, me, role)
                others = [p for p in others if p.id != principal.id]
                done = ("ask_person", role, [(p.id, p.full_name) for p in others])
            elif cb.op == "app":
                role, who = Role(cb.args[0]), await s.get(Person, cb.int(1))
                if who is None:
                    raise ServiceError("acting_unknown")
                done = ("ask_range", role, who.id, who.full_name)
            else:  # "apd": create
                role, who, days = Role(cb.args[0]), await s.get(Person, cb.int(1)), cb.int(2)
                if who is None:
                    raise ServiceError("acting_unknown")
                first = now.astimezone(t.calendar.tz).date()
                named = await acting.name_acting(s, by=me, acting=who, first=first,
                                                 last=first + timedelta(days=max(days, 1) - 1), now=now,
                                                 tz=t.calendar.tz, role=role)
                done = ("named", _named_info(named, me, t))
    except ServiceError as exc:
        await answer(update, re.sub(r"<[^>]+>", "", _err(exc))[:190], alert=True)
        return
    except ValueError:
        await answer(update, C.BUTTON_UNKNOWN, alert=True)
        return
    await answer(update)
    kind = done[0]
    if kind == "cancel":
        _, chat, name, role, first, last = done
        await reply(update, fmt(A.CANCELLED, acting=name, first=first, last=last))
        await send(context, chat, fmt(A.CANCELLED_TO_ACTING, role=role, first=first, last=last))
    elif kind == "ask_role":
        await reply(update, A.CHOOSE_ROLE, [[button(context, A.ROLE_TITLES[r][:40], "apr", r.value)]
                                            for r in acting.ACTING_ROLES])
    elif kind == "ask_person":
        _, role, options = done
        if not options:
            await reply(update, A.NOBODY_TO_CHOOSE)
            return
        await reply(update, fmt(A.CHOOSE_PERSON, role=A.ROLE_TITLES[role]),
                    [[button(context, name[:40], "app", role.value, pid)] for pid, name in options[:30]])
    elif kind == "ask_range":
        _, role, pid, name = done
        await reply(update, fmt(A.CHOOSE_RANGE, role=A.ROLE_TITLES[role], name=name),
                    [[button(context, label, "apd", role.value, pid, n) for label, n in A.RANGE_BUTTONS]])
    else:
        await _after_named(update, context, done[1])


def build() -> list:
    return [CommandHandler("plh", cmd_plh), CommandHandler("plt", cmd_plh),
            CallbackQueryHandler(on_button, pattern=r"^1:(?:apn|apr|app|apd|apc):")]
