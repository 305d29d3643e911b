"""/plh use cases: naming, listing and cancelling acting officials (Plh/Plt),
and re-sending what already waits once an acting official's range starts.

Everything the acting official is told is owed in the same transaction as the
change (services/delivery/postbox.py); the bot layer supplies the wording
(:class:`Wording`), so the texts stay in texts.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.workflow import WAITING_FOR, Role
from reports.period import PeriodError, parse_date
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.errors import ServiceError
from services.staff import acting
from services.staff.acting import ACTING_ROLES, AssignmentView, view_of
from services.staff.people import by_telegram_id, people, roles_of
from services.transitions.effects import owe_review_cards
from services.uow import Sessions
from storage.models import ActingAssignment, Person, Submission

#: The state in which an item waits for each role an acting official may hold.
ROLE_STATE = {role: state for state, role in WAITING_FOR.items()}
#: What separates the first and the last day: "..", dashes, "s.d.", "sampai", "hingga" or a space.
_RANGE = re.compile(r"\s*(?:\.\.|–|—|\bs\.?d\.?|\bsampai\b|\bhingga\b|\s)\s*")
#: Who may see the button to name a Plh/Plt.
NAMERS = frozenset({Role.KASUBBAG, Role.KEPALA, Role.ADMIN})


@dataclass(frozen=True)
class Wording:
    """How the acting official is told, drawn by the bot layer (HTML)."""

    #: (assignment, named by whom) -> "you are the Plh ...".
    named: Callable[[AssignmentView, str], str]
    #: (assignment, how many waiting items were re-sent) -> "from today you are the Plh ...".
    started: Callable[[AssignmentView, int], str]
    cancelled: Callable[[AssignmentView], str]


@dataclass(frozen=True)
class Overview:
    """/plh: current and planned acting officials, and what this person may do with them."""

    items: tuple[AssignmentView, ...]
    cancellable: frozenset[int]
    may_name: bool


@dataclass(frozen=True)
class Candidates:
    """Whom the person may name, for which role; ``role`` None: the role must be chosen first."""

    role: Role | None
    roles: tuple[Role, ...]
    people: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Appointed:
    assignment: AssignmentView
    by: str
    started: bool


def _day(text: str) -> date:
    try:
        return parse_date(text)
    except PeriodError:
        raise ServiceError("acting_bad_date", text=text) from None


def parse_range(text: str, today: date) -> tuple[date, date]:
    """``"2026-11-23 2026-11-27"``, ``"23/11/2026 s.d. 27/11/2026"``, one day, or (empty) today."""
    parts = [p for p in _RANGE.split(text) if p]
    if not parts:
        return today, today
    first = _day(parts[0])
    return first, _day(parts[1]) if len(parts) > 1 else first


async def _me(s: AsyncSession, telegram_id: int) -> Person:
    me = await by_telegram_id(s, telegram_id)
    if me is None:
        raise ServiceError("acting_forbidden")
    return me


async def overview(sessions: Sessions, *, telegram_id: int, now: datetime, tz: str | tzinfo) -> Overview:
    """/plh without arguments: who acts for whom, now and later."""
    async with sessions() as s:
        me = await _me(s, telegram_id)
        roles = roles_of(me)
        items = await acting.current_and_planned(s, now)
        mine = frozenset(a.id for a in items if me.id in (a.principal_id, a.created_by) or Role.ADMIN in roles)
        return Overview(tuple([await view_of(s, a, tz) for a in items]), mine, bool(roles & NAMERS))


async def candidates(sessions: Sessions, *, telegram_id: int, role: Role | None) -> Candidates:
    """➕ Tunjuk Plh (``role`` None) or a role chosen: whom the person may name."""
    async with sessions() as s:
        me = await _me(s, telegram_id)
        own = roles_of(me)
        if role is None:
            mine = [r for r in ACTING_ROLES if r in own]
            if not mine and Role.ADMIN not in own:
                raise ServiceError("acting_forbidden")
            if len(mine) != 1:
                return Candidates(None, ACTING_ROLES, ())
            role = mine[0]
        principal = await acting.principal_for(s, me, role)
        others = [p for p in await people(s) if (p.id != me.id or role not in own) and p.id != principal.id]
        return Candidates(role, ACTING_ROLES, tuple((p.id, p.full_name) for p in others))


async def candidate(sessions: Sessions, *, telegram_id: int, person_id: int) -> str:
    """A person chosen as Plh: their name, to ask for how long."""
    async with sessions() as s:
        await _me(s, telegram_id)
        who = await s.get(Person, person_id)
        if who is None:
            raise ServiceError("acting_unknown")
        return who.full_name


async def appoint_by_handle(
    sessions: Sessions, *, telegram_id: int, handle: str, dates: str, role: Role | None, now: datetime,
    tz: tzinfo, wording: Wording,
) -> Appointed:
    """/plh [peran] @username [dari] [sampai]: name an acting official for a range of days."""
    async with sessions.begin() as s:
        me = await _me(s, telegram_id)
        who = await acting.find_person(s, handle)
        if who is None:
            raise ServiceError("acting_who", text=handle)
        first, last = parse_range(dates, now.astimezone(tz).date())
        return await _appoint(s, me, who, first, last, role, now, tz, wording)


async def appoint_for_days(
    sessions: Sessions, *, telegram_id: int, role: Role, person_id: int, days: int, now: datetime, tz: tzinfo,
    wording: Wording,
) -> Appointed:
    """The guided /plh: this person, for this many days from today."""
    async with sessions.begin() as s:
        me = await _me(s, telegram_id)
        who = await s.get(Person, person_id)
        if who is None:
            raise ServiceError("acting_unknown")
        first = now.astimezone(tz).date()
        return await _appoint(s, me, who, first, first + timedelta(days=max(days, 1) - 1), role, now, tz, wording)


async def _appoint(s: AsyncSession, me: Person, who: Person, first: date, last: date, role: Role | None,
                   now: datetime, tz: tzinfo, wording: Wording) -> Appointed:
    """Record the assignment, tell the acting official, and re-send at once when it starts today."""
    named = await acting.name_acting(s, by=me, acting=who, first=first, last=last, now=now, tz=tz, role=role)
    view = await view_of(s, named.assignment, tz)
    await postbox.owe(s, Owed(f"plh:{view.id}:named", view.acting_chat, Notice.TEXT,
                              {"text": wording.named(view, me.full_name)}, f"plh {view.id} named"), now)
    if named.started:
        await _resend_due(s, now, tz, wording)
    return Appointed(view, me.full_name, named.started)


async def withdraw(sessions: Sessions, *, telegram_id: int, assignment_id: int, now: datetime, tz: tzinfo,
                   wording: Wording) -> AssignmentView:
    """✖️ Batalkan Plh: cancel an assignment and tell the acting official."""
    async with sessions.begin() as s:
        me = await _me(s, telegram_id)
        view = await view_of(s, await acting.cancel(s, me, assignment_id, now), tz)
        await postbox.owe(s, Owed(f"plh:{view.id}:cancelled", view.acting_chat, Notice.TEXT,
                                  {"text": wording.cancelled(view)}, f"plh {view.id} cancelled"), now)
        return view


async def resend_started(sessions: Sessions, *, now: datetime, tz: tzinfo, wording: Wording) -> int:
    """The SOP clock's sweep: re-send what waits to every acting official whose range has
    started; returns how many were served (each is owed at least a note)."""
    async with sessions.begin() as s:
        return await _resend_due(s, now, tz, wording)


async def _resend_due(s: AsyncSession, now: datetime, tz: tzinfo, wording: Wording) -> int:
    """Owe each started, not yet served acting official a card per waiting item, then a
    note saying how many; each assignment is served once (``resent_at``)."""
    due = await acting.due_resends(s, now)
    for a in due:
        a.resent_at = now
        n = 0
        for sub in await _waiting(s, a):
            n += await owe_review_cards(s, sub, now, key=f"plh:{a.id}:{sub.id}:{sub.current_revision_id}",
                                        only=[a.acting_id])
        view = await view_of(s, a, tz)
        await postbox.owe(s, Owed(f"plh:{a.id}:started", view.acting_chat, Notice.TEXT,
                                  {"text": wording.started(view, n)}, f"plh {a.id} started"), now)
    return len(due)


async def _waiting(s: AsyncSession, a: ActingAssignment) -> list[Submission]:
    """The items waiting for the assignment's role, oldest first."""
    state = ROLE_STATE[Role(a.role)]
    stmt = select(Submission).where(Submission.state == state).order_by(Submission.state_changed_at)
    return list((await s.scalars(stmt)).unique().all())
