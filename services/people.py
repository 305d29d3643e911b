"""People, roles, sections and one-time invitations."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.workflow import Actor, Role
from services.errors import ServiceError
from storage.models import Invitation, Person, RoleGrant, Section

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


async def redeem_invitation(s: AsyncSession, code: str, who: TelegramIdentity, now: datetime) -> tuple[Person, Invitation]:
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
    return list((await s.scalars(select(Person).where(Person.active).order_by(Person.full_name))).all())


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


async def people_with_role(s: AsyncSession, role: Role) -> list[Person]:
    stmt = select(Person).join(RoleGrant, RoleGrant.person_id == Person.id).where(
        RoleGrant.role == role, Person.active
    )
    return list((await s.scalars(stmt.distinct())).unique().all())
