"""People, roles, sections and one-time invitations."""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.workflow import Actor, Role
from services.errors import ServiceError
from services.uow import Sessions
from storage.models import FIRST_OFFICE, Invitation, Person, RoleGrant, Section
from storage.tenancy import office_of

ASSIGNABLE = (Role.WRITER, Role.KASUBBAG, Role.KEPALA, Role.ADMIN)


@dataclass(frozen=True)
class TelegramIdentity:
    telegram_id: int
    full_name: str
    username: str | None = None


def roles_of(person: Person) -> frozenset[Role]:
    return frozenset(Role(g.role) for g in person.grants)


def actor_of(person: Person) -> Actor:
    return Actor(person.id, roles_of(person))


def writer_sections(person: Person) -> list[Section]:
    return sorted(
        (g.section for g in person.grants if g.role == Role.WRITER and g.section and g.section.active),
        key=lambda s: s.name,
    )


async def by_telegram_id(s: AsyncSession, telegram_id: int) -> Person | None:
    return await s.scalar(select(Person).where(Person.telegram_id == telegram_id, Person.active))


async def touch(s: AsyncSession, who: TelegramIdentity) -> Person | None:
    """Keep names current; returns the registered, active person or None."""
    person = await s.scalar(select(Person).where(Person.telegram_id == who.telegram_id))
    if person is None or not person.active:
        return None
    if person.full_name != who.full_name or person.username != who.username:
        person.full_name, person.username = who.full_name, who.username
    return person


async def ensure_admins(s: AsyncSession, telegram_ids: list[int], now: datetime) -> None:
    """ADMIN_IDS are admins from the first start, before they ever write."""
    for tid in telegram_ids:
        person = await s.scalar(select(Person).where(Person.telegram_id == tid))
        if person is None:
            person = Person(telegram_id=tid, full_name=f"Admin {tid}", created_at=now, active=True, grants=[])
            s.add(person)
            await s.flush()
        if Role.ADMIN not in roles_of(person):
            person.grants.append(RoleGrant(role=Role.ADMIN, granted_at=now))


async def section_by_name(s: AsyncSession, name: str) -> Section | None:
    return await s.scalar(select(Section).where(func.lower(Section.name) == name.strip().lower()))


async def add_section(s: AsyncSession, name: str) -> Section:
    name = " ".join(name.split())
    if not (2 <= len(name) <= 120):
        raise ServiceError("section_name_invalid")
    existing = await section_by_name(s, name)
    if existing is not None:
        if existing.active:
            raise ServiceError("section_exists", name=existing.name)
        existing.active = True
        return existing
    section = Section(name=name, active=True)
    s.add(section)
    await s.flush()
    return section


async def deactivate_section(s: AsyncSession, section_id: int) -> Section:
    section = await s.get(Section, section_id)
    if section is None:
        raise ServiceError("section_unknown")
    section.active = False
    return section


async def sections(s: AsyncSession) -> list[Section]:
    return list((await s.scalars(select(Section).where(Section.active).order_by(Section.name))).all())


async def create_invitation(
    s: AsyncSession, creator: Person, role: Role, section: Section | None, now: datetime, ttl: timedelta
) -> Invitation:
    if Role.ADMIN not in roles_of(creator):
        raise ServiceError("admin_only")
    if role == Role.WRITER and section is None:
        raise ServiceError("writer_needs_section")
    # 16 url-safe bytes: unguessable, and well inside /start's 64-character payload.
    inv = Invitation(
        code=secrets.token_urlsafe(16),
        role=role,
        section_id=section.id if (section and role == Role.WRITER) else None,
        created_by=creator.id,
        created_at=now,
        expires_at=now + ttl,
    )
    s.add(inv)
    await s.flush()
    return inv


async def redeem_invitation(
    s: AsyncSession, code: str, who: TelegramIdentity, now: datetime
) -> tuple[Person, Invitation]:
    inv = await s.get(Invitation, code, with_for_update=True)
    if inv is None:
        raise ServiceError("invite_unknown")
    if inv.used_at is not None:
        raise ServiceError("invite_used")
    if inv.expires_at <= now:
        raise ServiceError("invite_expired")
    person = await s.scalar(select(Person).where(Person.telegram_id == who.telegram_id))
    if person is None:
        person = Person(
            telegram_id=who.telegram_id, full_name=who.full_name, username=who.username, created_at=now, active=True,
            grants=[],
        )
        s.add(person)
        await s.flush()
    person.active = True
    if not any(g.role == inv.role and g.section_id == inv.section_id for g in person.grants):
        person.grants.append(
            RoleGrant(role=inv.role, section_id=inv.section_id, granted_by=inv.created_by, granted_at=now)
        )
    inv.used_by, inv.used_at = person.id, now
    return person, inv


async def people(s: AsyncSession) -> list[Person]:
    """The office's people: whoever holds a role in it, and whoever works in it holding none (roles
    revoked: the admin may give one back).  People are the deployment's; their roles are an office's."""
    office = office_of(s)
    query = select(Person).where(Person.active)
    if office is not None:
        holds_a_role = exists().where(RoleGrant.person_id == Person.id)  # this office's grants only (the scope)
        query = query.where(or_(holds_a_role, func.coalesce(Person.current_office_id, FIRST_OFFICE) == office))
    return list((await s.scalars(query.order_by(Person.full_name))).all())


async def revoke_grant(s: AsyncSession, admin: Person, grant_id: int) -> RoleGrant:
    if Role.ADMIN not in roles_of(admin):
        raise ServiceError("admin_only")
    grant = await s.get(RoleGrant, grant_id)
    if grant is None:
        raise ServiceError("grant_unknown")
    if grant.person_id == admin.id and grant.role == Role.ADMIN:
        others = await s.scalar(
            select(func.count()).select_from(RoleGrant).where(RoleGrant.role == Role.ADMIN, RoleGrant.id != grant.id)
        )
        if not others:
            raise ServiceError("last_admin")
    await s.delete(grant)
    await s.flush()
    return grant


async def office_admins(s: AsyncSession) -> list[Person]:
    """The admins an office's notices and reports go to (SOP: "the admin is told").  An office other
    than no. 1 tells its own admins: the deployment's admins (ADMIN_IDS, admins of every office by
    the installation's own grant, ``granted_by`` empty) read every office in the pemda roll-up, and
    are told of an office's items only while it has no admin of its own."""
    admins = await people_with_role(s, Role.ADMIN)
    if office_of(s) in (None, FIRST_OFFICE):
        return admins
    own = [p for p in admins if any(g.role == Role.ADMIN and g.granted_by is not None for g in p.grants)]
    return own or admins


async def people_with_role(s: AsyncSession, role: Role) -> list[Person]:
    stmt = select(Person).join(RoleGrant, RoleGrant.person_id == Person.id).where(
        RoleGrant.role == role, Person.active
    )
    return list((await s.scalars(stmt.distinct())).unique().all())


# --- read models --------------------------------------------------------------

@dataclass(frozen=True)
class SectionView:
    id: int
    name: str


@dataclass(frozen=True)
class GrantView:
    id: int
    role: Role
    section_id: int | None
    section_name: str | None


@dataclass(frozen=True)
class PersonView:
    id: int
    full_name: str
    username: str | None
    grants: tuple[GrantView, ...]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)


@dataclass(frozen=True)
class Me:
    """The person talking to the bot: name and roles."""

    id: int
    full_name: str
    roles: frozenset[Role]


def section_view(section: Section) -> SectionView:
    return SectionView(section.id, section.name)


def grant_view(g: RoleGrant) -> GrantView:
    return GrantView(g.id, Role(g.role), g.section_id, g.section.name if g.section else None)


def person_view(p: Person) -> PersonView:
    return PersonView(p.id, p.full_name, p.username, tuple(grant_view(g) for g in p.grants))


def me_of(p: Person) -> Me:
    return Me(p.id, p.full_name, roles_of(p))


# --- use cases: who is talking ------------------------------------------------

async def admit(sessions: Sessions, who: TelegramIdentity) -> bool:
    """Whether this Telegram user is a registered, active person (their name kept current)."""
    async with sessions() as s:  # every update passes here: look first, write only when a name changed
        person = await s.scalar(select(Person).where(Person.telegram_id == who.telegram_id))
        if person is None or not person.active:
            return False
        if person.full_name == who.full_name and person.username == who.username:
            return True
    async with sessions.begin() as s:
        return await touch(s, who) is not None


async def whoami(sessions: Sessions, telegram_id: int) -> Me | None:
    """The registered person behind this Telegram id, or None."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        return me_of(person) if person else None


async def roles_for(sessions: Sessions, telegram_id: int) -> frozenset[Role]:
    """The roles of this Telegram user (none when not registered)."""
    me = await whoami(sessions, telegram_id)
    return me.roles if me else frozenset()


# --- use cases: command menus ------------------------------------------------

@dataclass(frozen=True)
class MenuHolder:
    """A person whose chat has (or should have) a command menu drawn from their roles."""

    person_id: int
    telegram_id: int
    #: Their roles now (none once deactivated: the menu falls back to the bot-wide one).
    roles: frozenset[Role]
    #: The signature of the menu last set for their chat (None: never set).
    menu: str | None


async def menu_holders(sessions: Sessions, *, person_ids: Iterable[int] | None = None,
                       telegram_id: int | None = None) -> tuple[MenuHolder, ...]:
    """These people (everyone registered, without a choice) with their roles and the menu they were last given."""
    async with sessions() as s:
        stmt = select(Person).order_by(Person.id)
        if person_ids is not None:
            stmt = stmt.where(Person.id.in_(list(person_ids)))
        if telegram_id is not None:
            stmt = stmt.where(Person.telegram_id == telegram_id)
        return tuple(MenuHolder(p.id, p.telegram_id, roles_of(p) if p.active else frozenset(), p.menu)
                     for p in (await s.scalars(stmt)).unique().all())


async def remember_menu(sessions: Sessions, *, person_id: int, signature: str) -> None:
    """The menu now set for this person's chat (so a restart does not set it again)."""
    async with sessions.begin() as s:
        person = await s.get(Person, person_id)
        if person is not None:
            person.menu = signature


# --- use cases: the admin's tools ---------------------------------------------

@dataclass(frozen=True)
class NeedRole:
    """An invitation needs its role chosen first."""

    roles: tuple[Role, ...]


@dataclass(frozen=True)
class NeedSection:
    """A writer's invitation needs a section chosen first (none may exist yet)."""

    sections: tuple[SectionView, ...]


@dataclass(frozen=True)
class Invited:
    code: str
    role: Role
    section: str | None
    expires_at: datetime


@dataclass(frozen=True)
class Managed:
    """A person as the admin manages them, and the sections a writer's role may be for."""

    person: PersonView
    sections: tuple[SectionView, ...]


@dataclass(frozen=True)
class Revoked:
    grant: GrantView
    managed: Managed


async def _admin(s: AsyncSession, telegram_id: int) -> Person:
    person = await by_telegram_id(s, telegram_id)
    if person is None or Role.ADMIN not in roles_of(person):
        raise ServiceError("admin_only")
    return person


def _role_word(word: str) -> Role:
    role = next((r for r in ASSIGNABLE if r.value == word.lower()), None)
    if role is None:
        raise ServiceError("role_unknown", role=word)
    return role


async def invite(
    sessions: Sessions, *, telegram_id: int, role: str | None, now: datetime, ttl: timedelta,
    section_name: str | None = None, section_id: int | None = None,
) -> NeedRole | NeedSection | Invited:
    """/undang and its buttons: a one-time invitation link, or what to choose first.

    ``role`` is the word typed (or the role on a button); a writer's section is
    named (typed) or picked (``section_id``).  Raises ``admin_only``,
    ``role_unknown`` and ``section_unknown_name``.
    """
    async with sessions.begin() as s:
        admin = await _admin(s, telegram_id)
        if role is None:
            return NeedRole(ASSIGNABLE)
        chosen = _role_word(role)
        section: Section | None = None
        if chosen == Role.WRITER:
            if section_id is not None:
                section = await s.get(Section, section_id)
            elif not section_name:
                return NeedSection(tuple(section_view(x) for x in await sections(s)))
            else:
                section = await section_by_name(s, section_name)
                if section is None or not section.active:
                    raise ServiceError("section_unknown_name", name=section_name)
        inv = await create_invitation(s, admin, chosen, section, now, ttl)
        shown = section.name if section and chosen == Role.WRITER else None
        return Invited(inv.code, chosen, shown, inv.expires_at)


async def roster(sessions: Sessions, *, telegram_id: int) -> tuple[PersonView, ...]:
    """/pengguna: every active person with their roles."""
    async with sessions() as s:
        await _admin(s, telegram_id)
        return tuple(person_view(p) for p in await people(s))


async def section_list(sessions: Sessions, *, telegram_id: int) -> tuple[SectionView, ...]:
    """/bagian: the active sections."""
    async with sessions() as s:
        await _admin(s, telegram_id)
        return tuple(section_view(x) for x in await sections(s))


async def add_section_as(sessions: Sessions, *, telegram_id: int, name: str) -> SectionView:
    """/bagian tambah <nama>: a new section (or a removed one back)."""
    async with sessions.begin() as s:
        await _admin(s, telegram_id)
        return section_view(await add_section(s, name))


async def remove_section_as(sessions: Sessions, *, telegram_id: int, section_id: int) -> SectionView:
    """A section's 🗑 button: deactivated, its history kept."""
    async with sessions.begin() as s:
        await _admin(s, telegram_id)
        return section_view(await deactivate_section(s, section_id))


async def _managed(s: AsyncSession, person: Person) -> Managed:
    await s.refresh(person, ["grants"])
    return Managed(person_view(person), tuple(section_view(x) for x in await sections(s)))


async def manage(sessions: Sessions, *, telegram_id: int, person_id: int) -> Managed:
    """A person's ⚙️ button: their roles, and what may be granted or revoked."""
    async with sessions() as s:
        await _admin(s, telegram_id)
        person = await s.get(Person, person_id)
        if person is None:
            raise ServiceError("grant_unknown")
        return await _managed(s, person)


async def grant(
    sessions: Sessions, *, telegram_id: int, person_id: int, role: Role, section_id: int | None, now: datetime,
) -> Managed:
    """➕ a role (a writer's role for a section); granting one held already changes nothing."""
    async with sessions.begin() as s:
        admin = await _admin(s, telegram_id)
        person = await s.get(Person, person_id)
        if person is None:
            raise ServiceError("grant_unknown")
        if not any(g.role == role and g.section_id == section_id for g in person.grants):
            person.grants.append(RoleGrant(role=role, section_id=section_id, granted_by=admin.id, granted_at=now))
            await s.flush()
        return await _managed(s, person)


async def revoke(sessions: Sessions, *, telegram_id: int, grant_id: int) -> Revoked:
    """❌ a role (never the last admin's)."""
    async with sessions.begin() as s:
        admin = await _admin(s, telegram_id)
        revoked = await revoke_grant(s, admin, grant_id)
        person = await s.get(Person, revoked.person_id)
        if person is None:
            raise ServiceError("grant_unknown")
        return Revoked(grant_view(revoked), await _managed(s, person))
