"""The second wall: PostgreSQL's row-level security on every tenant table (migration 0014).

The bot connects as an ordinary role that owns its tables (superusers and BYPASSRLS roles are never
subject to row-level security).  Here the whole database is made, migrated and used as such a role,
``terbit_app``, the owner of its database.  Raw SQL, past the ORM's filter, is what is tested: a
transaction whose ``terbit.office`` is office A cannot read, change, move or create office B's rows,
and one nobody scoped sees and writes nothing.
"""
from __future__ import annotations

import pytest

asyncpg = pytest.importorskip("asyncpg", reason="needs the postgres extra: pip install -e '.[postgres]'")
from pg_test_server import SUPERUSER
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.db import make_engine, upgrade
from storage.models import Base, Tenant
from storage.tenancy import everywhere, for_office
from tests.storage.office import open_db, seed_office, to_kepala
from tests.storage.test_tenancy import two_offices

APP_ROLE = "terbit_app"
_CREATE_ROLE = (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') "
                f"THEN CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$")
TENANT_TABLES = sorted(m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Tenant))
RLS_REFUSED = "row-level security"


@pytest.fixture
def app_url(pg_server, pg_url):
    """A new database owned by the ordinary role ``terbit_app``; its URL as that role."""
    pg_server.psql(_CREATE_ROLE)
    pg_server.psql(f'ALTER DATABASE "{pg_url.rsplit("/", 1)[-1]}" OWNER TO {APP_ROLE}')
    return pg_url.replace(f"//{SUPERUSER}@", f"//{APP_ROLE}@")


@pytest.fixture
async def app_db(app_url):
    d = await open_db(app_url)  # migrated by the owner, as the bot does it
    try:
        yield d
    finally:
        await d.close()


async def _scoped(conn, office: str | None) -> None:
    if office is not None:
        await conn.execute(text("SELECT set_config('terbit.office', :v, true)"), {"v": office})


async def _refused(engine, office: str | None, sql: str, params: dict | None = None) -> None:
    async with engine.connect() as c:
        await _scoped(c, office)
        with pytest.raises(DBAPIError, match=RLS_REFUSED):
            await c.execute(text(sql), params or {})
        await c.rollback()


async def test_the_bot_is_an_ordinary_owner_and_every_tenant_table_is_walled(app_db):
    async with app_db.engine.connect() as c:
        me = (await c.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"))).one()
        assert tuple(me) == (False, False)
        rows = (await c.execute(text(
            "SELECT relname, relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner) FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"))).all()
    walled = {name for name, on, forced, owner in rows if on and forced}
    assert walled == set(TENANT_TABLES)
    assert {owner for *_, owner in rows} == {APP_ROLE}


async def test_a_transaction_of_office_a_cannot_touch_office_bs_rows(app_db):
    two = await two_offices(app_db)
    a, b = str(two.a), str(two.b)
    engine = app_db.engine
    async with engine.connect() as c:
        await _scoped(c, a)
        assert (await c.execute(text("SELECT id FROM submissions"))).scalars().all() == [two.sub_a]
        assert (await c.execute(text("SELECT count(*) FROM submissions WHERE id = :b"), {"b": two.sub_b})).scalar() == 0
        for table in ("revisions", "audit_events", "sections"):
            offices = (await c.execute(text(f"SELECT DISTINCT office_id FROM {table}"))).scalars().all()
            assert offices == [two.a], table
        # the Kepala's grants: people are everyone's, grants are the office's
        assert (await c.execute(text("SELECT count(*) FROM role_grants rg JOIN people p ON p.id = rg.person_id "
                                     "WHERE p.id = :k"), {"k": two.kepala})).scalar() == 1
        # updates and deletes do not reach B's rows
        assert (await c.execute(text("UPDATE submissions SET slug = 'x' WHERE id = :b"), {"b": two.sub_b})).rowcount == 0
        assert (await c.execute(text("UPDATE submissions SET slug = 'x'"))).rowcount == 1
        assert (await c.execute(text("DELETE FROM audit_events WHERE submission_id = :b"),
                                {"b": two.sub_b})).rowcount == 0
        assert (await c.execute(text("DELETE FROM sections WHERE office_id = :b"), {"b": two.b})).rowcount == 0
        await c.commit()
    # a row of B written by A, a row naming no office (so the first office's) written by B, and A's
    # row moved to B are refused
    await _refused(engine, a, "INSERT INTO sections (name, active, office_id) VALUES ('Lain', true, :b)", {"b": two.b})
    await _refused(engine, b, "INSERT INTO sections (name, active) VALUES ('Tanpa kantor', true)")
    await _refused(engine, a, "UPDATE submissions SET office_id = :b WHERE id = :s", {"b": two.b, "s": two.sub_a})
    async with engine.connect() as c:
        await _scoped(c, "*")
        rows = dict((await c.execute(text("SELECT id, slug FROM submissions"))).all())
        assert rows == {two.sub_a: "x", two.sub_b: None}
        assert (await c.execute(text("SELECT count(*) FROM audit_events"))).scalar() == 2
        assert (await c.execute(text("SELECT count(*) FROM sections WHERE name IN ('Lain', 'Tanpa kantor')"))
                ).scalar() == 0


async def test_a_connection_nobody_scoped_sees_nothing_and_writes_nothing(app_db):
    await two_offices(app_db)
    engine = app_db.engine
    for value in (None, "", "0", "-1", "abc", "1 OR true", "99999999999", " *"):
        async with engine.connect() as c:
            await _scoped(c, value)
            for table in TENANT_TABLES:
                assert (await c.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == 0, (value, table)
            assert (await c.execute(text("UPDATE submissions SET slug = 'x'"))).rowcount == 0
            await c.rollback()
        await _refused(engine, value, "INSERT INTO sections (name, active) VALUES ('Lain', true)")
    # The setting is the transaction's: after a scoped one, the same connection is unscoped again
    # (a custom setting reads '' then, not NULL).
    async with engine.connect() as c:
        await _scoped(c, "1")
        assert (await c.execute(text("SELECT count(*) FROM submissions"))).scalar() == 1
        await c.commit()
        assert (await c.execute(text("SELECT current_setting('terbit.office', true)"))).scalar() == ""
        assert (await c.execute(text("SELECT count(*) FROM submissions"))).scalar() == 0
        await c.rollback()


async def test_the_sessions_say_which_office_each_transaction_is(app_db):
    """The ORM's scope sets the wall: raw SQL in an office's session sees that office (the ORM's
    filter does not touch text()); the deployment's sessions see every office."""
    two = await two_offices(app_db)
    a = for_office(app_db.sessions, two.a)
    async with a() as s:
        assert await s.scalar(text("SELECT current_setting('terbit.office')")) == str(two.a)
        assert await s.scalar(text("SELECT count(*) FROM submissions")) == 1
        await s.commit()
        # a new transaction of the same session is set again
        assert await s.scalar(text("SELECT count(*) FROM submissions")) == 1
    async with a.begin() as s:
        with pytest.raises(DBAPIError, match=RLS_REFUSED):
            async with s.begin_nested():
                await s.execute(text("INSERT INTO sections (name, active, office_id) VALUES ('Lain', true, :b)"),
                                {"b": two.b})
    async with everywhere(app_db.sessions)() as s:
        assert await s.scalar(text("SELECT current_setting('terbit.office')")) == "*"
        assert await s.scalar(text("SELECT count(*) FROM submissions")) == 2


async def test_the_workflow_runs_unchanged_as_the_owner_under_the_wall(app_db):
    """The deployment's sessions (what every use case gets today) see every office's rows: the
    single office's SOP is what it was, row-level security and all."""
    await seed_office(app_db)
    sid, _ = await to_kepala(app_db)
    async with app_db.sessions() as s:
        assert await s.scalar(text("SELECT state FROM submissions WHERE id = :s"), {"s": sid}) == "menunggu_kepala"
        assert await s.scalar(text("SELECT count(*) FROM audit_events WHERE submission_id = :s"), {"s": sid}) == 2
    async with for_office(app_db.sessions, 1)() as s:
        assert await s.scalar(text("SELECT count(*) FROM audit_events WHERE submission_id = :s"), {"s": sid}) == 2
    async with for_office(app_db.sessions, 2)() as s:
        assert await s.scalar(text("SELECT count(*) FROM audit_events WHERE submission_id = :s"), {"s": sid}) == 0


async def test_a_database_of_0013_upgraded_by_its_owner_keeps_every_row_in_office_1(app_url):
    from tests.storage.test_upgrade import a_database_of_0013_with_everything, tenant_offices, tenant_rows

    engine = make_engine(app_url)
    try:
        await a_database_of_0013_with_everything(engine, app_url)
        async with engine.connect() as c:
            before = await c.run_sync(tenant_rows)
        await upgrade(engine)
        for office in ("*", "1"):
            async with engine.connect() as c:
                await _scoped(c, office)
                assert await c.run_sync(tenant_rows) == before
                assert set((await c.run_sync(tenant_offices)).values()) == {(1,)}
                await c.rollback()
    finally:
        await engine.dispose()


async def test_a_superuser_is_not_walled(app_db):
    """Why the bot must not connect as a superuser: row-level security does not apply to one."""
    await two_offices(app_db)
    superuser = make_engine(app_db.url.replace(f"//{APP_ROLE}@", f"//{SUPERUSER}@"))
    try:
        async with superuser.connect() as c:
            assert (await c.execute(text("SELECT count(*) FROM submissions"))).scalar() == 2
    finally:
        await superuser.dispose()
