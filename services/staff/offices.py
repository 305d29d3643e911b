"""Offices (kantor, OPD) of one deployment: which exist, where a person works, adding one.

These use cases are the deployment's, not an office's: they are given the
deployment's storage (``Terbit.across_offices``) and decide an office
themselves.  Everything else runs in one office's scope (storage/tenancy.py).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.slug import office_slug
from domain.workflow import Role
from services.errors import ServiceError
from services.staff.people import by_telegram_id, create_invitation, ensure_admins
from services.uow import Sessions
from storage.models import ItemMessage, Office, Person, ReviewMessage, RoleGrant, Submission
from storage.tenancy import for_office

NAME_MAX = 120


@dataclass(frozen=True)
class OfficeView:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class MyOffices:
    """The offices a person holds a role in, and the one they work in now."""

    current: OfficeView | None
    offices: tuple[OfficeView, ...]
    #: Admin of the deployment (ADMIN_IDS): may add offices and read the pemda roll-up.
    deployment_admin: bool


@dataclass(frozen=True)
class Created:
    office: OfficeView
    #: A one-time invitation for the office's own admin.
    invitation: str
    expires_at: datetime


def view(o: Office) -> OfficeView:
    return OfficeView(o.id, o.slug, o.name)


async def all_offices(sessions: Sessions) -> tuple[OfficeView, ...]:
    """Every active office, first added first."""
    async with sessions() as s:
        rows = await s.scalars(select(Office).where(Office.active).order_by(Office.id))
        return tuple(view(o) for o in rows)


async def _offices_of(s: AsyncSession, person_id: int) -> list[Office]:
    rows = await s.scalars(
        select(Office).join(RoleGrant, RoleGrant.office_id == Office.id)
        .where(RoleGrant.person_id == person_id, Office.active).distinct().order_by(Office.id))
    return list(rows)


def _current(person: Person, mine: list[Office]) -> Office | None:
    """The office a person works in now: the one they chose, else their first."""
    return next((o for o in mine if o.id == person.current_office_id), mine[0] if mine else None)


async def current_office(sessions: Sessions, *, telegram_id: int) -> int | None:
    """The office a person's messages are for: the one they chose, else their only (or first) one;
    None for someone who holds no role anywhere."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            return None
        chosen = _current(person, await _offices_of(s, person.id))
        return chosen.id if chosen is not None else None


async def office_of_message(sessions: Sessions, *, chat_id: int, message_id: int) -> int | None:
    """The office a message the bot sent belongs to (a card, a photo, a comment's notice): a reply to it
    is about that office's item, whichever office the person works in now."""
    async with sessions() as s:
        for model in (ItemMessage, ReviewMessage):
            found = await s.scalar(select(model.office_id).where(model.chat_id == chat_id,
                                                                 model.message_id == message_id).limit(1))
            if found is not None:
                return int(found)
    return None


async def mine(sessions: Sessions, *, telegram_id: int, admin_ids: frozenset[int]) -> MyOffices:
    """/kantor: the person's offices and the current one."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            raise ServiceError("not_registered")
        offices = await _offices_of(s, person.id)
        chosen = _current(person, offices)
        return MyOffices(view(chosen) if chosen is not None else None, tuple(view(o) for o in offices),
                         telegram_id in admin_ids)


async def switch(sessions: Sessions, *, telegram_id: int, office_id: int) -> OfficeView:
    """Work in another of one's offices from now on."""
    async with sessions.begin() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            raise ServiceError("not_registered")
        office = next((o for o in await _offices_of(s, person.id) if o.id == office_id), None)
        if office is None:
            raise ServiceError("office_not_yours")
        person.current_office_id = office.id
        return view(office)


async def add(sessions: Sessions, *, name: str, admin_ids: Iterable[int], now: datetime) -> OfficeView:
    """A new office (``terbit kantor add`` and /kantor tambah): its row, a slug of its own, and the
    deployment admins as its admins."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError("office_name_needed")
    if len(name) > NAME_MAX:
        raise ServiceError("office_name_too_long", limit=NAME_MAX)
    async with sessions.begin() as s:
        taken = {o.slug for o in await s.scalars(select(Office))}
        if any(o.name.lower() == name.lower() for o in await s.scalars(select(Office).where(Office.active))):
            raise ServiceError("office_exists", name=name)
        base = office_slug(name)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base[:36]}-{n}", n + 1
        office = Office(slug=slug, name=name, created_at=now, active=True)
        s.add(office)
        try:
            await s.flush()
        except IntegrityError:
            raise ServiceError("office_exists", name=name) from None
        created = view(office)
    # The office's own rows are written in the office's own scope.
    async with for_office(sessions, created.id).begin() as s:
        await ensure_admins(s, sorted(admin_ids), now)
    return created


async def create(sessions: Sessions, *, telegram_id: int, name: str, admin_ids: frozenset[int], now: datetime,
                 ttl: timedelta) -> Created:
    """/kantor tambah: a new office, and an invitation for its own admin (deployment admins only)."""
    if telegram_id not in admin_ids:
        raise ServiceError("deployment_admin_only")
    created = await add(sessions, name=name, admin_ids=admin_ids, now=now)
    async with for_office(sessions, created.id).begin() as s:
        creator = await s.scalar(select(Person).where(Person.telegram_id == telegram_id))
        assert creator is not None  # a deployment admin: made an admin of the office just now
        inv = await create_invitation(s, creator, Role.ADMIN, None, now, ttl)
        return Created(created, inv.code, inv.expires_at)


async def ensure_every_office_admins(sessions: Sessions, admin_ids: list[int], now: datetime) -> None:
    """At start: the deployment admins (ADMIN_IDS) are admins of every office."""
    for office in await all_offices(sessions):
        async with for_office(sessions, office.id).begin() as s:
            await ensure_admins(s, admin_ids, now)


async def rename_first(sessions: Sessions, name: str) -> None:
    """Office no. 1 takes the installation's OFFICE_NAME (migration 0014 calls it "Kantor")."""
    name = " ".join(name.split())
    if not name:
        return
    async with sessions.begin() as s:
        first = await s.get(Office, 1)
        if first is not None and first.name != name[:NAME_MAX]:
            first.name = name[:NAME_MAX]


async def office_of_submission(sessions: Sessions, submission_id: int) -> int | None:
    """The office an item belongs to (the deployment's sessions: every office's items are seen)."""
    async with sessions() as s:
        found = await s.scalar(select(Submission.office_id).where(Submission.id == submission_id))
        return int(found) if found is not None else None
