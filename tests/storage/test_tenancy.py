"""Offices (storage/tenancy.py): an office's sessions see and write their office's rows only.

Two offices in one database, each with a section named "Humas", a writer, an item with its revision
and audit trail; one person (a Kepala) works in both.  Every kind of ORM statement is asked of office
A's sessions and must never return, change or create office B's rows.  On SQLite and PostgreSQL (as
the superuser here: the row-level security of the second wall is tested in
tests/storage_pg/test_row_level_security.py, as an ordinary role).
"""
from __future__ import annotations

import asyncio
import importlib.util
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload, selectinload

from domain.kip import KipClass
from domain.workflow import Action, Role, State
from storage.db import MIGRATIONS, SqliteSessions, make_sessionmaker
from storage.models import (
    AuditEvent,
    Base,
    KipDefault,
    Office,
    Person,
    Revision,
    RoleGrant,
    Section,
    Submission,
    Tenant,
)
from storage.tenancy import CrossOffice, OfficeSessions, everywhere, for_office, office_of
from tests.storage.office import BODY, T0

#: The deployment's own tables: not an office's (a person may hold roles in several offices; the
#: postbox, the inbox, the bot's conversation state and hints are the bot's).  A new table is
#: either a Tenant model or named here.
DEPLOYMENT_TABLES = {"offices", "people", "said_once", "user_data", "conversation_states", "outgoing_messages",
                     "inbox_updates"}


def _tenant_tables() -> set[str]:
    return {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Tenant)}


def _migration_0014():
    path = MIGRATIONS / "versions" / "0014_offices.py"
    spec = importlib.util.spec_from_file_location("migration_0014", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_table_is_an_offices_or_the_deployments():
    tables = set(Base.metadata.tables)
    tenants = _tenant_tables()
    assert not tenants & DEPLOYMENT_TABLES
    assert tables == tenants | DEPLOYMENT_TABLES, (
        f"choose: make {sorted(tables - tenants - DEPLOYMENT_TABLES)} Tenant models, or the deployment's here")
    # Migration 0014 walls the same tables off (row-level security on PostgreSQL).
    assert set(_migration_0014().TENANT_TABLES) == tenants
    for name in tenants:
        col = Base.metadata.tables[name].c.office_id
        assert not col.nullable and col.server_default.arg.text == "1", name
        assert [fk.target_fullname for fk in col.foreign_keys] == ["offices.id"], name


# ---- two offices -----------------------------------------------------------------------------


@dataclass
class Two:
    a: int
    b: int
    sub_a: int
    sub_b: int
    humas_a: int
    humas_b: int
    kepala: int


async def two_offices(db) -> Two:
    """Office A (the first, 1) and B, each with a Humas, a writer and an item; a Kepala in both."""
    async with everywhere(db.sessions).begin() as s:
        b = Office(slug="dinas-b", name="Dinas B", created_at=T0, active=True)
        s.add(b)
        await s.flush()
        kepala = Person(telegram_id=3001, full_name="Sari Kepala", active=True, created_at=T0, grants=[])
        s.add(kepala)
        out = {}
        for office, tid, writer_name in ((1, 1001, "Ani A"), (b.id, 1002, "Budi B")):
            humas = Section(name="Humas", active=True, office_id=office)
            s.add(humas)
            await s.flush()
            w = Person(telegram_id=tid, full_name=writer_name, active=True, created_at=T0, grants=[])
            w.grants.append(RoleGrant(role=Role.WRITER, section_id=humas.id, granted_at=T0, office_id=office))
            kepala.grants.append(RoleGrant(role=Role.KEPALA, section_id=None, granted_at=T0, office_id=office))
            s.add(w)
            await s.flush()
            sub = Submission(author_id=w.id, section_id=humas.id, state=State.DRAFT, created_at=T0, updated_at=T0,
                             state_changed_at=T0, office_id=office)
            s.add(sub)
            await s.flush()
            rev = Revision(submission_id=sub.id, number=1, kind="berita", title=f"Kabar {writer_name}", body="Isi.",
                           created_by=w.id, created_at=T0, office_id=office)
            s.add(rev)
            await s.flush()
            sub.current_revision_id = rev.id
            s.add(AuditEvent(submission_id=sub.id, actor_id=w.id, role=Role.WRITER, action=Action.SUBMIT,
                             from_state=State.DRAFT, to_state=State.DRAFT, revision_id=rev.id, at=T0,
                             office_id=office))
            out[office] = (sub.id, humas.id)
        return Two(1, b.id, out[1][0], out[b.id][0], out[1][1], out[b.id][1], kepala.id)


async def test_the_first_office_is_there_and_the_next_one_is_numbered_after_it(db):
    async with db.sessions() as s:
        first = await s.get(Office, 1)
        assert (first.slug, first.name, first.active) == ("kantor", "Kantor", True)
    two = await two_offices(db)
    assert two.b == 2


async def test_an_offices_selects_see_only_its_rows(db):
    two = await two_offices(db)
    a = for_office(db.sessions, two.a)
    async with a() as s:
        assert office_of(s) == two.a
        assert [x.id for x in (await s.scalars(select(Submission))).all()] == [two.sub_a]
        assert (await s.scalars(select(Submission.id))).all() == [two.sub_a]
        assert await s.scalar(select(func.count()).select_from(Submission)) == 1
        assert await s.scalar(select(func.count(Revision.id))) == 1
        # joins: the joined tenant is filtered too (its ON clause)
        joined = (await s.execute(select(Revision.title, Submission.id).join(Submission,
                                                                               Revision.submission_id == Submission.id)
                                  )).all()
        assert joined == [("Kabar Ani A", two.sub_a)]
        # a join to the deployment's people: people are everyone's, their office's rows only
        authors = (await s.scalars(select(Person.full_name).join(Submission, Submission.author_id == Person.id)))
        assert authors.all() == ["Ani A"]
        # a subquery
        in_sub = select(AuditEvent.id).where(AuditEvent.submission_id.in_(select(Submission.id)))
        assert len((await s.scalars(in_sub)).all()) == 1
        # "Humas" is a name in both offices; this office has one
        assert (await s.scalars(select(Section.id).where(Section.name == "Humas"))).all() == [two.humas_a]
    async with everywhere(db.sessions)() as s:
        assert office_of(s) is None
        assert sorted((await s.scalars(select(Submission.id))).all()) == sorted([two.sub_a, two.sub_b])


async def test_get_of_another_offices_row_is_none(db):
    two = await two_offices(db)
    async with for_office(db.sessions, two.a)() as s:  # a fresh session: nothing in its identity map
        assert await s.get(Submission, two.sub_b) is None
        assert await s.get(Section, two.humas_b) is None
        assert (await s.get(Submission, two.sub_a)).id == two.sub_a
        # asked again (now the identity map would answer): still none
        assert await s.get(Submission, two.sub_b) is None
    async with for_office(db.sessions, two.b)() as s:
        assert (await s.get(Submission, two.sub_b)).section.id == two.humas_b  # joined eager load, same office


async def test_an_object_of_another_office_is_not_taken_into_an_offices_session(db):
    """``get`` answers from the identity map without SQL: an object of another office must never get
    there (added or merged from a deployment's session)."""
    two = await two_offices(db)
    async with everywhere(db.sessions)() as s:
        b_sub = await s.get(Submission, two.sub_b)
    async with for_office(db.sessions, two.a)() as s:
        with pytest.raises(CrossOffice):
            s.add(b_sub)
        assert await s.get(Submission, two.sub_b) is None
    with pytest.raises(CrossOffice):  # merge finds no such row here, and its copy of B's is refused
        async with for_office(db.sessions, two.a).begin() as s:
            await s.merge(b_sub)


async def test_relationship_loads_see_only_the_offices_rows(db):
    two = await two_offices(db)
    async with for_office(db.sessions, two.a)() as s:
        # Person.grants is a selectin load: the Kepala holds a role in both offices, here only in A
        kepala = await s.scalar(select(Person).where(Person.id == two.kepala))
        assert [(g.role, g.office_id) for g in kepala.grants] == [(Role.KEPALA, two.a)]
        kepala = await s.scalar(select(Person).where(Person.id == two.kepala)
                                .options(selectinload(Person.grants)).execution_options(populate_existing=True))
        assert [g.office_id for g in kepala.grants] == [two.a]
    async with everywhere(db.sessions)() as s:
        kepala = await s.scalar(select(Person).where(Person.id == two.kepala))
        assert sorted(g.office_id for g in kepala.grants) == [two.a, two.b]

    # A grant of A whose section (by mistake) is B's: the lazy load of its section finds nothing.
    async with everywhere(db.sessions).begin() as s:
        wrong = RoleGrant(person_id=two.kepala, role=Role.WRITER, section_id=two.humas_b, granted_at=T0,
                          office_id=two.a)
        s.add(wrong)
        await s.flush()
        wrong_id = wrong.id
    async with for_office(db.sessions, two.a)() as s:
        grant = await s.scalar(select(RoleGrant).where(RoleGrant.id == wrong_id).options(lazyload(RoleGrant.section)))
        assert grant.section_id == two.humas_b
        assert await s.run_sync(lambda _: grant.section) is None
        # an expired attribute's reload goes through the filter as well
        s.expire(grant)
        assert await s.run_sync(lambda _: grant.section_id) == two.humas_b


async def test_an_offices_update_and_delete_touch_only_its_rows(db):
    two = await two_offices(db)
    async with for_office(db.sessions, two.a).begin() as s:
        res = await s.execute(update(Submission).where(Submission.id.in_([two.sub_a, two.sub_b])).values(slug="x"))
        assert res.rowcount == 1
        res = await s.execute(update(Submission).values(slug="y"), execution_options={"synchronize_session": False})
        assert res.rowcount == 1
        res = await s.execute(delete(AuditEvent))
        assert res.rowcount == 1
        # The ORM's bulk UPDATE by primary key ignores loader criteria: the scope adds its own WHERE,
        # which SQLAlchemy runs only without synchronising the session's objects (it says so, else).
        await s.execute(update(Section), [{"id": two.humas_a, "name": "Humas A"}, {"id": two.humas_b, "name": "B!"}],
                        execution_options={"synchronize_session": None})
    from sqlalchemy.exc import InvalidRequestError
    with pytest.raises(InvalidRequestError, match="synchronize_session=None"):
        async with for_office(db.sessions, two.a).begin() as s:
            await s.execute(update(Section), [{"id": two.humas_b, "name": "B!"}])
    async with everywhere(db.sessions)() as s:
        slugs = dict((await s.execute(select(Submission.id, Submission.slug))).all())
        assert slugs == {two.sub_a: "y", two.sub_b: None}
        assert (await s.scalars(select(AuditEvent.submission_id))).all() == [two.sub_b]
        names = dict((await s.execute(select(Section.id, Section.name))).all())
        assert names == {two.humas_a: "Humas A", two.humas_b: "Humas"}


async def test_new_rows_take_the_sessions_office_and_another_office_is_refused(db):
    two = await two_offices(db)
    b = for_office(db.sessions, two.b)
    async with b.begin() as s:
        s.add(Section(name="Protokol", active=True))
        s.add(KipDefault(kind="berita", kip_class=KipClass.SETIAP_SAAT, set_at=T0))
        await s.execute(insert(Section).values(name="Keuangan", active=True))  # names no office
        await s.execute(insert(Section).values([{"name": "Umum", "active": True}, {"name": "Hukum", "active": True}]))
        await s.execute(insert(Section), [{"name": "Perencanaan", "active": True}])  # the ORM's bulk insert
    async with everywhere(db.sessions)() as s:
        rows = dict((await s.execute(select(Section.name, Section.office_id).where(Section.name != "Humas"))).all())
        assert rows == {n: two.b for n in ("Protokol", "Keuangan", "Umum", "Hukum", "Perencanaan")}
        assert (await s.scalar(select(KipDefault))).office_id == two.b

    refused = [
        lambda s: s.add(Section(name="Lain", active=True, office_id=two.a)),
        lambda s: s.execute(insert(Section).values(name="Lain", active=True, office_id=two.a)),
        lambda s: s.execute(insert(Section).values([{"name": "L1", "active": True, "office_id": two.b},
                                                    {"name": "L2", "active": True, "office_id": two.a}])),
        lambda s: s.execute(insert(Section), [{"name": "Lain", "active": True, "office_id": two.a}]),
        lambda s: s.execute(update(Section).values(office_id=two.a)),
    ]
    for act in refused:
        with pytest.raises(CrossOffice):
            async with b.begin() as s:
                result = act(s)
                if asyncio.iscoroutine(result):
                    await result
                await s.flush()
    # a row of this office moved to another one
    with pytest.raises(CrossOffice):
        async with b.begin() as s:
            sub = await s.get(Submission, two.sub_b)
            sub.office_id = two.a
    async with everywhere(db.sessions)() as s:
        assert await s.scalar(select(func.count()).select_from(Section).where(Section.office_id == two.a)) == 1
        assert (await s.get(Submission, two.sub_b)).office_id == two.b


async def test_what_was_unique_in_the_deployment_is_unique_per_office(db):
    two = await two_offices(db)  # a "Humas" in each office already
    with pytest.raises(IntegrityError):
        async with for_office(db.sessions, two.a).begin() as s:
            s.add(Section(name="Humas", active=True))
    for office, kip_class in ((two.a, KipClass.SETIAP_SAAT), (two.b, KipClass.DIKECUALIKAN)):
        async with for_office(db.sessions, office).begin() as s:
            s.add(KipDefault(kind="artikel", kip_class=kip_class, set_at=T0))
    # services/writing/kip.py asks by kind alone: in an office's session that is the office's row
    for office, kip_class in ((two.a, KipClass.SETIAP_SAAT), (two.b, KipClass.DIKECUALIKAN)):
        async with for_office(db.sessions, office)() as s:
            assert (await s.get(KipDefault, "artikel")).kip_class is kip_class


async def test_the_statement_cache_does_not_keep_an_office(db):
    """The same statement, compiled once, asked by two offices: each gets its own row."""
    two = await two_offices(db)
    stmt = select(Submission.id).where(Submission.state == State.DRAFT)
    for _ in range(2):
        for office, sid in ((two.a, two.sub_a), (two.b, two.sub_b)):
            async with for_office(db.sessions, office)() as s:
                assert (await s.scalars(stmt)).all() == [sid]


async def test_raw_sql_is_not_the_orms_to_filter(db):
    """text() and Core statements on a table bypass the ORM filter: on PostgreSQL row-level security
    stands behind it, but not for the superuser these tests connect as (see storage_pg)."""
    two = await two_offices(db)
    async with for_office(db.sessions, two.a)() as s:
        assert await s.scalar(text("SELECT count(*) FROM submissions")) == 2
        assert await s.scalar(select(func.count()).select_from(Submission.__table__)) == 2


# ---- the factories ----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, True, "1", 1.0, None])
def test_an_office_is_a_positive_integer(bad):
    sessions = make_sessionmaker(_engine())
    with pytest.raises(ValueError):
        for_office(sessions, bad)


def _engine():
    from storage.db import make_engine
    return make_engine("sqlite+aiosqlite://")


def test_an_offices_factory_neither_widens_nor_moves_to_another_office():
    sessions = make_sessionmaker(_engine())
    a = for_office(sessions, 1)
    assert isinstance(a, OfficeSessions) and a.office_id == 1
    assert for_office(sessions, 1) is a and for_office(a, 1) is a  # one factory per office (its write batches)
    assert everywhere(sessions) is sessions
    with pytest.raises(TypeError):
        everywhere(a)
    with pytest.raises(TypeError):
        for_office(a, 2)
    from sqlalchemy.ext.asyncio import async_sessionmaker
    with pytest.raises(TypeError):  # a factory whose sessions have no office scope
        for_office(async_sessionmaker(_engine()), 1)


async def test_offices_take_the_same_sqlite_writer_turns(tmp_path):
    """One writer per database file, whatever the office: office B's write waits for office A's; a
    write of an office inside the deployment's write of the same task joins it (no deadlock)."""
    from tests.storage.office import open_db
    db = await open_db(f"sqlite+aiosqlite:///{tmp_path / 't.db'}")
    try:
        assert isinstance(db.sessions, SqliteSessions)
        a, b = for_office(db.sessions, 1), for_office(db.sessions, 2)
        assert a.turns is b.turns is db.sessions.turns
        order: list[str] = []
        a_in = asyncio.Event()

        async def write_a():
            async with a.begin():
                order.append("a in")
                a_in.set()
                await asyncio.sleep(0.2)
                order.append("a out")

        async def write_b():
            await a_in.wait()
            async with b.begin():
                order.append("b in")

        await asyncio.gather(write_a(), write_b())
        assert order == ["a in", "a out", "b in"]

        async def nested():
            async with db.sessions.begin(), a.begin() as s:
                return await s.scalar(select(func.count()).select_from(Submission))
        assert await asyncio.wait_for(nested(), 5) == 0
    finally:
        await db.close()


async def test_a_real_use_case_runs_in_an_offices_sessions(db):
    """The drafting and review services, handed office B's factory, work on B's rows and write B's."""
    from domain.checks import CheckPolicy
    from services.staff.people import by_telegram_id
    from services.writing import drafts

    two = await two_offices(db)
    b = for_office(db.sessions, two.b)
    async with b.begin() as s:
        w = await by_telegram_id(s, 1002)
        d = await drafts.start(s, w, T0)
        sid = d.submission.id
    async with b.begin() as s:
        w = await by_telegram_id(s, 1002)
        d = await drafts.editable(s, sid, w, T0)
        drafts.set_kind(d, "artikel")
        drafts.set_title(d, "Kabar dari Dinas B")
        drafts.set_body(d, BODY)
    async with b.begin() as s:
        d = await drafts.load(s, sid)
        await drafts.submit(s, d, await by_telegram_id(s, 1002), CheckPolicy(), T0)
    async with everywhere(db.sessions)() as s:
        assert (await s.get(Submission, sid)).office_id == two.b
        trail = (await s.execute(select(AuditEvent.office_id).where(AuditEvent.submission_id == sid))).scalars().all()
        assert trail and set(trail) == {two.b}
    # office A cannot see it, nor decide on it
    async with for_office(db.sessions, two.a)() as s:
        assert await s.get(Submission, sid) is None
