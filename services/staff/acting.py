"""Acting officials (Plh / Plt): who holds a reviewer's role while they are away.

A kepala or kasubbag (or an admin for them) names an acting official for a
range of local dates.  Inside that range the acting official receives that
role's review requests and may decide; the audit event records "as Plh of
<name>" (``audit_events.acting_for_id``).  Authorisation is always asked of
the database at the moment of the press: :func:`actor_at`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.workflow import Actor, Role
from services.errors import ServiceError
from services.staff.people import by_telegram_id, people_with_role, roles_of
from storage.models import ActingAssignment, Person

#: The roles that can be held by a Plh/Plt.
ACTING_ROLES = (Role.KASUBBAG, Role.KEPALA)
#: The longest range one assignment may cover.
MAX_DAYS = 366


def _tz(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def day_bounds(first: date, last: date, tz: str | tzinfo) -> tuple[datetime, datetime]:
    """Local midnight of ``first`` and local midnight after ``last``."""
    z = _tz(tz)
    return datetime.combine(first, time(0), tzinfo=z), datetime.combine(last + timedelta(days=1), time(0), tzinfo=z)


def local_days(a: ActingAssignment, tz: str | tzinfo) -> tuple[date, date]:
    """The assignment's first and last day (inclusive), in the office's zone."""
    z = _tz(tz)
    return a.starts_at.astimezone(z).date(), (a.ends_at.astimezone(z) - timedelta(microseconds=1)).date()


def _active(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (ActingAssignment.cancelled_at.is_(None), ActingAssignment.starts_at <= now, ActingAssignment.ends_at > now)


async def active(s: AsyncSession, now: datetime, *, role: Role | None = None) -> list[ActingAssignment]:
    stmt = select(ActingAssignment).where(*_active(now))
    if role is not None:
        stmt = stmt.where(ActingAssignment.role == role)
    return list((await s.scalars(stmt.order_by(ActingAssignment.id))).unique().all())


async def acting_roles(s: AsyncSession, person: Person, now: datetime) -> dict[Role, int]:
    """Roles ``person`` holds *as Plh* at ``now`` (and does not hold in their own right): role -> principal id."""
    own = roles_of(person)
    rows = (await s.scalars(select(ActingAssignment).where(
        *_active(now), ActingAssignment.acting_id == person.id).order_by(ActingAssignment.id))).unique().all()
    out: dict[Role, int] = {}
    for a in rows:
        role = Role(a.role)
        if role not in own:
            out.setdefault(role, a.principal_id)
    return out


async def actor_at(s: AsyncSession, person: Person, now: datetime) -> tuple[Actor, dict[Role, int]]:
    """The person as the workflow sees them at ``now``: own roles plus acting roles.

    Returns the actor and, for each role held only as Plh, whose Plh.
    """
    extra = await acting_roles(s, person, now)
    return Actor(person.id, roles_of(person) | frozenset(extra)), extra


async def route(s: AsyncSession, role: Role, holders: list[Person], now: datetime) -> list[Person]:
    """Who receives ``role``'s review requests at ``now``: the holders, except
    those covered by a Plh, plus the acting officials."""
    rows = await active(s, now, role=role)
    covered = {a.principal_id for a in rows}
    out = [p for p in holders if p.id not in covered]
    seen = {p.id for p in out}
    for a in rows:
        if a.acting_id not in seen and a.acting.active:
            out.append(a.acting)
            seen.add(a.acting_id)
    return out


@dataclass(frozen=True)
class Named:
    assignment: ActingAssignment
    role: Role
    principal: Person
    acting: Person
    started: bool


def _role_for(by: Person, role: Role | None) -> Role:
    own = roles_of(by)
    if role is not None:
        if role not in ACTING_ROLES:
            raise ServiceError("acting_role_invalid")
        if role not in own and Role.ADMIN not in own:
            raise ServiceError("acting_forbidden")
        return role
    mine = [r for r in ACTING_ROLES if r in own]
    if len(mine) == 1:
        return mine[0]
    if len(mine) > 1 or Role.ADMIN in own:
        raise ServiceError("acting_role_needed")
    raise ServiceError("acting_forbidden")


async def principal_for(s: AsyncSession, by: Person, role: Role) -> Person:
    if role in roles_of(by):
        return by
    holders = sorted(await people_with_role(s, role), key=lambda p: p.id)
    if not holders:
        raise ServiceError("acting_no_holder", role=role.value)
    return holders[0]


async def name_acting(
    s: AsyncSession,
    *,
    by: Person,
    acting: Person,
    first: date,
    last: date,
    now: datetime,
    tz: str | tzinfo,
    role: Role | None = None,
) -> Named:
    """Record a Plh/Plt.  Refuses self-delegation, overlaps, ranges in the past."""
    role = _role_for(by, role)
    principal = await principal_for(s, by, role)
    if acting.id == principal.id:
        raise ServiceError("acting_self")
    if not acting.active:
        raise ServiceError("acting_unknown")
    if last < first:
        raise ServiceError("acting_reversed")
    today = now.astimezone(_tz(tz)).date()
    if last < today:
        raise ServiceError("acting_past")
    if (last - first).days + 1 > MAX_DAYS:
        raise ServiceError("acting_too_long", days=MAX_DAYS)
    starts_at, ends_at = day_bounds(first, last, tz)
    clash = await s.scalar(select(ActingAssignment).where(
        ActingAssignment.cancelled_at.is_(None),
        ActingAssignment.role == role,
        or_(ActingAssignment.principal_id == principal.id, ActingAssignment.acting_id == acting.id),
        ActingAssignment.starts_at < ends_at,
        ActingAssignment.ends_at > starts_at,
    ).limit(1))
    if clash is not None:
        since, until = local_days(clash, tz)
        raise ServiceError("acting_overlap", name=clash.acting.full_name, first=since, last=until)
    a = ActingAssignment(role=role, principal_id=principal.id, acting_id=acting.id, starts_at=starts_at,
                         ends_at=ends_at, created_by=by.id, created_at=now, principal=principal, acting=acting)
    s.add(a)
    await s.flush()
    return Named(a, role, principal, acting, starts_at <= now)


async def cancel(s: AsyncSession, by: Person, assignment_id: int, now: datetime) -> ActingAssignment:
    a = await s.get(ActingAssignment, assignment_id)
    if a is None or a.cancelled_at is not None:
        raise ServiceError("acting_unknown")
    if by.id not in (a.principal_id, a.created_by) and Role.ADMIN not in roles_of(by):
        raise ServiceError("acting_forbidden")
    a.cancelled_at = now
    return a


async def current_and_planned(s: AsyncSession, now: datetime) -> list[ActingAssignment]:
    stmt = (select(ActingAssignment)
            .where(ActingAssignment.cancelled_at.is_(None), ActingAssignment.ends_at > now)
            .order_by(ActingAssignment.starts_at, ActingAssignment.id))
    return list((await s.scalars(stmt)).unique().all())


async def due_resends(s: AsyncSession, now: datetime) -> list[ActingAssignment]:
    """Assignments that have started and whose waiting items were not re-sent yet."""
    stmt = select(ActingAssignment).where(*_active(now), ActingAssignment.resent_at.is_(None))
    return list((await s.scalars(stmt.order_by(ActingAssignment.id))).unique().all())


async def next_start(s: AsyncSession, now: datetime) -> datetime | None:
    """When the next assignment not yet started begins (to schedule its re-send)."""
    return await s.scalar(select(ActingAssignment.starts_at).where(
        ActingAssignment.cancelled_at.is_(None), ActingAssignment.resent_at.is_(None),
        ActingAssignment.starts_at > now).order_by(ActingAssignment.starts_at).limit(1))


async def find_person(s: AsyncSession, handle: str) -> Person | None:
    """A registered person by @username (any case) or Telegram id."""
    handle = handle.lstrip("@").strip()
    if handle.isdigit():
        return await by_telegram_id(s, int(handle))
    return await s.scalar(select(Person).where(func.lower(Person.username) == handle.lower(), Person.active))


@dataclass(frozen=True)
class AssignmentView:
    """An acting official's assignment, detached from the database (days are local, inclusive)."""

    id: int
    role: Role
    principal_id: int
    principal_name: str
    acting_id: int
    acting_name: str
    acting_chat: int
    created_by: int
    first: date
    last: date


async def view_of(s: AsyncSession, a: ActingAssignment, tz: str | tzinfo) -> AssignmentView:
    """The assignment as a read model (its people by id: it may have been created in this transaction)."""
    principal, acting = await s.get_one(Person, a.principal_id), await s.get_one(Person, a.acting_id)
    first, last = local_days(a, tz)
    return AssignmentView(a.id, Role(a.role), a.principal_id, principal.full_name, a.acting_id, acting.full_name,
                          acting.telegram_id, a.created_by, first, last)
