"""A small office in the database, and fake publishers, for the storage tests."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domain.checks import CheckPolicy
from domain.workflow import Action, Role
from publishers.base import Article, PriorPublication, Publisher, PublishResult
from services.clock import ManualClock
from services.reviewing import review
from services.staff.people import by_telegram_id
from services.website import articles
from services.website.outbox import Outbox
from services.writing import drafts
from storage.db import make_engine, make_sessionmaker, upgrade
from storage.models import AuditEvent, Person, RoleGrant, Section

T0 = datetime(2026, 3, 2, 8, 0, 0, 123456, tzinfo=UTC)
WIB = timezone(timedelta(hours=7), "WIB")

WRITER, KASUBBAG, KASUBBAG2, KEPALA, KEPALA2 = 1001, 2001, 2002, 3001, 3002
BODY = ("Kegiatan sosialisasi keterbukaan informasi publik diikuti oleh seluruh pegawai dan "
        "perwakilan masyarakat di aula kantor, dengan tanya jawab yang hidup dan bermanfaat.\n\n") * 2


@dataclass
class Db:
    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def second(self) -> Db:
        """Another engine (its own pool) on the same database: a second bot process."""
        engine = make_engine(self.url)
        return Db(self.url, engine, make_sessionmaker(engine))

    async def close(self) -> None:
        await self.engine.dispose()


async def open_db(url: str) -> Db:
    engine = make_engine(url)
    await upgrade(engine)
    return Db(url, engine, make_sessionmaker(engine))


async def seed_office(db: Db, now: datetime = T0) -> None:
    """Section Humas; a writer; two Kasubbags; two Kepalas."""
    async with db.sessions.begin() as s:
        humas = Section(name="Humas", active=True)
        s.add(humas)
        await s.flush()
        for tid, name, role, section in [
            (WRITER, "Wulan Penulis", Role.WRITER, humas.id),
            (KASUBBAG, "Kasim Kasubbag", Role.KASUBBAG, None),
            (KASUBBAG2, "Kusno Kasubbag", Role.KASUBBAG, None),
            (KEPALA, "Kartini Kepala", Role.KEPALA, None),
            (KEPALA2, "Kurnia Kepala", Role.KEPALA, None),
        ]:
            p = Person(telegram_id=tid, full_name=name, active=True, created_at=now, grants=[])
            p.grants.append(RoleGrant(role=role, section_id=section, granted_at=now))
            s.add(p)


async def person(s: AsyncSession, telegram_id: int) -> Person:
    p = await by_telegram_id(s, telegram_id)
    assert p is not None
    return p


async def write_and_submit(db: Db, now: datetime = T0, title: str = "Sosialisasi keterbukaan informasi") -> tuple[int, int]:
    """The writer's side, one transaction per step as the bot does it."""
    async with db.sessions.begin() as s:
        d = await drafts.start(s, await person(s, WRITER), now)
        sid = d.submission.id
    async with db.sessions.begin() as s:
        w = await person(s, WRITER)
        d = await drafts.editable(s, sid, w, now)
        drafts.set_kind(d, "artikel")
        drafts.set_title(d, title)
        drafts.set_body(d, BODY)
    async with db.sessions.begin() as s:
        w = await person(s, WRITER)
        d = await drafts.load(s, sid)
        await drafts.submit(s, d, w, CheckPolicy(), now)
        rid = d.revision.id
    return sid, rid


async def decide(db: Db, telegram_id: int, sid: int, rid: int, action: Action, now: datetime,
                 targets=(), hold: float = 0.0):
    """One reviewer press, as handlers/review.py runs it (one transaction)."""
    async with db.sessions.begin() as s:
        who = await person(s, telegram_id)
        decision = await review.decision(s, person=who, submission_id=sid, revision_id=rid, action=action,
                                         note=None, now=now, targets=list(targets))
        if hold:
            await asyncio.sleep(hold)  # keep the transaction (and its locks) open a while
    return decision


async def to_kepala(db: Db, now: datetime = T0, **kw) -> tuple[int, int]:
    sid, rid = await write_and_submit(db, now, **kw)
    await decide(db, KASUBBAG, sid, rid, Action.FORWARD, now + timedelta(minutes=5))
    return sid, rid


async def audit_trail(db: Db, sid: int) -> list[tuple[str, str, str]]:
    async with db.sessions() as s:
        rows = (await s.scalars(select(AuditEvent).where(AuditEvent.submission_id == sid)
                                .order_by(AuditEvent.id))).unique().all()
        return [(e.action, e.from_state, e.to_state) for e in rows]


async def count(db: Db, model, *where) -> int:
    async with db.sessions() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


class FakePublisher(Publisher):
    """Counts every call; optionally slow, so that workers overlap."""

    def __init__(self, name: str, stage: int = 0, delay: float = 0.0) -> None:
        self.name, self.label, self.stage, self.delay = name, name.title(), stage, delay
        self.calls: list[tuple[int, int, PriorPublication | None]] = []

    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        self.calls.append((article.submission_id, article.revision_number, prior))
        if self.delay:
            await asyncio.sleep(self.delay)
        return PublishResult(url=f"https://situs.test/{self.name}/{article.slug}",
                             remote_id=f"{self.name}-{article.submission_id}", remote={"calls": len(self.calls)})


@dataclass
class Publishers:
    site: FakePublisher = field(default_factory=lambda: FakePublisher("static_site"))
    archive: FakePublisher = field(default_factory=lambda: FakePublisher("archive", stage=1))

    @property
    def targets(self) -> list[tuple[str, int]]:
        return [(p.name, p.stage) for p in (self.site, self.archive)]

    def as_dict(self) -> dict[str, Publisher]:
        return {p.name: p for p in (self.site, self.archive)}


def outbox(db: Db, pubs: Publishers, clock: ManualClock, data_dir: Path) -> Outbox:
    async def build(s, sid, rid):
        return await articles.build_article(s, data_dir, sid, rid)
    return Outbox(db.sessions, pubs.as_dict(), build, clock)
